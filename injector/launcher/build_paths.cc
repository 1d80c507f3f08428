#include "injector/launcher/build_paths.h"

#include <filesystem>
#include <map>

namespace forksafe::launcher {

namespace fs = std::filesystem;

namespace {

// base/relative when that is a regular file, else empty.
std::string file_below(const std::string& relative, const fs::path& base) {
  fs::path tidy = fs::path(relative).lexically_normal();
  if (tidy.empty() || *tidy.begin() == "..") return "";
  std::error_code error;
  fs::path candidate = base / tidy;
  return fs::is_regular_file(candidate, error) ? candidate.string() : "";
}

// `relative` below root or the nearest of its parents that has it.
std::string file_below_root_or_parent(const std::string& relative, const fs::path& root) {
  for (fs::path base = root;; base = base.parent_path()) {
    if (std::string found = file_below(relative, base); !found.empty()) return found;
    if (base == base.parent_path()) return "";
  }
}

}  // namespace

std::string resolve_build_path(const std::string& file, const std::string& root) {
  if (file.empty() || root.empty()) return file;
  fs::path base = fs::path(root).lexically_normal();
  std::error_code error;
  if (file.front() == '/') {
    // The compile directory was left absolute (a build directory outside
    // the mapped one) and joined to the mapped, relative source path.
    if (fs::exists(file, error)) return file;
  } else if (std::string whole = file_below_root_or_parent(file, base); !whole.empty()) {
    return whole;
  }
  for (size_t join = file.find("/./"); join != std::string::npos; join = file.find("/./", join + 1)) {
    if (std::string tail = file_below_root_or_parent(file.substr(join + 3), base); !tail.empty()) return tail;
  }
  return file;
}

void resolve_build_paths(std::vector<Finding>* findings, const std::string& root) {
  // Many frames name the same few files: each is looked up once.
  std::map<std::string, std::string> resolved;
  auto resolve = [&](std::string* file) {
    auto [it, added] = resolved.try_emplace(*file);
    if (added) it->second = resolve_build_path(*file, root);
    *file = it->second;
  };
  for (Finding& f : *findings) {
    resolve(&f.location.file);
    for (auto& step : f.chain) resolve(&step.location.file);
  }
}

}  // namespace forksafe::launcher
