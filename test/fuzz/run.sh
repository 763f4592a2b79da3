#!/bin/sh
# Builds the libFuzzer harnesses with clang-14 (ASan + UBSan) in build-fuzz and runs them
# for N seconds in total (default 80): half on the list-page parser, a quarter comparing
# it with the tree-walking reference parser, the rest on the profile parser (at least 1 s
# each), each on a scratch copy of its corpus so that new inputs do not pile up in the
# repository. Exits non-zero on the first finding (crash,
# leak, UB, timeout, contract violation); the reproducer is left in build-fuzz/findings/.
set -eu
seconds=${1:-80}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build="${SPOJ_FUZZ_BUILD:-$root/build-fuzz}"  # SPOJ_FUZZ_BUILD: another build directory

list_seconds=$((seconds / 2))
[ "$list_seconds" -ge 1 ] || list_seconds=1
diff_seconds=$((seconds / 4))
[ "$diff_seconds" -ge 1 ] || diff_seconds=1
profile_seconds=$((seconds - list_seconds - diff_seconds))
[ "$profile_seconds" -ge 1 ] || profile_seconds=1

CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build" -DSPOJSCORE_FUZZ=ON -DSPOJSCORE_BENCH=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target list_page_fuzz list_page_diff_fuzz profile_page_fuzz -j"$(nproc)"
mkdir -p "$build/findings"

# A smaller ASan quarantine keeps peak RSS (~460 MB with the default 256 MB) well
# under the 512 MB limit, so the limit only trips on a real memory blow-up.
export ASAN_OPTIONS="${ASAN_OPTIONS:-quarantine_size_mb=64}"

# run HARNESS CORPUS_DIR SECONDS
run() {
    work="$build/corpus-work-$1"
    rm -rf "$work"
    mkdir -p "$work"
    cp "$2"/* "$work"/
    echo "== $1: $3 s"
    "$build/test/fuzz/$1" "$work" -dict="$here/html.dict" -max_total_time="$3" \
        -max_len=262144 -timeout=2 -rss_limit_mb=512 -artifact_prefix="$build/findings/$1-" -print_final_stats=1
}

run list_page_fuzz "$here/corpus" "$list_seconds"
run list_page_diff_fuzz "$here/corpus" "$diff_seconds"
run profile_page_fuzz "$here/corpus-profile" "$profile_seconds"
