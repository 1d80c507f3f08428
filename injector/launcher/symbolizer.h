// Names the runtime stack frames (module + file offset) with function, file
// and line, using llvm-symbolizer or, failing that, addr2line (both from
// Debian packages), one run per module. Frames it cannot name keep their
// module and offset.
#pragma once

#include <string>
#include <vector>

#include "common/finding.h"

namespace forksafe::launcher {

// Returns the tool used ("llvm-symbolizer", "addr2line"), or empty when
// neither is installed.
std::string symbolize(std::vector<Finding>* findings);

}  // namespace forksafe::launcher
