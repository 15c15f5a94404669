# deboiler over the clean truth texts of the corpus (pages with their chrome,
# already UTF-8 and LF: what encfix hands it; encfix is benchmarked on its
# own), beside cat over the same files: target at least 100 MB/s.
files=("$CORPUS"/truth/*.txt)
bytes=$(cat "${files[@]}" | wc -c)
bench_run "cat (truth texts, $((bytes / 1048576)) MB)" "$bytes" cat "${files[@]}"
ref=$BENCH_LAST
bench_run "deboiler (same files)" "$bytes" deboiler "${files[@]}"
awk -v r="$BENCH_LAST" 'BEGIN { printf "  => %-40s %6.1f MB/s  (target 100 MB/s: %s)\n", "deboiler", r, (r >= 100) ? "met" : "NOT met" }'
bench_ratio "deboiler / cat" "$BENCH_LAST" "$ref" 0.01
bench_run "deboiler --meta (same files)" "$bytes" deboiler --meta "${files[@]}"
