#include "reports/text_report.h"

#include <cstdio>
#include <iomanip>
#include <map>
#include <set>

namespace forksafe::reports {

using nlohmann::json;

namespace {

// Input text as it may reach a terminal: control characters (escape
// sequences could rewrite the screen) become '?'.
std::string printable(std::string text) {
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return text;
}

std::string place(const Location& loc) {
  if (loc.file.empty()) {
    if (loc.module.empty()) return "<unknown>";
    char offset[32];
    std::snprintf(offset, sizeof offset, "+0x%llx", loc.offset);
    return printable(loc.module) + offset;
  }
  std::string out = printable(loc.file);
  // Appended piece by piece: ":" + std::to_string(n) trips GCC 12's -Wrestrict
  // false positive at -O3 (GCC bug 105329).
  if (loc.line > 0) out.append(":").append(std::to_string(loc.line));
  if (loc.line > 0 && loc.column > 0) out.append(":").append(std::to_string(loc.column));
  return out;
}

std::string property_text(const json& value) {
  return printable(value.is_string() ? value.get<std::string>() : value.dump(-1, ' ', false, json::error_handler_t::replace));
}

void print_finding(const ReportFinding& rf, std::ostream& out) {
  const Finding& f = rf.finding;
  out << place(f.location) << ": " << level_name(f.level) << ": " << printable(f.message) << " [" << printable(f.rule) << "]\n";
  for (size_t i = 0; i < f.chain.size(); ++i) {
    const Step& step = f.chain[i];
    out << "  " << place(step.location) << ": note: " << i + 1 << ". " << printable(step.message);
    if (!step.location.function.empty()) out << " (in " << printable(step.location.function) << ")";
    out << "\n";
  }
  if (!f.fix.empty()) out << "  fix: " << printable(f.fix) << "\n";
  if (rf.kind == "runtime" && !f.properties.empty()) {
    out << "  runtime:";
    for (const auto& [key, value] : f.properties.items()) out << " " << printable(key) << "=" << property_text(value);
    out << "\n";
  }
}

void print_scenarios(const std::vector<json>& cells, std::ostream& out) {
  int passed = 0;
  for (const json& cell : cells) passed += cell["passed"].get<bool>();
  out << "\nscenarios: " << passed << " of " << cells.size() << " cells passed\n";
  for (const json& cell : cells) {
    std::string spawner = printable(cell["spawner"]) + (cell["injected"].get<bool>() ? " + run" : "");
    out << "  " << (cell["passed"].get<bool>() ? "PASS" : "FAIL") << "  " << std::left << std::setw(22)
        << printable(cell["scenario"]) << " " << std::setw(14) << spawner << " expected "
        << std::setw(17) << printable(cell["expected"]) << " got " << std::setw(17)
        << printable(cell["outcome"]) << std::right << std::fixed << std::setprecision(2)
        << cell["seconds"].get<double>() << " s\n";
  }
}

// The seed's table: one row per heap size, one column per series.
void print_bench(const std::vector<json>& points, std::ostream& out) {
  std::vector<std::string> series;
  std::map<double, std::map<std::string, double>> medians;  // size -> series -> ms
  for (const json& p : points) {
    std::string name = printable(p["series"]);
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
