// GitHub code scanning's limits on an uploaded SARIF file
// (docs.github.com, "SARIF results exceed limits"): over them an upload is
// rejected. What forksafe writes is cut to fit, and every cut is said on
// stderr and in a notification of the run.
#pragma once

#include <cstddef>
#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace forksafe {

inline constexpr size_t kMaxResultsPerRun = 25000;
inline constexpr size_t kMaxThreadFlowLocationsPerResult = 10000;
inline constexpr size_t kMaxGzippedBytes = 10'000'000;  // 10 MB

// Cuts a result's thread flow to the limit, keeping its first steps and its
// last (the problem); returns how many steps were left out.
size_t fit_result(nlohmann::json& result);

// Fits a run: results over the limit are left out (notes first, then
// warnings, keeping the order of the rest), then each result's steps. Returns
// one line per cut, each also added to the run as a warning notification.
std::vector<std::string> fit_run(nlohmann::json& run);

// A warning notification in the run's first invocation.
void add_notification(nlohmann::json& run, const std::string& text);

// The size of text compressed with gzip (zlib, default level), fed in pieces.
class GzipSize {
 public:
  GzipSize();
  ~GzipSize();
  GzipSize(const GzipSize&) = delete;
  GzipSize& operator=(const GzipSize&) = delete;
  void add(std::string_view text);
  size_t finish();  // the compressed size of everything added

 private:
  void deflate_all(int flush);
  struct State;
  std::unique_ptr<State> state_;
  size_t size_ = 0;
};

// The line said when a file is over kMaxGzippedBytes compressed; "" when not.
std::string gzip_limit_text(size_t gzipped_bytes);

// Writes a SARIF log to `path` ("" or "-": stdout), compact unless `pretty`,
// fitted to the limits; says each cut, and a file too large even so, on
// `warnings` as "WHO: warning: ..." lines.
void write_sarif(const std::string& path, nlohmann::json log, bool pretty, std::ostream& warnings,
                 const std::string& who);

}  // namespace forksafe
