#include "reports/html_report.h"

#include <cstdio>
#include <random>
#include <string_view>
#include <utility>

#include "reports/report_assets.h"

namespace forksafe::reports {

using nlohmann::json;

namespace {

// Replaces each placeholder of the template once; inserted text is never
// scanned again, so data that looks like a placeholder stays data.
std::string fill(std::string_view page, std::initializer_list<std::pair<std::string_view, std::string_view>> values) {
  std::string out;
  for (size_t at = 0;;) {
    size_t first = std::string_view::npos;
    const std::pair<std::string_view, std::string_view>* which = nullptr;
    for (const auto& value : values) {
      size_t found = page.find(value.first, at);
      if (found < first) first = found, which = &value;
    }
    if (!which) return out.append(page.substr(at));
    out.append(page.substr(at, first - at)).append(which->second);
    at = first + which->first.size();
  }
}

// A fresh nonce per report: the Content-Security-Policy runs only the
// report's own script and style, so even markup that slipped through could
// not run.
std::string make_nonce() {
  std::random_device random;
  char text[33];
  std::snprintf(text, sizeof text, "%08x%08x%08x%08x", random(), random(), random(), random());
  return text;
}

}  // namespace

std::string json_for_script(const json& value) {
  std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  // '<', '>' and '&' occur only inside JSON strings, where \u escapes mean the same.
  for (char c : text) {
    switch (c) {
      case '<': out += "\\u003c"; break;
      case '>': out += "\\u003e"; break;
      case '&': out += "\\u0026"; break;
      default: out += c;
    }
  }
  return out;
}

std::string render_html(const json& report) {
  std::string nonce = make_nonce();
  std::string data = json_for_script(report);
  return fill(kReportHtml, {{"@NONCE@", nonce}, {"@CSS@", kReportCss}, {"@JS@", kReportJs}, {"@DATA@", data}});
}

}  // namespace forksafe::reports
