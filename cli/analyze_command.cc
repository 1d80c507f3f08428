#include "cli/command.h"

namespace forksafe::cli {

int analyze_command(int, char**) { throw UsageError("not available yet in this build"); }

}  // namespace forksafe::cli
