#include "common/output_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace forksafe {
namespace {

namespace fs = std::filesystem;

class OutputFile : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "forksafe-output-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (fs::path(dir_) / name).string(); }
  static std::string read(const std::string& p) {
    std::ifstream in(p);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  static void put(const std::string& p, const std::string& text) { std::ofstream(p) << text; }
  std::string dir_;
};

TEST_F(OutputFile, ReplacesARegularFileWholeAndLeavesNoTemporary) {
  put(path("out.txt"), "old");
  write_output(path("out.txt"), "new\n");
  EXPECT_EQ(read(path("out.txt")), "new\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
}

TEST_F(OutputFile, AFailedWriterLeavesTheOldFileAsItWas) {
  put(path("out.txt"), "old");
  EXPECT_THROW(write_output(path("out.txt"),
                            [](std::ostream& out) {
                              out << "half";
                              throw std::runtime_error("render failed");
                            }),
               std::runtime_error);
  EXPECT_EQ(read(path("out.txt")), "old");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
}

TEST_F(OutputFile, TheTemporaryNameNeverCollidesWithAnInput) {
  // `report IN.partial -o IN` used to write IN.partial, then rename it away.
  put(path("in.partial"), "input");
  write_output(path("in"), "report");
  EXPECT_EQ(read(path("in.partial")), "input");
  EXPECT_EQ(read(path("in")), "report");
}

TEST_F(OutputFile, WritesThroughASymlinkAndKeepsIt) {
  put(path("target.txt"), "old");
  fs::create_symlink("target.txt", path("link.txt"));
  write_output(path("link.txt"), "new");
  EXPECT_TRUE(fs::is_symlink(path("link.txt")));
  EXPECT_EQ(read(path("target.txt")), "new");
}

TEST_F(OutputFile, WritesThroughAHardLinkSoBothNamesSeeIt) {
  put(path("a.txt"), "old");
  fs::create_hard_link(path("a.txt"), path("b.txt"));
  write_output(path("b.txt"), "new");
  EXPECT_EQ(read(path("a.txt")), "new");
}

TEST_F(OutputFile, ADeviceIsWrittenToNotReplaced) {
  write_output("/dev/null", "anything");
  struct stat st;
  ASSERT_EQ(::stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
}

TEST_F(OutputFile, AFullDeviceIsAnErrorNamingIt) {
  try {
    write_output("/dev/full", std::string(1 << 20, 'x'));
    FAIL() << "no error";
  } catch (const OutputError& e) {
    EXPECT_STREQ(e.what(), "cannot write /dev/full: No space left on device");
  }
}

TEST_F(OutputFile, AFifoNobodyReadsIsRefusedAtOnce) {
  ASSERT_EQ(::mkfifo(path("pipe").c_str(), 0600), 0);
  EXPECT_THROW(write_output(path("pipe"), "x"), OutputError);
  EXPECT_TRUE(fs::is_fifo(path("pipe")));
}

TEST_F(OutputFile, AMissingDirectoryIsNamed) {
  try {
    write_output(path("no/such/out.txt"), "x");
    FAIL() << "no error";
  } catch (const OutputError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot write " + path("no/such/out.txt") + ": no such directory");
  }
}

TEST_F(OutputFile, KeepsTheModeOfTheFileItReplaces) {
  put(path("script"), "old");
  fs::permissions(path("script"), fs::perms(0750));
  write_output(path("script"), "new");
  EXPECT_EQ(fs::status(path("script")).permissions(), fs::perms(0750));
}

TEST_F(OutputFile, RefusesAnOutputThatIsAnInputUnderAnotherName) {
  put(path("in.sarif"), "{}");
  fs::create_symlink("in.sarif", path("alias.sarif"));
  EXPECT_THROW(refuse_output_over_inputs("-o", path("alias.sarif"), {path("in.sarif")}), OutputError);
  EXPECT_THROW(refuse_output_over_inputs("-o", dir_ + "/./in.sarif", {path("in.sarif")}), OutputError);
  EXPECT_NO_THROW(refuse_output_over_inputs("-o", path("new.sarif"), {path("in.sarif")}));
}

}  // namespace
}  // namespace forksafe
