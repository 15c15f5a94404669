#!/usr/bin/env bash
# The partial/merge law of tsvagg: for random inputs split at random rows,
#   tsvagg --merge <(tsvagg --partial OPS A) <(tsvagg --partial OPS B)
# prints exactly (byte for byte) what tsvagg OPS prints over A ++ B, for
# every operation; also through a combiner (--merge --partial), with
# --skip-empty over missing values, with --sort and with --pivot.
set -u
T=${BIN_ABS:-$PWD/bin}/tsvagg
W=${TEST_TMP:-/tmp}/tsvagg-merge.$$
command -v python3 >/dev/null || { echo "python3 is not installed: test skipped"; exit 77; }
mkdir -p "$W"
trap 'rm -rf "$W"' EXIT
export LC_ALL=C

OPS=(count count:v sum:v mean:v min:v max:v range:v median:v q1:v q3:v stdev:v var:v
     pstdev:v pvar:v first:s last:s nunique:s unique:s collapse:s mode:s first:v mode:v)

cat >"$W/gen.py" <<'PY'
import random, sys
seed, n, missing = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1"
r = random.Random(seed)
print("g\th\tv\ts")
for i in range(n):
    k = r.randrange(5)
    v = [str(r.randint(-1000, 1000)), "%d.%02d" % (r.randint(-50, 50), r.randint(0, 99)),
         "%.4f" % (r.random() * 1e7), str(r.choice([0, 1, 7])), "1e3"][k]
    if missing and r.random() < 0.1:
        v = r.choice(["", "-", "nan", "NA"])
    s = r.choice(["a", "b\\tc", "d,e", "件", "x" * r.randint(1, 3), ""])
    print("g%d\th%d\t%s\t%s" % (r.randrange(7), r.randrange(3), v, s))
PY

check() {	# name, expected file, got file
	if cmp -s "$2" "$3"; then
		echo "ok - $1"
	else
		echo "not ok - $1"
		diff "$2" "$3" | head -n 5 | sed 's/^/# /'
	fi
}

for seed in 1 2 3 4; do
	miss=$((seed % 2)); flags=(); [ "$miss" = 1 ] && flags=(--skip-empty)
	python3 "$W/gen.py" "$seed" $((300 * seed)) "$miss" >"$W/all.tsv"
	n=$(($(wc -l <"$W/all.tsv") - 1))
	cut1=$((n / 3 + seed)); cut2=$((2 * n / 3))
	{ head -n 1 "$W/all.tsv"; sed -n "2,$((cut1 + 1))p" "$W/all.tsv"; } >"$W/a.tsv"
	{ head -n 1 "$W/all.tsv"; sed -n "$((cut1 + 2)),$((cut2 + 1))p" "$W/all.tsv"; } >"$W/b.tsv"
	{ head -n 1 "$W/all.tsv"; sed -n "$((cut2 + 2)),\$p" "$W/all.tsv"; } >"$W/c.tsv"
	for g in "-g g,h" "-g h" ""; do
		"$T" "${flags[@]}" $g "${OPS[@]}" "$W/all.tsv" >"$W/want.tsv"
		for part in a b c; do
			"$T" "${flags[@]}" --partial $g "${OPS[@]}" "$W/$part.tsv" >"$W/$part.part"
		done
		"$T" --merge "$W/a.part" "$W/b.part" "$W/c.part" >"$W/got.tsv"
		check "merge(partial(A),partial(B),partial(C)) == agg(A++B++C), seed $seed ${g:-ungrouped}" \
			"$W/want.tsv" "$W/got.tsv"
		"$T" --merge --partial "$W/b.part" "$W/c.part" >"$W/bc.part"
		"$T" --merge "$W/a.part" "$W/bc.part" >"$W/got.tsv"
		check "merge(A, combine(B, C)) == agg(A++B++C), seed $seed ${g:-ungrouped}" \
			"$W/want.tsv" "$W/got.tsv"
	done
	"$T" "${flags[@]}" -g g --pivot h --sort --fill 0 count sum:v "$W/all.tsv" >"$W/want.tsv"
	for part in a b c; do
		"$T" "${flags[@]}" --partial -g g,h count sum:v "$W/$part.tsv" >"$W/$part.part"
	done
	"$T" --merge --pivot h --sort --fill 0 "$W/a.part" "$W/b.part" "$W/c.part" >"$W/got.tsv"
	check "pivot after merge == pivot, seed $seed" "$W/want.tsv" "$W/got.tsv"
done

# A truncated or edited partial file is an error, never a silent result.
"$T" --partial -g g sum:v "$W/a.tsv" | sed '2s/;/x/' >"$W/bad.part"
"$T" --merge "$W/bad.part" >/dev/null 2>"$W/err"; rc=$?
if [ "$rc" = 1 ] && grep -q 'bad.part:2: .*malformed partial state' "$W/err"; then
	echo "ok - a malformed partial state is an error with file and line"
else
	echo "not ok - malformed partial state: exit $rc, $(head -c 200 "$W/err")"
fi
