// The report for terminals: findings in compiler style (file:line:col:
// level: message [rule], the chain as notes), then the scenario matrix, the
// spawn benchmark and a summary line.
#pragma once

#include <ostream>

#include "reports/report_data.h"

namespace forksafe::reports {

void render_text(const ReportData& data, std::ostream& out);

}  // namespace forksafe::reports
