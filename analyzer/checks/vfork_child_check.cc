// vfork-child: after vfork the child shares the parent's memory; anything but
// an exec call or _exit can corrupt the suspended parent.
#include "analyzer/checks/check.h"
#include "analyzer/window_finder.h"

namespace forksafe::analyzer {

void check_vfork_child(const Program&, const WindowFacts& facts, std::vector<Finding>* out) {
  if (facts.window.kind != "vfork") return;
  for (const Call& c : facts.calls) {
    if (c.name == "_exit" || c.name == "_Exit" || is_exec(c.name)) continue;
    out->push_back(window_finding("vfork-child", facts.window, {&c},
                                  quoted(c.name) + " runs in the child of vfork(), where only exec and _exit "
                                                   "may follow"));
  }
}

}  // namespace forksafe::analyzer
