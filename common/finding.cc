#include "common/finding.h"

#include <cstdint>
#include <cstdio>

namespace forksafe {

const char* level_name(Level level) {
  switch (level) {
    case Level::note: return "note";
    case Level::warning: return "warning";
    case Level::error: return "error";
  }
  return "warning";
}

bool parse_level(const std::string& text, Level* out) {
  for (Level l : {Level::note, Level::warning, Level::error}) {
    if (text == level_name(l)) {
      *out = l;
      return true;
    }
  }
  return false;
}

std::string fingerprint(const Finding& finding, const std::string& source_root) {
  // FNV-1a over the parts that name the problem but not where lines moved to.
  uint64_t hash = 1469598103934665603ull;
  auto mix = [&](const std::string& s) {
    for (unsigned char c : s) hash = (hash ^ c) * 1099511628211ull;
    hash = (hash ^ 0xff) * 1099511628211ull;  // field separator
  };
  mix(finding.rule);
  std::string root = source_root;
  if (!root.empty() && root.back() != '/') root += '/';
  const std::string& file = finding.location.file;
  mix(!root.empty() && file.starts_with(root) ? file.substr(root.size()) : file);
  mix(finding.location.function);
  // A runtime frame without symbols: its module's name and offset tell call
  // sites apart (the name only: the module may live in a temporary directory).
  if (finding.location.function.empty() && !finding.location.module.empty()) {
    const std::string& module = finding.location.module;
    mix(module.substr(module.rfind('/') + 1) + "+" + std::to_string(finding.location.offset));
  }
  for (const Step& step : finding.chain) mix(step.location.function);
  mix(finding.message);
  // The second and later of findings alike in all of the above (two printf
  // calls in one helper): told apart by their order, which line shifts keep.
  if (finding.properties.contains("occurrence")) mix(std::to_string(finding.properties["occurrence"].get<int>()));
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return text;
}

}  // namespace forksafe
