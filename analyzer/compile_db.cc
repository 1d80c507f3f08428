#include "analyzer/compile_db.h"

#include <clang-c/CXCompilationDatabase.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "analyzer/cx_string.h"

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

std::vector<CompileCommand> load_compile_commands(const std::string& build_dir) {
  std::string db_file = (std::filesystem::path(build_dir) / "compile_commands.json").string();
  if (!std::filesystem::exists(db_file)) throw std::runtime_error("no compile_commands.json in " + build_dir);
  // libclang accepts some broken files silently: check it is a JSON array first.
  try {
    std::ifstream in(db_file);
    if (!nlohmann::json::parse(in).is_array()) throw std::runtime_error("");
  } catch (const std::exception&) {
    throw std::runtime_error(db_file + " is not a valid compilation database (a JSON array of commands)");
  }
  CXCompilationDatabase_Error error = CXCompilationDatabase_NoError;
  CXCompilationDatabase db = clang_CompilationDatabase_fromDirectory(build_dir.c_str(), &error);
  if (error != CXCompilationDatabase_NoError || !db) {
    throw std::runtime_error("cannot load " + db_file + " (libclang rejected it)");
  }
  std::vector<CompileCommand> out;
  CXCompileCommands commands = clang_CompilationDatabase_getAllCompileCommands(db);
  for (unsigned i = 0, n = clang_CompileCommands_getSize(commands); i < n; ++i) {
    CXCompileCommand command = clang_CompileCommands_getCommand(commands, i);
    CompileCommand c;
    c.directory = take(clang_CompileCommand_getDirectory(command));
    c.file = absolute_path(take(clang_CompileCommand_getFilename(command)), c.directory);
    for (unsigned a = 0, na = clang_CompileCommand_getNumArgs(command); a < na; ++a) {
      c.args.push_back(take(clang_CompileCommand_getArg(command, a)));
    }
    if (is_c_or_cxx(c.file)) out.push_back(std::move(c));  // not assembler
  }
  clang_CompileCommands_dispose(commands);
  clang_CompilationDatabase_dispose(db);
  return out;
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
