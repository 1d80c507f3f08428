/* JSON text built in a caller's buffer, with no allocation and no stdio. */
#include "inject.h"

static void put(struct fs_text* t, char c) {
  if (t->size + 1 >= t->capacity) {
    t->overflow = 1;
    return;
  }
  t->data[t->size++] = c;
}

void fs_text_raw(struct fs_text* t, const char* s) {
  while (*s) put(t, *s++);
}

void fs_text_json(struct fs_text* t, const char* s) {
  static const char hex[] = "0123456789abcdef";
  put(t, '"');
  for (; *s; ++s) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') {
      put(t, '\\');
      put(t, (char)c);
    } else if (c < 0x20) {
      fs_text_raw(t, "\\u00");
      put(t, hex[c >> 4]);
      put(t, hex[c & 15]);
    } else {
      put(t, (char)c);
    }
  }
  put(t, '"');
}

void fs_text_ulong(struct fs_text* t, unsigned long value) {
  char digits[24];
  int n = 0;
  do {
    digits[n++] = (char)('0' + value % 10);
    value /= 10;
  } while (value);
  while (n > 0) put(t, digits[--n]);
}

void fs_text_long(struct fs_text* t, long value) {
  if (value < 0) {
    put(t, '-');
    fs_text_ulong(t, 0ul - (unsigned long)value);
  } else {
    fs_text_ulong(t, (unsigned long)value);
  }
}

void fs_text_key(struct fs_text* t, const char* key) {
  put(t, ',');
  fs_text_json(t, key);
  put(t, ':');
}
