#include "analyzer/compile_db.h"

#include <clang-c/CXCompilationDatabase.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "analyzer/cx_string.h"
#include "common/json_input.h"

namespace forksafe::analyzer {
namespace {

std::string compiler_for(const std::string& file) {
  auto ext = std::filesystem::path(file).extension().string();
  return ext == ".c" ? "clang" : "clang++";
}

}  // namespace

std::string absolute_path(const std::string& path, const std::string& base) {
  std::filesystem::path p(path);
  if (p.is_relative()) p = std::filesystem::path(base) / p;
  return p.lexically_normal().string();
}

bool is_c_or_cxx(const std::string& file) {
  static const std::set<std::string> kExtensions = {".c", ".cc", ".cpp", ".cxx", ".c++", ".C", ".i", ".ii"};
  return kExtensions.count(std::filesystem::path(file).extension().string()) > 0;
}

namespace {

// What libclang would otherwise report on its own stderr ("LIBCLANG TOOLING
// ERROR ...") or accept silently: one line naming the file and the entry.
void check_entries(const std::string& db_file) {
  nlohmann::json db;
  try {
    db = read_json_input(db_file);
  } catch (const InputError& e) {
    throw std::runtime_error(std::string(e.what()) + " (not a valid compilation database)");
  }
  if (!db.is_array()) throw std::runtime_error(db_file + ": not a valid compilation database (a JSON array of commands)");
  if (db.empty()) throw std::runtime_error(db_file + ": has no compile commands");
  for (size_t i = 0; i < db.size(); ++i) {
    const nlohmann::json& e = db[i];
    auto string_at = [&](const char* key) { return e.is_object() && e.contains(key) && e[key].is_string(); };
    bool arguments = e.is_object() && e.contains("arguments") && e["arguments"].is_array() &&
                     !e["arguments"].empty() &&
                     std::all_of(e["arguments"].begin(), e["arguments"].end(), [](auto& a) { return a.is_string(); });
    if (!string_at("directory") || !string_at("file") || !(string_at("command") || arguments)) {
      throw std::runtime_error(db_file + ": entry " + std::to_string(i + 1) +
                               " needs \"directory\", \"file\" and \"command\" or \"arguments\" (strings)");
    }
  }
}

// While it lives, fd 2 goes to /dev/null: libclang prints its own errors
// ("LIBCLANG TOOLING ERROR: ...") on stderr; ours is the one line instead.
// Only while loading the database, before any thread starts.
class QuietStderr {
 public:
  QuietStderr() : saved_(::dup(2)) {
    int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (null >= 0) {
      ::dup2(null, 2);
      ::close(null);
    }
  }
  ~QuietStderr() {
    if (saved_ >= 0) {
      ::dup2(saved_, 2);
      ::close(saved_);
    }
  }
  QuietStderr(const QuietStderr&) = delete;
  QuietStderr& operator=(const QuietStderr&) = delete;

 private:
  int saved_;
};

}  // namespace

std::vector<CompileCommand> load_compile_commands(const std::string& build_dir) {
  std::string db_file = (std::filesystem::path(build_dir) / "compile_commands.json").string();
  if (!std::filesystem::exists(db_file)) throw std::runtime_error("no compile_commands.json in " + build_dir);
  check_entries(db_file);
  CXCompilationDatabase_Error error = CXCompilationDatabase_NoError;
  CXCompilationDatabase db;
  {
    QuietStderr quiet;
    db = clang_CompilationDatabase_fromDirectory(build_dir.c_str(), &error);
  }
  if (error != CXCompilationDatabase_NoError || !db) {
    throw std::runtime_error("cannot load " + db_file + " (libclang rejected it)");
  }
  // A relative "directory" is taken relative to the database's own directory.
  std::string db_dir = absolute_path(build_dir, std::filesystem::current_path().string());
  std::vector<CompileCommand> out;
  CXCompileCommands commands = clang_CompilationDatabase_getAllCompileCommands(db);
  for (unsigned i = 0, n = clang_CompileCommands_getSize(commands); i < n; ++i) {
    CXCompileCommand command = clang_CompileCommands_getCommand(commands, i);
    CompileCommand c;
    c.directory = absolute_path(take(clang_CompileCommand_getDirectory(command)), db_dir);
    c.file = absolute_path(take(clang_CompileCommand_getFilename(command)), c.directory);
    for (unsigned a = 0, na = clang_CompileCommand_getNumArgs(command); a < na; ++a) {
      c.args.push_back(take(clang_CompileCommand_getArg(command, a)));
    }
    if (is_c_or_cxx(c.file)) out.push_back(std::move(c));  // not assembler
  }
  clang_CompileCommands_dispose(commands);
  clang_CompilationDatabase_dispose(db);
  if (out.empty()) throw std::runtime_error(db_file + ": has no C or C++ compile commands");
  return out;
}

std::string database_directory(const std::string& p_option) {
  std::error_code ec;
  std::filesystem::path p(p_option);
  if (std::filesystem::is_directory(p, ec) || !std::filesystem::exists(p, ec)) return p_option;
  if (p.filename() != "compile_commands.json") {
    throw std::runtime_error("-p " + p_option + ": wants a build directory or its compile_commands.json");
  }
  return p.parent_path().string();
}

std::string find_database_for(const std::string& source) {
  std::error_code ec;
  for (std::filesystem::path dir = std::filesystem::path(source).parent_path(); !dir.empty();
       dir = dir.parent_path()) {
    if (std::filesystem::is_regular_file(dir / "compile_commands.json", ec)) return dir.string();
    if (dir == dir.parent_path()) break;
  }
  return "";
}

std::string source_problem(const std::string& file) {
  struct stat st;
  if (::stat(file.c_str(), &st) != 0) return file + ": " + (errno == ENOENT ? "no such file" : std::strerror(errno));
  if (S_ISDIR(st.st_mode)) return file + ": is a directory, not a source file";
  if (!S_ISREG(st.st_mode)) return file + ": is not a regular file (a FIFO or device), not read";
  return "";
}

std::vector<CompileCommand> commands_for_files(const std::vector<std::string>& files,
                                               const std::vector<std::string>& flags) {
  std::string cwd = std::filesystem::current_path().string();
  std::vector<CompileCommand> out;
  for (const std::string& f : files) {
    CompileCommand c{cwd, absolute_path(f, cwd), {compiler_for(f)}};
    c.args.insert(c.args.end(), flags.begin(), flags.end());
    c.args.push_back(c.file);
    out.push_back(std::move(c));
  }
  return out;
}

bool in_shard(const std::string& file, int index, int count) {
  uint64_t hash = 1469598103934665603ull;
  for (unsigned char ch : file) hash = (hash ^ ch) * 1099511628211ull;
  return static_cast<int>(hash % static_cast<uint64_t>(count)) == index - 1;
}

std::vector<CompileCommand> shard(const std::vector<CompileCommand>& all, int index, int count) {
  std::vector<CompileCommand> out;
  for (const CompileCommand& c : all) {
    if (in_shard(c.file, index, count)) out.push_back(c);
  }
  return out;
}

}  // namespace forksafe::analyzer
