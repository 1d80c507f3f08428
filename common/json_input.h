// How every command reads a JSON input file (SARIF, scenarios, bench results,
// summaries, baselines): it never waits on a FIFO nobody writes, never reads
// a device or more than 1 GiB, and refuses nesting deep enough to exhaust the
// stack of whatever walks the document later (nlohmann's dump, copy, compare
// recurse).
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

namespace forksafe {

// An input that is missing, unreadable, not JSON or of the wrong shape; the
// message is one line that starts with the file's path.
struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void input_error(const std::string& path, const std::string& what);

// Deeper than any file forksafe reads needs (SARIF's deepest path is ~12).
inline constexpr int kMaxJsonDepth = 256;

// The parser's message without its "[json.exception.parse_error.101] " prefix.
std::string json_error_text(const nlohmann::json::exception& e);

std::string read_input(const std::string& path);

// Parses the input at `path` (same checks and limit) without holding a SARIF
// log's results: each element of runs[N].results goes to each_result(N,
// element) and is dropped, so *skeleton is the document with every run's
// "results" empty. Any other JSON ends up whole in *skeleton. A FIFO or pipe
// can be read only once: `*rereadable` says whether the file can be parsed
// again (a second pass for what comes after the results, like tool.driver).
void stream_json_input(const std::string& path, nlohmann::json* skeleton,
                       const std::function<void(size_t run, nlohmann::json& result)>& each_result,
                       bool* rereadable = nullptr);
nlohmann::json parse_json_input(const std::string& path, std::string_view text);
inline nlohmann::json read_json_input(const std::string& path) { return parse_json_input(path, read_input(path)); }

}  // namespace forksafe
