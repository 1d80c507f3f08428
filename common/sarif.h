// SARIF 2.1.0, the one interchange format for findings: written by
// `forksafe analyze` and `forksafe run`, joined by `forksafe merge`, read by
// `forksafe report`.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/finding.h"

namespace forksafe {

struct SarifOptions {
  std::string tool_version;   // defaults to the project version
  std::string source_root;    // absolute; files under it get relative URIs with uriBaseId SRCROOT
  std::string kind;           // "static" or "runtime": stored in run.properties.forksafeKind
  std::vector<std::string> command_line;  // stored in invocations[0].commandLine
  bool success = true;        // invocations[0].executionSuccessful
  std::vector<std::string> notifications; // tool errors (e.g. a TU that failed to parse)
};

// One SARIF log with one run. Every rule of rules.h is listed in
// tool.driver.rules; each result carries codeFlows and relatedLocations for
// its chain, partialFingerprints["forksafe/v1"] and the finding's properties.
nlohmann::json to_sarif(const std::vector<Finding>& findings, const SarifOptions& options);

// Reads the findings of every run of a SARIF log (ours or another tool's).
// Relative URIs are resolved against the run's originalUriBaseIds when it has
// them. Returns false and sets *error (one line) when it is not SARIF 2.1.0.
bool findings_from_sarif(const nlohmann::json& log, std::vector<Finding>* findings,
                         std::string* error);
// The same for one run (run_number, 1-based, names it in *error).
bool findings_from_run(const nlohmann::json& run, size_t run_number, std::vector<Finding>* findings,
                       std::string* error);

// Joins SARIF logs: runs of the same tool and kind become one run, results
// that are equal by fingerprint and location are kept once.
nlohmann::json merge_sarif(const std::vector<nlohmann::json>& logs);

}  // namespace forksafe
