/* Programs the injector cannot follow: the loader ignores LD_PRELOAD for a
 * statically linked program (there is no loader) and for a set-user-ID or
 * set-group-ID one of another user (secure mode). Coverage ends there, so
 * each such exec is recorded ("not-followed") before it is made. Reads the
 * file's mode and ELF program headers with raw system calls, in a child too. */
#define _GNU_SOURCE
#include <elf.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "inject.h"

/* Whether the ELF file has no PT_INTERP (no loader: static, static-pie).
 * Not ELF (a script: judged by its interpreter, not followed here) is not. */
static int is_static(int fd) {
  Elf64_Ehdr header;
  if (fs_syscall(SYS_pread64, fd, (long)&header, sizeof header, 0) != (long)sizeof header) return 0;
  if (memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 || header.e_ident[EI_CLASS] != ELFCLASS64) return 0;
  if (header.e_type != ET_EXEC && header.e_type != ET_DYN) return 0;
  if (header.e_phentsize != sizeof(Elf64_Phdr)) return 0;
  for (unsigned i = 0; i < header.e_phnum; ++i) {
    Elf64_Phdr segment;
    long at = (long)(header.e_phoff + i * sizeof segment);
    if (fs_syscall(SYS_pread64, fd, (long)&segment, sizeof segment, at) != (long)sizeof segment) return 0;
    if (segment.p_type == PT_INTERP) return 0;
  }
  return 1;
}

/* Why LD_PRELOAD will not reach `path`, or NULL. */
static const char* obstacle(const char* path) {
  int fd = fs_open(path, O_RDONLY);
  if (fd < 0) return NULL;
  struct stat st;
  const char* why = NULL;
  if (fs_syscall(SYS_fstat, fd, (long)&st, 0, 0) == 0 && S_ISREG(st.st_mode)) {
    if ((st.st_mode & S_ISUID) && st.st_uid != (uid_t)fs_syscall(SYS_getuid, 0, 0, 0, 0)) {
      why = "set-user-ID: the loader ignores LD_PRELOAD for it";
    } else if ((st.st_mode & S_ISGID) && st.st_gid != (gid_t)fs_syscall(SYS_getgid, 0, 0, 0, 0)) {
      why = "set-group-ID: the loader ignores LD_PRELOAD for it";
    } else if (is_static(fd)) {
      why = "statically linked: LD_PRELOAD cannot reach it";
    }
  }
  fs_close(fd);
  return why;
}

/* The file execvp would run: `file` itself when it has a slash, else the
 * first executable one along PATH (libc's default when PATH is unset). */
static const char* search_path(const char* file, char* out, size_t size) {
  if (strchr(file, '/')) return file;
  const char* path = "/bin:/usr/bin";
  for (char** entry = environ; entry && *entry; ++entry) {
    if (strncmp(*entry, "PATH=", 5) == 0) path = *entry + 5;
  }
  for (const char* dir = path;; ++dir) {
    const char* end = strchrnul(dir, ':');
    size_t length = end == dir ? 1 : (size_t)(end - dir), name = strlen(file);
    if (length + name + 2 <= size) {
      memcpy(out, end == dir ? "." : dir, length);  /* an empty entry is the current directory */
      out[length] = '/';
      memcpy(out + length + 1, file, name + 1);
      if (fs_syscall(SYS_faccessat, AT_FDCWD, (long)out, X_OK, 0) == 0) return out;
    }
    if (!*end) return NULL;
    dir = end;
  }
}

void fs_reach_check(const char* file, int search, pid_t spawned) {
  if (!fs_config.log_path[0] || !file) return;
  char found[PATH_MAX];
  const char* path = search ? search_path(file, found, sizeof found) : file;
  const char* why = path ? obstacle(path) : NULL;
  if (!why) return;
  char buffer[2 * PATH_MAX];
  struct fs_text t;
  fs_record_begin(&t, buffer, sizeof buffer, "not-followed");
  if (spawned > 0) {
    fs_text_key(&t, "spawned");
    fs_text_long(&t, spawned);
  }
  fs_text_key(&t, "exec");
  fs_text_json(&t, path);
  fs_text_key(&t, "why");
  fs_text_json(&t, why);
  fs_record_write(&t);
}
