// Reads the inputs of `forksafe report`: SARIF logs (static and runtime
// findings), `forksafe scenarios` results and `forksafe bench spawn` results,
// told apart by their shape.
#pragma once

#include <string>
#include <vector>

#include "common/json_input.h"
#include "reports/report_data.h"

namespace forksafe::reports {

using InputError = forksafe::InputError;  // common/json_input.h

ReportData load_inputs(const std::vector<std::string>& paths);
// One input already parsed (the fuzz target's way in); `path` names it in errors.
void load_input(const std::string& path, const nlohmann::json& value, ReportData* data);

}  // namespace forksafe::reports
