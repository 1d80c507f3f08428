// Stands in for ssh: reads its stdin to the end, and only then closes its
// stderr and exits, as ssh does when the session ends.
#include <unistd.h>

int main() {
  const char banner[] = "remote: connected\n";
  (void)!write(2, banner, sizeof banner - 1);
  char buffer[512];
  while (read(0, buffer, sizeof buffer) > 0) {
  }
  close(2);
  return 0;
}
