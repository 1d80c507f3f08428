// The report as one JSON document: what `forksafe report --format json`
// prints, and the data the HTML report embeds.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "reports/report_data.h"

namespace forksafe::reports {

// {"forksafe_version", "generated", "inputs", "summary", "rules", "findings",
//  "scenarios", "bench"}; `generated` is the time the report is made (UTC).
nlohmann::json report_json(const ReportData& data, const std::string& generated);

}  // namespace forksafe::reports
