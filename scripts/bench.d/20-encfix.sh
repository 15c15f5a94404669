# encfix beside iconv on the same bytes (targets from issue 3): UTF-8 pages
# that need no conversion >= 1.6x `iconv -f UTF-8 -t UTF-8`; GB18030 pages
# >= 0.5x `iconv -f GB18030 -t UTF-8`; detection 100% against manifest.tsv
# (GBK and GB18030 count as one family: a GB18030 page without four-byte
# sequences is a GBK page byte for byte).
cd "$CORPUS" || exit 1
# scripts/bench's bench_run sends /usr/bin/time's own report to /dev/null
# with the command's stderr (every run then reads as 0 s): the same helper,
# with the time written to a file.
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
sel() {	# files of the manifest matching an awk condition
	awk -F'\t' -v OFS='\t' "NR > 1 && $1 { print \$1 }" manifest.tsv
}
# each list five times over: runs long enough for /usr/bin/time's 10 ms
mapfile -t u8 < <(for i in 1 2 3 4 5; do sel '$2 == "UTF-8" && $3 == "no" && $4 == "no" && $7 == "no" && $8 !~ /fullwidth/'; done)
mapfile -t gb < <(for i in 1 2 3 4 5; do sel '$2 == "GB18030" && $3 == "no"'; done)
b8=$(cat "${u8[@]}" | wc -c)
bg=$(cat "${gb[@]}" | wc -c)
bench_run "iconv -f UTF-8 -t UTF-8 (${#u8[@]} clean UTF-8 pages)" "$b8" iconv -f UTF-8 -t UTF-8 "${u8[@]}"
ref=$BENCH_LAST
bench_run "encfix (same pages)" "$b8" encfix "${u8[@]}"
bench_ratio "encfix UTF-8 / iconv UTF-8" "$BENCH_LAST" "$ref" 1.6
bench_run "iconv -f GB18030 -t UTF-8 (${#gb[@]} GB18030 pages)" "$bg" iconv -f GB18030 -t UTF-8 "${gb[@]}"
ref=$BENCH_LAST
bench_run "encfix (same pages)" "$bg" encfix "${gb[@]}"
bench_ratio "encfix GB18030 / iconv GB18030" "$BENCH_LAST" "$ref" 0.5
all=(raw/*)
ball=$(du -cb raw | tail -n 1 | cut -f1)
bench_run "encfix --simplified (whole corpus, all encodings)" "$ball" encfix --simplified "${all[@]}"
bench_run "encfix --detect (whole corpus)" "$ball" encfix --detect "${all[@]}"
encfix --detect "${all[@]}" 2>/dev/null | awk -F'\t' '
	NR == FNR { if (FNR > 1) want[$1] = $2; next }
	{ n++; w = want[$1]; g = $2; if (g == "GBK") g = "GB18030"; if (w == "GBK") w = "GB18030";
	  if (g == w) ok++; else if (bad++ < 5) printf "  miss: %s %s -> %s\n", $1, want[$1], $2 }
	END { printf "  => %-40s %5.1f%%  (%d/%d; target 100%%: %s)\n", "encfix detection", 100 * ok / n, ok, n, ok == n ? "met" : "NOT met" }
' manifest.tsv -
