# pipeline-faults: the main job (scripts/pipeline.mk) under injected faults,
# in the spirit of sqlite's I/O-error and crash tests. After each fault the
# next plain run must end with exit status 0 and tables equal to a run from
# scratch (no document lost or mixed, every document that failed for an
# outside reason retried), and a faulted run that exits 0 must already have
# them. Faults:
#  - write failures (ENOSPC, EIO) at the Nth change to OUT of a run from
#    scratch and of an incremental run (one edit, one new, one removed
#    document), once or from then on (a full disk): the LD_PRELOAD shim
#    tests/fault/faultinj.c, which the Makefile builds;
#  - kill -9 of the whole run at the Nth change (the shim), and of
#    pipeline-sync at each of its steps (its PIPELINE_SYNC_KILL_AT hook);
#  - a read error on one raw file and on one folder (the shim), a symbolic
#    link loop, a link out of IN;
#  - two runs at once on one OUT, and scripts/nightly beside a make run;
#  - a file replaced with the same size and mtime (cp -p), a batch stamp
#    dated in the future (the clock stepped back);
#  - dotted file names (report.txt, report.v2.txt, sub/report.txt.gz).
# FAULT_POINTS=K (default 4) points per kind, spread over all of them;
# FAULT_POINTS=all tries every one (minutes). The last line ("# ...") counts
# them.
set -u
cd "$ROOT"
BUILD=${BUILD:-build/rel}
SHIM=$ROOT/$BUILD/tests/faultinj.so
if [ ! -f "$SHIM" ]; then
	echo "no $SHIM: make check builds it"
	exit 77
fi
command -v flock >/dev/null || { echo "no flock (util-linux)"; exit 77; }
# (the shim beside the sanitizer runtime of a SAN build)
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0:detect_leaks=0
T=$TEST_TMP/faults
rm -rf "$T"; mkdir -p "$T"
POINTS=${FAULT_POINTS:-4}
job() { make --no-print-directory -f scripts/pipeline.mk BIN="$BIN_ABS" NBATCHES=1 "$@" run; }
tried=0 bad=0

# tables OUT: its tables, the output folders' names taken out of messages
tables() {
	local t
	for t in docs sections indicators summary coverage problems; do
		echo "== $t"
		sed "s#$T/[a-z0-9-]*/##g" "$1/$t.tsv" 2>/dev/null || echo "(no $t.tsv)"
	done
}
# fail WHAT: one failure, its details shown for the first few
fail() {
	bad=$((bad + 1))
	[ "$bad" -le 5 ] && echo "    not ok: $*"
}

# The corpus: samples/, dotted names, a .gz in a folder, a binary file (it
# fails for its data, and stays failed). W is the folder runs read; the
# incremental runs change it from state 1 to state 2 once.
W=$T/w
mkdir -p "$W/sub"
cp samples/*.txt "$W/"
s=(samples/*.txt)
cp "${s[0]}" "$W/report.txt"
cp "${s[1]}" "$W/report.v2.txt"
gzip -c "${s[2]}" >"$W/sub/report.txt.gz"
head -c 3000 "$BIN_ABS/pipeline-sync" >"$W/binary.txt"

# 1. dotted names: distinct ids, each with its own title
job IN="$W" OUT="$T/ref1" >"$T/ref1.log" 2>&1
title() { awk -F'\t' -v d="$2" '$1 == d { print $4 }' "$T/$1/docs.tsv"; }
t0=$(awk -F'\t' -v s="${s[0]##*/}" '$2 == s { print $4 }' "$T/ref1/docs.tsv")
t1=$(awk -F'\t' -v s="${s[1]##*/}" '$2 == s { print $4 }' "$T/ref1/docs.tsv")
t2=$(awk -F'\t' -v s="${s[2]##*/}" '$2 == s { print $4 }' "$T/ref1/docs.tsv")
if [ "$(title ref1 report)" = "$t0" ] && [ "$(title ref1 report.v2)" = "$t1" ] &&
	[ "$(title ref1 sub__report)" = "$t2" ] && [ "$(($(wc -l <"$T/ref1/docs.tsv") - 1))" = 8 ] &&
	! grep -q 'metadata' "$T/ref1/problems.tsv"; then
	echo "ok - dotted names: report, report.v2 and sub/report.txt.gz are three documents with their own rows"
else
	echo "not ok - dotted names: $(cut -f1,2,4 "$T/ref1/docs.tsv" | tail -n 4 | tr '\n' ' ') $(tail -n 3 "$T/ref1/problems.tsv")"
fi
tables "$T/ref1" >"$T/ref1.tables"
# (and a file named as another's hashed id: a.txt and a.txt.gz get
# a-c1ebf7ba and a-f312e037)
mkdir -p "$T/ids"
touch "$T/ids/a.txt" "$T/ids/a.txt.gz" "$T/ids/a-c1ebf7ba.txt"
"$BIN_ABS/pipeline-sync" -q "$T/ids" "$T/ids-out" 1
if [ "$(cut -f1 "$T/ids-out/.state/sigs.tsv" | sort -u | wc -l)" = 3 ]; then
	echo "ok - a file named as another's hashed id gets an id of its own"
else
	echo "not ok - ids: $(cut -f1 "$T/ids-out/.state/sigs.tsv" | tr '\n' ' ')"
fi

# State 1 kept as an OUT (base1) to copy for each incremental trial; then W
# goes to state 2, and ref2 is a run from scratch over it.
job IN="$W" OUT="$T/base1" >/dev/null 2>&1
sleep 0.01
cp "${s[3]}" "$W/report.txt"
cp "${s[4]}" "$W/new.txt"
rm "$W/${s[3]##*/}"
job IN="$W" OUT="$T/ref2" >"$T/ref2.log" 2>&1
tables "$T/ref2" >"$T/ref2.tables"

# trial NAME SETUP REF ENV...: a copy of base1 (SETUP incr) or an empty OUT
# (scratch), a run with ENV, then a plain run; checks as said at the top.
# Sets fired (the fault happened) and frc (the faulted run's status). SLOT
# (0 or 1) names its folders: two trials run at once (bg below).
SLOT=0
trial() {
	local name=$1 setup=$2 ref=$3 o=$T/trial$SLOT c=$T/ctl$SLOT f=$T/f$SLOT.log
	shift 3
	rm -rf "$o" "$c"
	if [ "$setup" = incr ]; then cp -a "$T/base1" "$o"; else mkdir -p "$o"; fi
	head -c 4096 /dev/zero >"$c"
	# (in braces: no "Killed" from the shell)
	{ env FAULT_CTL="$c" FAULT_ROOT="$o" "$@" setsid -w make --no-print-directory -f scripts/pipeline.mk \
		BIN="$BIN_ABS" NBATCHES=1 IN="$W" OUT="$o" run >"$f" 2>&1 </dev/null; } 2>/dev/null
	frc=$?
	fired=$(od -A n -t u8 -j 8 -N 8 "$c" | tr -d ' ')
	tried=$((tried + 1))
	if [ "$frc" = 0 ] && ! cmp -s <(tables "$o") "$T/$ref.tables"; then
		fail "$name: the faulted run exited 0 with wrong tables ($(tail -c +65 "$c" | tr -d '\0'))"
		diff <(tables "$o") "$T/$ref.tables" | head -n 4 | sed 's/^/      /'
	elif [ "$frc" != 0 ] && [ ! -s "$f" ] && [ "$frc" -lt 128 ]; then
		fail "$name: the faulted run failed (exit $frc) without a word"
	fi
	job IN="$W" OUT="$o" >"$T/r$SLOT.log" 2>&1
	rrc=$?
	if [ "$rrc" != 0 ]; then
		fail "$name: the next run exited $rrc: $(tail -n 3 "$T/r$SLOT.log")"
	elif ! cmp -s <(tables "$o") "$T/$ref.tables"; then
		fail "$name: after the next run the tables differ from a run from scratch ($(tail -c +65 "$c" | tr -d '\0'))"
		diff <(tables "$o") "$T/$ref.tables" | head -n 6 | sed 's/^/      /'
	fi
}
# bg TRIAL-ARGS...: the trial in the background, two at a time (slots 0
# and 1); its lines go to a file, read by bg_end, which counts its failures
# (lines "    not ok: ") into bad and its trials into tried
bgn=0
bg_pids=()
bg() {
	local slot=$((bgn % 2))
	[ -n "${bg_pids[$slot]:-}" ] && wait "${bg_pids[$slot]}"
	( SLOT=$slot; bad=0; trial "$@"; [ "$bad" = 0 ] ) >"$T/bg.$bgn.out" 2>&1 &
	bg_pids[$slot]=$!
	bgn=$((bgn + 1))
}
bg_end() {
	local i k
	wait
	bg_pids=()
	for ((i = 0; i < bgn; i++)); do
		[ -f "$T/bg.$i.out" ] || continue
		tried=$((tried + 1))
		k=$(grep -c '^    not ok: ' "$T/bg.$i.out")
		if [ "$k" -gt 0 ]; then
			[ "$bad" -lt 5 ] && cat "$T/bg.$i.out"
			bad=$((bad + 1))
		fi
		rm -f "$T/bg.$i.out"
	done
}
# count SETUP: the changes a run makes (FAULT_AT=0 counts only)
count() {
	local o=$T/count
	rm -rf "$o"
	if [ "$1" = incr ]; then cp -a "$T/base1" "$o"; else mkdir -p "$o"; fi
	head -c 4096 /dev/zero >"$T/ctl"
	FAULT_CTL="$T/ctl" FAULT_ROOT="$o" LD_PRELOAD="$SHIM" job IN="$W" OUT="$o" >/dev/null 2>&1
	od -A n -t u8 -N 8 "$T/ctl" | tr -d ' '
}
# points M: the fault points to try of 1..M
points() {
	if [ "$POINTS" = all ] || [ "$1" -le "$POINTS" ]; then seq 1 "$1"; return; fi
	awk -v m="$1" -v k="$POINTS" 'BEGIN { for (i = 0; i < k; i++) print 1 + int(i * (m - 1) / (k - 1) + 0.5) }' | uniq
}

# 2. write failures and kills at the Nth change, scratch and incremental
# (scratch runs read W in state 2 too: ref2)
for setup in scratch incr; do
	m=$(count "$setup")
	b0=$bad n0=$tried
	for mode in "once ENOSPC" "once EIO" "from ENOSPC" "kill ENOSPC"; do
		set -- $mode
		for n in $(points "$m"); do
			bg "$setup $1 $2 at $n/$m" "$setup" ref2 LD_PRELOAD="$SHIM" FAULT_AT="$n" FAULT_MODE="$1" FAULT_ERRNO="$2"
		done
	done
	bg_end
	if [ "$bad" = "$b0" ]; then
		echo "ok - $setup run: $((tried - n0)) faults (ENOSPC/EIO once, a full disk from then on, kill -9) among its $m changes to OUT, all recovered"
	else
		echo "not ok - $setup run: $((bad - b0)) of $((tried - n0)) faults not recovered"
	fi
done

# 3. pipeline-sync killed at each of its steps (incremental run)
b0=$bad n0=$tried
for ((n = 1; n < 200; n++)); do
	trial "pipeline-sync killed at step $n" incr ref2 PIPELINE_SYNC_KILL_AT="$n"
	[ "$frc" = 0 ] && break
done
if [ "$bad" = "$b0" ] && [ "$n" -gt 3 ]; then
	echo "ok - pipeline-sync killed at each of its $((n - 1)) steps, all recovered"
else
	echo "not ok - pipeline-sync killed at its steps: $((bad - b0)) of $((tried - n0)) not recovered"
fi

# 4. read errors: a raw file, then a folder; the run says so (it fails, a
# retry row) and the next one recovers
b0=$bad
trial "read error on report.v2" scratch ref2 LD_PRELOAD="$SHIM" FAULT_READ=.raw/report.v2.raw
if [ "$frc" != 0 ] && grep -q 'retry' "$T/f0.log" && [ "$bad" = "$b0" ]; then
	echo "ok - a read error on a raw file: the run fails saying so, the next run retries it"
else
	echo "not ok - a read error on a raw file: exit $frc: $(tail -n 2 "$T/f0.log")"
fi
b0=$bad
trial "read error on a folder" incr ref2 LD_PRELOAD="$SHIM" FAULT_READ="$W/sub"
if [ "$frc" != 0 ] && grep -q 'cannot read the folder' "$T/f0.log" && [ "$bad" = "$b0" ]; then
	echo "ok - an unreadable folder: the rest done, its documents kept, the run fails saying so, recovered"
else
	echo "not ok - an unreadable folder: exit $frc: $(tail -n 3 "$T/f0.log")"
fi

# 5. two runs at once on one OUT; nightly beside a make run
o=$T/conc
rm -rf "$o"
job IN="$W" OUT="$o" >"$T/c1.log" 2>&1 &
p1=$!
job IN="$W" OUT="$o" >"$T/c2.log" 2>&1
c2=$?
wait "$p1"
c1=$?
tried=$((tried + 1))
job IN="$W" OUT="$o" >"$T/c3.log" 2>&1
c3=$?
if { [ "$c1" != 0 ] || [ "$c2" != 0 ]; } && grep -q 'in use by another run' "$T/c1.log" "$T/c2.log" &&
	[ "$c3" = 0 ] && cmp -s <(tables "$o") "$T/ref2.tables"; then
	echo "ok - two runs at once on one OUT: one refused with a message and a non-zero status; tables right"
elif [ "$c1" = 0 ] && [ "$c2" = 0 ] && cmp -s <(tables "$o") "$T/ref2.tables"; then
	echo "ok - two runs at once on one OUT: (they did not overlap) tables right"
else
	fail "concurrent runs: exit $c1 $c2 $c3"
	echo "not ok - two runs at once on one OUT: exit $c1 $c2 then $c3: $(cat "$T/c1.log" "$T/c2.log" | grep -v '^\[' | head -n 3)"
fi
# (nightly runs make over bin/: only when bin/ is up to date, not to build
# in a test)
if make -q all >/dev/null 2>&1; then
	exec 8>>"$o/.lock"
	flock 8
	scripts/nightly "$W" "$o" >"$T/n.log" 2>&1
	nrc=$?
	flock -u 8
	exec 8>&-
else
	nrc=skip
fi
tried=$((tried + 1))
if [ "$nrc" = skip ]; then
	echo "ok - # skip nightly on an OUT in use: bin/ is not up to date"
elif [ "$nrc" = 75 ] && grep -q 'in use by another run' "$T/n.log"; then
	echo "ok - nightly on an OUT in use: exit 75 with a message"
else
	fail "nightly on an OUT in use: exit $nrc"
	echo "not ok - nightly on an OUT in use: exit $nrc: $(cat "$T/n.log")"
fi

# 6. a file replaced with one of the same size and mtime (cp -p); a batch
# stamp dated an hour ahead (the clock stepped back), then an edit
o=$T/same
cp -a "$T/base1" "$o"
job IN="$W" OUT="$o" >/dev/null 2>&1
f=$W/report.v2.txt
# (one digit changed for another: the same size)
off=$(grep -b -o '[0-9]' "$f" | head -n 1 | cut -d: -f1)
d=$(grep -o '[0-9]' "$f" | head -n 1)
cp "$f" "$T/repl"
printf '%s' "$(( (d + 1) % 10 ))" | dd of="$T/repl" bs=1 seek="$off" conv=notrunc status=none
touch -r "$f" "$T/repl"
cmp -s "$f" "$T/repl" && echo "    (the replacement is the same file)"
[ "$(stat -c %s "$T/repl")" = "$(stat -c %s "$f")" ] || echo "    (the replacement is not the same size)"
cp -p "$T/repl" "$f"
job IN="$W" OUT="$o" >"$T/s.log" 2>&1
src=$?
job IN="$W" OUT="$T/same-ref" >/dev/null 2>&1
tried=$((tried + 1))
if [ "$src" = 0 ] && cmp -s <(tables "$o") <(tables "$T/same-ref"); then
	echo "ok - a file replaced with the same size and mtime (cp -p) is redone"
else
	fail "same size and mtime"
	echo "not ok - a file replaced with the same size and mtime: $(diff <(tables "$o") <(tables "$T/same-ref") | head -n 3)"
fi
touch -d '+1 hour' "$o"/.state/batch-*.done "$o/.state/tables.done"
sleep 0.01
printf '\n补充说明。\n' >>"$W/report.txt"
job IN="$W" OUT="$o" >"$T/clk.log" 2>&1
crc=$?
rm -rf "$T/same-ref"
job IN="$W" OUT="$T/same-ref" >/dev/null 2>&1
tried=$((tried + 1))
if [ "$crc" = 0 ] && cmp -s <(tables "$o") <(tables "$T/same-ref"); then
	echo "ok - stamps dated in the future (the clock stepped back): an edit is still redone"
else
	fail "clock step back"
	echo "not ok - stamps dated in the future: exit $crc: $(diff <(tables "$o") <(tables "$T/same-ref") | head -n 3)"
fi

# 7. a symbolic link loop and a link out of IN: problem rows, the rest done;
# the link is followed with FOLLOW_OUTSIDE=1
o=$T/links
cp -a "$W" "$T/w3"
ln -s loop "$T/w3/loop"
echo "secret" >"$T/outside.txt"
ln -s "$T/outside.txt" "$T/w3/outside.txt"
job IN="$T/w3" OUT="$o" >"$T/l.log" 2>&1
lrc=$?
tried=$((tried + 1))
if [ "$lrc" = 0 ] && [ ! -e "$o/clean/outside.txt" ] && ! grep -q secret "$o/sections.tsv" &&
	grep -q $'^-\tloop\tsync\terror' "$o/problems.tsv" && grep -q $'^-\toutside.txt\tsync\twarning' "$o/problems.tsv" &&
	[ "$(($(wc -l <"$o/docs.tsv") - 1))" = "$(($(wc -l <"$T/ref2/docs.tsv") - 1))" ]; then
	echo "ok - a link loop and a link out of IN: problem rows, not followed, the rest done"
else
	fail "links"
	echo "not ok - a link loop and a link out of IN: exit $lrc: $(grep -v '^\[' "$T/l.log" | head -n 3)"
fi
job IN="$T/w3" OUT="$o" FOLLOW_OUTSIDE=1 >"$T/l2.log" 2>&1
if [ -e "$o/clean/outside.txt" ] && ! grep -q $'^-\toutside.txt' "$o/problems.tsv"; then
	echo "ok - FOLLOW_OUTSIDE=1 follows a link out of IN"
else
	echo "not ok - FOLLOW_OUTSIDE=1: $(tail -n 2 "$T/l2.log")"
fi

echo "# $tried fault points tried, $bad not recovered"
[ "$bad" = 0 ]
