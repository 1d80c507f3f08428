#include "injector/launcher/build_paths.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace forksafe::launcher {
namespace {

namespace fs = std::filesystem;

// A source root holding src/a.c and main.c.
class BuildPaths : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/forksafe-build-paths-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    root_ = pattern;
    fs::create_directory(root_ / "src");
    std::ofstream(root_ / "src" / "a.c") << "int a;\n";
    std::ofstream(root_ / "main.c") << "int main;\n";
  }
  void TearDown() override { fs::remove_all(root_); }
  std::string root() const { return root_.string(); }
  fs::path root_;
};

TEST_F(BuildPaths, ACompileDirectoryJoinedByTheBuildIsDropped) {
  // What addr2line prints for src/a.c compiled in build/ under -ffile-prefix-map=ROOT=.
  EXPECT_EQ(resolve_build_path("./build/./src/a.c", root()), root() + "/src/a.c");
  EXPECT_EQ(resolve_build_path("./build-release/./main.c", root()), root() + "/main.c");
}

TEST_F(BuildPaths, AnAbsoluteCompileDirectoryThatIsGoneIsDroppedToo) {
  // The build directory outside the mapped source directory (clang keeps it absolute).
  EXPECT_EQ(resolve_build_path("/no/such/build/./src/a.c", root()), root() + "/src/a.c");
  EXPECT_EQ(resolve_build_path(root() + "/./src/a.c", root()), root() + "/./src/a.c");  // it exists: as it is
}

TEST_F(BuildPaths, APathRelativeToTheRootIsTheFileThere) {
  EXPECT_EQ(resolve_build_path("./src/a.c", root()), root() + "/src/a.c");
  EXPECT_EQ(resolve_build_path("src/../main.c", root()), root() + "/main.c");
}

TEST_F(BuildPaths, ARootBelowTheBuildsDirectoryFindsItsFilesAbove) {
  // --source-root src while the build's "." was the project's directory.
  EXPECT_EQ(resolve_build_path("./build/./src/a.c", root() + "/src"), root() + "/src/a.c");
  EXPECT_EQ(resolve_build_path("./build/./main.c", root() + "/src"), root() + "/main.c");  // found, outside src
}

TEST_F(BuildPaths, PathsNamingNoFileUnderTheRootStayAsTheyAre) {
  EXPECT_EQ(resolve_build_path("./csu/../csu/libc-start.c", root()), "./csu/../csu/libc-start.c");
  EXPECT_EQ(resolve_build_path("../outside/a.c", root()), "../outside/a.c");  // never above the root
  EXPECT_EQ(resolve_build_path("./build/./src", root()), "./build/./src");    // a directory is no source
  EXPECT_EQ(resolve_build_path("/usr/include/stdio.h", root()), "/usr/include/stdio.h");
  EXPECT_EQ(resolve_build_path("", root()), "");
}

TEST_F(BuildPaths, EveryLocationOfAFindingIsResolved) {
  Finding f;
  f.location.file = "./build/./src/a.c";
  f.chain = {{{"./build/./main.c", 3, 0, "main", "", 0}, "calls"}, {{"./csu/libc-start.c", 1, 0, "", "", 0}, "calls"}};
  std::vector<Finding> findings = {f};
  resolve_build_paths(&findings, root());
  EXPECT_EQ(findings[0].location.file, root() + "/src/a.c");
  EXPECT_EQ(findings[0].chain[0].location.file, root() + "/main.c");
  EXPECT_EQ(findings[0].chain[1].location.file, "./csu/libc-start.c");
}

}  // namespace
}  // namespace forksafe::launcher
