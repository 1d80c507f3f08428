// The source lines a report shows around each finding, read from disk when
// the files are there and lie under a source root. The inputs are not
// trusted (CI renders SARIF that pull requests produce): a URI may name
// /proc/self/environ, /etc/passwd or ../../ anything, so only regular files
// whose real path (symlinks followed) is under one of the roots are read.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "reports/report_data.h"

namespace forksafe::reports {

// For each file named by a finding or a step of its chain:
//   "path": the file as the report shows it, relative to the source root
//           (the first of `roots` that holds it), or tidied when outside;
//   "outside": true when no root holds it (a system header, a library's
//           build path such as ./csu/../csu/libc-start.c);
//   "lines": {"LINE": "text", ...}  the lines within `context` of every
//           line a finding points at, or
//   "missing": "why"  when the file cannot or may not be read.
// Each file is read once, however many findings point into it. `roots` are
// directories (made canonical here); /proc, /sys and /dev never count. A
// relative path names a file under a root (SARIF's SRCROOT).
nlohmann::json source_excerpts(const std::vector<ReportFinding>& findings, int context,
                               const std::vector<std::string>& roots);

// The directory paths are shown relative to: the first root, made canonical.
std::string display_root(const std::vector<std::string>& roots);

}  // namespace forksafe::reports
