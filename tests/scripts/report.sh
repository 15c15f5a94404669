#!/usr/bin/env bash
# report: OUT/report.html (scripts/pipeline-report) over the samples' tables.
#  - the page is self-contained: no remote script, style, font or image, a
#    Content-Security-Policy that forbids loads;
#  - it has the corpus charts, the coverage table with the report lacking
#    下一年度安排 (003) linked to its body, the main indicators' charts with
#    their numbers (行政复议 received: 13 in 2020, 84 in 2021, 171 in 2023);
#  - an empty output folder's tables give a page too.
# (tests/scripts/report-browser.sh loads it in Chromium.)
set -u
cd "$ROOT"
T=$TEST_TMP/report
rm -rf "$T"; mkdir -p "$T"
make --no-print-directory -f scripts/pipeline.mk BIN="$BIN_ABS" IN=samples OUT="$T/out" run >/dev/null 2>&1
if scripts/pipeline-report "$T/out" && [ -s "$T/out/report.html" ]; then
	echo "ok - pipeline-report writes report.html"
else
	echo "not ok - pipeline-report failed"; exit 0
fi
P=$T/out/report.html
# every URL the page names: only links to the bodies beside it, and the SVG namespace
urls=$(grep -o -E '(src|href|url)[=(]"?[^" )>]*' "$P" | grep -v -E '^href="(#|body/[0-9a-z_]+\.txt$)' | sort -u)
if [ -z "$urls" ] && grep -q 'Content-Security-Policy" content="default-src .none.' "$P" &&
	! grep -q -i -E '<(link|iframe|img|object|embed)[ >]|@import|@font-face|<script src' "$P"; then
	echo "ok - self-contained: no remote resource, a CSP forbids loads"
else
	echo "not ok - the page loads something: $urls"
fi
charts=$(grep -o '<figure class="chart"><svg' "$P" | wc -l)
if [ "$charts" -ge 12 ]; then
	echo "ok - $charts charts, each an inline SVG"
else
	echo "not ok - $charts charts (at least 12 expected)"
fi
if grep -q '<a href="body/003_878670cd2071e2bd.txt">003_878670cd2071e2bd</a></td><td>兴平市</td><td>2020</td>' "$P" &&
	grep -q 'Reports lacking 存在的不足 or 下一年度安排: 1<' "$P"; then
	echo "ok - the coverage table lists the report lacking 下一年度安排, linked to its body"
else
	echo "not ok - the coverage table lacks 003_878670cd2071e2bd"
fi
if grep -q '<tr><td>2020</td><td class="n">13</td><td class="n">1</td></tr><tr><td>2021</td><td class="n">84</td><td class="n">1</td></tr><tr><td>2023</td><td class="n">171</td>' "$P"; then
	echo "ok - 行政复议 received by year: the numbers behind the chart"
else
	echo "not ok - 行政复议 received by year: numbers missing"
fi
for d in $(cut -f1 "$T/out/docs.tsv" | tail -n +2); do
	grep -q "href=\"body/$d.txt\"" "$P" && [ -f "$T/out/body/$d.txt" ] || { echo "not ok - no link to body/$d.txt"; d=; break; }
done
[ -n "$d" ] && echo "ok - every document linked to its body"
# tables with a header and no rows
mkdir -p "$T/empty"
for t in docs coverage problems summary; do head -n 1 "$T/out/$t.tsv" >"$T/empty/$t.tsv"; done
if scripts/pipeline-report "$T/empty" && grep -q '0 documents made it' "$T/empty/report.html"; then
	echo "ok - empty tables: a page saying so"
else
	echo "not ok - empty tables"
fi
if ! scripts/pipeline-report "$T/nothing" 2>"$T/err" && grep -q 'docs.tsv: no such table' "$T/err"; then
	echo "ok - no tables: a message, exit 1"
else
	echo "not ok - no tables: $(cat "$T/err")"
fi
