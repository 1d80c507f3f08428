#include "injector/launcher/environment.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace forksafe::launcher {
namespace {

bool has(const std::vector<std::string>& env, const std::string& entry) {
  return std::find(env.begin(), env.end(), entry) != env.end();
}

TEST(Environment, AppendsToAnExistingPreloadAndSetsOptions) {
  InjectorOptions options;
  options.gc_at = "fork";
  options.gc_symbol = "PyGC_Collect";
  options.timeout_seconds = 3;
  options.watchdog_kills = false;
  options.log_path = "/tmp/log.jsonl";
  auto env = injector_environment({"PATH=/bin", "LD_PRELOAD=/a.so", "FORKSAFE_TIMEOUT=99"}, options, "/lib/inject.so");
  EXPECT_TRUE(has(env, "PATH=/bin"));
  EXPECT_TRUE(has(env, "LD_PRELOAD=/a.so:/lib/inject.so"));
  EXPECT_TRUE(has(env, "FORKSAFE_GC_AT=fork"));
  EXPECT_TRUE(has(env, "FORKSAFE_GC_SYMBOL=PyGC_Collect"));
  EXPECT_TRUE(has(env, "FORKSAFE_TIMEOUT=3"));
  EXPECT_FALSE(has(env, "FORKSAFE_TIMEOUT=99"));
  EXPECT_TRUE(has(env, "FORKSAFE_WATCHDOG=report"));
  EXPECT_TRUE(has(env, "FORKSAFE_LOG=/tmp/log.jsonl"));
}

TEST(Environment, SetsPreloadWhenThereWasNone) {
  auto env = injector_environment({"LD_PRELOAD="}, {}, "/lib/inject.so");
  EXPECT_TRUE(has(env, "LD_PRELOAD=/lib/inject.so"));
  EXPECT_EQ(std::count_if(env.begin(), env.end(), [](const std::string& e) { return e.rfind("LD_PRELOAD=", 0) == 0; }), 1);
}

}  // namespace
}  // namespace forksafe::launcher
