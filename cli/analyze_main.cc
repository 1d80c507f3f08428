// forksafe-analyze: the program behind `forksafe analyze` (see analyze_exec.cc).
#include "cli/command.h"

namespace forksafe::cli {
int analyze_command(int argc, char** argv);
}

int main(int argc, char** argv) {
  using namespace forksafe::cli;
  return run_guarded(Command{"analyze", "", analyze_command}, argc, argv);
}
