# scripts/cluster-run over ssh on this machine (a throwaway sshd on
# 127.0.0.1, scripts/cluster-localsshd) beside make -j2 run, from scratch,
# over a make-corpus corpus of CLUSTER_NDOCS documents (default 20000, the
# corpus of 90-pipeline.sh): documents/s with 1, 2 and 3 slots over ssh,
# and where the time goes (cluster-run's own line: sync and pack, the jobs
# = transfer there + tools + transfer back, unpack, tables). Target (issue
# 20): over local ssh with 2 slots, at least 70% of make -j2 run's
# documents/s. Slots over ssh on one machine still pay the transfer and the
# encryption, on the same two cores as the tools.
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
# run LABEL CMD...: from scratch into $cw/out (moved aside, deleted after
# all timings: see 90-pipeline.sh on deleting files on this disk)
run() {
	local label=$1 a b
	shift
	[ -e "$cw/out" ] && mv "$cw/out" "$cw/trash.$RANDOM$RANDOM"
	sync
	a=$(date +%s.%N)
	"$@" >/dev/null 2>"$cw/log" || echo "  ($label failed: see $cw/log)"
	b=$(date +%s.%N)
	awk -v n="$n" -v a="$a" -v b="$b" -v l="$label" 'BEGIN { printf "  %-44s %8.0f docs/s  (%.2fs)\n", l, n / (b - a), b - a }'
	grep '^\[cluster\]' "$cw/log" | sed 's/^/      /'
	LAST=$(awk -v n="$n" -v a="$a" -v b="$b" 'BEGIN { printf "%.1f", n / (b - a) }')
}
run "make -j2 run, from scratch" make -s -C "$ROOT" -j2 run IN="$corpus/raw" OUT="$cw/out"
ref=$LAST
for s in 1 2 3; do
	run "cluster-run $s/127.0.0.1 (ssh), from scratch" env CLUSTER_SSH="$cw/ssh/ssh" BIN="$BIN" "$ROOT/scripts/cluster-run" "$s/127.0.0.1" "$corpus/raw" "$cw/out"
	[ "$s" = 2 ] && two=$LAST
done
run "cluster-run 2/127.0.0.1,1/: from scratch" env CLUSTER_SSH="$cw/ssh/ssh" BIN="$BIN" "$ROOT/scripts/cluster-run" "2/127.0.0.1,1/:" "$corpus/raw" "$cw/out"
"$ROOT/scripts/cluster-localsshd" stop "$cw/ssh"
awk -v a="$two" -v b="$ref" 'BEGIN { r = a / b
	printf "  => %-40s %6.0f%%  (target 70%%: %s)\n", "2 ssh slots vs make -j2 run", 100 * r, (r >= 0.7) ? "met" : "NOT met" }'
rm -rf "$cw"
