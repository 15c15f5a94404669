# deboiler over the clean truth texts of the corpus (pages with their chrome,
# already UTF-8 and LF: what encfix hands it; encfix is benchmarked on its
# own), beside cat over the same files: target at least 100 MB/s.
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
