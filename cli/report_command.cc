// forksafe report INPUTS... [-o FILE] [--format html|text|json]: one report
// from SARIF findings, scenario results and spawn benchmarks.
#include <ctime>

#include "cli/command.h"
#include "common/output_file.h"
#include "reports/html_report.h"
#include "reports/load_inputs.h"
#include "reports/report_json.h"
#include "reports/source_excerpts.h"
#include "reports/text_report.h"
#include "reports/utc_time.h"

namespace po = boost::program_options;

namespace forksafe::cli {

namespace {

// Lines of source shown around each line a finding points at.
constexpr int kSourceContext = 4;

void render(const reports::ReportData& data, const std::string& format, const std::vector<std::string>& source_roots,
            bool pretty, std::ostream& out) {
  if (format == "text") {
    reports::render_text(data, out);
    return;
  }
  nlohmann::json report = reports::report_json(data, reports::utc_iso8601(std::time(nullptr)));
  if (format == "json") {
    dump_json(out, report, pretty);
    return;
  }
  report["sources"] = reports::source_excerpts(data.findings, kSourceContext, source_roots);
  report["source_root"] = reports::display_root(source_roots);
  reports::render_html(report, out);
}

// Findings at or above `fail_on` ("none" never fails).
bool has_findings_at(const reports::ReportData& data, const std::string& fail_on) {
  Level threshold;
  if (!parse_level(fail_on, &threshold)) return false;
  for (const auto& rf : data.findings) {
    if (rf.finding.level >= threshold) return true;
  }
  return false;
}

}  // namespace

int report_command(int argc, char** argv) {
  po::options_description options("options");
  std::vector<std::string> inputs;
  std::string output, format, fail_on;
  std::vector<std::string> source_roots;
  bool pretty = false;
  options.add_options()
      ("input", po::value(&inputs), "SARIF, scenarios or bench JSON files")
      ("output,o", po::value(&output), "write the report to FILE (default: standard output)")
      ("format", po::value(&format), "html, text or json (default: html with -o, text without)")
      ("source-root", po::value(&source_roots),
       "HTML: show source excerpts of files under DIR only (repeatable; default: the current directory)")
      ("fail-on", po::value(&fail_on)->default_value("none"),
       "exit 1 when a finding is at or above this level: note, warning, error or none")
      ("pretty", po::bool_switch(&pretty), "json: indent it (default: compact)");
  po::positional_options_description positional;
  positional.add("input", -1);
  std::optional<int> exit_now;
  auto given = parse_options(argc, argv, options, positional,
                "forksafe report INPUT... [-o FILE] [--format html|text|json] [--fail-on LEVEL] [--source-root DIR]", &exit_now);
  if (exit_now) return *exit_now;

  if (given.count("output") && output.empty()) throw UsageError("-o needs a file name");
  if (inputs.empty()) throw UsageError("no inputs: give SARIF files and/or scenarios or bench JSON");
  if (format.empty()) format = output.empty() ? "text" : "html";
  if (format != "html" && format != "text" && format != "json") {
    throw UsageError("unknown --format '" + format + "' (html, text or json)");
  }
  Level unused;
  if (fail_on != "none" && !parse_level(fail_on, &unused)) {
    throw UsageError("unknown --fail-on '" + fail_on + "' (note, warning, error or none)");
  }
  refuse_output_over_inputs("-o", output, inputs);

  reports::ReportData data;
  try {
    data = reports::load_inputs(inputs);
  } catch (const reports::InputError& e) {
    throw UsageError(e.what());
  }

  // The inputs' own originalUriBaseIds are not trusted to say what may be read.
  if (source_roots.empty()) source_roots.push_back(".");
  write_output(output, [&](std::ostream& out) { render(data, format, source_roots, pretty, out); });
  return has_findings_at(data, fail_on) ? kExitFindings : kExitClean;
}

}  // namespace forksafe::cli
