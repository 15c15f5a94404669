# cluster-hadoop: the Hadoop Streaming contract of scripts/hadoop/ (mapper,
# combiner, reducer), simulated: Hadoop is not installed here. The records
# (scripts/hadoop/pack) of the samples, a small make-corpus corpus, bad
# files and an awkward name are cut into random splits; each split goes
# through the mapper and is sorted by key (a map task's output); the
# combiner runs zero times, once per map output, or several times over
# random subsets of the map outputs and of its own outputs (Hadoop may run
# it any number of times on any part); the lines are partitioned by key
# among 1, 2 or 3 reducers, each reducer's input sorted by key (sort -k1,1),
# and scripts/hadoop/finish makes the tables of the reducers' outputs.
# Every table must equal `make run`'s on the same input, byte for byte.
# Also: a mapper run twice on a split (a retry, speculative execution)
# writes the same bytes; a malformed record is skipped with a counter.
set -u
cd "$ROOT"
command -v python3 >/dev/null || { echo "# python3 not installed: Hadoop Streaming scripts not tested"; exit 77; }
T=$TEST_TMP/cluster-hadoop
H=scripts/hadoop
rm -rf "$T"
mkdir -p "$T/in/sub dir" "$T/in/corpus" "$T/maps" "$T/comb" || exit 1
export LC_ALL=C LAWTEXT_BIN=$BIN_ABS LAWTEXT_OUT=$T/ref
cp samples/*.txt "$T/in/"
if [ -x tests/bench/make-corpus ]; then
	tests/bench/make-corpus -q "$T/corpus" 30 11 >/dev/null 2>&1 && cp -r "$T/corpus/raw" "$T/in/corpus/"
fi
head -c 3000 /dev/urandom >"$T/in/image.png"
gzip -c samples/001_737b89c6e62b3a8d.txt | head -c 1500 >"$T/in/cut.txt.gz"
cp samples/002_1c43591e52210f05.txt "$T/in/sub dir/报告 \$HOME 'q'.txt"
make --no-print-directory -f scripts/pipeline.mk BIN="$BIN_ABS" IN="$T/in" OUT="$T/ref" run >"$T/ref.log" 2>&1 ||
	echo "not ok - make run failed: $(tail -n 3 "$T/ref.log")"

same() {
	local t rc=0
	for t in docs sections indicators summary coverage problems; do
		cmp -s "$T/ref/$t.tsv" "$1/$t.tsv" || { rc=1; echo "    $t.tsv differs"; diff "$T/ref/$t.tsv" "$1/$t.tsv" | head -n 4 | sed 's/^/    /'; }
	done
	return $rc
}

"$H/pack" "$T/in" >"$T/records" 2>"$T/pack.err"
nrec=$(wc -l <"$T/records")
nfiles=$(find "$T/in" -type f | wc -l)
if [ "$nrec" = "$nfiles" ] && [ "$(cut -f1 "$T/records" | sort -u | wc -l)" = "$nfiles" ]; then
	echo "ok - pack: one record per raw file ($nrec), ids unique"
else
	echo "not ok - pack: $nrec records for $nfiles files: $(head -n 3 "$T/pack.err")"
fi

# split SEED K: the records shuffled and cut into K pieces of random sizes,
# $T/split.SEED.I (a malformed line in one of them)
split_records() {
	python3 - "$T/records" "$T/split.$1" "$1" "$2" <<'PY'
import random, sys
recs = open(sys.argv[1], "rb").read().splitlines(True)
r = random.Random(int(sys.argv[3]))
k = int(sys.argv[4])
r.shuffle(recs)
cuts = sorted(r.sample(range(1, len(recs)), k - 1))
bounds = [0] + cuts + [len(recs)]
for i in range(k):
    with open("%s.%d" % (sys.argv[2], i), "wb") as f:
        part = recs[bounds[i]:bounds[i + 1]]
        if i == 0:
            part.insert(r.randrange(len(part) + 1), b"not a record\n")
        f.writelines(part)
PY
}
# maps SEED K: the mapper over each split, its output sorted by key
maps() {
	local i
	split_records "$1" "$2"
	for ((i = 0; i < $2; i++)); do
		"$H/mapper" <"$T/split.$1.$i" 2>"$T/map.$1.$i.err" | sort -k1,1 >"$T/maps/$1.$i" ||
			echo "not ok - mapper failed on split $1.$i: $(tail -n 2 "$T/map.$1.$i.err")"
	done
}
# reduce NAME R FILES...: the lines of FILES partitioned among R reducers by
# key, each reducer's input sorted (sort -k1,1), finish over their outputs
reduce() {
	local name=$1 r=$2 i parts=()
	shift 2
	cat "$@" | awk -F'\t' -v r="$r" -v d="$T/$name" '
		BEGIN { for (i = 0; i < 256; i++) ord[sprintf("%c", i)] = i }
		{ h = 0; for (i = 1; i <= length($1); i++) h = (h * 31 + ord[substr($1, i, 1)]) % 1000003
		  print >(d ".in." (h % r)) }'
	for ((i = 0; i < r; i++)); do
		touch "$T/$name.in.$i"
		sort -k1,1 "$T/$name.in.$i" | "$H/reducer" >"$T/$name.part.$i" 2>"$T/$name.err" ||
			echo "not ok - reducer $i of $name failed: $(tail -n 2 "$T/$name.err")"
		parts+=("$T/$name.part.$i")
	done
	"$H/finish" "$T/$name" "${parts[@]}" 2>>"$T/$name.err" || echo "not ok - finish $name failed: $(tail -n 2 "$T/$name.err")"
}
# combine OUTFILE FILES...: the combiner over the FILES' lines, as a map
# task's spill gives them (sorted by key)
combine() {
	local o=$1
	shift
	sort -k1,1 "$@" | "$H/combiner" >"$o.tmp" 2>"$T/combiner.err" && mv "$o.tmp" "$o" ||
		echo "not ok - combiner failed: $(tail -n 2 "$T/combiner.err")"
}

# 1. three splits, no combiner, one reducer
maps 1 3
if grep -q 'reporter:counter:lawtext,bad records,1' "$T/map.1.0.err" && grep -q 'stdin:[0-9]*: not a record' "$T/map.1.0.err"; then
	echo "ok - a malformed record is skipped, reported and counted"
else
	echo "not ok - the malformed record was not reported: $(head -n 2 "$T/map.1.0.err")"
fi
reduce r1 1 "$T"/maps/1.*
if same "$T/r1"; then echo "ok - 3 splits, no combiner, 1 reducer: tables equal make run's"; else echo "not ok - 3 splits, no combiner, 1 reducer: tables differ"; fi

# 2. a mapper run again on a split writes the same bytes
"$H/mapper" <"$T/split.1.1" 2>/dev/null | sort -k1,1 >"$T/again"
if cmp -s "$T/again" "$T/maps/1.1"; then
	echo "ok - a mapper run twice on a split writes the same output (retries, speculative execution)"
else
	echo "not ok - a mapper's output differs between two runs on a split"
fi

# 3. four splits; the combiner once per map output; two reducers
maps 2 4
for i in 0 1 2 3; do combine "$T/comb/c2.$i" "$T/maps/2.$i"; done
# (the combiner passes every line through, sorted by key: the summary's
# figure is chosen in the reducer, one figure of a group, never a sum)
combine "$T/call" "$T"/maps/2.*
if cmp -s <(sort "$T/call") <(cat "$T"/maps/2.* | sort) && sort -c -s -t "$(printf '\t')" -k1,1 "$T/call" 2>/dev/null; then
	echo "ok - the combiner keeps every line, sorted by key"
else
	nsum=$(grep -c '^summary\.' "$T/call")
	echo "not ok - the combiner over several map outputs: $nsum summary lines"
fi
reduce r2 2 "$T"/comb/c2.*
if same "$T/r2"; then echo "ok - 4 splits, combiner once each, 2 reducers: tables equal make run's"; else echo "not ok - 4 splits, combiner once each, 2 reducers: tables differ"; fi

# 4. the same splits; the combiner several times over arbitrary subsets:
# over 0+1, then its output with 2, and over 3 alone twice; three reducers
combine "$T/comb/c4.a" "$T/maps/2.0" "$T/maps/2.1"
combine "$T/comb/c4.b" "$T/comb/c4.a" "$T/maps/2.2"
combine "$T/comb/c4.c" "$T/maps/2.3"
combine "$T/comb/c4.d" "$T/comb/c4.c"
reduce r4 3 "$T/comb/c4.b" "$T/comb/c4.d"
if same "$T/r4"; then echo "ok - combiner applied repeatedly to subsets, 3 reducers: tables equal make run's"; else echo "not ok - combiner applied repeatedly, 3 reducers: tables differ"; fi
# and on a mixture of combined and raw map outputs (some spills combined,
# some not), one reducer
reduce r5 1 "$T/comb/c2.0" "$T/maps/2.1" "$T/comb/c4.c" "$T/maps/2.2" "$T/comb/c2.1" "$T/comb/c2.2" "$T/maps/2.3" "$T/maps/2.0"
# (2.0, 2.1, 2.2, 2.3 appear twice above: a mixture that double-counts
# must NOT equal; the real mixture is below)
reduce r6 1 "$T/comb/c2.0" "$T/maps/2.1" "$T/comb/c4.c" "$T/maps/2.2"
if same "$T/r6" && ! same "$T/r5" >/dev/null; then
	echo "ok - combined and raw map outputs mixed: tables equal make run's (and a duplicated split is seen)"
else
	echo "not ok - combined and raw map outputs mixed"
fi
exit 0
