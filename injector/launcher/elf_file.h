// What the launcher needs to know about an ELF file: whether the dynamic
// loader runs for it (LD_PRELOAD needs one), and how file offsets (what the
// injector records) map to the addresses symbolizers expect.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace forksafe::launcher {

struct ElfFile {
  struct Segment {
    uint64_t file_offset;
    uint64_t address;  // p_vaddr
    uint64_t size;     // p_filesz
  };
  bool dynamic = false;  // has PT_INTERP: the dynamic loader runs, LD_PRELOAD can work
  std::vector<Segment> loads;

  // The link-time address of a file offset inside a PT_LOAD segment.
  uint64_t address_of(uint64_t file_offset) const;
};

// Reads a 64-bit ELF file's program headers; nullopt when it is not one.
std::optional<ElfFile> read_elf(const std::string& path);

}  // namespace forksafe::launcher
