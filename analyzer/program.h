// The global link step: every TU's summaries joined by USR, and what each call
// in a window reaches through any depth of calls, across TUs, recursion-safe.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "analyzer/safety_db.h"
#include "analyzer/summary.h"

namespace forksafe::analyzer {

class Program {
 public:
  // The TUs must outlive the Program; it holds pointers, so that a
  // demand-driven run links what it has parsed so far without copying it.
  Program(std::vector<const TuSummary*> tus, const SafetyDb& db);

  const FunctionSummary* function(const std::string& usr) const;
  // Every definition of a USR: two programs in one database may each define
  // their own helper() (or main); a call may reach any of them.
  std::vector<const FunctionSummary*> definitions(const std::string& usr) const;
  const SafetyDb& db() const { return db_; }

  // Does a call to this function end the process (no path of any of its
  // definitions returns, possibly through further calls)?
  bool ends_process(const std::string& usr) const;

  // The names of functions reachable from windows that have no summary: the
  // definitions a demand-driven run still has to find.
  std::set<std::string> unresolved_from_windows() const;

 private:
  std::vector<const TuSummary*> tus_;
  const SafetyDb& db_;
  std::multimap<std::string, const FunctionSummary*> functions_;
};

// What a call leads to, as a chain of calls from the call in the window
// (first) down to the call that is the problem (last).
using Chain = std::vector<const Call*>;

struct Leaf {
  Chain chain;
  std::string reason;  // for unsafe calls: "allocates", "stdio", ...
};

// Every problem the calls of a window reach, each distinct call site once,
// with a shortest chain from the window to it.
struct Reach {
  std::vector<Leaf> unsafe;    // known not async-signal-safe (warning)
  std::vector<Leaf> unknown;   // not known to be safe, or a PATH-searching exec (note)
  std::vector<Leaf> indirect;  // through a pointer, virtual, callable
  std::vector<Leaf> exit;      // exit()
};

// Breadth-first from all the window's calls at once, so each leaf comes with
// a shortest chain.
Reach reach(const Program& program, const std::vector<Call>& window_calls);

// The calls that run in a window: its region's, or clone's child function's.
const std::vector<Call>& window_calls(const Program& program, const Window& window);

}  // namespace forksafe::analyzer
