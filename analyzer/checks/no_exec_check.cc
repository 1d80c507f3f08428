// fork-no-exec: a child path that neither execs nor _exits returns into code
// written for the parent.
#include "analyzer/checks/check.h"

namespace forksafe::analyzer {

void check_no_exec(const Program& program, const WindowFacts& facts, std::vector<Finding>* out) {
  const Window& w = facts.window;
  if (w.end != WindowEnd::returns) return;
  if (!w.end_call.empty() && program.ends_process(w.end_call)) return;
  Finding f = window_finding("fork-no-exec", w, {},
                             "the child of " + w.kind + "() in " + quoted(w.fork_site.function) +
                                 " can continue into code written for the parent (no exec, or no _exit after a failed exec)");
  f.chain.push_back({w.end_where, "the child path leaves here"});
  out->push_back(std::move(f));
}

}  // namespace forksafe::analyzer
