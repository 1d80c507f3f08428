#include "reports/source_excerpts.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "reports/test_files.h"

namespace forksafe::reports {
namespace {

ReportFinding at(const std::string& file, int line, int step_line) {
  ReportFinding rf;
  rf.finding.location = {file, line, 1, "", "", 0};
  rf.finding.chain = {{{file, step_line, 1, "", "", 0}, "fork"}};
  return rf;
}

std::string numbered_lines(int count) {
  std::string text;
  for (int i = 1; i <= count; ++i) text += "line " + std::to_string(i) + "\n";
  return text;
}

TEST(SourceExcerpts, KeepsTheLinesAroundEachMarkedLine) {
  TempDir dir;
  std::string file = dir.write("a.c", numbered_lines(100));
  auto out = source_excerpts({at(file, 50, 10)}, 2, {dir.path("")});
  const auto& lines = out[file]["lines"];
  EXPECT_EQ(lines.size(), 10u);  // 8..12 and 48..52
  EXPECT_EQ(lines["8"], "line 8");
  EXPECT_EQ(lines["52"], "line 52");
  EXPECT_FALSE(lines.contains("13"));
  EXPECT_FALSE(lines.contains("53"));
}

TEST(SourceExcerpts, StopsAtTheStartAndEndOfTheFile) {
  TempDir dir;
  std::string file = dir.write("a.c", "one\r\ntwo\r\n");
  auto out = source_excerpts({at(file, 1, 2)}, 4, {dir.path("")});
  EXPECT_EQ(out[file]["lines"].size(), 2u);
  EXPECT_EQ(out[file]["lines"]["1"], "one");  // no carriage return
}

TEST(SourceExcerpts, SaysWhenAFileIsMissing) {
  TempDir dir;
  auto out = source_excerpts({at(dir.path("gone.c"), 3, 3)}, 2, {dir.path("")});
  EXPECT_EQ(out[dir.path("gone.c")]["missing"], "not found on this machine");
}

TEST(SourceExcerpts, ShowsPathsRelativeToTheSourceRoot) {
  TempDir dir;
  std::filesystem::create_directories(dir.path("root/src"));
  std::string file = dir.write("root/src/a.c", "int a;\n");
  auto out = source_excerpts({at(file, 1, 1), at(dir.path("root/src/gone.c"), 1, 1)}, 0, {dir.path("root")});
  EXPECT_EQ(out[file]["path"], "src/a.c");
  EXPECT_FALSE(out[file].contains("outside"));
  EXPECT_EQ(out[dir.path("root/src/gone.c")]["path"], "src/gone.c");  // under the root, not on this machine
  EXPECT_FALSE(out[dir.path("root/src/gone.c")].contains("outside"));
}

TEST(SourceExcerpts, ReadsRelativePathsUnderTheRoot) {
  TempDir dir;
  dir.write("a.c", "int a;\n");
  auto out = source_excerpts({at("./a.c", 1, 1)}, 0, {dir.path("")});
  EXPECT_EQ(out["./a.c"]["path"], "a.c");
  EXPECT_EQ(out["./a.c"]["lines"]["1"], "int a;");
}

TEST(SourceExcerpts, ListsFilesOutsideTheRootApartWithTidyPaths) {
  TempDir dir;
  std::string header = dir.write("stdio.h", "int printf(const char *, ...);\n");
  std::filesystem::create_directories(dir.path("root"));
  auto out = source_excerpts({at(header, 1, 1), at("./csu/../csu/libc-start.c", 0, 0), at("../../etc/passwd", 1, 1)}, 0,
                             {dir.path("root")});
  EXPECT_EQ(out[header]["path"], header);  // absolute: the user can find it
  EXPECT_EQ(out[header]["outside"], true);
  EXPECT_FALSE(out[header].contains("lines"));
  EXPECT_EQ(out["./csu/../csu/libc-start.c"]["path"], "csu/libc-start.c");  // glibc's build path, not the user's file
  EXPECT_EQ(out["./csu/../csu/libc-start.c"]["outside"], true);
  EXPECT_EQ(out["../../etc/passwd"]["outside"], true);
  EXPECT_FALSE(out["../../etc/passwd"].contains("lines"));
}

TEST(SourceExcerpts, ShortensVeryLongLines) {
  TempDir dir;
  std::string file = dir.write("min.js", std::string(5000, 'x') + "\n");
  auto out = source_excerpts({at(file, 1, 1)}, 0, {dir.path("")});
  EXPECT_LT(out[file]["lines"]["1"].get<std::string>().size(), 500u);
}

TEST(SourceExcerpts, IgnoresStepsWithoutAFileOrLine) {
  ReportFinding rf;
  rf.finding.chain = {{{"", 0, 0, "", "/lib/libc.so.6", 0x1234}, "frame"}};
  EXPECT_TRUE(source_excerpts({rf}, 3, {"/"}).empty());
}

TEST(SourceExcerpts, ReadsNothingOutsideTheRoots) {
  TempDir dir;
  std::filesystem::create_directories(dir.path("root"));
  std::string inside = dir.write("root/a.c", "int a;\n");
  std::string secret = dir.write("secret.c", "token=hunter2\n");
  std::string link = dir.path("root/link.c");
  std::filesystem::create_symlink(secret, link);
  for (const std::string& file : {secret, dir.path("root/../secret.c"), link, std::string("/proc/self/environ"),
                                  std::string("/etc/passwd")}) {
    auto out = source_excerpts({at(file, 1, 1)}, 2, {dir.path("root")});
    EXPECT_FALSE(out[file].contains("lines")) << file << ": " << out.dump();
    EXPECT_TRUE(out[file].contains("missing")) << file;
  }
  EXPECT_EQ(source_excerpts({at(inside, 1, 1)}, 2, {dir.path("root")})[inside]["lines"]["1"], "int a;");
}

TEST(SourceExcerpts, NeverReadsProcOrDevicesEvenUnderARootOfSlash) {
  for (std::string file : {"/proc/self/environ", "/dev/zero", "/sys/kernel/mm/transparent_hugepage/enabled"}) {
    auto out = source_excerpts({at(file, 1, 1)}, 2, {"/"});
    EXPECT_FALSE(out[file].contains("lines")) << file;
  }
}

}  // namespace
}  // namespace forksafe::reports
