// The self-contained HTML report: one file with inline CSS, JS and SVG that
// works opened from disk and fetches nothing. The data is embedded as JSON in
// a <script type="application/json"> block and the page builds its DOM from
// it with textContent, so nothing from the inputs is ever parsed as markup.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

namespace forksafe::reports {

// `report` is report_json() plus "sources" (source_excerpts()).
// Written to `out` as it is made: a report of 100,000 findings is never a
// string (or three) in memory.
void render_html(const nlohmann::json& report, std::ostream& out);
std::string render_html(const nlohmann::json& report);

// JSON text that is safe inside a <script> element: '<', '>' and '&' are
// written as \u003c, \u003e and \u0026, and invalid UTF-8 is replaced.
std::string json_for_script(const nlohmann::json& value);

}  // namespace forksafe::reports
