#include "common/sarif_limits.h"

#include <zlib.h>

#include <algorithm>
#include <numeric>
#include <sstream>
#include <stdexcept>

#include "common/output_file.h"

namespace forksafe {

using nlohmann::json;

namespace {

// GitHub keeps the most severe results; so do we.
int rank(const json& result) {
  std::string level = result.is_object() ? result.value("level", "warning") : "warning";
  return level == "error" ? 0 : level == "warning" ? 1 : 2;
}

}  // namespace

size_t fit_result(json& result) {
  if (!result.is_object() || !result.contains("codeFlows") || !result["codeFlows"].is_array()) return 0;
  size_t budget = kMaxThreadFlowLocationsPerResult, cut = 0;
  for (json& flow : result["codeFlows"]) {
    if (!flow.is_object() || !flow.contains("threadFlows") || !flow["threadFlows"].is_array()) continue;
    for (json& thread : flow["threadFlows"]) {
      if (!thread.is_object() || !thread.contains("locations") || !thread["locations"].is_array()) continue;
      json& steps = thread["locations"];
      size_t keep = std::max<size_t>(budget, 1);  // a thread flow has at least one location
      if (steps.size() > keep) {
        json last = std::move(steps.back());
        cut += steps.size() - keep;
        steps.erase(steps.begin() + static_cast<long>(keep - 1), steps.end());
        steps.push_back(std::move(last));
      }
      budget -= std::min(budget, steps.size());
    }
  }
  return cut;
}

void add_notification(json& run, const std::string& text) {
  if (!run.contains("invocations") || !run["invocations"].is_array() || run["invocations"].empty()) {
    run["invocations"] = json::array({{{"executionSuccessful", true}}});
  }
  run["invocations"][0]["toolExecutionNotifications"].push_back({{"level", "warning"}, {"message", {{"text", text}}}});
}

std::vector<std::string> fit_run(json& run) {
  std::vector<std::string> cuts;
  if (!run.is_object() || !run.contains("results") || !run["results"].is_array()) return cuts;
  json& results = run["results"];
  if (results.size() > kMaxResultsPerRun) {
    std::vector<size_t> order(results.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return rank(results[a]) < rank(results[b]); });
    std::vector<bool> keep(results.size(), false);
    for (size_t i = 0; i < kMaxResultsPerRun; ++i) keep[order[i]] = true;
    size_t left[3] = {0, 0, 0};
    json kept = json::array();
    for (size_t i = 0; i < results.size(); ++i) {
      if (keep[i]) kept.push_back(std::move(results[i]));
      else ++left[rank(results[i])];
    }
    std::string what;
    const char* names[3] = {"errors", "warnings", "notes"};
    for (int r = 2; r >= 0; --r) {
      if (left[r]) what += (what.empty() ? "" : ", ") + std::to_string(left[r]) + " " + names[r];
    }
    cuts.push_back("left out " + std::to_string(results.size() - kMaxResultsPerRun) + " of " +
                   std::to_string(results.size()) + " results (" + what + "): GitHub code scanning rejects more than " +
                   std::to_string(kMaxResultsPerRun) + " per run; the text and JSON formats have them all");
    results = std::move(kept);
  }
  size_t steps = 0, trimmed = 0;
  for (json& result : results) {
    if (size_t cut = fit_result(result)) {
      steps += cut;
      ++trimmed;
    }
  }
  if (trimmed > 0) {
    cuts.push_back("cut the code flows of " + std::to_string(trimmed) + " results (" + std::to_string(steps) +
                   " steps left out, each flow keeps its first steps and its last): GitHub code scanning rejects more than " +
                   std::to_string(kMaxThreadFlowLocationsPerResult) + " thread flow locations per result");
  }
  for (const std::string& cut : cuts) add_notification(run, cut);
  return cuts;
}

struct GzipSize::State {
  z_stream stream{};
};

GzipSize::GzipSize() : state_(std::make_unique<State>()) {
  // 15 + 16: a gzip header and trailer, as `gzip` writes.
  if (deflateInit2(&state_->stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("zlib: cannot start a gzip stream");
  }
}

GzipSize::~GzipSize() { deflateEnd(&state_->stream); }

void GzipSize::deflate_all(int flush) {
  unsigned char out[1 << 16];
  z_stream& z = state_->stream;
  int status;
  do {
    z.next_out = out;
    z.avail_out = sizeof out;
    status = deflate(&z, flush);
    size_ += sizeof out - z.avail_out;
  } while (z.avail_out == 0 || (flush == Z_FINISH && status == Z_OK));
}

void GzipSize::add(std::string_view text) {
  z_stream& z = state_->stream;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  deflate_all(Z_NO_FLUSH);
}

size_t GzipSize::finish() {
  state_->stream.avail_in = 0;
  deflate_all(Z_FINISH);
  return size_;
}

std::string gzip_limit_text(size_t gzipped_bytes) {
  if (gzipped_bytes <= kMaxGzippedBytes) return "";
  return "the SARIF file is " + std::to_string(gzipped_bytes) + " bytes gzipped, over GitHub code scanning's " +
         "upload limit of 10 MB: the upload will be rejected; analyse fewer files per upload (--shard) or "
         "leave out rules";
}

void write_sarif(const std::string& path, json log, bool pretty, std::ostream& warnings, const std::string& who) {
  std::vector<std::string> lines;
  for (json& run : log["runs"]) {
    for (std::string& line : fit_run(run)) lines.push_back(std::move(line));
  }
  auto text = [&] {
    std::ostringstream out;
    dump_json(out, log, pretty);
    return std::move(out).str();
  };
  std::string body = text();
  GzipSize gzipped;
  gzipped.add(body);
  if (std::string over = gzip_limit_text(gzipped.finish()); !over.empty()) {
    lines.push_back(over);
    if (!log["runs"].empty()) {
      add_notification(log["runs"][0], over);
      body = text();
    }
  }
  write_output(path, body);
  for (const std::string& line : lines) warnings << who << ": warning: " << line << "\n";
}

}  // namespace forksafe
