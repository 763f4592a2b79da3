#!/bin/sh
# Writes the fuzzers' seed inputs with the project's page generator (test/fixture/spojgen.py):
#   test/fuzz/seeds.sh list DIR      list pages: both layouts, last page, logged in with
#                                    reordered columns, empty table, bot wall, truncated,
#                                    latin-1 given by a "ct:" Content-Type line
#   test/fuzz/seeds.sh profile DIR   profile pages: solved + todo with an awkward name,
#                                    nothing solved in iso-8859-2, unknown user
# Small pages (3-5 rows) on purpose: the fuzzer mutates them faster.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
gen="/usr/bin/python3 $here/../fixture/spojgen.py"
kind=$1
out=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$out"

# page NAME FILE SPOJGEN-ARGS...: runs spojgen.py and keeps the FILE it wrote as NAME.html
page() {
    name=$1 file=$2
    shift 2
    rm -rf "$scratch/p"
    $gen "$@" --out "$scratch/p" >/dev/null
    cp "$scratch/p/$file" "$out/$name.html"
}

case $kind in
list)
    page current page-000.html --seed 3 --total 12 --per-page 5
    page current-last page-002.html --seed 3 --total 12 --per-page 5
    page era2014 page-000.html --seed 4 --total 8 --per-page 4 --layout 2014
    page logged-in-reordered page-000.html --seed 5 --total 4 --per-page 3 \
        --variant logged_in=true --variant reorder_columns=true
    page empty-table page-000.html --seed 1 --total 5 --per-page 5 --variant empty_table=true
    page challenge page-000.html --seed 1 --total 5 --variant blocked=challenge
    page truncated page-000.html --seed 1 --total 5 --per-page 5 --variant truncate_at=6000
    page latin1 page-000.html --seed 9 --total 4 --per-page 5 --variant charset=iso-8859-1
    { printf 'ct:text/html; charset=ISO-8859-1\n'; cat "$out/latin1.html"; } >"$out/header-latin1.html"
    rm "$out/latin1.html"
    ;;
profile)
    page profile-9-solved-todo profile.html --seed 1 --total 60 --profile fuzz_user --solved 9 --todo 3 \
        --variant 'full_name=Zo&euml; <b>'
    page profile-none-latin2 profile.html --seed 1 --total 50 --profile empty --solved 0 \
        --variant charset=iso-8859-2 --variant institution=false --variant no_table=true
    page unknown-user profile.html --unknown-user nosuchuser
    ;;
*)
    echo "usage: $0 list|profile DIR" >&2
    exit 2
    ;;
esac
