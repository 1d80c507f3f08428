#include "reports/html_report.h"

#include <cstdio>
#include <functional>
#include <sstream>
#include <streambuf>
#include <random>
#include <string_view>
#include <utility>

#include "reports/report_assets.h"

namespace forksafe::reports {

using nlohmann::json;

namespace {

// '<', '>' and '&' occur only inside JSON strings, where \u escapes mean
// the same: written through to `out` as they are dumped, with no copy of
// the whole text.
class ScriptSafe : public std::streambuf {
 public:
  explicit ScriptSafe(std::ostream& out) : out_(out) {}

 protected:
  int_type overflow(int_type c) override {
    if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
    char ch = traits_type::to_char_type(c);
    xsputn(&ch, 1);
    return c;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    std::streamsize start = 0;
    for (std::streamsize i = 0; i < n; ++i) {
      const char* escape = s[i] == '<' ? "\\u003c" : s[i] == '>' ? "\\u003e" : s[i] == '&' ? "\\u0026" : nullptr;
      if (!escape) continue;
      out_.write(s + start, i - start).write(escape, 6);
      start = i + 1;
    }
    out_.write(s + start, n - start);
    return out_ ? n : 0;
  }

 private:
  std::ostream& out_;
};

void write_script_json(const json& value, std::ostream& out) {
  ScriptSafe filter(out);
  std::ostream safe(&filter);
  nlohmann::detail::serializer<json> serializer(nlohmann::detail::output_adapter<char>(safe), ' ',
                                                json::error_handler_t::replace);
  serializer.dump(value, false, false, 0);
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
  std::ostringstream out;
  write_script_json(value, out);
  return out.str();
}

void render_html(const json& report, std::ostream& out) {
  std::string nonce = make_nonce();
  // Each placeholder of the template once, in order; inserted text is never
  // scanned again, so data that looks like a placeholder stays data.
  std::string_view page = kReportHtml;
  const std::pair<std::string_view, std::function<void()>> parts[] = {
      {"@NONCE@", [&] { out << nonce; }},
      {"@CSS@", [&] { out << kReportCss; }},
      {"@JS@", [&] { out << kReportJs; }},
      {"@DATA@", [&] { write_script_json(report, out); }},
  };
  for (size_t at = 0;;) {
    size_t first = std::string_view::npos;
    const std::pair<std::string_view, std::function<void()>>* which = nullptr;
    for (const auto& part : parts) {
      size_t found = page.find(part.first, at);
      if (found < first) first = found, which = &part;
    }
    if (!which) {
      out << page.substr(at);
      return;
    }
    out << page.substr(at, first - at);
    which->second();
    at = first + which->first.size();
  }
}

std::string render_html(const json& report) {
  std::ostringstream out;
  render_html(report, out);
  return out.str();
}

}  // namespace forksafe::reports
