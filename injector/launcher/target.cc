#include "injector/launcher/target.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "injector/launcher/elf_file.h"

namespace forksafe::launcher {

namespace {

bool is_executable_file(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(path.c_str(), X_OK) == 0;
}

// "#!/usr/bin/env python3" -> "/usr/bin/env"; empty when not a script.
std::string interpreter_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string line;
  if (!std::getline(in, line) || line.rfind("#!", 0) != 0) return "";
  std::istringstream words(line.substr(2));
  std::string interpreter;
  words >> interpreter;
  return interpreter;
}

}  // namespace

std::string resolve_program(const std::string& name) {
  if (name.empty()) return "";
  if (name.find('/') != std::string::npos) return is_executable_file(name) ? name : "";
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/local/bin:/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (is_executable_file(candidate)) return candidate;
  }
  return "";
}

std::string preload_obstacle(const std::string& program) {
  std::string interpreter = interpreter_of(program);
  if (!interpreter.empty()) return preload_obstacle(interpreter);
  struct stat st;
  if (stat(program.c_str(), &st) != 0) return program + " cannot be read";
  if ((st.st_mode & S_ISUID) && st.st_uid != geteuid()) {
    return program + " is set-user-ID: the loader ignores LD_PRELOAD for it";
  }
  if ((st.st_mode & S_ISGID) && st.st_gid != getegid()) {
    return program + " is set-group-ID: the loader ignores LD_PRELOAD for it";
  }
  auto elf = read_elf(program);
  if (elf && !elf->dynamic) return program + " is statically linked: LD_PRELOAD cannot reach it";
  return "";
}


}  // namespace forksafe::launcher
