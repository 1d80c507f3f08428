#include "analyzer/prescan.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace forksafe::analyzer {
namespace {

TEST(ScanWords, SkipsCommentsAndStrings) {
  Words w = scan_words("/* fork */ int x; // vfork\nconst char* s = \"clone\";\n");
  EXPECT_FALSE(w.all.count("fork"));
  EXPECT_FALSE(w.all.count("vfork"));
  EXPECT_FALSE(w.all.count("clone"));
  EXPECT_TRUE(w.all.count("x"));
}

TEST(ScanWords, FindsDefinitionsNotCalls) {
  Words w = scan_words("static int helper(int a) {\n  return other(a);\n}\n"
                       "int\ngnu_style (a)\n  int a;\n{ return a; }\n"
                       "void Foo::bar() const { if (x) baz(); }\n");
  EXPECT_TRUE(w.defined.count("helper"));
  EXPECT_TRUE(w.defined.count("gnu_style"));
  EXPECT_TRUE(w.defined.count("bar"));
  EXPECT_FALSE(w.defined.count("other"));
  EXPECT_FALSE(w.defined.count("baz"));
  EXPECT_FALSE(w.defined.count("if"));
}

TEST(Prescan, ForkMacroInAHeaderMakesASeedButDeclarationsDoNot) {
  auto dir = std::filesystem::path(::testing::TempDir()) / "prescan_macro";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "spawn.h") << "#define START_CHILD() \\\n  fork()\n";
  std::ofstream(dir / "user.c") << "#include \"spawn.h\"\nint f(void) { return START_CHILD(); }\n";
  std::ofstream(dir / "decl.h") << "int fork(void);\nint execvp(const char*, char* const*);\n";
  std::ofstream(dir / "other.c") << "#include \"decl.h\"\nint g(void) { return 1; }\n";
  std::vector<CompileCommand> commands = {{dir.string(), (dir / "user.c").string(), {"cc", "-c", "user.c"}},
                                          {dir.string(), (dir / "other.c").string(), {"cc", "-c", "other.c"}}};
  auto scanned = prescan(commands, {"fork", "vfork", "_Fork"});
  EXPECT_TRUE(scanned[0].seed);
  EXPECT_FALSE(scanned[1].seed);
  EXPECT_TRUE(scanned[1].defines.count("g"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace forksafe::analyzer
