#include "injector/launcher/python_traceback.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace forksafe::launcher {
namespace {

TEST(PythonTraceback, ParsesFaulthandlerLinesInnermostFirst) {
  auto frames = parse_python_traceback(
      "Stack (most recent call first):\n"
      "  File \"/src/peer.py\", line 40 in __del__\n"
      "  File \"/src/bg.py\", line 7 in runbgcommand\n"
      "  <no Python frame>\n"
      "  File \"/src/bg.py\", line 90 in <module>\n");
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(frames[0].file, "/src/peer.py");
  EXPECT_EQ(frames[0].line, 40);
  EXPECT_EQ(frames[0].function, "__del__");
  EXPECT_EQ(frames[2].function, "<module>");
}

TEST(PythonTraceback, NamesAMethodByItsClassFromTheSource) {
  char path[] = "/tmp/forksafe-traceback-XXXXXX.py";
  int fd = mkstemps(path, 3);
  ASSERT_GE(fd, 0);
  close(fd);
  std::ofstream(path) << "class SshPeer:\n"
                         "    def __init__(self):\n"
                         "        pass\n"
                         "\n"
                         "    def __del__(self):\n"
                         "        self.close()\n"
                         "        self.read()\n"
                         "def helper():\n"
                         "    return 1\n";
  EXPECT_EQ(qualified_name({path, 7, "__del__"}), "SshPeer.__del__");
  EXPECT_EQ(qualified_name({path, 9, "helper"}), "helper");  // a module-level function
  EXPECT_EQ(qualified_name({path, 90, "gone"}), "gone");      // past the end: the name as given
  EXPECT_EQ(qualified_name({"/nonexistent.py", 1, "f"}), "f");
  unlink(path);
}

}  // namespace
}  // namespace forksafe::launcher
