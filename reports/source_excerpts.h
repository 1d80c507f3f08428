// The source lines a report shows around each finding, read from disk when
// the files are there.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "reports/report_data.h"

namespace forksafe::reports {

// For each file named by a finding or a step of its chain:
//   {"lines": {"LINE": "text", ...}}  the lines within `context` of every
//                                    line a finding points at, or
//   {"missing": "why"}              when the file cannot be read.
// Each file is read once, however many findings point into it.
nlohmann::json source_excerpts(const std::vector<ReportFinding>& findings, int context);

}  // namespace forksafe::reports
