#!/usr/bin/env bash
# Instructions per record of each benchmark case, counted by cachegrind: unlike time,
# the count does not move with a shared machine's neighbours, so a change of a few
# percent shows. (Instructions are not time: memory stalls do not count, so confirm a
# gain with the timed benchmark, `cargo bench -p csvgate_engine --bench throughput`.)
#
# usage: scripts/instructions.sh [MB] [CASE...]
#   MB: size of the generated entitlements file, default 20
#   CASE: raw, schema, parallel, none (default: raw schema none)
# Needs valgrind. Set TOP=N to also list the N functions with the most instructions
# of each case.
set -euo pipefail
cd "$(dirname "$0")/.."

mb=${1:-20}
shift || true
cases=("$@")
[ ${#cases[@]} -eq 0 ] && cases=(raw schema none)
command -v valgrind >/dev/null || { echo "instructions.sh needs valgrind" >&2; exit 2; }

bench=$(cargo bench --locked -p csvgate_engine --bench throughput --no-run 2>&1 |
    sed -n 's/.*Executable .*(\(.*\)).*/\1/p' | tail -1)
[ -x "$bench" ] || { echo "no benchmark binary found" >&2; exit 2; }
# The first run generates the file if it is not there yet (outside valgrind: fast).
CSVGATE_BENCH_MB=$mb CSVGATE_BENCH_ONLY=raw "$bench" --bench >/dev/null

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
raw_per_record=""
printf '| case (%s MB file) | instructions | per record | times raw csv'"'"'s |\n|---|---:|---:|---:|\n' "$mb"
for case in "${cases[@]}"; do
    report=$(CSVGATE_BENCH_MB=$mb CSVGATE_BENCH_ONLY=$case valgrind --tool=cachegrind \
        --cache-sim=no --cachegrind-out-file="$out/$case.out" "$bench" --bench 2>"$out/$case.err" | tail -1)
    records=$(sed -n 's/.*: \([0-9]*\) records,.*/\1/p' <<<"$report")
    label=${report%%:*}
    total=$(sed -n 's/.*I *refs: *\([0-9,]*\).*/\1/p' "$out/$case.err" | tr -d ,)
    per_record=$((total / records))
    [ "$case" = raw ] && raw_per_record=$per_record
    ratio=$([ -n "$raw_per_record" ] && awk -v a="$per_record" -v b="$raw_per_record" 'BEGIN {printf "%.2f", a / b}' || echo -)
    printf '| %s | %s | %s | %s |\n' "$label" "$total" "$per_record" "$ratio"
done
if [ -n "${TOP:-}" ]; then
    for case in "${cases[@]}"; do
        echo
        echo "$case: functions with the most instructions"
        cg_annotate --auto=no "$out/$case.out" 2>/dev/null |
            sed -nE 's/^ *([0-9,]+) +\([ 0-9.]+%\) +[^:]*:(.*)$/\1\t\2/p' | tr -d , |
            awk -F'\t' '{sum[$2] += $1} END {for (f in sum) print sum[f] "\t" f}' |
            sort -rn | head -"$TOP"
    done
fi
