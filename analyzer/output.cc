#include "analyzer/output.h"

#include <stdexcept>

#include "common/json_input.h"

namespace forksafe::analyzer {

using nlohmann::json;

namespace {

std::string place(const Location& l) {
  return l.file + ":" + std::to_string(l.line) + ":" + std::to_string(l.column);
}

json location_json(const Location& l) {
  return {{"file", l.file}, {"line", l.line}, {"column", l.column}, {"function", l.function}};
}

}  // namespace

std::string to_text(const std::vector<Finding>& findings) {
  std::string out;
  for (const Finding& f : findings) {
    out += place(f.location) + ": " + level_name(f.level) + ": " + f.message + " [" + f.rule + "]\n";
    for (const Step& s : f.chain) out += place(s.location) + ": note: " + s.message + "\n";
  }
  return out;
}

json to_json(const std::vector<Finding>& findings, const std::string& source_root) {
  json out = json::array();
  for (const Finding& f : findings) {
    json chain = json::array();
    for (const Step& s : f.chain) {
      json step = location_json(s.location);
      step["message"] = s.message;
      chain.push_back(step);
    }
    json item = location_json(f.location);
    item.update({{"rule", f.rule}, {"level", level_name(f.level)}, {"message", f.message}, {"chain", chain},
                 {"fix", f.fix}, {"properties", f.properties}, {"fingerprint", fingerprint(f, source_root)}});
    out.push_back(item);
  }
  return out;
}

json baseline_json(const std::vector<Finding>& findings, const std::string& source_root) {
  json entries = json::array();
  for (const Finding& f : findings) {
    entries.push_back({{"fingerprint", fingerprint(f, source_root)}, {"rule", f.rule}, {"file", f.location.file},
                       {"message", f.message}});
  }
  return {{"forksafeBaseline", 1}, {"findings", entries}};
}

std::set<std::string> read_baseline(const std::string& path) {
  json j = read_json_input(path);
  std::set<std::string> out;
  try {
    for (const json& e : j.at("findings")) out.insert(e.at("fingerprint").get<std::string>());
  } catch (const json::exception&) {
    throw std::runtime_error(path + ": not a forksafe baseline (written by --write-baseline)");
  }
  return out;
}

}  // namespace forksafe::analyzer
