#include "injector/launcher/elf_file.h"

#include <elf.h>

#include <cstring>
#include <fstream>

namespace forksafe::launcher {

uint64_t ElfFile::address_of(uint64_t file_offset) const {
  for (const Segment& s : loads) {
    if (file_offset >= s.file_offset && file_offset < s.file_offset + s.size) {
      return file_offset - s.file_offset + s.address;
    }
  }
  return file_offset;
}

std::optional<ElfFile> read_elf(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  Elf64_Ehdr header;
  if (!in.read(reinterpret_cast<char*>(&header), sizeof header) ||
      std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 || header.e_ident[EI_CLASS] != ELFCLASS64) {
    return std::nullopt;
  }
  ElfFile elf;
  for (int i = 0; i < header.e_phnum; ++i) {
    Elf64_Phdr segment;
    in.seekg(static_cast<std::streamoff>(header.e_phoff + i * uint64_t{header.e_phentsize}));
    if (!in.read(reinterpret_cast<char*>(&segment), sizeof segment)) return std::nullopt;
    if (segment.p_type == PT_INTERP) elf.dynamic = true;
    if (segment.p_type == PT_LOAD) elf.loads.push_back({segment.p_offset, segment.p_vaddr, segment.p_filesz});
  }
  return elf;
}

}  // namespace forksafe::launcher
