#include "analyzer/program.h"

#include <deque>
#include <functional>

#include "analyzer/process_calls.h"

namespace forksafe::analyzer {

Program::Program(std::vector<const TuSummary*> tus, const SafetyDb& db) : tus_(std::move(tus)), db_(db) {
  for (const TuSummary* tu : tus_) {
    for (const FunctionSummary& f : tu->functions) functions_.emplace(f.usr, &f);
  }
}

const FunctionSummary* Program::function(const std::string& usr) const {
  auto it = functions_.find(usr);
  return it == functions_.end() ? nullptr : it->second;
}

std::vector<const FunctionSummary*> Program::definitions(const std::string& usr) const {
  std::vector<const FunctionSummary*> out;
  for (auto [it, end] = functions_.equal_range(usr); it != end; ++it) out.push_back(it->second);
  return out;
}

bool Program::ends_process(const std::string& usr) const {
  // Through the last call of each definition: void die() { cleanup(); fatal(); }
  // Recursion without an end of the process in it does not end it.
  std::map<std::string, bool> known;  // false while being worked out
  std::function<bool(const std::string&)> ends = [&](const std::string& u) {
    if (auto it = known.find(u); it != known.end()) return it->second;
    std::vector<const FunctionSummary*> defs = definitions(u);
    known[u] = false;
    bool all = !defs.empty();
    for (const FunctionSummary* f : defs) {
      all = all && (f->ends_in_exit || (!f->last_call.empty() && ends(f->last_call)));
    }
    return known[u] = all;
  };
  return ends(usr);
}

const std::vector<Call>& window_calls(const Program& program, const Window& window) {
  static const std::vector<Call> kNone;
  if (window.entry_usr.empty()) return window.calls;
  const FunctionSummary* entry = program.function(window.entry_usr);
  return entry ? entry->calls : kNone;
}

std::set<std::string> Program::unresolved_from_windows() const {
  std::set<std::string> names;
  std::set<std::string> seen;
  std::deque<const Call*> queue;
  for (const TuSummary* tu : tus_) {
    for (const Window& w : tu->windows) {
      if (!w.entry_usr.empty() && !function(w.entry_usr)) names.insert(w.entry_name);
      for (const WindowLeave& l : w.leaves) {
        if (!l.last_call.empty() && !function(l.last_call)) names.insert(l.last_call_name);
      }
      for (const Call& c : window_calls(*this, w)) queue.push_back(&c);
    }
  }
  while (!queue.empty()) {
    const Call* c = queue.front();
    queue.pop_front();
    if (!c->follow || c->usr.empty() || !seen.insert(c->usr).second) continue;
    const FunctionSummary* f = function(c->usr);
    if (!f) {
      names.insert(c->name);
      continue;
    }
    if (!f->last_call.empty() && !function(f->last_call)) names.insert(f->last_call_name);
    for (const Call& next : f->calls) queue.push_back(&next);
  }
  return names;
}

namespace {

// The last component of a qualified name: the library function's own name.
std::string plain_name(const std::string& name) {
  auto colon = name.rfind("::");
  return colon == std::string::npos ? name : name.substr(colon + 2);
}

}  // namespace

Reach reach(const Program& program, const std::vector<Call>& window_calls) {
  Reach out;
  struct Item {
    const Call* call;
    size_t parent;  // index into `items`, or npos for a call in the window
  };
  std::vector<Item> items;
  for (const Call& c : window_calls) items.push_back({&c, std::string::npos});
  std::set<std::string> expanded;
  auto chain_to = [&](size_t index) {
    Chain chain;
    for (size_t i = index; i != std::string::npos; i = items[i].parent) chain.insert(chain.begin(), items[i].call);
    return chain;
  };
  auto record = [&](std::vector<Leaf>& into, size_t index, std::string reason) {
    into.push_back({chain_to(index), std::move(reason)});
  };
  for (size_t i = 0; i < items.size(); ++i) {
    const Call& c = *items[i].call;
    if (c.model == "indirect") {
      record(out.indirect, i, "");
      continue;
    }
    if (c.model == "exit" || is_exit(c.name)) {
      record(out.exit, i, "");
      continue;
    }
    if (c.model == "safe") continue;
    // A fork in the child starts a window of its own, analysed there.
    if (!c.follow && (!fork_kind(c.name).empty() || c.name == "clone")) continue;
    if (c.model == "reserved") {
      record(out.unknown, i, "may allocate if the reserved capacity is exceeded");
      continue;
    }
    if (!c.model.empty()) {
      record(out.unsafe, i, c.model);
      continue;
    }
    if (c.follow && !c.usr.empty()) {
      if (std::vector<const FunctionSummary*> defs = program.definitions(c.usr); !defs.empty()) {
        // A definition in the caller's own file is the one it is linked with.
        std::vector<const FunctionSummary*> same_file;
        for (const FunctionSummary* f : defs) {
          if (f->where.file == c.where.file) same_file.push_back(f);
        }
        if (!same_file.empty()) defs = same_file;
        if (expanded.insert(c.usr + "@" + (same_file.empty() ? "" : c.where.file)).second) {
          for (const FunctionSummary* f : defs) {
            for (const Call& next : f->calls) items.push_back({&next, i});
          }
        }
        continue;
      }
    }
    // A method or namespaced function (Pipe::close) is not the C library's
    // namesake; std::'s are judged by their library names.
    bool library = c.name.find("::") == std::string::npos || c.name.rfind("std::", 0) == 0;
    Verdict v = library ? program.db().lookup(plain_name(c.name)) : Verdict{Safety::unknown, ""};
    switch (v.safety) {
      case Safety::safe:
        break;
      case Safety::unsafe:
        record(out.unsafe, i, v.reason);
        break;
      case Safety::path_search_exec:
        record(out.unknown, i, v.reason);
        break;
      case Safety::unknown:
        record(out.unknown, i, c.follow ? "defined outside the analysed code" : "not on any list");
        break;
    }
  }
  return out;
}

}  // namespace forksafe::analyzer
