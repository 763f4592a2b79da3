#!/bin/sh
# Builds the libFuzzer harness with clang-14 (ASan + UBSan) in build-fuzz and runs it
# for N seconds (default 60) on a scratch copy of the corpus, so new inputs do not
# pile up in the repository. Exits non-zero on any finding (crash, leak, UB, timeout,
# contract violation); the reproducer is left in build-fuzz/findings/.
set -eu
seconds=${1:-60}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build="$root/build-fuzz"

CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build" -DSPOJSCORE_FUZZ=ON -DSPOJSCORE_BENCH=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target list_page_fuzz -j"$(nproc)"

work="$build/corpus-work"
rm -rf "$work"
mkdir -p "$work" "$build/findings"
cp "$here"/corpus/* "$work"/

# A smaller ASan quarantine keeps peak RSS (~460 MB with the default 256 MB) well
# under the 512 MB limit, so the limit only trips on a real memory blow-up.
export ASAN_OPTIONS="${ASAN_OPTIONS:-quarantine_size_mb=64}"
exec "$build/test/fuzz/list_page_fuzz" "$work" -dict="$here/html.dict" -max_total_time="$seconds" \
    -max_len=262144 -timeout=2 -rss_limit_mb=512 -artifact_prefix="$build/findings/" -print_final_stats=1
