#include "common/sarif.h"

#include <cctype>
#include <cstdio>
#include <map>
#include <set>
#include <streambuf>
#include <string_view>

#include "common/json_input.h"
#include "common/rules.h"
#include "common/sarif_limits.h"
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

json region_json(const Location& loc) {
  json region = {{"startLine", loc.line}};
  if (loc.column > 0) region["startColumn"] = loc.column;
  if (loc.end_line >= loc.line && loc.end_column > 0 && (loc.end_line > loc.line || loc.end_column > loc.column)) {
    region["endLine"] = loc.end_line;
    region["endColumn"] = loc.end_column;
  }
  return region;
}

// Every artifact the results name, once each, in the order first named
// (run.artifacts).
class Artifacts {
 public:
  json location(const std::string& file, const std::string& root) {
    json art = artifact_location(file, root);
    if (seen_.insert(art.dump()).second) list_.push_back({{"location", art}});
    return art;
  }
  const json& list() const { return list_; }

 private:
  std::set<std::string> seen_;
  json list_ = json::array();
};

json location_json(const Location& loc, const std::string& root, const std::string& message, Artifacts& artifacts) {
  json out = json::object();
  json physical = json::object();
  if (!loc.file.empty()) {
    physical["artifactLocation"] = artifacts.location(loc.file, root);
    if (loc.line > 0) physical["region"] = region_json(loc);
  }
  if (!loc.module.empty()) {
    physical["address"] = {{"name", loc.module}, {"relativeAddress", loc.offset}};
  }
  if (!physical.empty()) out["physicalLocation"] = physical;
  if (!loc.function.empty()) out["logicalLocations"] = {{{"fullyQualifiedName", loc.function}}};
  if (!message.empty()) out["message"] = {{"text", message}};
  return out;
}

// SARIF wants a rule's name to differ from its opaque id: "fork-exit" is ForkExit.
std::string rule_name(std::string_view id) {
  std::string name;
  bool upper = true;
  for (char c : id) {
    if (c == '-') {
      upper = true;
      continue;
    }
    name += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return name;
}

json rule_json(const Rule& rule) {
  json properties = {{"precision", rule.precision},
                     {"problem.severity", rule.default_level == Level::note ? "recommendation" : level_name(rule.default_level)},
                     {"tags", json::array()}};
  for (size_t at = 0; at < rule.tags.size();) {
    size_t end = std::min(rule.tags.find(' ', at), rule.tags.size());
    properties["tags"].push_back(rule.tags.substr(at, end - at));
    at = end + 1;
  }
  if (!rule.security_severity.empty()) properties["security-severity"] = rule.security_severity;
  json help = {{"text", std::string(rule.help) + " Fix: " + std::string(rule.fix)}};
  if (std::string_view markdown = help_markdown(rule.id); !markdown.empty()) help["markdown"] = markdown;
  return {{"id", rule.id},
          {"name", rule_name(rule.id)},
          {"shortDescription", {{"text", rule.short_description}}},
          {"fullDescription", {{"text", rule.help}}},
          {"help", help},
          {"defaultConfiguration", {{"level", level_name(rule.default_level)}}},
          {"properties", properties}};
}

// SARIF's fix: the edits grouped by file, in byte offsets.
json fixes_json(const Finding& f, const std::string& root, Artifacts& artifacts) {
  json changes = json::array();
  std::map<std::string, size_t> by_file;
  for (const Replacement& r : f.edits) {
    auto [it, added] = by_file.emplace(r.file, changes.size());
    if (added) changes.push_back({{"artifactLocation", artifacts.location(r.file, root)}, {"replacements", json::array()}});
    changes[it->second]["replacements"].push_back(
        {{"deletedRegion", {{"byteOffset", r.offset}, {"byteLength", r.length}}}, {"insertedContent", {{"text", r.text}}}});
  }
  return json::array({{{"description", {{"text", f.fix.empty() ? "Apply the fix." : f.fix}}}, {"artifactChanges", changes}}});
}

json result_json(const Finding& f, const std::string& root, const std::map<std::string_view, int>& index,
                 Artifacts& artifacts) {
  json result = {{"ruleId", f.rule},
                 {"level", level_name(f.level)},
                 {"message", {{"text", f.message}}},
                 {"locations", json::array({location_json(f.location, root, "", artifacts)})},
                 {"partialFingerprints", {{kFingerprintKey, fingerprint(f, root)}}}};
  if (auto it = index.find(f.rule); it != index.end()) result["ruleIndex"] = it->second;
  if (!f.chain.empty()) {
    json related = json::array();
    json flow = json::array();
    int id = 1;
    for (const Step& step : f.chain) {
      json loc = location_json(step.location, root, step.message, artifacts);
      flow.push_back({{"location", loc}, {"executionOrder", id}});
      loc["id"] = id++;
      related.push_back(loc);
    }
    result["relatedLocations"] = related;
    result["codeFlows"] = {{{"threadFlows", {{{"locations", flow}}}}}};
  }
  if (!f.edits.empty()) result["fixes"] = fixes_json(f, root, artifacts);
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
    const json& region = physical["region"];
    out.line = region.value("startLine", 0);
    out.column = region.value("startColumn", 0);
    out.end_line = region.value("endLine", 0);
    out.end_column = region.value("endColumn", 0);
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
  Artifacts artifacts;
  for (const Finding& f : findings) results.push_back(result_json(f, root, index, artifacts));

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
  if (!options.working_directory.empty()) {
    invocation["workingDirectory"] = {{"uri", "file://" + uri_encode(with_slash(options.working_directory))}};
  }
  if (!notifications.empty()) invocation["toolExecutionNotifications"] = notifications;

  json run = {{"tool",
               {{"driver",
                 {{"name", "forksafe"},
                  {"version", options.tool_version.empty() ? kVersion : options.tool_version},
                  {"informationUri", "https://github.com/forksafe/forksafe"},
                  {"rules", rules}}}}},
              {"invocations", json::array({invocation})},
              {"results", results},
              {"artifacts", artifacts.list()},
              {"columnKind", "unicodeCodePoints"}};
  std::string category = options.category;
  if (category.empty() && options.kind == "static") category = "forksafe/analyze/";
  if (category.empty() && options.kind == "runtime") category = "forksafe/run/";
  if (!category.empty()) run["automationDetails"] = {{"id", category}};
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
  // The first fix's edits given in bytes (ours; others' may use lines).
  const json& fixes = member(result, "fixes", kNoArray);
  for (const json& change : fixes.empty() ? kNoArray : member(fixes[0], "artifactChanges", kNoArray)) {
    std::string file = location_from({{"physicalLocation", {{"artifactLocation", member(change, "artifactLocation", kNoObject)}}}}, bases).file;
    for (const json& r : member(change, "replacements", kNoArray)) {
      const json& deleted = member(r, "deletedRegion", kNoObject);
      if (!deleted.contains("byteOffset")) continue;
      f.edits.push_back({file, deleted.value("byteOffset", 0u), deleted.value("byteLength", 0u),
                         member(r, "insertedContent", kNoObject).value("text", "")});
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

namespace {

std::string category_of(const json& run) { return member(run, "automationDetails", kNoObject).value("id", ""); }

// Every artifactLocation under `value` whose uriBaseId means another
// directory in `source` than in `target` becomes an absolute URI.
void rebase(json& value, const std::map<std::string, std::string>& target, const std::map<std::string, std::string>& source) {
  if (value.is_array()) {
    for (json& item : value) rebase(item, target, source);
    return;
  }
  if (!value.is_object()) return;
  for (auto& [key, item] : value.items()) {
    if (key != "artifactLocation" || !item.is_object()) {
      rebase(item, target, source);
      continue;
    }
    std::string base = item.value("uriBaseId", "");
    auto directory = [&](const std::map<std::string, std::string>& bases) {
      auto it = bases.find(base);
      return it == bases.end() ? std::string() : it->second;
    };
    std::string from = directory(source);
    if (base.empty() || from == directory(target)) continue;
    item["uri"] = "file://" + uri_encode(from + uri_decode(item.value("uri", "")));
    item.erase("uriBaseId");
  }
}

}  // namespace

size_t MergedRuns::add(const json& run) {
  // One run per tool, version, kind and category: results of two versions of
  // a tool are not one version's, and code scanning keeps categories apart.
  const json& driver = member(member(run, "tool", kNoObject), "driver", kNoObject);
  std::string key = driver.value("name", "") + "\n" + driver.value("version", "") + "\n" +
                    member(run, "properties", kNoObject).value("forksafeKind", "") + "\n" + category_of(run);
  auto found = index_.find(key);
  if (found == index_.end()) {
    found = index_.emplace(key, runs_.size()).first;
    json copy = json::object();
    for (const auto& [name, value] : run.items()) {
      if (name != "results") copy[name] = value;
    }
    copy["results"] = json::array();
    copy["invocations"] = json::array();
    copy["artifacts"] = json::array();
    runs_.push_back(std::move(copy));
    seen_.emplace_back();
    artifacts_.emplace_back();
  }
  json& target = runs_[found->second];
  for (const json& inv : member(run, "invocations", kNoArray)) target["invocations"].push_back(inv);
  auto target_bases = base_paths(target);
  auto source_bases = base_paths(run);
  for (const json& listed : member(run, "artifacts", kNoArray)) {
    json artifact = {{"artifactLocation", member(listed, "location", kNoObject)}};  // as rebase() finds it
    rebase(artifact, target_bases, source_bases);
    artifact = {{"location", std::move(artifact["artifactLocation"])}};
    if (artifacts_[found->second].insert(artifact.dump(-1, ' ', false, json::error_handler_t::replace)).second) {
      target["artifacts"].push_back(std::move(artifact));
    }
  }
  return found->second;
}

std::vector<std::string> MergedRuns::upload_problems() const {
  std::vector<std::string> problems;
  if (runs_.size() > 20) {
    problems.push_back(std::to_string(runs_.size()) + " runs: GitHub code scanning rejects more than 20 runs per file");
  }
  std::map<std::string, std::vector<std::string>> by_category;
  for (const json& run : runs_) {
    const json& driver = member(member(run, "tool", kNoObject), "driver", kNoObject);
    by_category[driver.value("name", "") + " with category '" + category_of(run) + "'"].push_back(driver.value("version", ""));
  }
  for (const auto& [what, versions] : by_category) {
    if (versions.size() < 2) continue;
    std::string list;
    for (const std::string& v : versions) list += (list.empty() ? "" : ", ") + v;
    problems.push_back(std::to_string(versions.size()) + " runs of " + what + " (versions " + list +
                       "): GitHub code scanning rejects two runs of one tool and category in one upload");
  }
  return problems;
}

bool MergedRuns::take(size_t target, const json& source_run, json& result) {
  if (!result.is_object()) return false;
  // Results from a run with another source root keep their own, as absolute URIs.
  rebase(result, base_paths(runs_[target]), base_paths(source_run));
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

namespace {

// Passes text on to another stream buffer and counts its gzipped size.
class GzipTee : public std::streambuf {
 public:
  GzipTee(std::streambuf* out, GzipSize* size) : out_(out), size_(size) {}

 protected:
  std::streamsize xsputn(const char* text, std::streamsize n) override {
    size_->add(std::string_view(text, static_cast<size_t>(n)));
    return out_->sputn(text, n);
  }
  int_type overflow(int_type c) override {
    if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
    char ch = traits_type::to_char_type(c);
    return xsputn(&ch, 1) == 1 ? c : traits_type::eof();
  }
  int sync() override { return out_->pubsync(); }

 private:
  std::streambuf* out_;
  GzipSize* size_;
};

// JSON text of a piece of the merged log at nesting `depth`.
std::string json_text(const json& value, bool pretty, unsigned depth) {
  std::string text;
  nlohmann::detail::serializer<json> serializer(nlohmann::detail::output_adapter<char>(text), ' ',
                                                json::error_handler_t::replace);
  serializer.dump(value, pretty, false, 2, pretty ? 2 * depth : 0);
  return text;
}

}  // namespace

std::vector<std::string> SarifFileMerge::write(std::ostream& sink, bool pretty) {
  GzipSize gzipped;
  GzipTee tee(sink.rdbuf(), &gzipped);
  std::ostream out(&tee);
  auto line = [&](unsigned depth) { return pretty ? "\n" + std::string(2 * depth, ' ') : std::string(); };
  const char* colon = pretty ? ": " : ":";
  std::vector<std::string> warnings = merged_.upload_problems();
  out << "{" << line(1) << "\"$schema\"" << colon << json_text(kSchema, pretty, 1) << "," << line(1) << "\"version\""
      << colon << "\"2.1.0\"," << line(1) << "\"runs\"" << colon << "[";
  for (size_t target = 0; target < merged_.runs().size(); ++target) {
    // The run without its results and invocations, then the results streamed
    // in, then the invocations with a notification for what was cut.
    json run = merged_.run(target);
    json invocations = std::move(run["invocations"]);
    run.erase("results");
    run.erase("invocations");
    std::string head = json_text(run, pretty, 2);
    head.pop_back();  // the closing brace
    while (!head.empty() && (head.back() == ' ' || head.back() == '\n')) head.pop_back();
    out << (target ? "," : "") << line(2) << head << (run.empty() ? "" : ",") << line(3) << "\"results\"" << colon << "[";
    size_t count = 0, left_out = 0, trimmed = 0, steps = 0;
    for (Input& input : inputs_) {
      auto each = [&](size_t run_index, json& result) {
        if (input.targets[run_index] != target) return;
        if (!merged_.take(target, input.skeleton["runs"][run_index], result)) return;
        if (count == kMaxResultsPerRun) {
          ++left_out;
          return;
        }
        if (size_t cut = fit_result(result)) {
          ++trimmed;
          steps += cut;
        }
        out << (count++ ? "," : "") << line(4) << json_text(result, pretty, 4);
      };
      if (!input.rereadable) {
        for (auto& [run_index, result] : input.kept) each(run_index, result);
      } else {
        json again;
        stream_json_input(input.path, &again, each);
      }
    }
    out << line(3) << "]";
    json fitted = {{"invocations", std::move(invocations)}};
    if (left_out) {
      warnings.push_back("run " + std::to_string(target + 1) + ": left out the last " + std::to_string(left_out) +
                         " results: GitHub code scanning rejects more than " + std::to_string(kMaxResultsPerRun) + " per run");
      add_notification(fitted, warnings.back());
    }
    if (trimmed) {
      warnings.push_back("run " + std::to_string(target + 1) + ": cut the code flows of " + std::to_string(trimmed) +
                         " results (" + std::to_string(steps) + " steps left out): GitHub code scanning rejects more than " +
                         std::to_string(kMaxThreadFlowLocationsPerResult) + " thread flow locations per result");
      add_notification(fitted, warnings.back());
    }
    out << "," << line(3) << "\"invocations\"" << colon << json_text(fitted["invocations"], pretty, 3) << line(2) << "}";
  }
  out << line(1) << "]" << line(0) << "}\n";
  out.flush();
  if (std::string over = gzip_limit_text(gzipped.finish()); !over.empty()) warnings.push_back(over);
  return warnings;
}

}  // namespace forksafe
