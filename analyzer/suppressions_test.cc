#include "analyzer/suppressions.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace forksafe::analyzer {
namespace {

Finding finding_at(const std::string& file, int line, const char* rule) {
  Finding f;
  f.rule = rule;
  f.location.file = file;
  f.location.line = line;
  return f;
}

TEST(NamesRule, ListsWildcardsAndBareNolint) {
  EXPECT_TRUE(names_rule("x(); // NOLINT", "NOLINT", "fork-exit"));
  EXPECT_TRUE(names_rule("x(); // NOLINT(forksafe-fork-exit)", "NOLINT", "fork-exit"));
  EXPECT_TRUE(names_rule("x(); // NOLINT(bugprone-foo, forksafe-fork-exit)", "NOLINT", "fork-exit"));
  EXPECT_TRUE(names_rule("x(); // NOLINT(forksafe-*)", "NOLINT", "fork-exit"));
  EXPECT_FALSE(names_rule("x(); // NOLINT(forksafe-fork-unsafe-call)", "NOLINT", "fork-exit"));
  EXPECT_FALSE(names_rule("// NOLINTNEXTLINE(forksafe-fork-exit)", "NOLINT", "fork-exit"));
  EXPECT_TRUE(names_rule("// NOLINTNEXTLINE(forksafe-fork-exit)", "NOLINTNEXTLINE", "fork-exit"));
}

TEST(NamesRule, ClangTidyGlobsWithNegation) {
  EXPECT_TRUE(names_rule("x(); // NOLINT(forksafe-fork-*)", "NOLINT", "fork-exit"));
  EXPECT_FALSE(names_rule("x(); // NOLINT(forksafe-fork-*)", "NOLINT", "vfork-child"));
  EXPECT_TRUE(names_rule("x(); // NOLINT(forksafe-*,-forksafe-fd-*)", "NOLINT", "fork-exit"));
  EXPECT_FALSE(names_rule("x(); // NOLINT(forksafe-*,-forksafe-fd-*)", "NOLINT", "fd-no-cloexec"));
  EXPECT_FALSE(names_rule("x(); // NOLINT(bugprone-*)", "NOLINT", "fork-exit"));
}

TEST(Suppressions, EndClosesTheBeginWithTheSameList) {
  std::string path = ::testing::TempDir() + "/suppress_nested.c";
  std::ofstream(path) << "// NOLINTBEGIN(forksafe-fork-*)\n"  // 1
                         "// NOLINTBEGIN(forksafe-fd-*)\n"    // 2
                         "a();\n"                             // 3
                         "// NOLINTEND(forksafe-fd-*)\n"      // 4
                         "b();\n"                             // 5
                         "// NOLINTEND(forksafe-fork-*)\n"    // 6
                         "c();\n";                            // 7
  Suppressions s;
  auto at = [&](int line, const char* rule) { return s.suppressed(finding_at(path, line, rule)); };
  EXPECT_TRUE(at(3, "fd-no-cloexec"));
  EXPECT_TRUE(at(3, "fork-exit"));
  EXPECT_FALSE(at(5, "fd-no-cloexec"));
  EXPECT_TRUE(at(5, "fork-unsafe-call"));
  EXPECT_FALSE(at(7, "fork-exit"));
  std::remove(path.c_str());
}

TEST(Suppressions, SameLineNextLineAndBlocks) {
  std::string path = ::testing::TempDir() + "/suppress.c";
  std::ofstream(path) << "a(); // NOLINT(forksafe-fork-exit)\n"        // 1
                         "// NOLINTNEXTLINE(forksafe-fork-exit)\n"     // 2
                         "b();\n"                                      // 3
                         "c();\n"                                      // 4
                         "// NOLINTBEGIN(forksafe-fork-exit)\n"        // 5
                         "d();\n"                                      // 6
                         "// NOLINTEND(forksafe-fork-exit)\n"          // 7
                         "e();\n";                                     // 8
  Suppressions s;
  auto at = [&](int line, const char* rule) { return s.suppressed(finding_at(path, line, rule)); };
  EXPECT_TRUE(at(1, "fork-exit"));
  EXPECT_FALSE(at(1, "fork-unsafe-call"));
  EXPECT_TRUE(at(3, "fork-exit"));
  EXPECT_FALSE(at(4, "fork-exit"));
  EXPECT_TRUE(at(6, "fork-exit"));
  EXPECT_FALSE(at(6, "fork-no-exec"));
  EXPECT_FALSE(at(8, "fork-exit"));
  std::remove(path.c_str());
}

}  // namespace
}  // namespace forksafe::analyzer
