// What the per-TU pass extracts and the link step consumes: function
// summaries keyed by USR, the fork-to-exec windows, and TU-local findings.
// Serializable (--summaries-out / --summaries-in) so shards can share them.
#pragma once

#include <map>
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
  std::string via;     // indirect calls: USR of the pointer variable or field called through
  std::vector<Replacement> fix;  // a mechanical fix of the call itself (exit -> _exit); usually none
};

struct FunctionSummary {
  std::string usr;
  std::string name;
  Location where;            // the definition
  std::vector<Call> calls;   // in source order, lambdas excluded
  std::string last_call;     // USR of the callee when the body ends in a call statement
  std::string last_call_name;
  bool ends_in_exit = false;  // no path through the body returns to the caller
  // A fork-like function (it hands a fork result to its caller): how the child
  // gets it. "" not fork-like; "return"; "arg:N.field..." (through the pointer
  // parameter N, e.g. *pid = fork() or s->pid = fork()); "this.field".
  std::string fork_result;
  std::string fork_kind;  // "fork", "vfork", "_Fork"
};

// Where a child path leaves the window without ending the process.
enum class WindowEnd {
  returns,        // returns into the caller, or falls into code the parent runs
  exits,          // returns from main (atexit handlers run, like exit())
};

struct WindowLeave {
  WindowEnd how = WindowEnd::returns;
  Location where;
  std::string last_call;       // USR of the last call on that path (it may end the process)
  std::string last_call_name;
};

// A write to memory in the child of vfork (shared with the parent).
struct VforkWrite {
  Location where;
  std::string what;  // the written expression, e.g. "environ", "s->state"
};

struct Window {
  std::string kind;      // "fork", "vfork", "_Fork", "clone"
  std::string tu;        // main file of the TU that holds it (for sharding)
  Location fork_site;    // function = the function holding the fork call
  std::vector<Call> calls;  // calls in the child region, in order
  std::string entry_usr;    // clone: the child function (its calls are the window)
  std::string entry_name;
  std::vector<WindowLeave> leaves;  // child paths that leave the window alive
  std::vector<VforkWrite> writes;   // vfork: writes other than the fork result
  bool shared_memory = false;       // vfork, or clone with CLONE_VM: the vfork-child rules apply
};

struct TuSummary {
  std::string file;                       // main file, absolute
  std::vector<std::string> errors;        // one line each: parse failures
  std::set<std::string> unknown_flags;    // compiler flags clang ignored (not saved in summaries)
  std::vector<FunctionSummary> functions;
  std::vector<Window> windows;
  std::vector<Finding> local_findings;    // fd-no-cloexec and the like
  // Pointer variables and fields that hold fork or vfork (USR -> kind).
  std::map<std::string, std::string> fork_pointers;
  // Fork-like functions and pointers this TU's windows were computed with.
  std::set<std::string> fork_like_used;
};

nlohmann::json to_json(const TuSummary& tu);
TuSummary tu_from_json(const nlohmann::json& j);  // throws nlohmann::json::exception

}  // namespace forksafe::analyzer
