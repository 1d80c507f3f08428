#include "injector/launcher/summary.h"

#include <map>
#include <sstream>

namespace forksafe::launcher {

namespace {

constexpr size_t kShownFindings = 20;

std::string where(const Location& l) {
  std::ostringstream out;
  if (!l.function.empty()) out << l.function;
  if (!l.file.empty()) {
    out << (l.function.empty() ? "" : " at ") << l.file << ":" << l.line;
  } else if (!l.module.empty()) {
    out << (l.function.empty() ? "" : " in ") << l.module << "+0x" << std::hex << l.offset;
  }
  return out.str();
}

}  // namespace

std::string summary_text(int status, const RunCounts& counts, const std::vector<Finding>& findings,
                         const std::string& symbolizer) {
  std::ostringstream out;
  out << "forksafe run: command exited with status " << status << "\n";
  out << "forksafe run: " << counts.forks << " fork, " << counts.vforks << " vfork, "
      << counts.spawns << " posix_spawn/system/popen; " << counts.finalizers_forced << " finalizers forced\n";
  for (const std::string& skipped : counts.gc_skipped) out << "forksafe run: gc callback skipped: " << skipped << "\n";
  if (counts.preload_restored) {
    out << "forksafe run: " << counts.preload_restored << " execs dropped the injector from their environment and "
        << "it put itself back (";
    const char* separator = "";
    for (const std::string& example : counts.restored_examples) {
      out << separator << example;
      separator = "; ";
    }
    out << ")\n";
  }
  if (counts.lost_records) {
    out << "forksafe run: " << counts.lost_records << (counts.lost_records == 1 ? " record was" : " records were")
        << " lost (a child with no free descriptor, or a log removed or unwritable during the run): "
           "this report is incomplete\n";
  }
  if (counts.deduplicated) {
    out << "forksafe run: " << counts.records << " records read; " << counts.deduplicated
        << " more made by other processes of the run were counted at the source instead of written\n";
  }
  for (const std::string& note : not_followed_notes(counts)) out << "forksafe run: " << note << "\n";
  if (counts.unreadable_lines) out << "forksafe run: " << counts.unreadable_lines << " log records could not be read\n";
  if (symbolizer.empty()) out << "forksafe run: no llvm-symbolizer or addr2line: stacks stay module+offset\n";
  std::map<std::string, int> per_rule;
  for (const Finding& f : findings) ++per_rule[f.rule];
  out << "forksafe run: " << findings.size() << (findings.size() == 1 ? " finding" : " findings");
  const char* separator = ": ";
  for (const auto& [rule, count] : per_rule) {
    out << separator << count << " " << rule;
    separator = ", ";
  }
  out << "\n";
  for (size_t i = 0; i < findings.size() && i < kShownFindings; ++i) {
    const Finding& f = findings[i];
    out << "  " << level_name(f.level) << ": [" << f.rule << "] " << f.message;
    unsigned long count = f.properties.value("count", 1ul);
    if (count > 1) out << " (" << count << " times)";
    std::string place = where(f.location);
    if (!place.empty()) out << "\n      at " << place;
    out << "\n";
  }
  if (findings.size() > kShownFindings) out << "  ... and " << findings.size() - kShownFindings << " more\n";
  return out.str();
}

}  // namespace forksafe::launcher
