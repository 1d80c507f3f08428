// The analysis as a whole: parse the TUs (in parallel, all of them or only
// those the demand-driven pre-scan selects), link the summaries, run the
// checks, and return findings sorted by place.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "analyzer/progress.h"
#include "analyzer/safety_db.h"
#include "analyzer/summary.h"
#include "analyzer/tu_scanner.h"
#include "common/finding.h"

namespace forksafe::analyzer {

struct ParseOptions {
  int jobs = 1;
  bool demand_driven = true;  // parse only what windows need
  ScanOptions scan;
  Progress* progress = nullptr;  // told of each TU queued and parsed
};

struct ParseResult {
  std::vector<TuSummary> tus;
  size_t parsed = 0;  // how many TUs were parsed
  std::vector<size_t> rounds;  // demand-driven: seeds, then each round of definitions
};

// Parses `commands` (a missing file becomes an error line of its TU). Only
// TUs for which `start_with(file)` holds (all when empty) are parsed for their
// windows; a demand-driven run may parse any other TU for the definitions
// those windows reach, so a shard still sees across TUs.
ParseResult parse(const std::vector<CompileCommand>& commands, const ParseOptions& options,
                  const SafetyDb& db, const std::function<bool(const std::string&)>& start_with = {});

// Findings of every check over the windows of the TUs for which
// `report_tu(file)` is true (all when it is empty), resolving calls across
// all `tus`. Sorted by file, line, column, rule; duplicates removed.
std::vector<Finding> link(const std::vector<TuSummary>& tus, const SafetyDb& db,
                          const std::function<bool(const std::string&)>& report_tu = {});

}  // namespace forksafe::analyzer
