# secsplit over the clean truth texts of the corpus (what deboiler hands it),
# beside cat over the same files: target at least 100 MB/s.
files=("$CORPUS"/truth/*.txt)
bytes=$(cat "${files[@]}" | wc -c)
bench_run "cat (truth texts, $((bytes / 1048576)) MB)" "$bytes" cat "${files[@]}"
cat_mbs=$BENCH_LAST
bench_run "secsplit (truth texts)" "$bytes" secsplit "${files[@]}"
bench_run "secsplit --items (truth texts)" "$bytes" secsplit --items "${files[@]}"
bench_run "secsplit --check (truth texts)" "$bytes" secsplit --check "${files[@]}"
bench_ratio "secsplit MB/s (target >= 100 MB/s)" "$BENCH_LAST" 100 1
bench_ratio "secsplit --check / cat" "$BENCH_LAST" "$cat_mbs" 0.05
