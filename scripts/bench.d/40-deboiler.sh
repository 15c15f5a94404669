# deboiler over the clean truth texts of the corpus (pages with their chrome,
# already UTF-8 and LF: what encfix hands it; encfix is benchmarked on its
# own), beside cat over the same files: target at least 100 MB/s.
# scripts/bench's bench_run sends /usr/bin/time's own output to /dev/null
# with the command's stderr (every time comes out empty); this one writes
# the time to a file (-o), as 20-encfix.sh does.
bench_run() {
	local label=$1 bytes=$2 best="" t i tf
	shift 2
	tf=$(mktemp)
	for i in 1 2 3; do
		/usr/bin/time -f '%e' -o "$tf" "$@" >/dev/null 2>/dev/null
		t=$(tail -n 1 "$tf")
		if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN{exit !(a<b)}'; then best=$t; fi
	done
	rm -f "$tf"
	BENCH_LAST=$(awk -v b="$bytes" -v t="$best" 'BEGIN{ if (t <= 0) t = 0.001; printf "%.1f", b / 1048576 / t }')
	printf '  %-44s %8s MB/s  (%ss)\n' "$label" "$BENCH_LAST" "$best"
}
files=("$CORPUS"/truth/*.txt)
bytes=$(cat "${files[@]}" | wc -c)
bench_run "cat (truth texts, $((bytes / 1048576)) MB)" "$bytes" cat "${files[@]}"
bench_run "deboiler (same files)" "$bytes" deboiler "${files[@]}"
awk -v r="$BENCH_LAST" 'BEGIN { printf "  => %-40s %6.1f MB/s  (target 100 MB/s: %s)\n", "deboiler", r, (r >= 100) ? "met" : "NOT met" }'
bench_run "deboiler --meta (same files)" "$bytes" deboiler --meta "${files[@]}"
# Wall time suffers when other jobs share the machine (reading 2000 files
# then costs more than the work): also the MB/s per CPU second (user + sys,
# best of 3).
cpu=""
tf=$(mktemp)
for i in 1 2 3; do
	/usr/bin/time -f '%U %S' -o "$tf" deboiler "${files[@]}" >/dev/null 2>/dev/null
	t=$(awk '{ t = $1 + $2 } END { print t }' "$tf")
	if [ -z "$cpu" ] || awk -v a="$t" -v b="$cpu" 'BEGIN{exit !(a<b)}'; then cpu=$t; fi
done
rm -f "$tf"
awk -v b="$bytes" -v t="$cpu" 'BEGIN { if (t <= 0) t = 0.001; r = b / 1048576 / t;
	printf "  => %-40s %6.1f MB/s  (%ss CPU; target 100 MB/s: %s)\n", "deboiler per CPU second", r, t, (r >= 100) ? "met" : "NOT met" }'
