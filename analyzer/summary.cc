#include "analyzer/summary.h"

namespace forksafe::analyzer {

using nlohmann::json;

namespace {

json location_json(const Location& l) {
  json out = {{"file", l.file}, {"line", l.line}, {"column", l.column}, {"function", l.function}};
  if (l.end_line > 0) out.update({{"end_line", l.end_line}, {"end_column", l.end_column}});
  if (l.file_offset >= 0) out["file_offset"] = l.file_offset;
  return out;
}

Location location_from(const json& j) {
  Location l;
  l.file = j.at("file");
  l.line = j.at("line");
  l.column = j.at("column");
  l.function = j.at("function");
  l.end_line = j.value("end_line", 0);
  l.end_column = j.value("end_column", 0);
  l.file_offset = j.value("file_offset", -1LL);
  return l;
}

json edits_json(const std::vector<Replacement>& edits) {
  json out = json::array();
  for (const Replacement& r : edits) {
    out.push_back({{"file", r.file}, {"offset", r.offset}, {"length", r.length}, {"text", r.text}});
  }
  return out;
}

std::vector<Replacement> edits_from(const json& j) {
  std::vector<Replacement> out;
  for (const json& r : j) out.push_back({r.at("file"), r.at("offset"), r.at("length"), r.at("text")});
  return out;
}

json call_json(const Call& c) {
  json out = {{"usr", c.usr},     {"name", c.name},     {"where", location_json(c.where)},
              {"model", c.model}, {"follow", c.follow}, {"via", c.via}};
  if (!c.fix.empty()) out["fix"] = edits_json(c.fix);
  return out;
}

Call call_from(const json& j) {
  return {j.at("usr"),   j.at("name"),   location_from(j.at("where")),
          j.at("model"), j.at("follow"), j.at("via"),
          edits_from(j.value("fix", json::array()))};
}

json calls_json(const std::vector<Call>& calls) {
  json out = json::array();
  for (const Call& c : calls) out.push_back(call_json(c));
  return out;
}

std::vector<Call> calls_from(const json& j) {
  std::vector<Call> out;
  for (const json& c : j) out.push_back(call_from(c));
  return out;
}

json leaves_json(const std::vector<WindowLeave>& leaves) {
  json out = json::array();
  for (const WindowLeave& l : leaves) {
    out.push_back({{"how", static_cast<int>(l.how)}, {"where", location_json(l.where)},
                   {"last_call", l.last_call}, {"last_call_name", l.last_call_name}});
  }
  return out;
}

json writes_json(const std::vector<VforkWrite>& writes) {
  json out = json::array();
  for (const VforkWrite& w : writes) out.push_back({{"where", location_json(w.where)}, {"what", w.what}});
  return out;
}

}  // namespace

json to_json(const TuSummary& tu) {
  json functions = json::array();
  for (const FunctionSummary& f : tu.functions) {
    functions.push_back({{"usr", f.usr}, {"name", f.name}, {"where", location_json(f.where)},
                         {"calls", calls_json(f.calls)}, {"last_call", f.last_call},
                         {"last_call_name", f.last_call_name}, {"ends_in_exit", f.ends_in_exit},
                         {"fork_result", f.fork_result}, {"fork_kind", f.fork_kind}});
  }
  json windows = json::array();
  for (const Window& w : tu.windows) {
    windows.push_back({{"kind", w.kind}, {"tu", w.tu}, {"fork_site", location_json(w.fork_site)},
                       {"calls", calls_json(w.calls)}, {"entry_usr", w.entry_usr},
                       {"entry_name", w.entry_name}, {"leaves", leaves_json(w.leaves)},
                       {"writes", writes_json(w.writes)}, {"shared_memory", w.shared_memory}});
  }
  json local = json::array();
  for (const Finding& f : tu.local_findings) {
    local.push_back({{"rule", f.rule}, {"level", level_name(f.level)}, {"message", f.message},
                     {"location", location_json(f.location)}, {"fix", f.fix},
                     {"edits", edits_json(f.edits)}, {"properties", f.properties}});
  }
  return {{"file", tu.file},           {"errors", tu.errors},
          {"functions", functions},     {"windows", windows},
          {"local_findings", local},    {"fork_pointers", tu.fork_pointers},
          {"fork_like_used", tu.fork_like_used}};
}

TuSummary tu_from_json(const json& j) {
  TuSummary tu;
  tu.file = j.at("file");
  tu.errors = j.at("errors").get<std::vector<std::string>>();
  for (const json& f : j.at("functions")) {
    tu.functions.push_back({f.at("usr"), f.at("name"), location_from(f.at("where")),
                            calls_from(f.at("calls")), f.at("last_call"), f.at("last_call_name"),
                            f.at("ends_in_exit"), f.at("fork_result"), f.at("fork_kind")});
  }
  for (const json& w : j.at("windows")) {
    Window window;
    window.kind = w.at("kind");
    window.tu = w.at("tu");
    window.fork_site = location_from(w.at("fork_site"));
    window.calls = calls_from(w.at("calls"));
    window.entry_usr = w.at("entry_usr");
    window.entry_name = w.at("entry_name");
    for (const json& l : w.at("leaves")) {
      window.leaves.push_back({static_cast<WindowEnd>(l.at("how").get<int>()), location_from(l.at("where")),
                               l.at("last_call"), l.at("last_call_name")});
    }
    for (const json& v : w.at("writes")) window.writes.push_back({location_from(v.at("where")), v.at("what")});
    window.shared_memory = w.at("shared_memory");
    tu.windows.push_back(std::move(window));
  }
  for (const json& f : j.at("local_findings")) {
    Finding finding;
    finding.rule = f.at("rule");
    parse_level(f.at("level"), &finding.level);
    finding.message = f.at("message");
    finding.location = location_from(f.at("location"));
    finding.fix = f.at("fix");
    finding.edits = edits_from(f.value("edits", json::array()));
    finding.properties = f.at("properties");
    tu.local_findings.push_back(std::move(finding));
  }
  tu.fork_pointers = j.at("fork_pointers").get<std::map<std::string, std::string>>();
  tu.fork_like_used = j.at("fork_like_used").get<std::set<std::string>>();
  return tu;
}

}  // namespace forksafe::analyzer
