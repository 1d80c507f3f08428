// What the per-TU pass extracts and the link step consumes: function
// summaries keyed by USR, the fork-to-exec windows, and TU-local findings.
// Serializable (--summaries-out / --summaries-in) so shards can share them.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "common/finding.h"

namespace forksafe::analyzer {

// One call as the TU pass saw it.
struct Call {
  std::string usr;    // callee USR; empty when the callee is unknown (indirect)
  std::string name;   // callee, qualified, for messages and the database
  Location where;     // the call site (function = the caller)
  // How the call is judged when the callee has no body in the code base:
  // "" look the name up in the safety database; "indirect" a call through a
  // pointer, virtual function or callable; "safe"; anything else is the
  // reason a modelled C++ construct is unsafe ("allocates", "takes a lock").
  std::string model;
  bool follow = true;  // false for callees in system headers: judged by name only
};

struct FunctionSummary {
  std::string usr;
  std::string name;
  Location where;            // the definition
  std::vector<Call> calls;   // in source order, lambdas excluded
  std::string last_call;     // USR of the callee when the body ends in a call statement
  std::string last_call_name;
  bool ends_in_exit = false;  // the body ends in a call that ends the process
};

// How a window's child path ends.
enum class WindowEnd {
  terminates,     // exec, _exit, abort ... (or a call to a function that ends so)
  returns,        // returns into the caller, falls off a branch into parent code
  exits,          // exit() or return from main
  unknown,        // goto, loops: not judged
};

struct Window {
  std::string kind;      // "fork", "vfork", "_Fork", "clone"
  std::string tu;        // main file of the TU that holds it (for sharding)
  Location fork_site;    // function = the function holding the fork call
  std::vector<Call> calls;  // calls in the child region, in order
  std::string entry_usr;    // clone: the child function (its calls are the window)
  std::string entry_name;
  WindowEnd end = WindowEnd::unknown;
  std::string end_call;       // USR of the last call when the region ends in a call
  std::string end_call_name;
  Location end_where;         // where the child path returns or exits
};

struct TuSummary {
  std::string file;                       // main file, absolute
  std::vector<std::string> errors;        // one line each: parse failures
  std::set<std::string> unknown_flags;    // compiler flags clang ignored (not saved in summaries)
  std::vector<FunctionSummary> functions;
  std::vector<Window> windows;
  std::vector<Finding> local_findings;    // fd-no-cloexec and the like
};

nlohmann::json to_json(const TuSummary& tu);
TuSummary tu_from_json(const nlohmann::json& j);  // throws nlohmann::json::exception

}  // namespace forksafe::analyzer
