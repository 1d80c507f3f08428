// vfork-child: after vfork the child shares the parent's memory and stack;
// anything but an exec call or _exit, and any write to memory but the variable
// holding the vfork result, is undefined and can corrupt the suspended parent.
#include "analyzer/checks/check.h"
#include "analyzer/process_calls.h"

namespace forksafe::analyzer {

void check_vfork_child(const Program& program, const WindowFacts& facts, std::vector<Finding>* out) {
  if (!facts.window.shared_memory) return;
  for (const Call& c : facts.calls) {
    if (c.name == "_exit" || c.name == "_Exit" || is_exec(c.name)) continue;
    if (program.db().is_libc_macro(c.name)) continue;  // reading errno is no call of the program's
    out->push_back(window_finding("vfork-child", facts.window, {&c},
                                  quoted(c.name) + " runs in " + child_of(facts.window) +
                                      ", which shares the parent's memory: only exec and _exit may follow"));
  }
  for (const VforkWrite& w : facts.window.writes) {
    Finding f = window_finding("vfork-child", facts.window, {},
                               child_of(facts.window) + " writes to " + quoted(w.what) +
                                   ", memory it shares with the suspended parent (only the variable holding the "
                                   "vfork result may be written)");
    f.location = w.where;
    f.chain.push_back({w.where, "writes here"});
    out->push_back(std::move(f));
  }
}

}  // namespace forksafe::analyzer
