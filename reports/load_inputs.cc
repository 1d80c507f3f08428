#include "reports/load_inputs.h"

#include <chrono>
#include <filesystem>
#include <functional>

#include "common/json_input.h"
#include "common/rules.h"
#include "common/sarif.h"
#include "reports/utc_time.h"

namespace forksafe::reports {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string modification_time(const std::string& path) {
  std::error_code ec;
  auto when = fs::last_write_time(path, ec);
  if (ec) return "";
  return utc_iso8601(std::chrono::system_clock::to_time_t(std::chrono::file_clock::to_sys(when)));
}

void append(std::string* list, const std::string& item) {
  if (list->find(item) != std::string::npos) return;
  *list += (list->empty() ? "" : ", ") + item;
}

// Every result of a log, with its run's index: from the log itself, or
// streamed from its file (see load_inputs).
using EachResult = std::function<void(size_t run, json& result)>;
using ResultSource = std::function<void(const EachResult&)>;

// `log` is the log, or its skeleton (every "results" empty) when `results`
// streams them: a log of 100,000 results is never in memory whole.
void load_sarif(const json& log, const ResultSource& results, size_t input_index, Input* input, ReportData* data) {
  if (log.value("version", "") != "2.1.0" || !log.contains("runs") || !log["runs"].is_array()) {
    input_error(input->path, "not a SARIF 2.1.0 log (needs \"version\": \"2.1.0\" and a \"runs\" array)");
  }
  // Each finding keeps the kind (static or runtime) of the run it came from.
  std::vector<RunContext> contexts;
  std::vector<std::string> kinds;
  std::string error;
  for (const json& run : log["runs"]) {
    if (!check_run(run, contexts.size() + 1, &error)) input_error(input->path, error);
    contexts.push_back(run_context(run));
    kinds.push_back(run.value("properties", json::object()).value("forksafeKind", ""));
    if (!kinds.back().empty()) append(&input->kinds, kinds.back());  // also for a run without results
    const json driver = run.value("tool", json::object()).value("driver", json::object());
    if (input->tool.empty()) input->tool = driver.value("name", "") + " " + driver.value("version", "");
    const json invocations = run.value("invocations", json::array());
    if (input->command_line.empty() && invocations.is_array() && !invocations.empty()) {
      input->command_line = invocations[0].value("commandLine", "");
    }
  }
  std::vector<size_t> numbers(contexts.size(), 0);
  results([&](size_t run, json& result) {
    Finding f;
    if (!finding_from_result(result, contexts[run], &f, &error)) {
      input_error(input->path, "run " + std::to_string(run + 1) + ", result " + std::to_string(numbers[run] + 1) +
                                   ": " + error);
    }
    ++numbers[run];
    if (f.fix.empty()) {
      if (const Rule* rule = find_rule(f.rule)) f.fix = rule->fix;
    }
    // Another tool's run does not say its kind: runtime rules name themselves.
    const std::string& kind = kinds[run];
    std::string finding_kind = !kind.empty() ? kind : f.rule.rfind("runtime-", 0) == 0 ? "runtime" : "static";
    append(&input->kinds, finding_kind);
    data->findings.push_back({std::move(f), finding_kind, input_index});
    ++input->items;
  });
}

ResultSource results_in(const json& log) {
  return [&log](const EachResult& each) {
    size_t run = 0;
    for (const json& r : log["runs"]) {
      for (json result : r.value("results", json::array())) each(run, result);
      ++run;
    }
  };
}

// Checks that `item[key]` exists and has the right type; `what` names the item in errors.
void require(const json& item, const char* key, json::value_t type, const std::string& path,
             const std::string& what) {
  static const auto type_name = [](json::value_t t) {
    return t == json::value_t::string ? "a string" : t == json::value_t::boolean ? "a boolean" : "a number";
  };
  bool number = type == json::value_t::number_float;
  if (!item.contains(key) || (number ? !item[key].is_number() : item[key].type() != type)) {
    input_error(path, what + ": \"" + key + "\" must be " + type_name(type));
  }
}

void load_scenarios(const json& cells, const std::string& path, ReportData* data) {
  for (size_t i = 0; i < cells.size(); ++i) {
    json cell = cells[i];
    std::string what = "scenario result " + std::to_string(i + 1);
    for (const char* key : {"scenario", "spawner", "expected", "outcome"}) require(cell, key, json::value_t::string, path, what);
    require(cell, "passed", json::value_t::boolean, path, what);
    require(cell, "seconds", json::value_t::number_float, path, what);
    if (cell["seconds"].get<double>() < 0) input_error(path, what + ": \"seconds\" must not be negative");
    if (!cell.contains("detail")) cell["detail"] = "";
    if (!cell.contains("injected")) cell["injected"] = false;
    require(cell, "detail", json::value_t::string, path, what);
    require(cell, "injected", json::value_t::boolean, path, what);
    data->scenarios.push_back(std::move(cell));
  }
}

void load_bench(const json& points, const std::string& path, ReportData* data) {
  for (size_t i = 0; i < points.size(); ++i) {
    json point = points[i];
    std::string what = "measurement " + std::to_string(i + 1);
    require(point, "strategy", json::value_t::string, path, what);
    for (const char* key : {"size_gib", "ms_median", "ms_min", "ms_max", "runs"}) {
      require(point, key, json::value_t::number_float, path, what);
    }
    // The chart's time axis is logarithmic: a time must be above zero.
    for (const char* key : {"ms_median", "ms_min", "ms_max"}) {
      if (!(point[key].get<double>() > 0)) input_error(path, what + ": \"" + key + "\" must be above 0");
    }
    if (point["size_gib"].get<double>() < 0) input_error(path, what + ": \"size_gib\" must not be negative");
    if (!point.contains("ensurestart")) point["ensurestart"] = nullptr;
    if (!point["ensurestart"].is_null() && !point["ensurestart"].is_boolean()) {
      input_error(path, what + ": \"ensurestart\" must be a boolean or null");
    }
    // The name of the line a point belongs to in the chart and tables.
    std::string series = point["strategy"];
    if (point["ensurestart"].is_boolean()) series += point["ensurestart"].get<bool>() ? ", wait for start" : ", no wait";
    point["series"] = series;
    data->bench.push_back(std::move(point));
  }
}

// An array whose every element is an object with `key`.
bool is_array_of(const json& value, const char* key) {
  if (!value.is_array() || value.empty()) return false;
  for (const json& item : value) {
    if (!item.is_object() || !item.contains(key)) return false;
  }
  return true;
}

// `results` streams the results of a SARIF `value` (a skeleton then).
void load_value(const std::string& path, const json& value, const ResultSource& results, ReportData* data) {
  Input input{path, "", "", 0, modification_time(path), "", ""};
  try {
    if (value.is_object() && (value.contains("runs") || value.contains("version"))) {
      input.format = "sarif";
      load_sarif(value, results, data->inputs.size(), &input, data);
    } else if (is_array_of(value, "scenario")) {
      input.format = "scenarios";
      input.items = value.size();
      load_scenarios(value, path, data);
    } else if (is_array_of(value, "strategy")) {
      input.format = "bench";
      input.items = value.size();
      load_bench(value, path, data);
    } else {
      input_error(path, "unknown input: expected SARIF 2.1.0, or the JSON of `forksafe scenarios` or `forksafe bench spawn`");
    }
  } catch (const json::exception& e) {
    // A log shaped like SARIF whose parts have the wrong types.
    input_error(path, "malformed " + input.format + ": " + json_error_text(e));
  }
  data->inputs.push_back(std::move(input));
}

}  // namespace

void load_input(const std::string& path, const json& value, ReportData* data) {
  load_value(path, value, results_in(value), data);
}

ReportData load_inputs(const std::vector<std::string>& paths) {
  ReportData data;
  for (const std::string& path : paths) {
    // First pass: everything but the results (a run's tool and rules may
    // come after them). A pipe cannot be read twice: its results are kept.
    json skeleton;
    bool rereadable = true;
    std::vector<std::pair<size_t, json>> kept;
    stream_json_input(path, &skeleton, [&](size_t run, json& result) {
      if (!rereadable) kept.emplace_back(run, std::move(result));
    }, &rereadable);
    ResultSource results = [&](const EachResult& each) {
      if (!rereadable) {
        for (auto& [run, result] : kept) each(run, result);
        return;
      }
      json again;
      stream_json_input(path, &again, each);
    };
    load_value(path, skeleton, results, &data);
  }
  return data;
}

}  // namespace forksafe::reports
