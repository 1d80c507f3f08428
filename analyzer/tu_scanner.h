// The per-TU pass: parses one translation unit with clang (its C++ API, for
// the CFG and template instantiations) and extracts the summaries of the
// functions it defines (outside system headers), its fork-to-exec windows
// and its TU-local findings (fd-no-cloexec).
#pragma once

#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "analyzer/compile_command.h"
#include "analyzer/summary.h"
#include "analyzer/window_finder.h"

namespace forksafe::analyzer {

// Functions already summarized by another TU (inline functions in headers):
// each is summarized once. Shared by the parsing threads.
class SeenFunctions {
 public:
  bool first_time(const std::string& usr);
  void forget(const std::string& usr);  // its TU is parsed again

 private:
  std::mutex mutex_;
  std::set<std::string> seen_;
};

struct ScanOptions {
  // --fork-like names, and the fork-like functions and pointers other TUs define.
  ForkKnowledge known;
};

// What other TUs' summaries tell about fork-like functions and pointers.
void learn(const TuSummary& tu, ForkKnowledge* known);

// Never throws for a bad TU: parse failures become TuSummary::errors lines.
TuSummary scan_tu(const CompileCommand& command, const ScanOptions& options, SeenFunctions* seen);

}  // namespace forksafe::analyzer
