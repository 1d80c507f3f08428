// Where the compile commands come from: compile_commands.json through
// libclang's compilation database API, or files plus flags given by the user;
// and the stable split of a code base into shards.
#pragma once

#include <string>
#include <vector>

#include "analyzer/compile_command.h"

namespace forksafe::analyzer {

// Throws std::runtime_error (one line naming the file) when the database is
// missing, invalid (also per entry) or has no C or C++ commands; a relative
// "directory" is relative to BUILD_DIR.
// Commands for other languages (assembler) are left out.
std::vector<CompileCommand> load_compile_commands(const std::string& build_dir);

// What -p names, as clang's tools take it: a build directory, or the
// compile_commands.json in it. Returns the directory; throws
// std::runtime_error for a file of another name.
std::string database_directory(const std::string& p_option);

// clang tooling without -p: the nearest directory holding a
// compile_commands.json, from the source file's own directory up; "" for none.
std::string find_database_for(const std::string& source);

// Empty when `file` is a regular file; else "FILE: why it is not analysed"
// (missing, a directory, a FIFO: reading one would wait forever).
std::string source_problem(const std::string& file);

// `forksafe analyze FILE... -- FLAGS`: one command per file, run in the cwd.
std::vector<CompileCommand> commands_for_files(const std::vector<std::string>& files,
                                               const std::vector<std::string>& flags);

// Keeps the commands of shard `index` (1-based) of `count`, split by a hash of
// the file path so a file stays in its shard when others come and go.
std::vector<CompileCommand> shard(const std::vector<CompileCommand>& all, int index, int count);
bool in_shard(const std::string& file, int index, int count);

bool is_c_or_cxx(const std::string& file);
std::string absolute_path(const std::string& path, const std::string& base);

}  // namespace forksafe::analyzer
