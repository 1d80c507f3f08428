#include "reports/text_report.h"

#include <cstdio>
#include <iomanip>
#include <map>
#include <set>

namespace forksafe::reports {

using nlohmann::json;

namespace {

std::string place(const Location& loc) {
  if (loc.file.empty()) {
    if (loc.module.empty()) return "<unknown>";
    char offset[32];
    std::snprintf(offset, sizeof offset, "+0x%llx", loc.offset);
    return loc.module + offset;
  }
  std::string out = loc.file;
  if (loc.line > 0) out += ":" + std::to_string(loc.line);
  if (loc.line > 0 && loc.column > 0) out += ":" + std::to_string(loc.column);
  return out;
}

std::string property_text(const json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

void print_finding(const ReportFinding& rf, std::ostream& out) {
  const Finding& f = rf.finding;
  out << place(f.location) << ": " << level_name(f.level) << ": " << f.message << " [" << f.rule << "]\n";
  for (size_t i = 0; i < f.chain.size(); ++i) {
    const Step& step = f.chain[i];
    out << "  " << place(step.location) << ": note: " << i + 1 << ". " << step.message;
    if (!step.location.function.empty()) out << " (in " << step.location.function << ")";
    out << "\n";
  }
  if (!f.fix.empty()) out << "  fix: " << f.fix << "\n";
  if (rf.kind == "runtime" && !f.properties.empty()) {
    out << "  runtime:";
    for (const auto& [key, value] : f.properties.items()) out << " " << key << "=" << property_text(value);
    out << "\n";
  }
}

void print_scenarios(const std::vector<json>& cells, std::ostream& out) {
  int passed = 0;
  for (const json& cell : cells) passed += cell["passed"].get<bool>();
  out << "\nscenarios: " << passed << " of " << cells.size() << " cells passed\n";
  for (const json& cell : cells) {
    std::string spawner = cell["spawner"].get<std::string>() + (cell["injected"].get<bool>() ? " + run" : "");
    out << "  " << (cell["passed"].get<bool>() ? "PASS" : "FAIL") << "  " << std::left << std::setw(22)
        << cell["scenario"].get<std::string>() << " " << std::setw(14) << spawner << " expected "
        << std::setw(17) << cell["expected"].get<std::string>() << " got " << std::setw(17)
        << cell["outcome"].get<std::string>() << std::right << std::fixed << std::setprecision(2)
        << cell["seconds"].get<double>() << " s\n";
  }
}

// The seed's table: one row per heap size, one column per series.
void print_bench(const std::vector<json>& points, std::ostream& out) {
  std::vector<std::string> series;
  std::map<double, std::map<std::string, double>> medians;  // size -> series -> ms
  for (const json& p : points) {
    std::string name = p["series"];
    if (std::find(series.begin(), series.end(), name) == series.end()) series.push_back(name);
    medians[p["size_gib"].get<double>()][name] = p["ms_median"].get<double>();
  }
  out << "\nspawn benchmark: ms per spawn (median)\n  heap GiB";
  for (const auto& name : series) out << "  " << name;
  out << "\n";
  for (const auto& [size, row] : medians) {
    out << "  " << std::fixed << std::setprecision(1) << std::setw(8) << size;
    for (const auto& name : series) {
      out << "  " << std::setw(static_cast<int>(name.size())) << std::setprecision(2);
      if (auto it = row.find(name); it != row.end()) out << it->second; else out << "-";
    }
    out << "\n";
  }
}

}  // namespace

void render_text(const ReportData& data, std::ostream& out) {
  std::map<std::string, int> by_level;
  for (const ReportFinding& rf : data.findings) {
    print_finding(rf, out);
    ++by_level[level_name(rf.finding.level)];
  }
  if (!data.scenarios.empty()) print_scenarios(data.scenarios, out);
  if (!data.bench.empty()) print_bench(data.bench, out);
  out << (data.findings.empty() ? "" : "\n") << data.findings.size() << " findings (" << by_level["error"]
      << " errors, " << by_level["warning"] << " warnings, " << by_level["note"] << " notes) from "
      << data.inputs.size() << (data.inputs.size() == 1 ? " input" : " inputs") << "\n";
}

}  // namespace forksafe::reports
