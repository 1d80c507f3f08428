#include "common/rules.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace forksafe {
namespace {

TEST(Rules, EveryRuleHasMarkdownHelpWithWhatWhyHowAndAnExample) {
  for (const Rule& rule : all_rules()) {
    std::string markdown(help_markdown(rule.id));
    ASSERT_FALSE(markdown.empty()) << rule.id << ": no common/data/help/" << rule.id << ".md";
    for (const char* part : {"**What.**", "**Why it matters.**", "**How to fix.**", "**Example.**"}) {
      EXPECT_NE(markdown.find(part), std::string::npos) << rule.id << " lacks " << part;
    }
  }
  EXPECT_TRUE(help_markdown("no-such-rule").empty());
}

TEST(Rules, GitHubPropertiesAreWithinWhatCodeScanningAccepts) {
  const std::set<std::string> precisions = {"very-high", "high", "medium", "low"};
  for (const Rule& rule : all_rules()) {
    EXPECT_TRUE(precisions.count(std::string(rule.precision))) << rule.id << ": " << rule.precision;
    double score = std::stod(std::string(rule.security_severity));
    EXPECT_GT(score, 0.0) << rule.id;
    EXPECT_LE(score, 10.0) << rule.id;
    size_t tags = 1;
    for (char c : rule.tags) tags += c == ' ';
    EXPECT_LE(tags, 10u) << rule.id << ": GitHub shows 10 tags of a rule";
    // A score makes the alert a security one: the tag says so.
    EXPECT_NE(std::string(rule.tags).find("security"), std::string::npos) << rule.id;
  }
}

}  // namespace
}  // namespace forksafe
