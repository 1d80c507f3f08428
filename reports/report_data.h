// What `forksafe report` renders: everything read from its inputs, in the
// order given. Loaded by load_inputs(), rendered as text, JSON or HTML.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/finding.h"

namespace forksafe::reports {

// One file given to `forksafe report`.
struct Input {
  std::string path;
  std::string format;        // "sarif", "scenarios" or "bench"
  std::string kinds;         // SARIF: the runs' kinds, e.g. "static" or "static, runtime"
  size_t items = 0;          // findings, scenario cells or measurements read from it
  std::string modified;      // the file's modification time, UTC, ISO 8601
  std::string tool;          // SARIF: "name version" of its first run
  std::string command_line;  // SARIF: invocations[0].commandLine of its first run
};

struct ReportFinding {
  Finding finding;
  std::string kind;   // "static" or "runtime"
  size_t input = 0;   // index into ReportData::inputs
};

struct ReportData {
  std::vector<Input> inputs;
  std::vector<ReportFinding> findings;
  // Validated objects of docs/formats.md, normalized: scenario cells always
  // have "detail" and "injected"; bench points always have "ensurestart"
  // (null when it does not apply) and "series", the name of their line in
  // charts: the strategy, plus whether it waits for the start.
  std::vector<nlohmann::json> scenarios;
  std::vector<nlohmann::json> bench;
};

}  // namespace forksafe::reports
