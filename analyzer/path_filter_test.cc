#include "analyzer/path_filter.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace forksafe::analyzer {
namespace {

TEST(PathFilter, ExcludeGlobsAreRelativeToTheirDirectory) {
  PathFilter f;
  f.exclude("third_party/**", "/src");
  f.exclude("gen/*.c", "/src");
  f.exclude("**/vendor/", "/src");
  EXPECT_TRUE(f.excluded("/src/third_party/zlib/inflate.c"));
  EXPECT_TRUE(f.excluded("/src/gen/a.c"));
  EXPECT_FALSE(f.excluded("/src/gen/sub/a.c"));  // '*' stays in one directory
  EXPECT_TRUE(f.excluded("/src/lib/vendor/x/y.h"));
  EXPECT_TRUE(f.excluded("/src/vendor/y.h"));
  EXPECT_FALSE(f.excluded("/src/main.c"));
  EXPECT_FALSE(f.excluded("/other/third_party/a.c"));  // not under /src
}

TEST(PathFilter, HeaderFilterShowsMainFilesAlwaysAndMatchingHeaders) {
  PathFilter f;
  std::set<std::string> mains = {"/src/a.c"};
  EXPECT_TRUE(f.shown("/src/any.h", mains));  // no filter: every header
  f.set_header_filter("/src/include/");
  EXPECT_TRUE(f.shown("/src/a.c", mains));
  EXPECT_TRUE(f.shown("/src/include/spawn.h", mains));
  EXPECT_FALSE(f.shown("/usr/include/stdio.h", mains));
  f.exclude("a.c", "/src");
  EXPECT_FALSE(f.shown("/src/a.c", mains));
  EXPECT_THROW(f.set_header_filter("(unclosed"), std::runtime_error);
}

}  // namespace
}  // namespace forksafe::analyzer
