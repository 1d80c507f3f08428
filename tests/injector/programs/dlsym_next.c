/* dlsym(RTLD_NEXT) and dlopen are relative to their caller. Under the
 * injector the object after this program is libforksafe_inject.so, so
 * RTLD_NEXT must find its forksafe_gc_register; it would not if the
 * injector's dlsym wrapper became the caller. Exit status 0 when found. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>

int main(void) {
  return dlsym(RTLD_NEXT, "forksafe_gc_register") != NULL ? 0 : 1;
}
