// Reads the inputs of `forksafe report`: SARIF logs (static and runtime
// findings), `forksafe scenarios` results and `forksafe bench spawn` results,
// told apart by their shape.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "reports/report_data.h"

namespace forksafe::reports {

// An input that is missing, unreadable, not JSON or of an unknown shape; the
// message is one line that starts with the file's path.
struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

ReportData load_inputs(const std::vector<std::string>& paths);

}  // namespace forksafe::reports
