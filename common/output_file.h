// How every command writes its output files, so that none ever harms a file
// of the user's: a new or plain regular file is written to a fresh temporary
// beside it and renamed over it only when the whole output was written; a
// device, FIFO, symlink or hard-linked file is written through, like the
// shell's `>`, and never replaced. A write error (a full disk, /dev/full) is
// an error, never a silent success.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace forksafe {

// One line that names the file: "cannot write PATH: reason".
struct OutputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Calls `write` with a stream to `path` ("" or "-": standard output) and
// commits it. Throws OutputError when the file cannot be written; on a
// regular file the old content is then left as it was.
void write_output(const std::string& path, const std::function<void(std::ostream&)>& write);
void write_output(const std::string& path, std::string_view text);

// Writes `value` as JSON (and a newline) straight into `out`, without a
// string copy of the whole text: compact, or indented by two when `pretty`. Bytes that are not UTF-8 (a file name from
// another locale) become U+FFFD instead of an exception that loses the whole
// output; URIs keep them exactly, percent-encoded.
void dump_json(std::ostream& out, const nlohmann::json& value, bool pretty = false);

// Replaces the content of the user's own file `path` (a source --fix edits):
// only a regular file with one link, through a temporary beside it renamed
// over it, with its mode kept. Throws OutputError for a symlink, a device, a
// hard-linked file or a failed write; the file is then left as it was.
void replace_file(const std::string& path, std::string_view text);

// Throws OutputError when `path` could not be written (no such directory, no
// permission, a directory): checked before a long run, not instead of errors.
void check_output_writable(const std::string& path);

// True when `a` and `b` name the same file (one may not exist yet).
bool same_file(const std::string& a, const std::string& b);

// Throws OutputError ("OPTION PATH is the input INPUT") when `output` is one
// of `inputs`. `option` is how the user named the output, e.g. "-o".
void refuse_output_over_inputs(const std::string& option, const std::string& output,
                               const std::vector<std::string>& inputs);

}  // namespace forksafe
