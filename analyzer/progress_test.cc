#include "analyzer/progress.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

namespace forksafe::analyzer {
namespace {

// What a Progress in `mode` writes for two queued TUs, both parsed.
std::string written(Progress::Mode mode, std::chrono::milliseconds every) {
  int fds[2];
  EXPECT_EQ(::pipe2(fds, O_CLOEXEC), 0);
  {
    Progress p(mode, fds[1], every);
    p.queued(2);
    p.parsed("/src/a.c");
    p.parsed("/src/b.c");
    p.finish();
  }
  ::close(fds[1]);
  std::string out;
  char buffer[512];
  for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;) out.append(buffer, static_cast<size_t>(n));
  ::close(fds[0]);
  return out;
}

TEST(Progress, LiveLineIsRewrittenInPlaceAndClearedAtTheEnd) {
  EXPECT_EQ(written(Progress::Mode::live, std::chrono::seconds(5)),
            "\r\033[K[1/2] /src/a.c\r\033[K[2/2] /src/b.c\r\033[K");
}

TEST(Progress, PeriodicLinesOnlyOnceTheIntervalPassed) {
  EXPECT_EQ(written(Progress::Mode::periodic, std::chrono::hours(1)), "");
  EXPECT_EQ(written(Progress::Mode::periodic, std::chrono::milliseconds(0)),
            "forksafe analyze: [1/2] /src/a.c\nforksafe analyze: [2/2] /src/b.c\n");
  EXPECT_EQ(written(Progress::Mode::off, std::chrono::milliseconds(0)), "");
}

}  // namespace
}  // namespace forksafe::analyzer
