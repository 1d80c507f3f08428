#include "analyzer/output.h"

#include <gtest/gtest.h>

#include <fstream>

namespace forksafe::analyzer {
namespace {

TEST(TextOutput, SourceLineWithCaretAndTildesUnderTheName) {
  std::string path = ::testing::TempDir() + "/text_output.c";
  std::ofstream(path) << "int main(void) {\n\tif (fork() == 0) puts(\"x\");\n}\n";
  Finding f;
  f.rule = "fork-unsafe-call";
  f.message = "'puts' is not async-signal-safe";
  f.location.file = path;
  f.location.line = 2;
  f.location.column = 19;
  Step start;
  start.location = f.location;
  start.location.column = 6;
  start.message = "child side of fork() starts here";
  f.chain.push_back(start);
  EXPECT_EQ(to_text({f}),
            path + ":2:19: warning: 'puts' is not async-signal-safe [fork-unsafe-call]\n"
            "\tif (fork() == 0) puts(\"x\");\n"
            "\t                 ^~~~\n" +
            path + ":2:6: note: child side of fork() starts here\n"
            "\tif (fork() == 0) puts(\"x\");\n"
            "\t    ^~~~\n");
  TextStyle plain{false, false};
  EXPECT_EQ(to_text({f}, plain), path + ":2:19: warning: 'puts' is not async-signal-safe [fork-unsafe-call]\n" + path +
                                     ":2:6: note: child side of fork() starts here\n");
  std::string colored = to_text({f}, TextStyle{true, true});
  EXPECT_NE(colored.find("\033[1;35mwarning: \033[0m"), std::string::npos) << colored;
  EXPECT_NE(colored.find("\033[1;32m\t                 ^~~~\033[0m"), std::string::npos) << colored;
  f.location.file = "/no/such/file.c";  // no source: no snippet
  f.chain.clear();
  EXPECT_EQ(to_text({f}), "/no/such/file.c:2:19: warning: 'puts' is not async-signal-safe [fork-unsafe-call]\n");
  std::remove(path.c_str());
}

}  // namespace
}  // namespace forksafe::analyzer
