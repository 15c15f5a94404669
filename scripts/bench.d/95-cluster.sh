# scripts/cluster-run over ssh on this machine (a throwaway sshd on
# 127.0.0.1, scripts/cluster-localsshd) beside make -j2 run, from scratch,
# over a make-corpus corpus of CLUSTER_NDOCS documents (default 20000, the
# corpus of 90-pipeline.sh): documents/s with 1, 2 and 3 slots over ssh,
# the CPU time they take (here: cluster-run and all it starts on this side,
# GNU parallel, ssh, rsync, packing, tables; there: everything the sshd
# ran, the jobs, zstd, tar, rsync, the sshd itself), and where the time
# goes (cluster-run's own line: sync, jobs = transfer there + tools +
# transfer back, unpack, tables). Target (issue 20): over local ssh with 2
# slots, at least 70% of make -j2 run's documents/s. Slots over ssh on one
# machine still pay the transfer and the encryption, on the same two cores
# as the tools. make -j2 run and the 2 slots are timed twice, in turns
# (A B A B), and the best of each compared: other work on the machine
# weighs on both alike; the CPU times say the same without the load.
n=${CLUSTER_NDOCS:-20000}
corpus=$BENCH/pipeline-corpus-$n
if [ ! -f "$corpus/manifest.tsv" ]; then
	"$ROOT/tests/bench/make-corpus" -q -f "$corpus" "$n" 3 >/dev/null
fi
if ! command -v parallel >/dev/null || ! command -v rsync >/dev/null; then
	echo "  (GNU parallel or rsync missing: cluster-run not measured)"
	return 0 2>/dev/null || exit 0
fi
cw=$BENCH/cluster
rm -rf "$cw"
mkdir -p "$cw"
if ! "$ROOT/scripts/cluster-localsshd" start "$cw/ssh" "$cw/home" 2>"$cw/sshd.err"; then
	echo "  (no sshd here: $(cat "$cw/sshd.err"); cluster-run not measured)"
	return 0 2>/dev/null || exit 0
fi
sshd=$(cat "$cw/ssh/sshd.pid")
# (the CPU of the sshd's sessions, in clock ticks, once they ended)
there() { awk '{ sub(/.*\) /, ""); print $14 + $15 }' "/proc/$sshd/stat" 2>/dev/null || echo 0; }
tick=$(getconf CLK_TCK)
# run LABEL CMD...: from scratch into $cw/out (moved aside, deleted after
# all timings: see 90-pipeline.sh on deleting files on this disk); sets
# LAST (docs/s) and LASTCPU (CPU seconds, both sides)
run() {
	local label=$1 r0 r1 e u s
	shift
	[ -e "$cw/out" ] && mv "$cw/out" "$cw/trash.$RANDOM$RANDOM"
	sync
	r0=$(there)
	/usr/bin/time -o "$cw/time" -f '%e %U %S' "$@" >/dev/null 2>"$cw/log" || echo "  ($label failed: see $cw/log)"
	sleep 0.5	# (the master connection's sshd ends after cluster-run)
	r1=$(there)
	read -r e u s <"$cw/time"
	awk -v n="$n" -v e="$e" -v u="$u" -v s="$s" -v r="$(((r1 - r0)))" -v t="$tick" -v l="$label" 'BEGIN {
		printf "  %-40s %6.0f docs/s  (%.1f s; CPU %.1f s here + %.1f s there = %.1f s)\n", l, n / e, e, u + s, r / t, u + s + r / t }'
	grep '^\[cluster\]' "$cw/log" | sed -e 's/^/      /' -e 's/ (CPU here/\n        (CPU here/'
	LAST=$(awk -v n="$n" -v e="$e" 'BEGIN { printf "%.1f", n / e }')
	LASTCPU=$(awk -v u="$u" -v s="$s" -v r="$(((r1 - r0)))" -v t="$tick" 'BEGIN { printf "%.1f", u + s + r / t }')
}
best() { awk -v a="$1" -v b="$2" 'BEGIN { print (a > b) ? a : b }'; }
least() { awk -v a="$1" -v b="$2" 'BEGIN { print (a < b) ? a : b }'; }
cluster() {
	local s=$1
	run "cluster-run $s (ssh), from scratch" env CLUSTER_SSH="$cw/ssh/ssh" BIN="$BIN" "$ROOT/scripts/cluster-run" "$s" "$corpus/raw" "$cw/out"
}
run "make -j2 run, from scratch" make -s -C "$ROOT" -j2 run IN="$corpus/raw" OUT="$cw/out"
ref=$LAST refcpu=$LASTCPU
cluster 2/127.0.0.1
two=$LAST twocpu=$LASTCPU
run "make -j2 run, from scratch (again)" make -s -C "$ROOT" -j2 run IN="$corpus/raw" OUT="$cw/out"
ref=$(best "$ref" "$LAST") refcpu=$(least "$refcpu" "$LASTCPU")
cluster 2/127.0.0.1
two=$(best "$two" "$LAST") twocpu=$(least "$twocpu" "$LASTCPU")
cluster 1/127.0.0.1
cluster 3/127.0.0.1
cluster 2/127.0.0.1,1/:
"$ROOT/scripts/cluster-localsshd" stop "$cw/ssh"
awk -v a="$two" -v b="$ref" -v ca="$twocpu" -v cb="$refcpu" 'BEGIN { r = a / b
	printf "  => %-40s %6.0f%%  (target 70%%: %s)\n", "2 ssh slots vs make -j2 run (best of 2)", 100 * r, (r >= 0.7) ? "met" : "NOT met"
	printf "  => %-40s %6.0f%%  (CPU %.1f s against %.1f s)\n", "CPU: make -j2 run / 2 ssh slots", 100 * cb / ca, ca, cb }'
rm -rf "$cw"
