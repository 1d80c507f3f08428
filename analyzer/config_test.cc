#include "analyzer/config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace forksafe::analyzer {
namespace {

namespace fs = std::filesystem;

// The one-line error parse_config gives for `text`, "" when it parses.
std::string error_of(const std::string& text) {
  try {
    parse_config(text, "/r/.forksafe.yaml", "/r");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(Config, ReadsEveryKey) {
  Config c = parse_config(
      "Checks: '-*,forksafe-fork-*'\n"
      "Profile: posix-2017\n"
      "Linux: true\n"
      "ForkLike: [make_child, start=1]\n"
      "Safe: [my_log]\n"
      "Unsafe: {my_lock: takes our lock}\n"
      "SafeList: lists/extra.txt\n"
      "HeaderFilterRegex: 'include/'\n"
      "Exclude: ['third_party/**']\n"
      "FailOn: none\n",
      "/r/.forksafe.yaml", "/r");
  EXPECT_EQ(c.checks, "-*,forksafe-fork-*");
  EXPECT_EQ(c.profile, "posix-2017");
  EXPECT_EQ(c.linux_glibc, true);
  EXPECT_EQ(c.fork_like, (std::vector<std::string>{"make_child", "start=1"}));
  EXPECT_EQ(c.safe, std::vector<std::string>{"my_log"});
  EXPECT_EQ(c.unsafe.at("my_lock"), "takes our lock");
  EXPECT_EQ(c.safe_lists, std::vector<std::string>{"/r/lists/extra.txt"});
  EXPECT_EQ(c.header_filter, "include/");
  EXPECT_EQ(c.exclude, std::vector<std::string>{"third_party/**"});
  EXPECT_EQ(c.exclude_base, "/r");
  EXPECT_EQ(c.fail_on, "none");
  EXPECT_EQ(error_of(""), "");
}

TEST(Config, BadKeysAndValuesNameTheFileAndKey) {
  EXPECT_EQ(error_of("Chekcs: '*'").rfind("/r/.forksafe.yaml: Chekcs: unknown key", 0), 0u) << error_of("Chekcs: '*'");
  EXPECT_EQ(error_of("Profile: posix-1990"), "/r/.forksafe.yaml: Profile: 'posix-1990' is not one of posix-2024, posix-2017");
  EXPECT_EQ(error_of("Linux: maybe"), "/r/.forksafe.yaml: Linux: 'maybe' is not one of true, false");
  EXPECT_EQ(error_of("FailOn: fatal"), "/r/.forksafe.yaml: FailOn: 'fatal' is not one of note, warning, error, none");
  EXPECT_EQ(error_of("ForkLike: [start=one]"), "/r/.forksafe.yaml: ForkLike: 'start=one' is not NAME or NAME=INTEGER");
  EXPECT_EQ(error_of("HeaderFilterRegex: '(x'"), "/r/.forksafe.yaml: HeaderFilterRegex: '(x' is not a valid regular expression");
  EXPECT_EQ(error_of("Unsafe: [a, b]"), "/r/.forksafe.yaml: Unsafe: wants a map of NAME: REASON");
  EXPECT_EQ(error_of("Exclude: {a: b}"), "/r/.forksafe.yaml: Exclude: wants a string or a list of strings");
  EXPECT_EQ(error_of("- a\n- b"), "/r/.forksafe.yaml: not a map of keys (Checks:, Profile: ...)");
  EXPECT_EQ(error_of("Checks: [unclosed").rfind("/r/.forksafe.yaml:1: not valid YAML", 0), 0u) << error_of("Checks: [");
}

TEST(ConfigFinder, NearestFileWalkingUpAndGivenOneWins) {
  fs::path root = fs::path(::testing::TempDir()) / "config_finder";
  fs::remove_all(root);
  fs::create_directories(root / "a" / "b");
  fs::create_directories(root / "c");
  std::ofstream(root / kConfigFileName) << "Profile: posix-2017\n";
  std::ofstream(root / "a" / kConfigFileName) << "Checks: '-forksafe-fd-*'\n";
  ConfigFinder finder;
  const Config* deep = finder.for_file((root / "a" / "b" / "x.c").string());
  ASSERT_NE(deep, nullptr);
  EXPECT_EQ(deep->file, (root / "a" / kConfigFileName).string());
  EXPECT_EQ(finder.for_file((root / "c" / "y.c").string())->file, (root / kConfigFileName).string());
  EnabledRules rules(&finder, "");
  EXPECT_FALSE(rules.enabled("fd-no-cloexec", (root / "a" / "b" / "x.c").string()));
  EXPECT_TRUE(rules.enabled("fd-no-cloexec", (root / "c" / "y.c").string()));
  EnabledRules more(&finder, "-forksafe-fork-exit");
  EXPECT_FALSE(more.enabled("fork-exit", (root / "c" / "y.c").string()));

  ConfigFinder given(parse_config("FailOn: error\n", "--config", root.string()));
  EXPECT_EQ(given.for_file((root / "a" / "b" / "x.c").string())->file, "--config");
  std::ofstream(root / "a" / "b" / kConfigFileName) << "Nope: 1\n";
  ConfigFinder fresh;
  EXPECT_THROW(fresh.for_file((root / "a" / "b" / "x.c").string()), ConfigError);
  fs::remove_all(root);
}

}  // namespace
}  // namespace forksafe::analyzer
