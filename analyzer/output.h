// The analyzer's outputs: compiler-style text, JSON, and the baseline file.
// SARIF comes from common/sarif.h.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "common/finding.h"

namespace forksafe::analyzer {

struct TextStyle {
  bool color = false;    // clang's colours (ANSI escapes)
  bool snippets = true;  // the source line, a caret under the call and tildes under its name
};

// file:line:col: warning: message [rule] and a note: line per chain step,
// each followed by its source line and caret as clang prints them.
std::string to_text(const std::vector<Finding>& findings, const TextStyle& style = {});
// Fingerprints are computed relative to source_root (common/finding.h).
nlohmann::json to_json(const std::vector<Finding>& findings, const std::string& source_root);

// Baselines: the fingerprints (common/finding.h) of accepted findings.
nlohmann::json baseline_json(const std::vector<Finding>& findings, const std::string& source_root);
// Throws std::runtime_error (one line) when the file is not a baseline.
std::set<std::string> read_baseline(const std::string& path);

}  // namespace forksafe::analyzer
