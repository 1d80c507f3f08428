#include "analyzer/safety_db.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "analyzer/safety_data.h"

namespace forksafe::analyzer {
namespace {

// Non-empty, non-comment lines of a data file.
template <typename Fn>
void for_each_line(std::istream& in, Fn fn) {
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    fn(line, number);
  }
}

void add_names(const char* text, std::set<std::string>* out) {
  std::istringstream in(text);
  for_each_line(in, [&](const std::string& line, int) { out->insert(line); });
}

}  // namespace

std::string library_name(const std::string& name) {
  std::string out = name;
  if (out.rfind("__builtin_", 0) == 0) out = out.substr(10);
  if (out.size() > 6 && out.rfind("__", 0) == 0 && out.ends_with("_chk")) out = out.substr(2, out.size() - 6);
  return out;
}

SafetyDb::SafetyDb(const SafetyOptions& options) {
  if (options.profile == "posix-2024") {
    add_names(data::kPosix2024, &safe_);
  } else if (options.profile == "posix-2017") {
    add_names(data::kPosix2017, &safe_);
  } else {
    throw std::runtime_error("unknown profile '" + options.profile + "' (posix-2024 or posix-2017)");
  }
  add_names(data::kGlibcMacros, &safe_);
  add_names(data::kGlibcMacros, &libc_macros_);
  if (options.linux_glibc) add_names(data::kLinuxGlibc, &safe_);
  add_names(data::kExecPathSearch, &path_search_);
  std::istringstream unsafe(data::kKnownUnsafe);
  for_each_line(unsafe, [&](const std::string& line, int) {
    auto tab = line.find('\t');
    unsafe_[line.substr(0, tab)] = line.substr(tab + 1);
  });
  for (const std::string& file : options.user_files) read_user_file(file);
  for (const std::string& name : options.safe) add_safe(name);
  for (const auto& [name, reason] : options.unsafe) add_unsafe(name, reason);
}

void SafetyDb::add_safe(const std::string& name) {
  safe_.insert(name);
  unsafe_.erase(name);
  path_search_.erase(name);
}

void SafetyDb::add_unsafe(const std::string& name, const std::string& reason) {
  safe_.erase(name);
  unsafe_[name] = reason;
}

void SafetyDb::read_user_file(const std::string& path) {
  std::ifstream user(path);
  if (!user) throw std::runtime_error("cannot read safe list " + path);
  for_each_line(user, [&](const std::string& line, int number) {
    std::istringstream words(line);
    std::string kind, name, reason;
    words >> kind >> name;
    std::getline(words >> std::ws, reason);
    if (kind == "safe" && !name.empty()) {
      add_safe(name);
    } else if (kind == "unsafe" && !name.empty()) {
      add_unsafe(name, reason.empty() ? "listed as unsafe in " + path : reason);
    } else {
      throw std::runtime_error(path + ":" + std::to_string(number) + ": expected 'safe NAME' or 'unsafe NAME REASON'");
    }
  });
}

Verdict SafetyDb::lookup(const std::string& name) const {
  std::string lib = library_name(name);
  if (safe_.count(lib)) return {Safety::safe, ""};
  if (auto it = unsafe_.find(lib); it != unsafe_.end()) return {Safety::unsafe, it->second};
  if (path_search_.count(lib)) return {Safety::path_search_exec, "searches PATH"};
  // Compiler intrinsics that are not library calls in disguise, and errno as
  // glibc spells it.
  for (const char* prefix : {"__builtin", "__atomic", "__sync", "__errno_location"}) {
    if (name.rfind(prefix, 0) == 0) return {Safety::safe, ""};
  }
  return {Safety::unknown, ""};
}

}  // namespace forksafe::analyzer
