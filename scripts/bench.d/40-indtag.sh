# indtag over the clean truth texts of the corpus, beside the same run's
# grep -oP with a number+unit pattern and a 20-line Python `re` extractor
# (scripts/bench.d/indtag-extract.py). Targets (issue 6): the number scan
# alone (indtag --numbers) at least half of grep -oP; the whole tagger (all
# rules, full TSV) at least 2x the Python extractor.
files=("$CORPUS"/truth/*.txt)
bytes=$(cat "${files[@]}" | wc -c)
pat='\d+(?:,\d{3})*(?:\.\d+)?(?:万|亿)?(?:余|多)?(?:人次|场次|件次|万元|亿元|件|起|宗|人|名|位|次|场|期|项|个|条|部|份|家|台|卷|所|处|本|批|%|元)'
bench_run "grep -oP number+unit (truth texts, $((bytes / 1048576)) MB)" "$bytes" grep -oP "$pat" "${files[@]}"
grep_mbs=$BENCH_LAST
bench_run "python3 re extractor (20 lines)" "$bytes" python3 "$ROOT/scripts/bench.d/indtag-extract.py" "${files[@]}"
py_mbs=$BENCH_LAST
bench_run "indtag --numbers (number scan alone)" "$bytes" indtag --numbers "${files[@]}"
scan_mbs=$BENCH_LAST
bench_run "indtag (all rules, TSV output)" "$bytes" indtag "${files[@]}"
tag_mbs=$BENCH_LAST
bench_run "indtag --explain" "$bytes" indtag --explain "${files[@]}"
bench_ratio "indtag --numbers / grep -oP" "$scan_mbs" "$grep_mbs" 0.5
bench_ratio "indtag / python re extractor" "$tag_mbs" "$py_mbs" 2
