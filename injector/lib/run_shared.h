/* The file every traced process of one `forksafe run` maps shared
 * (FORKSAFE_COUNTS): the records written and lost, and a table of the
 * records already written by some process of the run. Plain C, read by the
 * launcher too (injector/launcher/record_counts.cc). */
#ifndef FORKSAFE_RUN_SHARED_H
#define FORKSAFE_RUN_SHARED_H

#include <stdint.h>

/* Sibling processes make the same record but for their pids (one per
 * command of a test script): the first to claim a record's hash writes it,
 * the others only count themselves in its slot. Open addressing, claimed
 * with a compare-and-swap: no lock, no allocation, safe in a forked child. */
enum { FS_SEEN_SLOTS = 8192, FS_SEEN_PROBES = 64, FS_SEEN_PIDS = 5 };

struct fs_seen_slot {
  uint64_t hash;                /* 0: free */
  uint32_t count;               /* processes that made this record */
  int32_t pids[FS_SEEN_PIDS];   /* the first of them */
};

struct fs_run_shared {
  uint64_t written, lost, deduplicated;
  /* Counted here rather than written as a record each: the spawns of each
   * kind (enum fs_count in inject.h: fork, vfork, posix_spawn, system,
   * popen), and the leaks of descriptors open when the run started
   * (FORKSAFE_INHERITED_FDS), which are not the program's. */
  uint64_t spawns[5];
  uint64_t inherited_leaks;
  struct fs_seen_slot slots[FS_SEEN_SLOTS];
};

#endif
