// The async-signal-safety database: which library functions may run between
// fork and exec, which are known not to (and why). Built from the data files
// in common/data/ (embedded at build time) plus an optional user file.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

namespace forksafe::analyzer {

enum class Safety { safe, unsafe, path_search_exec, unknown };

struct Verdict {
  Safety safety = Safety::unknown;
  std::string reason;  // for unsafe: "allocates", "stdio", ...
};

struct SafetyOptions {
  std::string profile = "posix-2024";  // or "posix-2017"
  bool linux_glibc = false;            // add the Linux/glibc profile
  std::vector<std::string> user_files;  // "safe NAME" / "unsafe NAME REASON" lines
  // Names added by a configuration file, applied after the files.
  std::vector<std::string> safe;
  std::map<std::string, std::string> unsafe;  // name -> reason
};

class SafetyDb {
 public:
  // Throws std::runtime_error (one line) for an unknown profile or a bad user file.
  explicit SafetyDb(const SafetyOptions& options);
  Verdict lookup(const std::string& name) const;
  // On glibc-macros.txt: what errno or SIGRTMIN expands to, not a call the code makes.
  bool is_libc_macro(const std::string& name) const { return libc_macros_.count(name) > 0; }

 private:
  void add_safe(const std::string& name);
  void add_unsafe(const std::string& name, const std::string& reason);
  void read_user_file(const std::string& path);

  std::set<std::string> safe_;
  std::set<std::string> libc_macros_;
  std::set<std::string> path_search_;
  std::map<std::string, std::string> unsafe_;  // name -> reason
};

// The canonical library name behind a builtin or fortified spelling:
// __builtin_memcpy, __builtin___memcpy_chk, __memcpy_chk -> memcpy.
std::string library_name(const std::string& name);

}  // namespace forksafe::analyzer
