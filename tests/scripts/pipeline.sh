# pipeline: the main job end to end (scripts/pipeline.mk) on samples/.
#  - the corpus tables equal the golden files in tests/pipeline/;
#  - a second run does nothing; touching one input reprocesses one document;
#  - a binary file and a truncated gzip end up in problems.tsv, the rest succeed;
#  - a file name with spaces, quotes, $ and Chinese characters works;
#  - a run killed half-way and rerun gives the same tables as a clean run.
set -u
cd "$ROOT"
job() { make --no-print-directory -f scripts/pipeline.mk BIN="$BIN_ABS" "$@" run; }
T=$TEST_TMP/pipeline
rm -rf "$T"; mkdir -p "$T"
# same_tables A B [TABLE...]: the corpus tables of the runs in $T/A and $T/B
# are equal but for the output folders' names in messages; prints those
# that differ
strip_out() { sed -e "s#$T/[a-z0-9-]*/##g" -e 's#[^\t]*/corpus/raw/##' "$1"; }
same_tables() {
	local a=$1 b=$2 t rc=0
	shift 2
	[ $# -gt 0 ] || set -- docs sections indicators summary coverage problems
	for t in "$@"; do
		cmp -s <(strip_out "$T/$a/$t.tsv") <(strip_out "$T/$b/$t.tsv") || { rc=1; echo "    $t.tsv differs"; }
	done
	return $rc
}

# 1. golden tables (source paths are relative to IN, so they do not depend on $T)
if job IN=samples OUT="$T/gold" >"$T/gold.log" 2>&1; then
	echo "ok - make run over samples/"
else
	echo "not ok - make run over samples/: $(tail -n 5 "$T/gold.log")"
fi
for t in docs sections indicators summary coverage problems; do
	if [ ! -f "tests/pipeline/$t.tsv" ]; then
		echo "not ok - no golden tests/pipeline/$t.tsv (copy it from a reviewed run)"
	elif cmp -s "tests/pipeline/$t.tsv" "$T/gold/$t.tsv"; then
		echo "ok - $t.tsv equals tests/pipeline/$t.tsv"
	else
		echo "not ok - $t.tsv differs from tests/pipeline/$t.tsv"
		diff "tests/pipeline/$t.tsv" "$T/gold/$t.tsv" | head -n 6 | sed 's/^/    /'
	fi
done

# 1b. output files made the named way (a temporary name renamed), as on file
# systems without O_TMPFILE: the same tables. (That LAWTEXT_NO_TMPFILE
# selects that way was checked with strace; it cannot be seen from here.)
LAWTEXT_NO_TMPFILE=1 job IN=samples OUT="$T/named" >/dev/null 2>&1
same=1
for t in docs sections indicators summary coverage problems; do
	cmp -s "tests/pipeline/$t.tsv" "$T/named/$t.tsv" || same=0
done
if [ "$same" = 1 ] && ! find "$T/named" -name '*.tmp*' | grep -q .; then
	echo "ok - output files made under a temporary name and renamed: the same tables"
else
	echo "not ok - LAWTEXT_NO_TMPFILE=1: tables differ or temporary files left"
fi

# 2. incremental
job IN=samples OUT="$T/gold" >"$T/again.log" 2>&1
if grep -q '^\[encfix\]' "$T/again.log"; then
	echo "not ok - a second run with no new input reprocessed documents"
else
	echo "ok - a second run with no new input does nothing"
fi
# another number of batches: every document processed again, the same
# tables, no files of the old batches left
job IN=samples OUT="$T/gold" NBATCHES=3 >"$T/nb.log" 2>&1
same=1
for t in docs sections indicators summary coverage problems; do
	cmp -s "tests/pipeline/$t.tsv" "$T/gold/$t.tsv" || same=0
done
if [ "$(grep -c '^\[encfix\]' "$T/nb.log")" -ge 1 ] && [ "$same" = 1 ] &&
	[ "$(cat "$T/gold/.state/nbatches")" = 3 ] &&
	! ls "$T/gold/.state" | grep -v '^batch-3-' | grep -q '^batch-[0-9]*-' &&
	! ls "$T/gold/.state" | grep -q '^batch-[3-9]\.'; then
	echo "ok - NBATCHES changed: the same tables, the old batches' files gone"
else
	echo "not ok - NBATCHES changed: $(ls "$T/gold/.state" | tr '\n' ' ')"
fi
mkdir -p "$T/in"
cp samples/*.txt "$T/in/"
job IN="$T/in" OUT="$T/inc" >/dev/null 2>&1
touch "$T/in/002_1c43591e52210f05.txt"
job IN="$T/in" OUT="$T/inc" >"$T/inc.log" 2>&1
if grep -q '^\[encfix\] batch .*: 1/1 docs' "$T/inc.log" && [ "$(grep -c '^\[encfix\]' "$T/inc.log")" = 1 ]; then
	echo "ok - touching one input reprocesses exactly one document"
else
	echo "not ok - touching one input: $(grep '^\[' "$T/inc.log" | tr '\n' ' ')"
fi
# a tool rebuilt (its link touched, as a rebuild would): every document
# processed again, once
mkdir -p "$T/linkbin"
for t in pipeline-sync encfix deboiler secsplit indtag tsvagg tsvmerge; do ln -sf "$BIN_ABS/$t" "$T/linkbin/$t"; done
make --no-print-directory -f scripts/pipeline.mk BIN="$T/linkbin" IN=samples OUT="$T/tooldep" run >/dev/null 2>&1
touch -h "$T/linkbin/indtag"
make --no-print-directory -f scripts/pipeline.mk BIN="$T/linkbin" IN=samples OUT="$T/tooldep" run >"$T/tooldep.log" 2>&1
make --no-print-directory -f scripts/pipeline.mk BIN="$T/linkbin" IN=samples OUT="$T/tooldep" run >"$T/tooldep2.log" 2>&1
n=$(awk '/^\[encfix\]/ { split($NF == "docs" ? $(NF - 1) : "", x, "/"); s += x[2] } END { print s + 0 }' "$T/tooldep.log")
if [ "$n" = 5 ] && ! grep -q '^\[encfix\]' "$T/tooldep2.log" && cmp -s tests/pipeline/indicators.tsv "$T/tooldep/indicators.tsv"; then
	echo "ok - a tool newer than the results: every document processed again, once"
else
	echo "not ok - a tool newer than the results: $n documents processed again: $(grep '^\[' "$T/tooldep.log" "$T/tooldep2.log" | tr '\n' ' ')"
fi
# a file copied with an old date is still new
cp -p samples/003_878670cd2071e2bd.txt "$T/in/old-date.txt"
touch -d '2001-01-01' "$T/in/old-date.txt"
job IN="$T/in" OUT="$T/inc" >"$T/old.log" 2>&1
if grep -q '^old-date	' "$T/inc/docs.tsv"; then
	echo "ok - a new file with an old mtime is processed"
else
	echo "not ok - a new file with an old mtime was not processed"
fi
rm "$T/in/old-date.txt"
job IN="$T/in" OUT="$T/inc" >/dev/null 2>&1
if ! grep -q '^old-date	' "$T/inc/docs.tsv" && [ ! -e "$T/inc/body/old-date.txt" ]; then
	echo "ok - a removed file leaves the tables and outputs"
else
	echo "not ok - a removed file is still in docs.tsv or body/"
fi

# 3. bad documents and awkward names
mkdir -p "$T/bad/sub dir"
cp samples/*.txt "$T/bad/"
head -c 3000 /dev/urandom >"$T/bad/image.png"
printf '\x89PNG\r\n\x1a\n' | cat - "$T/bad/image.png" >"$T/bad/picture.txt"
gzip -c samples/001_737b89c6e62b3a8d.txt | head -c 1500 >"$T/bad/cut.txt.gz"
cp samples/002_1c43591e52210f05.txt "$T/bad/sub dir/报告 \$HOME 'q'.txt"
job IN="$T/bad" OUT="$T/badout" >"$T/bad.log" 2>&1
rc=$?
ndocs=$(($(wc -l <"$T/badout/docs.tsv") - 1))
if [ "$rc" = 0 ] && [ "$ndocs" = 6 ]; then
	echo "ok - bad documents do not stop the others (6 documents, exit 0)"
else
	echo "not ok - with bad documents: exit $rc, $ndocs documents"
fi
for bad in picture cut image.png; do
	if awk -F'\t' -v d="$bad" '$1 == d && $4 == "error"' "$T/badout/problems.tsv" | grep -q .; then
		echo "ok - $bad is reported in problems.tsv"
	else
		echo "not ok - $bad is not reported in problems.tsv"
	fi
done
if awk -F'\t' '$2 == "sub dir/报告 $HOME '"'"'q'"'"'.txt"' "$T/badout/docs.tsv" | grep -q 大理市; then
	echo "ok - a file name with spaces, quotes, \$ and Chinese characters"
else
	echo "not ok - the file with an awkward name is missing from docs.tsv"
fi

# 3a. document ids (pipeline-sync) of awkward names: kept when every
# character is a letter, digit, _ . or - (any script), else _ for the others,
# the leading - and . dropped, at most 80 characters, and a hash; a name over
# 200 bytes is shortened too
mkdir -p "$T/ids/子 目录"
for f in "$(printf '长%.0s' $(seq 66)).txt" "$(printf '长%.0s' $(seq 70)).txt" "-x.html" "报告—2023.TXT" \
	"$(printf 'a\xe9b.txt')" "子 目录/Ａ１.xml" "plain_name-1.2.htm" "数据.csv"; do
	echo x >"$T/ids/$f"
done
"$BIN_ABS/pipeline-sync" -q "$T/ids" "$T/ids-out" 4
if cut -f1 "$T/ids-out/.state/sigs.tsv" | cmp -s - tests/pipeline/ids.txt; then
	echo "ok - document ids of awkward names equal tests/pipeline/ids.txt"
else
	echo "not ok - document ids differ from tests/pipeline/ids.txt: $(cut -f1 "$T/ids-out/.state/sigs.tsv" | tr '\n' ' ')"
fi

# a damaged sigs.tsv naming a path outside OUT removes nothing there
printf 'x\n' >"$T/victim.txt"
printf '../../victim\t1\t2\t/x\tx\n' >>"$T/ids-out/.state/sigs.tsv"
"$BIN_ABS/pipeline-sync" "$T/ids" "$T/ids-out" 4 2>"$T/damaged.err"
if [ -f "$T/victim.txt" ] && grep -q "'../../victim' is not a document id" "$T/damaged.err" &&
	! grep -q victim "$T/ids-out/.state/sigs.tsv"; then
	echo "ok - a damaged sigs.tsv: the bad id reported and ignored"
else
	echo "not ok - a damaged sigs.tsv: $(cat "$T/damaged.err")"
fi

# 3b. a document whose metadata row is missing (deboiler's --report, made to
# lose one document's row by a wrapper): the document is reported (severity
# retry: an outside fault, retried by the next run, which exits 1) and none
# of its rows reach the tables
mkdir -p "$T/fakebin"
for t in pipeline-sync encfix secsplit indtag tsvagg tsvmerge; do ln -sf "$BIN_ABS/$t" "$T/fakebin/$t"; done
{
	echo '#!/usr/bin/env bash'
	echo "'$BIN_ABS/deboiler' \"\$@\"; rc=\$?"
	echo 'if [ "$1" = --report ]; then grep -v "^001_" "$2" >"$2.x"; mv "$2.x" "$2"; echo "deboiler: simulated loss of a row" >&2; fi'
	echo 'exit $rc'
} >"$T/fakebin/deboiler"
chmod +x "$T/fakebin/deboiler"
make --no-print-directory -f scripts/pipeline.mk BIN="$T/fakebin" IN=samples OUT="$T/nometa" run >/dev/null 2>&1
nometa_rc=$?
if [ "$nometa_rc" -ne 0 ] && awk -F'\t' '$1 ~ /^001_/ && $3 == "meta" && $4 == "retry"' "$T/nometa/problems.tsv" | grep -q . &&
	! cut -f1 "$T/nometa/sections.tsv" "$T/nometa/indicators.tsv" "$T/nometa/docs.tsv" | grep -q '^001_' &&
	[ "$(($(wc -l <"$T/nometa/docs.tsv") - 1))" = 4 ]; then
	echo "ok - a document without metadata is reported and left out of every table"
else
	echo "not ok - a document without metadata: $(cut -f1,3,4 "$T/nometa/problems.tsv" | tr '\n' ' ')"
fi

# 4. kill during a run, rerun: same tables as an uninterrupted run
if [ -x "$ROOT/tests/bench/make-corpus" ]; then
	# tests/bench/make-corpus: a corpus big enough to kill mid-way
	"$ROOT/tests/bench/make-corpus" -q "$T/corpus" 300 5 >/dev/null 2>&1
	# (16 batches, whatever the processors: the count of batches run below;
	# later runs keep the number OUT was made with)
	job IN="$T/corpus/raw" OUT="$T/clean-run" NBATCHES=16 >/dev/null 2>&1
	setsid bash -c "make --no-print-directory -f scripts/pipeline.mk BIN='$BIN_ABS' IN='$T/corpus/raw' OUT='$T/killed' run" >/dev/null 2>&1 &
	pid=$!
	sleep 0.7
	kill -TERM -- -"$pid" 2>/dev/null; wait "$pid" 2>/dev/null
	job IN="$T/corpus/raw" OUT="$T/killed" >/dev/null 2>&1
	if same_tables clean-run killed; then echo "ok - killed and rerun gives the same tables"; else echo "not ok - killed and rerun differs"; fi
	if find "$T/killed" -name '*.tmp*' | grep -q .; then echo "not ok - temporary files left after the rerun"; else echo "ok - no temporary files left"; fi

	# 5. the tables after changes (touched, edited, removed, added, broken
	# files: the tables updated from the pending rows) equal the tables of
	# a run from scratch over the same files, which equal a run whose tools
	# get at most 7 files per process
	C=$T/corpus/raw
	touch "$C/000011.txt" "$C/000100.txt"
	sed -i 's/年/年度/' "$C/000031.txt"
	rm -f "$C/000041.txt" "$C/000052.txt"
	cp "$C/000051.txt" "$C/another 报告 \$x.txt"
	printf '\x89PNG\r\n\x1a\nxxxx' >"$C/000060.txt"
	job IN="$C" OUT="$T/clean-run" >"$T/changed.log" 2>&1
	job IN="$C" OUT="$T/scratch" >/dev/null 2>&1
	PIPELINE_MAXARGS=7 job IN="$C" OUT="$T/chunked" >/dev/null 2>&1
	for o in scratch chunked; do
		if same_tables clean-run "$o"; then echo "ok - updated tables equal a run from scratch ($o)"; else echo "not ok - updated tables differ from a run from scratch ($o)"; fi
	done
	# every raw file is a row of docs.tsv or a document that failed
	nraw=$(find "$C" -type f | wc -l)
	nok=$(($(wc -l <"$T/clean-run/docs.tsv") - 1))
	nerr=$(awk -F'\t' 'NR > 1 && $4 == "error" { print $1 }' "$T/clean-run/problems.tsv" | sort -u | wc -l)
	if [ "$nok" -gt 250 ] && [ $((nok + nerr)) = "$nraw" ]; then
		echo "ok - every raw file is in docs.tsv ($nok) or failed ($nerr)"
	else
		echo "not ok - $nraw raw files, $nok in docs.tsv, $nerr failed"
	fi

	# rows pending from a run whose tables step failed are merged with the
	# next run's: tsvmerge made to fail, a file edited and one removed; then
	# another file of the edited one's batch touched, and a good run: the
	# tables equal a run from scratch
	mkdir -p "$T/failbin"
	for t in pipeline-sync encfix deboiler secsplit indtag tsvagg; do ln -sf "$BIN_ABS/$t" "$T/failbin/$t"; done
	printf '#!/bin/sh\necho "tsvmerge: simulated failure" >&2\nexit 1\n' >"$T/failbin/tsvmerge"
	chmod +x "$T/failbin/tsvmerge"
	sed -i 's/年/年份/' "$C/000012.txt"
	rm -f "$C/000013.txt"
	make --no-print-directory -f scripts/pipeline.mk BIN="$T/failbin" IN="$C" OUT="$T/clean-run" run >"$T/fail.log" 2>&1
	failrc=$?
	other=$(grep -h -v '^000012	' "$(grep -l '^000012	' "$T/clean-run"/.state/batch-*.list)" | head -n 1 | cut -f2)
	touch "$C/$other"
	job IN="$C" OUT="$T/clean-run" >/dev/null 2>&1
	job IN="$C" OUT="$T/scratch2" >/dev/null 2>&1
	same=1
	same_tables clean-run scratch2 || same=0
	if [ "$failrc" != 0 ] && [ "$same" = 1 ]; then
		echo "ok - rows pending from a failed tables step are merged with the next run's"
	else
		echo "not ok - pending rows after a failed tables step (exit $failrc, same $same)"
	fi

	# a table deleted by hand is made again
	rm -f "$T/clean-run/sections.tsv"
	job IN="$C" OUT="$T/clean-run" >/dev/null 2>&1
	if [ -f "$T/clean-run/sections.tsv" ] && same_tables clean-run scratch2 sections; then
		echo "ok - a deleted table is made again"
	else
		echo "not ok - a deleted table is not made again"
	fi

	# 7 documents changed or removed (a removal changes its batch's list):
	# at most 7 of the 16 batches run
	n=$(grep -c '^\[encfix\]' "$T/changed.log")
	if [ "$n" -ge 3 ] && [ "$n" -le 7 ] && grep -q '^another' "$T/clean-run/docs.tsv" &&
		[ "$(cat "$T/clean-run/.state/nbatches")" = 16 ]; then
		echo "ok - changes reprocess only the batches of the changed documents"
	else
		echo "not ok - changes: $n encfix lines"
	fi
else
	echo "# tests/bench/make-corpus not found: kill-and-rerun case not run"
fi
