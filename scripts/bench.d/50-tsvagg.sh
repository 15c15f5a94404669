# tsvagg: group by region,year,indicator with count and sum over the facts
# TSV of tests/bench/make-facts-tsv (216,000 groups), beside datamash -s,
# mlr stats1, sqlite3 and gawk timed in the same run. Targets (issue 7): at
# least 7x datamash -s and 25x mlr in rows/s, memory that grows with the
# groups, not the rows. 2M rows by default; TSVAGG_BENCH_ROWS=10000000 for the
# issue's full 465 MB file. Reference tools that are missing are skipped.
ROWS=${TSVAGG_BENCH_ROWS:-2000000}
FACTS=$BENCH/facts-$ROWS.tsv
if [ ! -s "$FACTS" ]; then
	echo "  (writing $FACTS)"
	"$ROOT/tests/bench/make-facts-tsv" "$FACTS.tmp" "$ROWS" 1 && mv "$FACTS.tmp" "$FACTS" || exit 1
fi
bytes=$(wc -c <"$FACTS")
cat "$FACTS" >/dev/null	# warm the page cache for every contender

# agg_run LABEL RUNS CMD...: best wall time of RUNS runs, with its CPU time
# (user + sys) and max RSS; prints MB/s, rows/s, CPU seconds and RSS, and
# leaves rows/s in $AGG_RPS and rows per CPU second in $AGG_CPS (the fairer
# figure on a loaded machine). The time goes to a file: the tools' stderr is
# thrown away.
agg_run() {
	local label=$1 runs=$2 best="" cpu="" rss="" t u s m i tf
	shift 2
	tf=$(mktemp)
	for ((i = 0; i < runs; i++)); do
		/usr/bin/time -f '%e %U %S %M' -o "$tf" "$@" >/dev/null 2>/dev/null
		if grep -q '^Command' "$tf"; then	# failed or killed: say so, no figures
			echo "  $label: $(grep -m1 '^Command' "$tf")"
			continue
		fi
		read -r t u s m < <(tail -n 1 "$tf")
		if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN{exit !(a<b)}'; then
			best=$t rss=$m cpu=$(awk -v u="$u" -v s="$s" 'BEGIN{ printf "%.2f", u + s }')
		fi
	done
	rm -f "$tf"
	if [ -z "$best" ]; then
		AGG_RPS=0 AGG_CPS=0
		return
	fi
	AGG_RPS=$(awk -v r="$ROWS" -v t="$best" 'BEGIN{ if (t <= 0) t = 0.001; printf "%.0f", r / t }')
	AGG_CPS=$(awk -v r="$ROWS" -v t="$cpu" 'BEGIN{ if (t <= 0) t = 0.001; printf "%.0f", r / t }')
	awk -v l="$label" -v b="$bytes" -v t="$best" -v r="$AGG_RPS" -v m="$rss" -v c="$cpu" 'BEGIN{
		if (t <= 0) t = 0.001
		printf "  %-44s %7.1f MB/s %6.2fM rows/s %6.0f MB RSS  (%ss, %ss CPU)\n", l, b / 1048576 / t, r / 1e6, m / 1024, t, c }'
}

echo "  facts: $ROWS rows, $((bytes / 1048576)) MB, group by region,year,indicator: count, sum"
agg_run "tsvagg -g region,year,indicator count sum:value" 3 \
	tsvagg -g region,year,indicator count sum:value "$FACTS"
mine=$AGG_RPS minecpu=$AGG_CPS
agg_run "tsvagg (the same, --sort)" 3 \
	tsvagg --sort -g region,year,indicator count sum:value "$FACTS"
agg_run "tsvagg (mean stdev min max median)" 1 \
	tsvagg -g region,year,indicator mean:value stdev:value min:value max:value median:value "$FACTS"
if command -v datamash >/dev/null; then
	agg_run "datamash -s -H -g 2,3,4 count 5 sum 5" 1 datamash -s -H -g 2,3,4 count 5 sum 5 <"$FACTS"
	bench_ratio "tsvagg / datamash -s (rows/s)" "$mine" "$AGG_RPS" 7
	bench_ratio "tsvagg / datamash -s (rows per CPU s)" "$minecpu" "$AGG_CPS" 7
else
	echo "  (datamash not installed: skipped)"
fi
if command -v mlr >/dev/null; then
	agg_run "mlr --tsv stats1 -a count,sum" 1 \
		mlr --tsv stats1 -a count,sum -f value -g region,year,indicator "$FACTS"
	bench_ratio "tsvagg / mlr stats1 (rows/s)" "$mine" "$AGG_RPS" 25
	bench_ratio "tsvagg / mlr stats1 (rows per CPU s)" "$minecpu" "$AGG_CPS" 25
else
	echo "  (mlr not installed: skipped)"
fi
if command -v sqlite3 >/dev/null; then
	agg_run "sqlite3 (.import, GROUP BY)" 1 sqlite3 :memory: -cmd '.mode tabs' \
		".import $FACTS facts" \
		'SELECT region, year, indicator, count(*), sum(value) FROM facts GROUP BY 1, 2, 3'
	bench_ratio "tsvagg / sqlite3 (rows/s)" "$mine" "$AGG_RPS" 1
else
	echo "  (sqlite3 not installed: skipped)"
fi
if command -v gawk >/dev/null; then
	agg_run "gawk (associative arrays)" 1 gawk -F'\t' \
		'NR > 1 { k = $2 FS $3 FS $4; c[k]++; s[k] += $5 } END { for (k in c) print k, c[k], s[k] }' "$FACTS"
	bench_ratio "tsvagg / gawk (rows/s)" "$mine" "$AGG_RPS" 1
fi
