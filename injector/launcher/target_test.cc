#include "injector/launcher/target.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "injector/launcher/elf_file.h"

namespace forksafe::launcher {
namespace {

TEST(Target, ResolvesThroughPath) {
  EXPECT_FALSE(resolve_program("sh").empty());
  EXPECT_TRUE(resolve_program("no-such-program-anywhere").empty());
  EXPECT_TRUE(resolve_program("/no/such/path").empty());
}

TEST(Target, DynamicProgramsCanBePreloaded) { EXPECT_EQ(preload_obstacle("/bin/true"), ""); }

TEST(Target, StaticProgramsCannot) {
  // Debian's ldconfig is a static-pie executable.
  EXPECT_NE(preload_obstacle("/sbin/ldconfig").find("statically linked"), std::string::npos);
}

TEST(Target, ScriptsAreJudgedByTheirInterpreter) {
  std::string script = (std::filesystem::temp_directory_path() / ("forksafe-script-" + std::to_string(getpid()))).string();
  std::ofstream(script) << "#!/sbin/ldconfig -p\n";
  chmod(script.c_str(), 0755);
  EXPECT_NE(preload_obstacle(script).find("/sbin/ldconfig is statically linked"), std::string::npos);
  std::ofstream(script) << "#!/bin/sh\ntrue\n";
  EXPECT_EQ(preload_obstacle(script), "");
  std::filesystem::remove(script);
}

TEST(ElfFile, MapsFileOffsetsToLinkTimeAddresses) {
  // Debian's python3.11 is a non-PIE executable: addresses start at 0x400000.
  auto elf = read_elf("/usr/bin/python3.11");
  ASSERT_TRUE(elf);
  EXPECT_TRUE(elf->dynamic);
  EXPECT_EQ(elf->address_of(0x1000), 0x401000u);
  EXPECT_FALSE(read_elf("/etc/passwd"));
}

}  // namespace
}  // namespace forksafe::launcher
