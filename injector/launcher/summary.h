// The short summary `forksafe run` prints on stderr after the command.
#pragma once

#include <string>
#include <vector>

#include "common/finding.h"
#include "injector/launcher/event_log.h"

namespace forksafe::launcher {

// status: the command's exit status (128 + signal when killed).
std::string summary_text(int status, const RunCounts& counts, const std::vector<Finding>& findings,
                         const std::string& symbolizer);

}  // namespace forksafe::launcher
