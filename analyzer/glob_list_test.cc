#include "analyzer/glob_list.h"

#include <gtest/gtest.h>

namespace forksafe::analyzer {
namespace {

TEST(GlobList, LastMatchingGlobDecides) {
  GlobList list("forksafe-*,-forksafe-fd-*");
  EXPECT_TRUE(list.contains("forksafe-fork-exit"));
  EXPECT_FALSE(list.contains("forksafe-fd-no-cloexec"));
  GlobList again("-*, forksafe-fork-*\n-forksafe-fork-exit");
  EXPECT_TRUE(again.contains("forksafe-fork-unsafe-call"));
  EXPECT_FALSE(again.contains("forksafe-fork-exit"));
  EXPECT_FALSE(again.contains("forksafe-vfork-child"));
}

TEST(GlobList, NoMatchIsNotContainedAndGlobsAreWhole) {
  GlobList list("forksafe-fork-exit");
  EXPECT_FALSE(list.contains("forksafe-fork-exit-x"));
  EXPECT_FALSE(list.contains("bugprone-foo"));
  EXPECT_FALSE(GlobList("").contains("forksafe-fork-exit"));
  EXPECT_FALSE(GlobList("forksafe-fork.exit").contains("forksafe-forkXexit"));  // '.' is no wildcard
}

}  // namespace
}  // namespace forksafe::analyzer
