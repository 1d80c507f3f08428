#include "common/sarif.h"

#include <cctype>
#include <cstdio>
#include <map>
#include <set>
#include <string_view>

#include "common/rules.h"
#include "common/version.h"

namespace forksafe {

using nlohmann::json;

namespace {

constexpr const char* kSchema = "https://json.schemastore.org/sarif-2.1.0.json";
constexpr const char* kBase = "SRCROOT";
constexpr const char* kFingerprintKey = "forksafe/v1";

// json::value(key, fallback) by reference: reading a large log must not copy
// its results arrays. On a non-object it throws the same type_error.
const json& member(const json& holder, const char* key, const json& fallback) {
  if (!holder.is_object()) (void)holder.value(key, fallback);
  auto it = holder.find(key);
  return it == holder.end() ? fallback : *it;
}

const json kNoArray = json::array();
const json kNoObject = json::object();

std::string uri_encode(std::string_view path) {
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || std::string_view("/-._~").find(c) != std::string_view::npos) {
      out += static_cast<char>(c);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      out += hex;
    }
  }
  return out;
}

std::string uri_decode(std::string_view uri) {
  std::string out;
  for (size_t i = 0; i < uri.size(); ++i) {
    if (uri[i] == '%' && i + 2 < uri.size() && std::isxdigit(static_cast<unsigned char>(uri[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(uri[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(uri.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += uri[i];
    }
  }
  return out;
}

std::string with_slash(std::string dir) {
  if (!dir.empty() && dir.back() != '/') dir += '/';
  return dir;
}

json artifact_location(const std::string& file, const std::string& root) {
  if (!root.empty() && file.rfind(root, 0) == 0) {
    return {{"uri", uri_encode(file.substr(root.size()))}, {"uriBaseId", kBase}};
  }
  if (!file.empty() && file.front() == '/') return {{"uri", "file://" + uri_encode(file)}};
  return {{"uri", uri_encode(file)}};
}

json location_json(const Location& loc, const std::string& root, const std::string& message) {
  json out = json::object();
  json physical = json::object();
  if (!loc.file.empty()) {
    physical["artifactLocation"] = artifact_location(loc.file, root);
    if (loc.line > 0) {
      physical["region"] = {{"startLine", loc.line}};
      if (loc.column > 0) physical["region"]["startColumn"] = loc.column;
    }
  }
  if (!loc.module.empty()) {
    physical["address"] = {{"name", loc.module}, {"relativeAddress", loc.offset}};
  }
  if (!physical.empty()) out["physicalLocation"] = physical;
  if (!loc.function.empty()) out["logicalLocations"] = {{{"fullyQualifiedName", loc.function}}};
  if (!message.empty()) out["message"] = {{"text", message}};
  return out;
}

json rule_json(const Rule& rule) {
  return {{"id", rule.id},
          {"name", rule.id},
          {"shortDescription", {{"text", rule.short_description}}},
          {"fullDescription", {{"text", rule.help}}},
          {"help", {{"text", std::string(rule.help) + " Fix: " + std::string(rule.fix)}}},
          {"defaultConfiguration", {{"level", level_name(rule.default_level)}}}};
}

json result_json(const Finding& f, const std::string& root, const std::map<std::string_view, int>& index) {
  json result = {{"ruleId", f.rule},
                 {"level", level_name(f.level)},
                 {"message", {{"text", f.message}}},
                 {"locations", json::array({location_json(f.location, root, "")})},
                 {"partialFingerprints", {{kFingerprintKey, fingerprint(f, root)}}}};
  if (auto it = index.find(f.rule); it != index.end()) result["ruleIndex"] = it->second;
  if (!f.chain.empty()) {
    json related = json::array();
    json flow = json::array();
    int id = 1;
    for (const Step& step : f.chain) {
      json loc = location_json(step.location, root, step.message);
      flow.push_back({{"location", loc}, {"executionOrder", id}});
      loc["id"] = id++;
      related.push_back(loc);
    }
    result["relatedLocations"] = related;
    result["codeFlows"] = {{{"threadFlows", {{{"locations", flow}}}}}};
  }
  json properties = f.properties;
  if (!f.fix.empty()) properties["fix"] = f.fix;
  if (!properties.empty()) result["properties"] = properties;
  return result;
}

// The base URI of each uriBaseId a run declares, as a plain path with a slash.
std::map<std::string, std::string> base_paths(const json& run) {
  std::map<std::string, std::string> bases;
  if (!run.contains("originalUriBaseIds") || !run["originalUriBaseIds"].is_object()) return bases;
  for (auto& [name, value] : run["originalUriBaseIds"].items()) {
    std::string uri = value.value("uri", "");
    if (uri.rfind("file://", 0) == 0) uri = uri.substr(7);
    bases[name] = with_slash(uri_decode(uri));
  }
  return bases;
}

Location location_from(const json& loc, const std::map<std::string, std::string>& bases) {
  Location out;
  if (!loc.is_object()) return out;
  const json& physical = member(loc, "physicalLocation", kNoObject);
  if (physical.contains("artifactLocation")) {
    const json& art = physical["artifactLocation"];
    std::string uri = art.value("uri", "");
    if (uri.rfind("file://", 0) == 0) uri = uri.substr(7);
    uri = uri_decode(uri);
    if (auto it = bases.find(art.value("uriBaseId", "")); it != bases.end()) uri = it->second + uri;
    out.file = uri;
  }
  if (physical.contains("region")) {
    out.line = physical["region"].value("startLine", 0);
    out.column = physical["region"].value("startColumn", 0);
  }
  if (physical.contains("address")) {
    out.module = physical["address"].value("name", "");
    out.offset = physical["address"].value("relativeAddress", 0ull);
  }
  if (loc.contains("logicalLocations") && loc["logicalLocations"].is_array() &&
      !loc["logicalLocations"].empty()) {
    const json& logical = loc["logicalLocations"][0];
    out.function = logical.value("fullyQualifiedName", logical.value("name", ""));
  }
  return out;
}

// SARIF's levels; "none" (not a problem) is shown as a note.
bool sarif_level(const std::string& text, Level* out) {
  if (text == "none") {
    *out = Level::note;
    return true;
  }
  return parse_level(text, out);
}

std::string message_text(const json& holder) {
  if (!holder.contains("message") || !holder["message"].is_object()) return "";
  return holder["message"].value("text", "");
}

}  // namespace

json to_sarif(const std::vector<Finding>& findings, const SarifOptions& options) {
  std::string root = with_slash(options.source_root);
  json rules = json::array();
  std::map<std::string_view, int> index;
  for (const Rule& rule : all_rules()) {
    index[rule.id] = static_cast<int>(rules.size());
    rules.push_back(rule_json(rule));
  }
  json results = json::array();
  for (const Finding& f : findings) results.push_back(result_json(f, root, index));

  std::string command_line;
  for (const auto& arg : options.command_line) command_line += (command_line.empty() ? "" : " ") + arg;
  json notifications = json::array();
  for (const auto& text : options.notifications) {
    notifications.push_back({{"level", "error"}, {"message", {{"text", text}}}});
  }
  json invocation = {{"executionSuccessful", options.success}};
  if (!command_line.empty()) invocation["commandLine"] = command_line;
  if (!notifications.empty()) invocation["toolExecutionNotifications"] = notifications;

  json run = {{"tool",
               {{"driver",
                 {{"name", "forksafe"},
                  {"version", options.tool_version.empty() ? kVersion : options.tool_version},
                  {"informationUri", "https://github.com/forksafe/forksafe"},
                  {"rules", rules}}}}},
              {"invocations", json::array({invocation})},
              {"results", results},
              {"columnKind", "unicodeCodePoints"}};
  if (!root.empty() && root != "/") {
    run["originalUriBaseIds"] = {{kBase, {{"uri", "file://" + uri_encode(root)}}}};
  }
  if (!options.kind.empty()) run["properties"] = {{"forksafeKind", options.kind}};
  return {{"$schema", kSchema}, {"version", "2.1.0"}, {"runs", json::array({run})}};
}

bool findings_from_run(const json& run, size_t run_number, std::vector<Finding>* findings, std::string* error) {
  std::string where = "run " + std::to_string(run_number);
  if (!run.is_object()) {
    *error = where + " is not an object";
    return false;
  }
  const json& results = member(run, "results", kNoArray);
  if (!results.is_array()) {
    *error = where + ": \"results\" must be an array";
    return false;
  }
  auto bases = base_paths(run);
  std::map<std::string, Level> rule_levels;
  const json& rules = member(member(member(run, "tool", kNoObject), "driver", kNoObject), "rules", kNoArray);
  for (const json& rule : rules) {
    Level level = Level::warning;
    if (rule.contains("defaultConfiguration")) sarif_level(rule["defaultConfiguration"].value("level", "warning"), &level);
    rule_levels[rule.value("id", "")] = level;
  }
  size_t result_number = 0;
  for (const json& result : results) {
    std::string which = where + ", result " + std::to_string(++result_number);
    // SARIF requires a message on every result, and a finding without one
    // would be shown as an empty line.
    if (!result.is_object() || !result.contains("message") || !result["message"].is_object() ||
        !result["message"].contains("text") || !result["message"]["text"].is_string()) {
      *error = which + ": needs a \"message\" with a \"text\"";
      return false;
    }
    Finding f;
    f.rule = result.value("ruleId", result.contains("rule") ? result["rule"].value("id", "") : "");
    f.level = rule_levels.count(f.rule) ? rule_levels[f.rule] : Level::warning;
    if (result.contains("level")) {
      const json& level = result["level"];
      if (!level.is_string() || !sarif_level(level.get<std::string>(), &f.level)) {
        *error = which + ": \"level\" must be none, note, warning or error, not " + level.dump();
        return false;
      }
    }
    f.message = message_text(result);
    if (result.contains("locations") && result["locations"].is_array() && !result["locations"].empty()) {
      f.location = location_from(result["locations"][0], bases);
    }
    if (result.contains("codeFlows") && !result["codeFlows"].empty()) {
      const json& flows = member(result["codeFlows"][0], "threadFlows", kNoArray);
      for (const json& step : flows.empty() ? kNoArray : member(flows[0], "locations", kNoArray)) {
        const json& loc = member(step, "location", kNoObject);
        f.chain.push_back({location_from(loc, bases), message_text(loc)});
      }
    } else {
      for (const json& loc : member(result, "relatedLocations", kNoArray)) {
        f.chain.push_back({location_from(loc, bases), message_text(loc)});
      }
    }
    if (result.contains("properties") && result["properties"].is_object()) {
      f.properties = result["properties"];
      if (f.properties.contains("fix") && f.properties["fix"].is_string()) {
        f.fix = f.properties["fix"];
        f.properties.erase("fix");
      }
    }
    findings->push_back(std::move(f));
  }
  return true;
}

bool findings_from_sarif(const json& log, std::vector<Finding>* findings, std::string* error) {
  if (!log.is_object() || log.value("version", "") != "2.1.0" || !log.contains("runs") ||
      !log["runs"].is_array()) {
    *error = "not a SARIF 2.1.0 log (needs \"version\": \"2.1.0\" and a \"runs\" array)";
    return false;
  }
  size_t run_number = 0;
  for (const json& run : log["runs"]) {
    if (!findings_from_run(run, ++run_number, findings, error)) return false;
  }
  return true;
}

json merge_sarif(const std::vector<json>& logs) {
  json runs = json::array();
  std::map<std::string, size_t> run_of_key;  // tool name + kind -> index in runs
  std::map<size_t, std::set<std::string>> seen;
  for (const json& log : logs) {
    for (const json& run : member(log, "runs", kNoArray)) {
      // One run per tool, version and kind: results of two versions of a
      // tool are not one version's.
      const json& driver = member(member(run, "tool", kNoObject), "driver", kNoObject);
      std::string key = driver.value("name", "") + "\n" + driver.value("version", "") + "\n" +
                        member(run, "properties", kNoObject).value("forksafeKind", "");
      auto found = run_of_key.find(key);
      if (found == run_of_key.end()) {
        found = run_of_key.emplace(key, runs.size()).first;
        json copy = run;
        copy["results"] = json::array();
        copy["invocations"] = json::array();
        runs.push_back(copy);
      }
      json& target = runs[found->second];
      // Results from a run with another source root keep their own, as absolute URIs.
      auto target_bases = base_paths(target);
      auto source_bases = base_paths(run);
      for (const json& inv : member(run, "invocations", kNoArray)) target["invocations"].push_back(inv);
      for (json result : member(run, "results", kNoArray)) {
        for (json* loc_list : {&result["locations"], &result["relatedLocations"]}) {
          if (!loc_list->is_array()) continue;
          for (json& loc : *loc_list) {
            if (!loc.contains("physicalLocation") || !loc["physicalLocation"].contains("artifactLocation")) continue;
            json& art = loc["physicalLocation"]["artifactLocation"];
            std::string base = art.value("uriBaseId", "");
            if (base.empty() || target_bases[base] == source_bases[base]) continue;
            art["uri"] = "file://" + uri_encode(source_bases[base] + uri_decode(art.value("uri", "")));
            art.erase("uriBaseId");
          }
        }
        if (result.contains("relatedLocations") && result.contains("codeFlows")) {
          // Keep the code flow consistent with the rewritten related locations.
          json& flow = result["codeFlows"][0]["threadFlows"][0]["locations"];
          for (size_t i = 0; i < flow.size() && i < result["relatedLocations"].size(); ++i) {
            json loc = result["relatedLocations"][i];
            loc.erase("id");
            flow[i]["location"] = loc;
          }
        }
        std::string identity = result.value("ruleId", "") + "\n" +
                               member(result, "partialFingerprints", kNoObject).value(kFingerprintKey, "") +
                               "\n" + member(result, "locations", kNoArray).dump();
        if (seen[found->second].insert(identity).second) target["results"].push_back(result);
      }
    }
  }
  return {{"$schema", kSchema}, {"version", "2.1.0"}, {"runs", runs}};
}

}  // namespace forksafe
