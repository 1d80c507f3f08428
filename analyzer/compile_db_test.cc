#include "analyzer/compile_db.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace forksafe::analyzer {
namespace {

TEST(Shard, EveryFileInExactlyOneShardAndStable) {
  for (int i = 0; i < 50; ++i) {
    std::string file = "/src/file" + std::to_string(i) + ".c";
    int hits = 0;
    for (int k = 1; k <= 3; ++k) hits += in_shard(file, k, 3);
    EXPECT_EQ(hits, 1) << file;
  }
  EXPECT_EQ(in_shard("/src/a.c", 2, 4), in_shard("/src/a.c", 2, 4));
}

TEST(CompileDb, ReadsArgumentsThroughLibclang) {
  auto dir = std::filesystem::path(::testing::TempDir()) / "cdb_ok";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "compile_commands.json")
      << R"([{"directory": ")" << dir.string() << R"(", "file": "a.c", "arguments": ["cc", "-DX=1", "-c", "a.c"]}])";
  auto commands = load_compile_commands(dir.string());
  ASSERT_EQ(commands.size(), 1u);
  EXPECT_EQ(commands[0].file, (dir / "a.c").string());
  EXPECT_EQ(commands[0].args[1], "-DX=1");
  std::filesystem::remove_all(dir);
}

TEST(CompileDb, MissingAndInvalidDatabasesAreErrors) {
  auto dir = std::filesystem::path(::testing::TempDir()) / "cdb_bad";
  std::filesystem::create_directories(dir);
  EXPECT_THROW(load_compile_commands(dir.string()), std::runtime_error);
  std::ofstream(dir / "compile_commands.json") << "{ not json";
  EXPECT_THROW(load_compile_commands(dir.string()), std::runtime_error);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace forksafe::analyzer
