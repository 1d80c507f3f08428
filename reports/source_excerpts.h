// The source lines a report shows around each finding, read from disk when
// the files are there and lie under a source root. The inputs are not
// trusted (CI renders SARIF that pull requests produce): a URI may name
// /proc/self/environ, /etc/passwd or ../../ anything, so only regular files
// whose real path (symlinks followed) is under one of the roots are read.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "reports/report_data.h"

namespace forksafe::reports {

// For each file named by a finding or a step of its chain:
//   {"lines": {"LINE": "text", ...}}  the lines within `context` of every
//                                    line a finding points at, or
//   {"missing": "why"}              when the file cannot or may not be read.
// Each file is read once, however many findings point into it. `roots` are
// directories (made canonical here); /proc, /sys and /dev never count.
nlohmann::json source_excerpts(const std::vector<ReportFinding>& findings, int context,
                               const std::vector<std::string>& roots);

}  // namespace forksafe::reports
