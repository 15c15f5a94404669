# encfix-corpus: over a `make-corpus --truth` corpus of 300 pages, detection
# must match manifest.tsv on every page and every page must convert (without
# --simplified: Big5 pages' truth keeps traditional characters) to its
# truth/ text byte for byte; --report must have one ok row per page.
# Reads tests/bench/make-corpus (a copy of the project corpus generator);
# skipped when it is missing.
set -u
cd "$ROOT"
gen=$ROOT/tests/bench/make-corpus
if [ ! -x "$gen" ]; then
	echo "skip: $gen not found (tests/bench is incomplete)"
	exit 77
fi
c="$TEST_TMP/encfix-corpus"
rm -rf "$c"
"$gen" -q "$c" 300 7 --truth || { echo "not ok - make-corpus failed"; exit 1; }
"$BIN_ABS/encfix" --no-header --report "$c/report.tsv" -o "$c/out" "$c"/raw/* 2>"$c/err"
rc=$?
[ "$rc" = 0 ] && echo "ok - encfix over 300 pages exits 0" || echo "not ok - encfix exit $rc: $(head -c 300 "$c/err")"
bad=0
for t in "$c"/truth/*.txt; do
	b=${t##*/}
	if ! cmp -s "$c/out/$b" "$t"; then
		bad=$((bad + 1))
		[ "$bad" -le 5 ] && echo "# differs: $b ($(grep -F "raw/${b%.txt}" "$c/manifest.tsv" | cut -f2-4,8))"
	fi
done
n=$(ls "$c"/truth/*.txt | wc -l)
[ "$bad" = 0 ] && echo "ok - all $n pages convert to their truth/ text" || echo "not ok - $bad of $n pages differ from truth/"
# detection: GBK and GB18030 are one family (a GB18030 page without
# four-byte sequences is byte for byte a GBK page); the rest must be exact
"$BIN_ABS/encfix" --detect "$c"/raw/* >"$c/detect.tsv"
res=$(awk -F'\t' '
	NR == FNR { if (FNR > 1) want["'"$c"'/" $1] = $2; next }
	{ n++; w = want[$1]; g = $2
	  if (w == "GBK") w = "GB18030"; if (g == "GBK") g = "GB18030"
	  if (w == g) ok++; else miss = miss " " $1 ":" want[$1] "->" $2 }
	END { printf "%d %d%s\n", ok, n, miss }' "$c/manifest.tsv" "$c/detect.tsv")
read -r ok total miss <<<"$res"
echo "# encfix detection on the make-corpus pages: $ok/$total"
[ "$ok" = "$total" ] && [ "$total" = 300 ] && echo "ok - detection 100% against manifest.tsv" || echo "not ok - detection $ok/$total:$miss"
# a GB18030 page is reported GB18030 exactly when it has four-byte sequences
rows=$(awk -F'\t' 'NR > 1 && $10 == "ok"' "$c/report.tsv" | wc -l)
[ "$rows" = 300 ] && echo "ok - --report has 300 ok rows" || echo "not ok - --report has $rows ok rows"
head -n 1 "$c/report.tsv" | grep -qx $'file\tencoding\tconfidence\tscript\tbytes\tchars\tinvalid\tcontrols\trepaired\tstatus\tmessage' &&
	echo "ok - --report header" || echo "not ok - --report header: $(head -n 1 "$c/report.tsv")"
# Big5 pages are traditional, the others simplified
wrong=$(awk -F'\t' 'NR > 1 { t = ($2 == "BIG5") ? "traditional" : "simplified"; if ($4 != t) print $1, $2, $4 }' "$c/report.tsv" | head -n 3)
[ -z "$wrong" ] && echo "ok - script column right on every page" || echo "not ok - script column: $wrong"
# --simplified: Big5 pages come out in simplified characters
big5=$(awk -F'\t' 'NR > 1 && $2 == "BIG5" { print "'"$c"'/" $1; exit }' "$c/manifest.tsv")
if [ -n "$big5" ]; then
	s=$("$BIN_ABS/encfix" --no-header --simplified "$big5" | "$BIN_ABS/encfix" --detect | cut -f4)
	[ "$s" = simplified ] && echo "ok - --simplified turns a Big5 page simplified" || echo "not ok - --simplified: script $s"
fi
