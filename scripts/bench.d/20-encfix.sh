# encfix beside iconv on the same bytes (targets from issue 3): UTF-8 pages
# that need no conversion >= 1.6x `iconv -f UTF-8 -t UTF-8`; GB18030 pages
# >= 0.5x `iconv -f GB18030 -t UTF-8`; detection 100% against manifest.tsv
# (GBK and GB18030 count as one family: a GB18030 page without four-byte
# sequences is a GBK page byte for byte).
cd "$CORPUS" || exit 1
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
