// The HTML report's template, style sheet and script (reports/html/),
// embedded at build time by embed_assets.cmake.
#pragma once

#include <string_view>

namespace forksafe::reports {

extern const std::string_view kReportHtml;  // the page, with @NONCE@, @CSS@, @JS@ and @DATA@
extern const std::string_view kReportCss;
extern const std::string_view kReportJs;

}  // namespace forksafe::reports
