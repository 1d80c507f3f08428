#include "e2e_harness.h"

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace forksafe::test {

std::vector<nlohmann::json> InjectedRun::results(const std::string& rule) const {
  std::vector<nlohmann::json> out;
  if (!sarif.is_object()) return out;
  for (const auto& r : sarif["runs"][0]["results"]) {
    if (r["ruleId"] == rule) out.push_back(r);
  }
  return out;
}

InjectedRun forksafe_run(const std::vector<std::string>& options, const std::vector<std::string>& command,
                         int timeout_seconds) {
  std::string dir = make_temp_directory("forksafe-injector-test");
  std::vector<std::string> argv = {FORKSAFE_BINARY, "run", "-o", dir + "/out.sarif", "--log", dir + "/log.jsonl"};
  argv.insert(argv.end(), options.begin(), options.end());
  argv.push_back("--");
  argv.insert(argv.end(), command.begin(), command.end());
  InjectedRun run;
  run.outcome = run_command(argv, timeout_seconds);
  run.sarif = nlohmann::json::parse(read_file(dir + "/out.sarif"), nullptr, false);
  std::ifstream log(dir + "/log.jsonl");
  for (std::string line; std::getline(log, line);) run.records.push_back(nlohmann::json::parse(line, nullptr, false));
  fs::remove_all(dir);
  return run;
}

std::string program(const std::string& name) { return std::string(PROGRAMS_DIR) + "/" + name; }

std::vector<nlohmann::json> variants_of(const nlohmann::json& result) {
  std::vector<nlohmann::json> all = {result["properties"]};
  for (const nlohmann::json& v : result["properties"].value("variants", nlohmann::json::array())) all.push_back(v);
  return all;
}

std::vector<nlohmann::json> variants_of(const InjectedRun& run, const std::string& rule) {
  std::vector<nlohmann::json> all;
  for (const nlohmann::json& result : run.results(rule)) {
    for (nlohmann::json& v : variants_of(result)) all.push_back(std::move(v));
  }
  return all;
}

}  // namespace forksafe::test
