# secsplit over the clean truth texts of the corpus (plain text, what
# deboiler hands it minus the header), beside cat over the same files:
# target at least 100 MB/s for the sections TSV.
files=("$CORPUS"/truth/*.txt)
bytes=$(cat "${files[@]}" | wc -c)
bench_run "cat (truth texts, $((bytes / 1048576)) MB)" "$bytes" cat "${files[@]}"
cat_mbs=$BENCH_LAST
bench_run "secsplit (sections TSV)" "$bytes" secsplit "${files[@]}"
ss_mbs=$BENCH_LAST
bench_run "secsplit --items" "$bytes" secsplit --items "${files[@]}"
bench_run "secsplit --check" "$bytes" secsplit --check "${files[@]}"
awk -v r="$ss_mbs" 'BEGIN { printf "  => %-40s %6.1f MB/s  (target 100 MB/s: %s)\n", "secsplit", r, (r >= 100) ? "met" : "NOT met" }'
bench_ratio "secsplit / cat" "$ss_mbs" "$cat_mbs" 0.05
