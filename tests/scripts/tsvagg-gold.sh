#!/usr/bin/env bash
# tsvagg over the project's gold indicator table (tests/gold/indicators.tsv,
# a copy of shared/gold/ of the hand-over), checked
# against an independent computation in Python with exact Decimal
# arithmetic: count, sum, min, max, median, nunique per code and unit.
set -u
T=${BIN_ABS:-$PWD/bin}/tsvagg
G=${ROOT:-$PWD}/tests/gold/indicators.tsv
[ -f "$G" ] || { echo "$G is absent: gold test skipped"; exit 77; }
command -v python3 >/dev/null || { echo "python3 is not installed: test skipped"; exit 77; }
W=${TEST_TMP:-/tmp}/tsvagg-gold.$$
mkdir -p "$W"
trap 'rm -rf "$W"' EXIT

"$T" --sort -g code,unit count sum:value min:value max:value median:value nunique:doc "$G" >"$W/got.tsv"
rc=$?
python3 - "$G" >"$W/want.tsv" <<'PY'
import sys
from decimal import Decimal
rows = [l.rstrip('\n').split('\t') for l in open(sys.argv[1], encoding='utf-8')]
h = rows[0]
ci, ui, vi, di = h.index('code'), h.index('unit'), h.index('value'), h.index('doc')
groups = {}
for r in rows[1:]:
    groups.setdefault((r[ci], r[ui]), []).append(r)
def fmt(d):
    s = format(d.normalize(), 'f')
    return '0' if s in ('-0', '0') else s
print('code\tunit\tcount\tvalue_sum\tvalue_min\tvalue_max\tvalue_median\tdoc_nunique')
for k in sorted(groups, key=lambda k: (k[0].encode() + b'\t' + k[1].encode())):
    g = groups[k]
    v = sorted(Decimal(r[vi]) for r in g)
    n = len(v)
    med = v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2
    print('\t'.join([k[0], k[1], str(n), fmt(sum(v)), fmt(v[0]), fmt(v[-1]), fmt(med),
                     str(len({r[di] for r in g}))]))
PY
if [ "$rc" = 0 ] && cmp -s "$W/want.tsv" "$W/got.tsv"; then
	echo "ok - gold indicators: count, exact sum, min, max, median, nunique per code and unit ($(($(wc -l <"$W/got.tsv") - 1)) groups)"
else
	echo "not ok - gold indicators differ from the Decimal computation (exit $rc)"
	diff "$W/want.tsv" "$W/got.tsv" | head -n 6 | sed 's/^/# /'
fi
