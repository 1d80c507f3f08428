#include "reports/html_report.h"

#include <gtest/gtest.h>

#include <regex>

namespace forksafe::reports {
namespace {

using nlohmann::json;

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(JsonForScript, EscapesEverythingThatCouldEndTheScriptElement) {
  std::string text = json_for_script({{"m", "</script><!-- & <img src=x onerror=alert(1)>"}});
  EXPECT_EQ(text.find('<'), std::string::npos);
  EXPECT_EQ(text.find('>'), std::string::npos);
  EXPECT_EQ(text.find('&'), std::string::npos);
  EXPECT_EQ(json::parse(text)["m"], "</script><!-- & <img src=x onerror=alert(1)>");
}

TEST(JsonForScript, ReplacesInvalidUtf8InsteadOfThrowing) {
  std::string text = json_for_script({{"line", std::string("caf\xe9 \xff")}});
  EXPECT_NO_THROW({ json parsed = json::parse(text); });
}

TEST(HtmlReport, FillsEveryPlaceholderAndKeepsInputsOutOfTheMarkup) {
  json report = {{"findings", {{{"message", "</style><script>document.title='pwned'</script>"},
                                {"file", "\"><img src=x onerror=alert(1)>"},
                                {"fix", "@JS@"}}}}};
  std::string page = render_html(report);
  for (const char* placeholder : {"@NONCE@", "@DATA@", "@CSS@"}) EXPECT_EQ(page.find(placeholder), std::string::npos) << placeholder;
  EXPECT_EQ(count(page, "@JS@"), 1u);  // the data's own text, not replaced
  EXPECT_EQ(count(page, "<script"), 2u);  // the data block and the report's script
  EXPECT_EQ(count(page, "</style>"), 1u);
  EXPECT_EQ(page.find("<img"), std::string::npos);
  EXPECT_NE(page.find("\\u003c/style\\u003e\\u003cscript\\u003e"), std::string::npos);
}

TEST(HtmlReport, AllowsOnlyItsOwnScriptAndStyleByNonce) {
  std::string first = render_html(json::object()), second = render_html(json::object());
  std::smatch policy;
  ASSERT_TRUE(std::regex_search(first, policy, std::regex("script-src 'nonce-([0-9a-f]{32})'")));
  std::string nonce = policy[1];
  EXPECT_NE(first.find("<script nonce=\"" + nonce + "\">"), std::string::npos);
  EXPECT_NE(first.find("<style nonce=\"" + nonce + "\">"), std::string::npos);
  EXPECT_EQ(second.find(nonce), std::string::npos);  // a fresh nonce per report
  EXPECT_NE(first.find("default-src 'none'"), std::string::npos);  // nothing fetched
}

}  // namespace
}  // namespace forksafe::reports
