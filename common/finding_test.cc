#include "common/finding.h"

#include <gtest/gtest.h>

#include "common/rules.h"

namespace forksafe {
namespace {

Finding sample() {
  Finding f;
  f.rule = "fork-unsafe-call";
  f.message = "malloc() is not async-signal-safe";
  f.location = {"/src/a.c", 10, 5, "child_main", "", 0};
  f.chain = {{{"/src/a.c", 8, 3, "main", "", 0}, "fork() here"},
             {{"/src/b.c", 20, 1, "helper", "", 0}, "calls malloc()"}};
  return f;
}

TEST(Fingerprint, SurvivesLineShifts) {
  Finding moved = sample();
  moved.location.line += 7;
  for (Step& s : moved.chain) s.location.line += 7;
  EXPECT_EQ(fingerprint(sample()), fingerprint(moved));
}

TEST(Fingerprint, AgreesAcrossCheckoutsRelativeToTheirRoots) {
  Finding elsewhere = sample();
  elsewhere.location.file = "/home/ci/work/src/a.c";
  EXPECT_EQ(fingerprint(sample(), "/"), fingerprint(elsewhere, "/home/ci/work"));
  EXPECT_NE(fingerprint(sample()), fingerprint(elsewhere));
}

TEST(Fingerprint, ChangesWithRuleFileOrChain) {
  Finding other_rule = sample();
  other_rule.rule = "fork-exit";
  Finding other_file = sample();
  other_file.location.file = "/src/c.c";
  Finding other_chain = sample();
  other_chain.chain[1].location.function = "other_helper";
  EXPECT_NE(fingerprint(sample()), fingerprint(other_rule));
  EXPECT_NE(fingerprint(sample()), fingerprint(other_file));
  EXPECT_NE(fingerprint(sample()), fingerprint(other_chain));
}

TEST(Fingerprint, TellsRuntimeCallSitesWithoutSymbolsApartButNotTheirDirectories) {
  Finding site;
  site.rule = "runtime-unsafe-call";
  site.message = "malloc() called in a forked child before exec";
  site.location.module = "/tmp/build-1/prog";
  site.location.offset = 4096;
  Finding other_site = site;
  other_site.location.offset = 8192;
  Finding other_directory = site;
  other_directory.location.module = "/tmp/build-2/prog";
  EXPECT_NE(fingerprint(site), fingerprint(other_site));
  EXPECT_EQ(fingerprint(site), fingerprint(other_directory));
}

TEST(Level, RoundTripsAndRejectsUnknown) {
  Level level;
  ASSERT_TRUE(parse_level("error", &level));
  EXPECT_EQ(level, Level::error);
  EXPECT_FALSE(parse_level("fatal", &level));
}

TEST(Rules, EveryDesignRuleIsRegistered) {
  for (const char* id : {"fork-unsafe-call", "fork-indirect-call", "fork-exit", "vfork-child",
                         "fd-no-cloexec", "fork-no-exec", "runtime-deadlock", "runtime-leaked-fd"}) {
    const Rule* rule = find_rule(id);
    ASSERT_NE(rule, nullptr) << id;
    EXPECT_FALSE(rule->short_description.empty());
    EXPECT_FALSE(rule->fix.empty());
  }
  EXPECT_EQ(find_rule("no-such-rule"), nullptr);
}

}  // namespace
}  // namespace forksafe
