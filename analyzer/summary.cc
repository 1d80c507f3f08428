#include "analyzer/summary.h"

namespace forksafe::analyzer {

using nlohmann::json;

namespace {

json location_json(const Location& l) {
  return {{"file", l.file}, {"line", l.line}, {"column", l.column}, {"function", l.function}};
}

Location location_from(const json& j) {
  Location l;
  l.file = j.at("file");
  l.line = j.at("line");
  l.column = j.at("column");
  l.function = j.at("function");
  return l;
}

json call_json(const Call& c) {
  return {{"usr", c.usr}, {"name", c.name}, {"where", location_json(c.where)}, {"model", c.model},
          {"follow", c.follow}};
}

Call call_from(const json& j) {
  return {j.at("usr"), j.at("name"), location_from(j.at("where")), j.at("model"), j.at("follow")};
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

}  // namespace

json to_json(const TuSummary& tu) {
  json functions = json::array();
  for (const FunctionSummary& f : tu.functions) {
    functions.push_back({{"usr", f.usr}, {"name", f.name}, {"where", location_json(f.where)},
                         {"calls", calls_json(f.calls)}, {"last_call", f.last_call},
                         {"last_call_name", f.last_call_name}, {"ends_in_exit", f.ends_in_exit}});
  }
  json windows = json::array();
  for (const Window& w : tu.windows) {
    windows.push_back({{"kind", w.kind}, {"tu", w.tu}, {"fork_site", location_json(w.fork_site)},
                       {"calls", calls_json(w.calls)}, {"entry_usr", w.entry_usr},
                       {"entry_name", w.entry_name}, {"end", static_cast<int>(w.end)},
                       {"end_call", w.end_call}, {"end_call_name", w.end_call_name},
                       {"end_where", location_json(w.end_where)}});
  }
  json local = json::array();
  for (const Finding& f : tu.local_findings) {
    local.push_back({{"rule", f.rule}, {"level", level_name(f.level)}, {"message", f.message},
                     {"location", location_json(f.location)}, {"fix", f.fix},
                     {"properties", f.properties}});
  }
  return {{"file", tu.file}, {"errors", tu.errors}, {"functions", functions},
          {"windows", windows}, {"local_findings", local}};
}

TuSummary tu_from_json(const json& j) {
  TuSummary tu;
  tu.file = j.at("file");
  tu.errors = j.at("errors").get<std::vector<std::string>>();
  for (const json& f : j.at("functions")) {
    tu.functions.push_back({f.at("usr"), f.at("name"), location_from(f.at("where")),
                            calls_from(f.at("calls")), f.at("last_call"), f.at("last_call_name"),
                            f.at("ends_in_exit")});
  }
  for (const json& w : j.at("windows")) {
    Window window;
    window.kind = w.at("kind");
    window.tu = w.at("tu");
    window.fork_site = location_from(w.at("fork_site"));
    window.calls = calls_from(w.at("calls"));
    window.entry_usr = w.at("entry_usr");
    window.entry_name = w.at("entry_name");
    window.end = static_cast<WindowEnd>(w.at("end").get<int>());
    window.end_call = w.at("end_call");
    window.end_call_name = w.at("end_call_name");
    window.end_where = location_from(w.at("end_where"));
    tu.windows.push_back(std::move(window));
  }
  for (const json& f : j.at("local_findings")) {
    Finding finding;
    finding.rule = f.at("rule");
    parse_level(f.at("level"), &finding.level);
    finding.message = f.at("message");
    finding.location = location_from(f.at("location"));
    finding.fix = f.at("fix");
    finding.properties = f.at("properties");
    tu.local_findings.push_back(std::move(finding));
  }
  return tu;
}

}  // namespace forksafe::analyzer
