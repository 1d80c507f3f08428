// The short summary `forksafe run` prints on stderr after the command.
#pragma once

#include <string>
#include <vector>

#include "common/finding.h"
#include "injector/launcher/event_log.h"

namespace forksafe::launcher {

std::string summary_text(const RunCounts& counts, const std::vector<Finding>& findings,
                         const std::string& symbolizer);

}  // namespace forksafe::launcher
