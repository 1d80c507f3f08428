#include "common/sarif.h"

#include <cctype>
#include <cstdio>
#include <map>
#include <set>
#include <string_view>

#include "common/json_input.h"
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
  for (const auto& text : options.notes) {
    notifications.push_back({{"level", "note"}, {"message", {{"text", text}}}});
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

bool check_run(const json& run, size_t run_number, std::string* error) {
  std::string where = "run " + std::to_string(run_number);
  if (!run.is_object()) {
    *error = where + " is not an object";
    return false;
  }
  if (!member(run, "results", kNoArray).is_array()) {
    *error = where + ": \"results\" must be an array";
    return false;
  }
  return true;
}

RunContext run_context(const json& run) {
  RunContext context;
  context.bases = base_paths(run);
  const json& rules = member(member(member(run, "tool", kNoObject), "driver", kNoObject), "rules", kNoArray);
  for (const json& rule : rules) {
    Level level = Level::warning;
    if (rule.contains("defaultConfiguration")) sarif_level(rule["defaultConfiguration"].value("level", "warning"), &level);
    context.rule_levels[rule.value("id", "")] = level;
  }
  return context;
}

bool finding_from_result(const json& result, const RunContext& context, Finding* out, std::string* error) {
  // SARIF requires a message on every result, and a finding without one
  // would be shown as an empty line.
  if (!result.is_object() || !result.contains("message") || !result["message"].is_object() ||
      !result["message"].contains("text") || !result["message"]["text"].is_string()) {
    *error = "needs a \"message\" with a \"text\"";
    return false;
  }
  Finding f;
  f.rule = result.value("ruleId", result.contains("rule") ? result["rule"].value("id", "") : "");
  auto rule_level = context.rule_levels.find(f.rule);
  f.level = rule_level != context.rule_levels.end() ? rule_level->second : Level::warning;
  if (result.contains("level")) {
    const json& level = result["level"];
    if (!level.is_string() || !sarif_level(level.get<std::string>(), &f.level)) {
      *error = "\"level\" must be none, note, warning or error, not " + level.dump();
      return false;
    }
  }
  f.message = message_text(result);
  const auto& bases = context.bases;
  if (result.contains("locations") && result["locations"].is_array() && !result["locations"].empty()) {
    f.location = location_from(result["locations"][0], bases);
  }
  if (result.contains("codeFlows") && result["codeFlows"].is_array() && !result["codeFlows"].empty()) {
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
  *out = std::move(f);
  return true;
}

bool findings_from_run(const json& run, size_t run_number, std::vector<Finding>* findings, std::string* error) {
  if (!check_run(run, run_number, error)) return false;
  RunContext context = run_context(run);
  size_t result_number = 0;
  for (const json& result : member(run, "results", kNoArray)) {
    Finding f;
    if (!finding_from_result(result, context, &f, error)) {
      *error = "run " + std::to_string(run_number) + ", result " + std::to_string(result_number + 1) + ": " + *error;
      return false;
    }
    ++result_number;
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

size_t MergedRuns::add(const json& run) {
  // One run per tool, version and kind: results of two versions of a tool
  // are not one version's.
  const json& driver = member(member(run, "tool", kNoObject), "driver", kNoObject);
  std::string key = driver.value("name", "") + "\n" + driver.value("version", "") + "\n" +
                    member(run, "properties", kNoObject).value("forksafeKind", "");
  auto found = index_.find(key);
  if (found == index_.end()) {
    found = index_.emplace(key, runs_.size()).first;
    json copy = json::object();
    for (const auto& [name, value] : run.items()) {
      if (name != "results") copy[name] = value;
    }
    copy["results"] = json::array();
    copy["invocations"] = json::array();
    runs_.push_back(std::move(copy));
    seen_.emplace_back();
  }
  json& target = runs_[found->second];
  for (const json& inv : member(run, "invocations", kNoArray)) target["invocations"].push_back(inv);
  return found->second;
}

bool MergedRuns::take(size_t target, const json& source_run, json& result) {
  if (!result.is_object()) return false;
  // Results from a run with another source root keep their own, as absolute URIs.
  auto target_bases = base_paths(runs_[target]);
  auto source_bases = base_paths(source_run);
  for (const char* list : {"locations", "relatedLocations"}) {
    auto it = result.find(list);
    if (it == result.end() || !it->is_array()) continue;
    for (json& loc : *it) {
      if (!loc.is_object() || !loc.contains("physicalLocation") || !loc["physicalLocation"].is_object() ||
          !loc["physicalLocation"].contains("artifactLocation")) {
        continue;
      }
      json& art = loc["physicalLocation"]["artifactLocation"];
      std::string base = art.value("uriBaseId", "");
      if (base.empty() || target_bases[base] == source_bases[base]) continue;
      art["uri"] = "file://" + uri_encode(source_bases[base] + uri_decode(art.value("uri", "")));
      art.erase("uriBaseId");
    }
  }
  const json& related = member(result, "relatedLocations", kNoArray);
  const json& flows = member(result, "codeFlows", kNoArray);
  if (related.is_array() && flows.is_array() && !flows.empty()) {
    // Keep the code flow consistent with the rewritten related locations.
    const json& threads = member(flows[0], "threadFlows", kNoArray);
    json* flow = threads.is_array() && !threads.empty() && threads[0].is_object() && threads[0].contains("locations")
                     ? &result["codeFlows"][0]["threadFlows"][0]["locations"]
                     : nullptr;
    for (size_t i = 0; flow && flow->is_array() && i < flow->size() && i < related.size(); ++i) {
      if (!(*flow)[i].is_object()) continue;
      json loc = related[i];
      if (loc.is_object()) loc.erase("id");
      (*flow)[i]["location"] = loc;
    }
  }
  std::string identity = result.value("ruleId", "") + "\n" +
                         member(result, "partialFingerprints", kNoObject).value(kFingerprintKey, "") + "\n" +
                         member(result, "locations", kNoArray).dump(-1, ' ', false, json::error_handler_t::replace);
  return seen_[target].insert(identity).second;
}

json merge_sarif(const std::vector<json>& logs) {
  MergedRuns merged;
  for (const json& log : logs) {
    for (const json& run : member(log, "runs", kNoArray)) {
      size_t target = merged.add(run);
      for (json result : member(run, "results", kNoArray)) {
        if (merged.take(target, run, result)) merged.run(target)["results"].push_back(std::move(result));
      }
    }
  }
  return {{"$schema", kSchema}, {"version", "2.1.0"}, {"runs", merged.runs()}};
}

SarifFileMerge::SarifFileMerge(const std::vector<std::string>& paths) {
  for (const std::string& path : paths) {
    try {
      read(path);
    } catch (const json::exception& e) {
      input_error(path, "malformed SARIF: " + json_error_text(e));  // a member of the wrong type
    }
  }
}

void SarifFileMerge::read(const std::string& path) {
  Input input{path, json(), true, {}, {}};
  // Every result is checked now (shape, message, level), before anything is
  // written: the runs' own data (rules, roots) is not needed for that.
  std::vector<size_t> numbers;
  RunContext none;
  stream_json_input(path, &input.skeleton, [&](size_t run, json& result) {
    if (run >= numbers.size()) numbers.resize(run + 1, 0);
    Finding ignored;
    std::string error;
    if (!finding_from_result(result, none, &ignored, &error)) {
      input_error(path, "run " + std::to_string(run + 1) + ", result " + std::to_string(numbers[run] + 1) + ": " + error);
    }
    ++numbers[run];
    if (!input.rereadable) input.kept.emplace_back(run, std::move(result));
  }, &input.rereadable);
  std::vector<Finding> findings;
  std::string error;
  if (!findings_from_sarif(input.skeleton, &findings, &error)) input_error(path, error);
  for (const json& run : input.skeleton["runs"]) input.targets.push_back(merged_.add(run));
  inputs_.push_back(std::move(input));
}

void SarifFileMerge::write(std::ostream& out) {
  auto text = [](const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); };
  out << "{\"$schema\":" << text(kSchema) << ",\"version\":\"2.1.0\",\"runs\":[";
  for (size_t target = 0; target < merged_.runs().size(); ++target) {
    // The run without its results, then the results streamed in before its last brace.
    json run = merged_.run(target);
    run.erase("results");
    std::string head = text(run);
    head.pop_back();
    out << (target ? "," : "") << head << (run.empty() ? "" : ",") << "\"results\":[";
    bool first = true;
    for (Input& input : inputs_) {
      auto each = [&](size_t run_index, json& result) {
        if (input.targets[run_index] != target) return;
        if (!merged_.take(target, input.skeleton["runs"][run_index], result)) return;
        out << (first ? "" : ",") << text(result);
        first = false;
      };
      if (!input.rereadable) {
        for (auto& [run_index, result] : input.kept) each(run_index, result);
      } else {
        json again;
        stream_json_input(input.path, &again, each);
      }
    }
    out << "]}";
  }
  out << "]}\n";
}

}  // namespace forksafe
