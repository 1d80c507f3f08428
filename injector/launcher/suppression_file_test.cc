#include "injector/launcher/suppression_file.h"

#include <gtest/gtest.h>

#include <sstream>

namespace forksafe::launcher {
namespace {

Finding finding(const std::string& rule, const std::string& exe, const std::string& function, const std::string& file) {
  Finding f;
  f.rule = rule;
  f.properties["exe"] = exe;
  f.location.function = function;
  f.location.file = file;
  f.location.line = 12;
  f.chain = {{{"/src/main.c", 3, 0, "main", "", 0}, "calls"}, {f.location, "calls malloc()"}};
  return f;
}

TEST(SuppressionFile, ParsesRulesAndComments) {
  std::istringstream in("# rule program where\n\nruntime-no-exec */dash *  # the shell's subshells\n");
  std::vector<SuppressionRule> rules;
  std::string error;
  ASSERT_TRUE(parse_suppressions(in, &rules, &error)) << error;
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0].program, "*/dash");
}

TEST(SuppressionFile, ALineWithoutThreeFieldsIsAnError) {
  std::istringstream in("runtime-no-exec */dash\n");
  std::vector<SuppressionRule> rules;
  std::string error;
  EXPECT_FALSE(parse_suppressions(in, &rules, &error));
  EXPECT_EQ(error, "line 1: expected three fields: rule program where");
}

TEST(SuppressionFile, MatchesRuleProgramAndAnyFrame) {
  std::vector<Finding> findings = {finding("runtime-no-exec", "/usr/bin/dash", "evaltree", ""),
                                   finding("runtime-unsafe-call", "/srv/prefork", "serve", "/src/prefork.c"),
                                   finding("runtime-unsafe-call", "/srv/other", "serve", "/src/other.c"),
                                   finding("runtime-deadlock", "/usr/bin/dash", "evaltree", "")};
  std::vector<SuppressionRule> rules = {{"runtime-no-exec", "*/dash", "*"},
                                        {"runtime-unsafe-call", "*", "/src/prefork.c:*"},
                                        {"*", "/srv/other", "main"}};  // an outer frame of the chain
  EXPECT_EQ(apply_suppressions(&findings, rules), 3u);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule, "runtime-deadlock");
}

}  // namespace
}  // namespace forksafe::launcher
