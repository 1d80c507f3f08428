// `forksafe analyze` runs the analyzer program, forksafe-analyze: libclang and
// LLVM are large, and linking them into `forksafe` itself would slow the start
// of every other command and every fork the benchmarks and `forksafe run` make.
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "cli/command.h"
#include "common/companion.h"

namespace forksafe::cli {

int exec_analyzer(int, char** argv) {
  std::string analyzer = find_companion("forksafe-analyze");
  if (analyzer.empty()) throw UsageError("forksafe-analyze is neither next to forksafe nor in ../lib/forksafe");
  execv(analyzer.c_str(), argv);
  throw UsageError("cannot run " + analyzer + ": " + std::strerror(errno));
}

}  // namespace forksafe::cli
