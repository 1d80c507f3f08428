// Records that never reach the log are counted and reported, not silently
// missing from the report (issue 11).
#include <gtest/gtest.h>

#include "e2e_harness.h"

namespace forksafe::test {
namespace {

bool says_lost(const Outcome& o) {
  return o.stderr_text.find("lost (a child with no free descriptor") != std::string::npos;
}

TEST(LostRecords, AChildWithNoFreeDescriptorLosesItsRecordsAndTheRunSaysSo) {
  auto run = forksafe_run({}, {program("no_free_fd")});
  EXPECT_TRUE(says_lost(run.outcome)) << run.outcome.stderr_text;
}

TEST(LostRecords, ALogRemovedDuringTheRunIsReportedAsLostRecords) {
  auto run = forksafe_run({}, {"sh", "-c", "\"$0\" exit; rm -f \"$FORKSAFE_LOG\"", program("child_exit")});
  EXPECT_TRUE(says_lost(run.outcome)) << run.outcome.stderr_text;
}

TEST(LostRecords, ANormalRunLosesNothing) {
  auto run = forksafe_run({}, {program("child_exit"), "exit"});
  EXPECT_FALSE(says_lost(run.outcome)) << run.outcome.stderr_text;
  EXPECT_FALSE(run.records.empty());
}

}  // namespace
}  // namespace forksafe::test
