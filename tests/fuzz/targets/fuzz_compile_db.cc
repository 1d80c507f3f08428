// compile_commands.json as `forksafe analyze -p` reads it: our checks, then
// libclang's own reader on what they let through.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>

#include "analyzer/compile_db.h"

namespace {
std::string directory() {
  static std::string dir = [] {
    std::string pattern = "/tmp/forksafe-fuzz-cdb-XXXXXX";
    if (!mkdtemp(pattern.data())) std::abort();
    return pattern;
  }();
  return dir;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string dir = directory();
  std::ofstream(dir + "/compile_commands.json", std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  try {
    (void)forksafe::analyzer::load_compile_commands(dir);
  } catch (const std::runtime_error&) {
  }
  return 0;
}
