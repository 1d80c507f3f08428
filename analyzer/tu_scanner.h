// The per-TU pass: parses one translation unit with libclang and extracts the
// summaries of the functions it defines (outside system headers), its
// fork-to-exec windows and its TU-local findings (fd-no-cloexec).
#pragma once

#include <clang-c/Index.h>

#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "analyzer/summary.h"

namespace forksafe::analyzer {

struct CompileCommand {
  std::string directory;
  std::string file;                // absolute
  std::vector<std::string> args;   // the full command line, compiler first
};

// Functions already summarized by another TU (inline functions in headers):
// each is summarized once. Shared by the parsing threads.
class SeenFunctions {
 public:
  bool first_time(const std::string& usr);

 private:
  std::mutex mutex_;
  std::set<std::string> seen_;
};

struct ScanOptions {
  std::set<std::string> fork_like;  // fork, vfork, _Fork and --fork-like names
};

// Never throws for a bad TU: parse failures become TuSummary::errors lines.
TuSummary scan_tu(CXIndex index, const CompileCommand& command, const ScanOptions& options,
                  SeenFunctions* seen);

}  // namespace forksafe::analyzer
