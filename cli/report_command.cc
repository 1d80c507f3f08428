#include "cli/command.h"

namespace forksafe::cli {

int report_command(int, char**) { throw UsageError("not available yet in this build"); }

}  // namespace forksafe::cli
