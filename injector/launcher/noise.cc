#include "injector/launcher/noise.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>

namespace forksafe::launcher {

std::map<int, std::string> open_descriptors() {
  std::map<int, std::string> open;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", error)) {
    int fd = std::atoi(entry.path().filename().c_str());
    std::error_code link_error;
    std::string target = std::filesystem::read_symlink(entry.path(), link_error).string();
    if (fd > 2 && !link_error) open[fd] = target;
  }
  // The listing's own descriptor is closed by now: it was not one of them.
  std::erase_if(open, [](const auto& entry) { return fcntl(entry.first, F_GETFD) < 0; });
  return open;
}

namespace {

// A pipe or socket target names one object (its inode): the same one under
// another descriptor number is still the one that was open at start.
bool names_one_object(const std::string& target) {
  return target.starts_with("pipe:[") || target.starts_with("socket:[");
}

bool was_open_at_start(const Finding& f, const std::map<int, std::string>& at_start) {
  std::string target = f.properties.value("target", "");
  auto same_fd = at_start.find(f.properties.value("fd", -1));
  if (same_fd != at_start.end() && same_fd->second == target) return true;
  if (!names_one_object(target)) return false;
  for (const auto& [fd, open_target] : at_start) {
    if (open_target == target) return true;
  }
  return false;
}

bool under(const std::string& file, const std::string& root) {
  return !file.empty() && file.starts_with(root);
}

}  // namespace

std::string inherited_fds_value(const std::map<int, std::string>& at_start) {
  std::string value;
  for (const auto& [fd, target] : at_start) {
    struct stat st;
    if (fstat(fd, &st) != 0) continue;
    value += (value.empty() ? "" : ",") + std::to_string(fd) + ":" + std::to_string(st.st_dev) + ":" +
             std::to_string(st.st_ino) + (names_one_object(target) ? ":o" : ":f");
  }
  return value;
}

bool is_inherited_leak(const Finding& f, const std::map<int, std::string>& at_start) {
  return f.rule == "runtime-leaked-fd" && was_open_at_start(f, at_start);
}

size_t records_of(const Finding& f) { return f.properties.value("count", 1); }

size_t keep_to_source_root(std::vector<Finding>* findings, const std::string& root) {
  std::string prefix = root.ends_with('/') ? root : root + "/";
  size_t outside = 0;
  for (Finding& f : *findings) {
    const Location* innermost = under(f.location.file, prefix) ? &f.location : nullptr;
    for (auto it = f.chain.rbegin(); !innermost && it != f.chain.rend(); ++it) {
      if (under(it->location.file, prefix)) innermost = &it->location;
    }
    if (innermost) {
      f.location = *innermost;
      continue;
    }
    f.level = Level::note;
    f.properties["outside_source_root"] = true;
    ++outside;
  }
  return outside;
}

}  // namespace forksafe::launcher
