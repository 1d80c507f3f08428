// SARIF 2.1.0, the one interchange format for findings: written by
// `forksafe analyze` and `forksafe run`, joined by `forksafe merge`, read by
// `forksafe report`.
#pragma once

#include <map>
#include <ostream>
#include <set>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/finding.h"

namespace forksafe {

struct SarifOptions {
  std::string tool_version;   // defaults to the project version
  std::string source_root;    // absolute; files under it get relative URIs with uriBaseId SRCROOT
  std::string kind;           // "static" or "runtime": stored in run.properties.forksafeKind
  // run.automationDetails.id, GitHub's category: default "forksafe/analyze/"
  // for static runs, "forksafe/run/" for runtime ones, so that code scanning
  // keeps the two apart.
  std::string category;
  std::string working_directory;  // invocations[0].workingDirectory (GitHub resolves absolute URIs with it)
  std::vector<std::string> command_line;  // stored in invocations[0].commandLine
  bool success = true;        // invocations[0].executionSuccessful
  std::vector<std::string> notifications; // tool errors (e.g. a TU that failed to parse)
  std::vector<std::string> notes;         // tool notes, level "note" (e.g. a program not followed)
};

// One SARIF log with one run. Every rule of rules.h is listed in
// tool.driver.rules with its help (text and Markdown) and GitHub's
// properties; each result carries codeFlows and relatedLocations for its
// chain, partialFingerprints["forksafe/v1"], the finding's properties and, for
// a mechanical fix, `fixes`; the run lists its artifacts. Not yet fitted to
// GitHub's limits (sarif_limits.h's write_sarif does that).
nlohmann::json to_sarif(const std::vector<Finding>& findings, const SarifOptions& options);

// Reads the findings of every run of a SARIF log (ours or another tool's).
// Relative URIs are resolved against the run's originalUriBaseIds when it has
// them. Returns false and sets *error (one line) when it is not SARIF 2.1.0.
bool findings_from_sarif(const nlohmann::json& log, std::vector<Finding>* findings,
                         std::string* error);
// The same for one run (run_number, 1-based, names it in *error).
bool findings_from_run(const nlohmann::json& run, size_t run_number, std::vector<Finding>* findings,
                       std::string* error);

// The same in pieces, for logs read one result at a time (json_input.h's
// stream_json_input): a run's shape, what its results need from it (source
// roots, rule levels), and one result.
struct RunContext {
  std::map<std::string, std::string> bases;  // uriBaseId -> directory with a slash
  std::map<std::string, Level> rule_levels;
};
bool check_run(const nlohmann::json& run, size_t run_number, std::string* error);
RunContext run_context(const nlohmann::json& run);
bool finding_from_result(const nlohmann::json& result, const RunContext& context, Finding* finding,
                         std::string* error);

// Joins SARIF logs: runs of the same tool, version, kind and category
// (automationDetails.id) become one run, so static and runtime logs stay
// apart; results that are equal by rule, fingerprint and location are kept once.
nlohmann::json merge_sarif(const std::vector<nlohmann::json>& logs);

// The runs of a merge as they are joined.
class MergedRuns {
 public:
  size_t add(const nlohmann::json& run);  // the merged run `run` joins (its results are not taken)
  // Lines about the merged runs GitHub code scanning would reject (more than
  // 20, two of one tool and category).
  std::vector<std::string> upload_problems() const;
  // Rewrites `result` of `source_run` for merged run `target` (URIs of
  // another source root become absolute); false when it is there already.
  bool take(size_t target, const nlohmann::json& source_run, nlohmann::json& result);
  nlohmann::json& run(size_t target) { return runs_[target]; }
  const nlohmann::json& runs() const { return runs_; }

 private:
  nlohmann::json runs_ = nlohmann::json::array();
  std::map<std::string, size_t> index_;       // tool name, version, kind -> run
  std::vector<std::set<std::string>> seen_;   // identities of the results taken, per run
  std::vector<std::set<std::string>> artifacts_;  // the artifacts listed, per run
};

// merge_sarif for files (`forksafe merge`), never holding their results: the
// constructor reads every log without its results and checks each result
// (throws InputError naming the file); write() reads the results again (or
// keeps them, for a pipe, which cannot be read twice) and streams them out.
class SarifFileMerge {
 public:
  explicit SarifFileMerge(const std::vector<std::string>& paths);
  // Streams the merged log, compact or indented, fitted to GitHub's limits
  // (sarif_limits.h); returns a line for each cut and for what GitHub would
  // still reject (a file over 10 MB gzipped).
  std::vector<std::string> write(std::ostream& out, bool pretty = false);

 private:
  struct Input {
    std::string path;
    nlohmann::json skeleton;  // the log with every run's results empty
    bool rereadable;
    std::vector<std::pair<size_t, nlohmann::json>> kept;  // (run, result) of a pipe
    std::vector<size_t> targets;                           // merged run of each run
  };
  void read(const std::string& path);
  std::vector<Input> inputs_;
  MergedRuns merged_;
};

}  // namespace forksafe
