#!/usr/bin/env bash
# tsvagg against GNU datamash on randomized inputs: every operation both
# tools share, grouped and ungrouped. Numbers are compared as numbers
# (datamash prints 14 significant digits, tsvagg exact decimals or 15),
# everything else byte for byte. Skipped when datamash is not installed.
set -u
T=${BIN_ABS:-$PWD/bin}/tsvagg
W=${TEST_TMP:-/tmp}/tsvagg-datamash.$$
command -v datamash >/dev/null || { echo "datamash is not installed (apt-get install datamash): comparison skipped"; exit 77; }
command -v python3 >/dev/null || { echo "python3 is not installed: comparison skipped"; exit 77; }
mkdir -p "$W"
trap 'rm -rf "$W"' EXIT
export LC_ALL=C

# tsvagg op  datamash op
pairs="count:v count sum:v sum mean:v mean min:v min max:v max range:v range
median:v median q1:v q1 q3:v q3 stdev:v sstdev var:v svar pstdev:v pstdev pvar:v pvar
first:s first last:s last nunique:s countunique unique:s unique collapse:s collapse"
read -r -a P <<<"$(echo $pairs)"
tops=() dops=()
for ((i = 0; i < ${#P[@]}; i += 2)); do
	tops+=("${P[i]}")
	c=${P[i]#*:}; [ "$c" = v ] && c=3 || c=4
	dops+=("${P[i+1]}" "$c")
done

cat >"$W/gen.py" <<'PY'
import random, sys
seed, n, ng = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
r = random.Random(seed)
print("g\th\tv\ts")
for i in range(n):
    k = r.randrange(4)
    if k == 0:
        v = str(r.randint(-1000, 1000))
    elif k == 1:
        v = "%d.%02d" % (r.randint(-50, 50), r.randint(0, 99))
    elif k == 2:
        v = "%.3f" % (r.random() * 1e6)
    else:
        v = str(r.choice([0, 1, 7, 42]))
    print("g%d\th%d\t%s\t%s" % (r.randrange(ng), r.randrange(3), v, r.choice("abcdefghij") * r.randint(1, 3)))
PY
cat >"$W/cmp.py" <<'PY'
import sys, re
num = re.compile(r'^-?\d+(\.\d+)?([eE][-+]?\d+)?$')
a = [l.rstrip('\n').split('\t') for l in open(sys.argv[1])]
b = [l.rstrip('\n').split('\t') for l in open(sys.argv[2])]
if len(a) != len(b):
    print("rows differ: %d vs %d" % (len(a), len(b))); sys.exit(1)
for i, (x, y) in enumerate(zip(a, b)):
    if len(x) != len(y):
        print("row %d: fields %d vs %d" % (i, len(x), len(y))); sys.exit(1)
    for j, (p, q) in enumerate(zip(x, y)):
        if p == q:
            continue
        if num.match(p) and num.match(q):
            fp, fq = float(p), float(q)
            if abs(fp - fq) <= 1e-9 * max(1.0, abs(fp), abs(fq)):
                continue
        print("row %d field %d: tsvagg %r, datamash %r" % (i, j, p, q)); sys.exit(1)
PY

for seed in 1 2 3 4 5; do
	n=$((seed * 400)); ng=$((seed * 3))
	python3 "$W/gen.py" "$seed" "$n" "$ng" >"$W/in.tsv"
	"$T" --sort -g g,h "${tops[@]}" "$W/in.tsv" | tail -n +2 >"$W/t.tsv"
	datamash -s -H -g 1,2 "${dops[@]}" <"$W/in.tsv" | tail -n +2 >"$W/d.tsv"
	if msg=$(python3 "$W/cmp.py" "$W/t.tsv" "$W/d.tsv"); then
		echo "ok - grouped, seed $seed ($n rows, every shared operation)"
	else
		echo "not ok - grouped, seed $seed: $msg"
	fi
	"$T" "${tops[@]}" "$W/in.tsv" | tail -n +2 >"$W/t.tsv"
	datamash -H "${dops[@]}" <"$W/in.tsv" | tail -n +2 >"$W/d.tsv"
	if msg=$(python3 "$W/cmp.py" "$W/t.tsv" "$W/d.tsv"); then
		echo "ok - ungrouped, seed $seed"
	else
		echo "not ok - ungrouped, seed $seed: $msg"
	fi
done
