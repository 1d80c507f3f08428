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

/* The same record found sooner: a sibling forked from the same parent has
 * the same stack at the same addresses, so the hash of what a record holds
 * before its frames are resolved, with the frames' raw addresses, names the
 * record it will be, and the costly part (reading /proc/self/maps and the
 * command line) is skipped. Filled once the record's own slot is claimed. */
struct fs_stack_slot {
  uint64_t stack_hash; /* 0: free */
  uint64_t record_hash; /* 0: not filled in yet */
};

struct fs_run_shared {
  uint64_t written, lost, deduplicated;
  uint64_t reserved[5];
  struct fs_seen_slot slots[FS_SEEN_SLOTS];
  struct fs_stack_slot stacks[FS_SEEN_SLOTS];
};

#endif
