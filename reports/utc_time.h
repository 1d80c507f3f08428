// Times as reports show them: UTC, ISO 8601, to the second.
#pragma once

#include <ctime>
#include <string>

namespace forksafe::reports {

std::string utc_iso8601(std::time_t t);  // e.g. "2026-11-25T18:40:00Z"

}  // namespace forksafe::reports
