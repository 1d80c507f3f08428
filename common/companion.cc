#include "common/companion.h"

#include <filesystem>

namespace fs = std::filesystem;

namespace forksafe {

std::string find_companion(const std::string& name) {
  std::error_code error;
  fs::path dir = fs::read_symlink("/proc/self/exe", error).parent_path();
  if (error) return "";
  for (const fs::path& candidate : {dir / name, dir / "../lib/forksafe" / name, dir / "../lib" / name}) {
    if (fs::is_regular_file(candidate, error)) return fs::weakly_canonical(candidate, error).string();
  }
  return "";
}

}  // namespace forksafe
