#include "reports/report_json.h"

#include <map>

#include "common/rules.h"
#include "common/version.h"

namespace forksafe::reports {

using nlohmann::json;

namespace {

json location_json(const Location& loc) {
  json out = {{"file", loc.file}, {"line", loc.line}, {"column", loc.column}, {"function", loc.function}};
  if (!loc.module.empty()) {
    out["module"] = loc.module;
    out["offset"] = loc.offset;
  }
  return out;
}

json finding_json(const ReportFinding& rf, size_t id) {
  const Finding& f = rf.finding;
  json chain = json::array();
  for (const Step& step : f.chain) chain.push_back({{"location", location_json(step.location)}, {"message", step.message}});
  return {{"id", id},
          {"kind", rf.kind},
          {"input", rf.input},
          {"rule", f.rule},
          {"level", level_name(f.level)},
          {"message", f.message},
          {"location", location_json(f.location)},
          {"chain", chain},
          {"fix", f.fix},
          {"properties", f.properties}};
}

json input_json(const Input& input) {
  return {{"path", input.path},         {"format", input.format}, {"kinds", input.kinds},
          {"items", input.items},       {"modified", input.modified}, {"tool", input.tool},
          {"command_line", input.command_line}};
}

json summary_json(const ReportData& data) {
  std::map<std::string, int> by_rule, by_file;
  std::map<std::string, int> by_level = {{"error", 0}, {"warning", 0}, {"note", 0}};
  for (const ReportFinding& rf : data.findings) {
    ++by_rule[rf.finding.rule];
    ++by_level[level_name(rf.finding.level)];
    ++by_file[rf.finding.location.file.empty() ? rf.finding.location.module : rf.finding.location.file];
  }
  int passed = 0;
  for (const json& cell : data.scenarios) passed += cell["passed"].get<bool>();
  return {{"findings", data.findings.size()},
          {"by_rule", by_rule},
          {"by_level", by_level},
          {"by_file", by_file},
          {"scenario_cells", data.scenarios.size()},
          {"scenario_cells_passed", passed},
          {"bench_points", data.bench.size()}};
}

}  // namespace

json report_json(const ReportData& data, const std::string& generated) {
  json inputs = json::array();
  for (const Input& input : data.inputs) inputs.push_back(input_json(input));
  json findings = json::array();
  json rules = json::object();
  for (size_t i = 0; i < data.findings.size(); ++i) {
    const std::string& id = data.findings[i].finding.rule;
    findings.push_back(finding_json(data.findings[i], i));
    const Rule* rule = find_rule(id);
    if (rule && !rules.contains(id)) {
      rules[id] = {{"summary", rule->short_description}, {"help", rule->help}, {"fix", rule->fix}};
    }
  }
  return {{"forksafe_version", kVersion},
          {"generated", generated},
          {"inputs", inputs},
          {"summary", summary_json(data)},
          {"rules", rules},
          {"findings", findings},
          {"scenarios", data.scenarios},
          {"bench", data.bench}};
}

}  // namespace forksafe::reports
