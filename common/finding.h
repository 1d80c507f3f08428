// The finding model every part shares: the analyzer and the injector produce
// findings, SARIF carries them, reports/ renders them.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace forksafe {

enum class Level { note, warning, error };

const char* level_name(Level level);               // "note", "warning", "error"
bool parse_level(const std::string& text, Level* out);  // false when unknown

// A place in source or, for runtime stacks that could not be symbolized, in a
// loaded module (module + offset).
struct Location {
  std::string file;      // absolute or relative to the source root; may be empty
  int line = 0;          // 1-based; 0 when unknown
  int column = 0;        // 1-based; 0 when unknown
  std::string function;  // enclosing or called function, for display and fingerprints
  std::string module;    // runtime only: the object file, e.g. /usr/lib/.../libc.so.6
  unsigned long long offset = 0;  // runtime only: offset in module
  // Where the construct ends (SARIF's endLine/endColumn: the column after its
  // last character); 0 when unknown.
  int end_line = 0;
  int end_column = 0;
  long long file_offset = -1;  // static only: the byte offset of line:column in file; -1 unknown
  bool operator==(const Location&) const = default;
};

// One edit of a mechanical fix: `length` bytes at byte `offset` of `file`
// (as the analyzer read it) become `text`. clang-apply-replacements' unit.
struct Replacement {
  std::string file;
  unsigned offset = 0;
  unsigned length = 0;
  std::string text;
  bool operator==(const Replacement&) const = default;
};

// One step of the evidence chain: fork site, first call in the window, ...,
// the unsafe call.
struct Step {
  Location location;
  std::string message;  // e.g. "child side of fork() starts here", "calls helper()"
};

struct Finding {
  std::string rule;  // a rule id from rules.h, e.g. "fork-unsafe-call"
  Level level = Level::warning;
  std::string message;
  Location location;        // where the problem is reported (the call in the window)
  std::vector<Step> chain;  // from the window to the unsafe call, in order
  std::string fix;          // suggested fix, one sentence; may be empty
  std::vector<Replacement> edits;  // the fix as edits when it is mechanical (--fix), all or none
  // Extra facts by name: runtime ones (pid, ppid, finalizer, fd, target ...)
  // and anything a part wants to carry through SARIF's property bag.
  nlohmann::json properties = nlohmann::json::object();
};

// A stable identity for baselines and SARIF partialFingerprints: rule, file
// (relative to source_root when under it, so another checkout of the same code
// agrees), function names along the chain and the message, but no line
// numbers, so it survives unrelated line shifts.
std::string fingerprint(const Finding& finding, const std::string& source_root = "");

}  // namespace forksafe
