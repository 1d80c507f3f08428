#include "injector/launcher/symbolizer.h"

#include <dlfcn.h>
#include <gtest/gtest.h>
#include <link.h>
#include <unistd.h>

#include <cstdlib>

#include <filesystem>

#include "injector/launcher/elf_file.h"

extern "C" __attribute__((noinline)) int forksafe_symbolizer_test_target(int x) { return x * 3 + 1; }

// A call made from code inlined into its caller: the return address it
// records lies in forksafe_inlined_helper's code inside the caller.
void* volatile recorded_return_address;
extern "C" __attribute__((noinline)) int forksafe_symbolizer_records_caller(int x) {
  recorded_return_address = __builtin_return_address(0);
  return x + 1;
}
static inline __attribute__((always_inline)) int forksafe_inlined_helper(int x) {
  return forksafe_symbolizer_records_caller(x) * 7;
}
extern "C" __attribute__((noinline)) int forksafe_symbolizer_inlining_caller(int x) { return forksafe_inlined_helper(x) + 5; }

namespace forksafe::launcher {
namespace {

// The file offset of an address in this test program, as the injector would
// record it (its module's program headers).
unsigned long long file_offset_of(void* address, std::string* module) {
  Dl_info info;
  if (!dladdr(address, &info)) return 0;
  *module = std::filesystem::read_symlink("/proc/self/exe").string();
  auto elf = read_elf(*module);
  uint64_t vaddr = reinterpret_cast<uintptr_t>(address) - reinterpret_cast<uintptr_t>(info.dli_fbase);
  for (const auto& s : elf->loads) {
    if (vaddr >= s.address && vaddr < s.address + s.size) return vaddr - s.address + s.file_offset;
  }
  return 0;
}

TEST(Symbolizer, NamesAFrameOfThisProgram) {
  Finding f;
  // A return address lands after the call: symbolize looks at the byte before.
  f.location.offset = file_offset_of(reinterpret_cast<void*>(&forksafe_symbolizer_test_target), &f.location.module) + 1;
  ASSERT_GT(f.location.offset, 1u);
  f.chain.push_back({f.location, "calls"});
  std::vector<Finding> findings = {f};
  ASSERT_FALSE(symbolize(&findings).empty()) << "llvm-symbolizer or addr2line must be installed (scripts/setup.sh)";
  EXPECT_EQ(findings[0].location.function, "forksafe_symbolizer_test_target");
  EXPECT_NE(findings[0].location.file.find("symbolizer_test.cc"), std::string::npos);
  EXPECT_EQ(findings[0].chain[0].location.function, "forksafe_symbolizer_test_target");
}

TEST(Symbolizer, FallsBackToAddr2line) {
  // A PATH where addr2line is the only symbolizer.
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("forksafe-path-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::filesystem::create_symlink("/usr/bin/addr2line", dir / "addr2line");
  std::string saved = getenv("PATH");
  setenv("PATH", dir.c_str(), 1);
  Finding f;
  f.location.offset = file_offset_of(reinterpret_cast<void*>(&forksafe_symbolizer_test_target), &f.location.module) + 1;
  std::vector<Finding> findings = {f};
  std::string tool = symbolize(&findings);
  setenv("PATH", saved.c_str(), 1);
  std::filesystem::remove_all(dir);
  EXPECT_EQ(tool, "addr2line");
  EXPECT_EQ(findings[0].location.function, "forksafe_symbolizer_test_target");
}

// A function's name without its parameters: clang's debug information gives
// a static C++ function its mangled name, which the symbolizer demangles
// with them ("forksafe_inlined_helper(int)"); GCC's gives the plain name.
std::string without_parameters(const std::string& function) { return function.substr(0, function.find('(')); }

TEST(Symbolizer, AFrameInInlinedCodeNamesEachFunctionItWasInlinedThrough) {
  forksafe_symbolizer_inlining_caller(1);
  Finding f;
  f.location.offset = file_offset_of(recorded_return_address, &f.location.module);
  f.chain = {{f.location, "calls malloc()"}};
  std::vector<Finding> findings = {f};
  ASSERT_EQ(symbolize(&findings), "llvm-symbolizer");
  EXPECT_EQ(without_parameters(findings[0].location.function), "forksafe_inlined_helper");  // the innermost
  ASSERT_EQ(findings[0].chain.size(), 2u);
  EXPECT_EQ(findings[0].chain[0].location.function, "forksafe_symbolizer_inlining_caller");
  EXPECT_EQ(findings[0].chain[0].message, "calls (inlined)");
  EXPECT_EQ(without_parameters(findings[0].chain[1].location.function), "forksafe_inlined_helper");
  EXPECT_EQ(findings[0].chain[1].message, "calls malloc()");
}

TEST(Symbolizer, LeavesUnknownModulesAlone) {
  Finding f;
  f.location.module = "/no/such/module.so";
  f.location.offset = 42;
  std::vector<Finding> findings = {f};
  symbolize(&findings);
  EXPECT_EQ(findings[0].location.function, "");
  EXPECT_EQ(findings[0].location.offset, 42u);
}

}  // namespace
}  // namespace forksafe::launcher
