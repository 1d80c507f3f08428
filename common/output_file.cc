#include "common/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <streambuf>

namespace forksafe {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& why) {
  throw OutputError("cannot write " + (path.empty() || path == "-" ? std::string("standard output") : path) +
                    ": " + why);
}

// A stream buffer over a descriptor that keeps the first write error's errno
// (ofstream only says that something failed).
class FdBuffer : public std::streambuf {
 public:
  explicit FdBuffer(int fd) : fd_(fd) { setp(buffer_, buffer_ + sizeof buffer_); }
  int error() const { return error_; }

 protected:
  int_type overflow(int_type c) override {
    if (!drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override { return drain() ? 0 : -1; }

 private:
  bool drain() {
    for (char* p = pbase(); p < pptr() && !error_;) {
      ssize_t n = ::write(fd_, p, pptr() - p);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) error_ = n < 0 ? errno : EIO;
      else p += n;
    }
    setp(buffer_, buffer_ + sizeof buffer_);
    return !error_;
  }

  int fd_;
  int error_ = 0;
  char buffer_[1 << 16];
};

// Runs `write` into fd; returns 0 or the errno of the first failed write.
int write_to(int fd, const std::function<void(std::ostream&)>& write) {
  FdBuffer buffer(fd);
  std::ostream out(&buffer);
  write(out);
  out.flush();
  if (buffer.error()) return buffer.error();
  return out ? 0 : EIO;
}

mode_t new_file_mode() {
  mode_t mask = ::umask(0);
  ::umask(mask);
  return 0666 & ~mask;
}

// Like the shell's `>`: for devices, FIFOs, symlinks and hard-linked files,
// which a rename would replace with a new regular file.
void write_through(const std::string& path, const std::function<void(std::ostream&)>& write) {
  struct stat target;
  bool regular = ::stat(path.c_str(), &target) != 0 || S_ISREG(target.st_mode);
  // O_NONBLOCK: a FIFO nobody reads fails at once (ENXIO) instead of waiting.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_NOCTTY | O_CLOEXEC | O_NONBLOCK | (regular ? O_TRUNC : 0),
                  0666);
  if (fd < 0) fail(path, errno == ENXIO ? "no process reads this FIFO" : std::strerror(errno));
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  int error = 0;
  try {
    error = write_to(fd, write);
  } catch (...) {
    ::close(fd);
    throw;
  }
  if (::close(fd) != 0 && !error && errno != EINTR) error = errno;
  if (error) fail(path, std::strerror(error));
}

// Writes a fresh temporary beside `path` and renames it over `path`: a
// reader never sees half a file, and a failed write leaves the old one.
void write_by_rename(const std::string& path, const struct stat* old, const std::function<void(std::ostream&)>& write) {
  // A fresh name beside the file: no input, however named, can be it.
  fs::path target(path);
  fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  // Built piece by piece: "." + name trips GCC 12's -Wrestrict false positive at -O3 (GCC bug 105329).
  std::string name = ".";
  name.append(target.filename().string()).append(".forksafe-XXXXXX");
  std::string temp = (dir / name).string();
  int fd = ::mkstemp(temp.data());
  if (fd < 0) {
    // A writable file in a directory we may not create files in: write it in place.
    if (old && errno == EACCES && ::access(path.c_str(), W_OK) == 0) return write_through(path, write);
    fail(path, errno == ENOENT ? "no such directory" : std::strerror(errno));
  }
  ::fchmod(fd, old ? (old->st_mode & 07777) : new_file_mode());
  int error = 0;
  try {
    error = write_to(fd, write);
  } catch (...) {
    ::close(fd);
    ::unlink(temp.c_str());
    throw;
  }
  if (::close(fd) != 0 && !error) error = errno;
  if (!error && ::rename(temp.c_str(), path.c_str()) != 0) error = errno;
  if (error) {
    ::unlink(temp.c_str());
    fail(path, std::strerror(error));
  }
}

}  // namespace

void write_output(const std::string& path, const std::function<void(std::ostream&)>& write) {
  if (path.empty() || path == "-") {
    if (int error = write_to(STDOUT_FILENO, write)) fail(path, std::strerror(error));
    return;
  }
  struct stat st;
  bool exists = ::lstat(path.c_str(), &st) == 0;
  if (exists && S_ISDIR(st.st_mode)) fail(path, "is a directory");
  if (exists && !(S_ISREG(st.st_mode) && st.st_nlink == 1)) return write_through(path, write);
  write_by_rename(path, exists ? &st : nullptr, write);
}

void replace_file(const std::string& path, std::string_view text) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) fail(path, std::strerror(errno));
  if (S_ISLNK(st.st_mode)) fail(path, "is a symbolic link; edit the file it points at");
  if (!S_ISREG(st.st_mode)) fail(path, "is not a regular file");
  if (st.st_nlink != 1) fail(path, "has other hard links, which a new file would not keep");
  if (::access(path.c_str(), W_OK) != 0) fail(path, std::strerror(errno));
  auto write = [&](std::ostream& out) { out.write(text.data(), static_cast<std::streamsize>(text.size())); };
  // Never written in place: a failed write must leave the source as it was.
  fs::path target(path);
  std::string dir = target.has_parent_path() ? target.parent_path().string() : ".";
  if (::access(dir.c_str(), W_OK | X_OK) != 0) fail(path, "cannot create a file beside it: " + std::string(std::strerror(errno)));
  write_by_rename(path, &st, write);
}

void write_output(const std::string& path, std::string_view text) {
  write_output(path, [&](std::ostream& out) { out.write(text.data(), static_cast<std::streamsize>(text.size())); });
}

void dump_json(std::ostream& out, const nlohmann::json& value, bool pretty) {
  using nlohmann::detail::output_adapter;
  nlohmann::detail::serializer<nlohmann::json> serializer(output_adapter<char>(out), ' ',
                                                          nlohmann::json::error_handler_t::replace);
  serializer.dump(value, pretty, false, pretty ? 2 : 0);
  out << '\n';
}

void check_output_writable(const std::string& path) {
  if (path.empty() || path == "-") return;
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) fail(path, "is a directory");
    if (::access(path.c_str(), W_OK) != 0) fail(path, std::strerror(errno));
    return;
  }
  fs::path target(path);
  std::string dir = target.has_parent_path() ? target.parent_path().string() : ".";
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) fail(path, "no such directory");
  if (::access(dir.c_str(), W_OK | X_OK) != 0) fail(path, std::strerror(errno));
}

bool same_file(const std::string& a, const std::string& b) {
  struct stat sa, sb;
  if (::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0) {
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  }
  std::error_code ec;
  return fs::weakly_canonical(fs::absolute(a), ec) == fs::weakly_canonical(fs::absolute(b), ec);
}

void refuse_output_over_inputs(const std::string& option, const std::string& output,
                               const std::vector<std::string>& inputs) {
  if (output.empty() || output == "-") return;
  for (const std::string& input : inputs) {
    if (same_file(output, input)) throw OutputError(option + " " + output + " is the input " + input);
  }
}

}  // namespace forksafe
