# Shared by bench/inject_bench.sh and bench/preload_compare.sh (sourced).

# The median of the numbers on stdin, one a line (the mean of the middle two
# for an even count).
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# build_floor_library DIR: writes DIR/floor.so, the cheapest library to
# preload (nothing in it, no libc, two segments, no relocations to protect):
# what loading any preloaded library into every process costs at least.
build_floor_library() {
    printf 'int forksafe_bench_empty;\n' > "$1/floor.c"
    cc -shared -fPIC -nostdlib -Wl,-z,norelro -Wl,-z,noseparate-code -o "$1/floor.so" "$1/floor.c"
}
