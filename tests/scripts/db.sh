#!/usr/bin/env bash
# db: OUT/lawtext.sqlite (scripts/pipeline-db, make db) over the samples.
#  - round trip: every table dumped back from the database equals the TSV;
#  - typed: years and counts are integers, value is text with value_num
#    real, '-' is NULL, escapes undone (a field with a newline, a tab, a
#    backslash and a leading ");
#  - views: reports_missing_parts lists the reports coverage.tsv says lack
#    a part; region_year_figures joins label and unit;
#  - incremental: after touching, removing and adding documents, the
#    updated database dumps to the new tables, only the changed documents
#    imported (the kept rows of OUT/.state/db/ consumed).
set -u
cd "$ROOT"
command -v sqlite3 >/dev/null || { echo "sqlite3 is not installed (Debian: apt-get install sqlite3): the database tests are skipped"; exit 77; }
T=$TEST_TMP/db
rm -rf "$T"; mkdir -p "$T/in"
cp samples/*.txt "$T/in/"
job() { make --no-print-directory -f scripts/pipeline.mk BIN="$BIN_ABS" IN="$T/in" OUT="$T/out" run >/dev/null 2>&1; }
TABLES="docs sections indicators summary coverage problems"
# roundtrip WHAT: every table of $T/out dumped from its database equals the TSV
roundtrip() {
	local t bad=""
	for t in $TABLES; do
		scripts/pipeline-db --dump "$T/out/lawtext.sqlite" "$t" >"$T/$t.dump" 2>&1
		cmp -s "$T/$t.dump" "$T/out/$t.tsv" || bad+=" $t"
	done
	if [ -z "$bad" ]; then echo "ok - $1: tables -> sqlite -> TSV equal"; else echo "not ok - $1: differ:$bad"; fi
}
q() { sqlite3 -batch "$T/out/lawtext.sqlite" "$1" 2>&1; }

job
if scripts/pipeline-db "$T/out" && [ -s "$T/out/lawtext.sqlite" ]; then
	echo "ok - pipeline-db builds lawtext.sqlite"
else
	echo "not ok - pipeline-db failed"; exit 0
fi
roundtrip "full build"
got=$(q "SELECT typeof(year), typeof(chars), typeof(date) FROM docs LIMIT 1; SELECT DISTINCT typeof(value) || ' ' || typeof(value_num) FROM indicators;
	SELECT count(*) FROM docs WHERE title IS NULL; SELECT count(*) FROM docs WHERE title = '-';
	SELECT max(value_num) FROM summary WHERE code = 'review.received'; SELECT count(*) FROM indicator_codes")
want="integer|integer|text
text real
1
0
171.0
$(($(wc -l <data/indicators.tsv) - 1))"
if [ "$got" = "$want" ]; then
	echo "ok - typed columns, NULL for '-', numeric max of value_num, the indicator codes"
else
	echo "not ok - types: $(tr '\n' ' ' <<<"$got")"
fi
# every section's text has its newlines back
n=$(q "SELECT count(*) FROM sections WHERE instr(text, char(10)) > 0 AND instr(text, '\\n') = 0")
m=$(grep -c '\\n' "$T/out/sections.tsv")
if [ "$n" = "$m" ] && [ "$n" -gt 0 ]; then
	echo "ok - escapes undone: $n sections' texts have their newlines"
else
	echo "not ok - escapes: $n sections with newlines in the database, $m in the table"
fi
got=$(q "SELECT doc || ' ' || missing FROM reports_missing_parts ORDER BY doc")
want=$(awk -F'\t' 'NR > 1 && $10 != "-" { print $1 " " $10 }' "$T/out/coverage.tsv")
if [ "$got" = "$want" ] && [ -n "$got" ]; then
	echo "ok - view reports_missing_parts: $(wc -l <<<"$got") reports"
else
	echo "not ok - view reports_missing_parts: $got"
fi
got=$(q "SELECT label || ' ' || unit || ' ' || value FROM region_year_figures WHERE region = '大理市' AND year = 2023 AND code = 'review.received'")
if [ "$got" = "行政复议 收到/受理申请(案件) 件 171" ]; then
	echo "ok - view region_year_figures: label, unit, value"
else
	echo "not ok - view region_year_figures: $got"
fi

# awkward fields: a title with a leading ", a tab, a newline, a backslash
mkdir -p "$T/odd"
for t in $TABLES; do cp "$T/out/$t.tsv" "$T/odd/$t.tsv"; done
printf 'zz_odd\tx.txt\tUTF-8\t"quoted" a\\tb\\nc\\\\n d\t-\t-\t-\t-\t-\t-\t7\t0\t0\n' >>"$T/odd/docs.tsv"
scripts/pipeline-db "$T/odd" 2>"$T/odd.err"
got=$(sqlite3 "$T/odd/lawtext.sqlite" "SELECT hex(title), year IS NULL, chars FROM docs WHERE doc = 'zz_odd'")
want="$(printf '"quoted" a\tb\nc\\n d' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)|1|7"
if [ "$got" = "$want" ] && scripts/pipeline-db --dump "$T/odd/lawtext.sqlite" docs | cmp -s - "$T/odd/docs.tsv"; then
	echo "ok - a field starting with \", with tab, newline and backslash: stored as text, dumped back the same"
else
	echo "not ok - awkward field: $got (want $want) $(cat "$T/odd.err")"
fi

# incremental
mkdir -p "$T/late"
mv "$T/in/000_38744af11d1313e7.txt" "$T/late/"
touch "$T/in/002_1c43591e52210f05.txt"
job
cp "$T/late/000_38744af11d1313e7.txt" "$T/in/new-one.txt"
job
sets=$(find "$T/out/.state/db" -mindepth 1 -maxdepth 1 -type d | wc -l)
scripts/pipeline-db "$T/out"
left=$(find "$T/out/.state/db" -mindepth 1 -maxdepth 1 -type d | wc -l)
if [ "$sets" = 2 ] && [ "$left" = 0 ]; then
	echo "ok - two runs kept two sets of new rows; the update applied them"
else
	echo "not ok - sets of new rows: $sets kept, $left left"
fi
roundtrip "incremental update (a document touched, one removed, one added)"
before=$(stat -c %Y.%s "$T/out/lawtext.sqlite")
sleep 1
scripts/pipeline-db "$T/out"
if [ "$(stat -c %Y.%s "$T/out/lawtext.sqlite")" = "$before" ]; then
	echo "ok - up to date: the database is left alone"
else
	echo "not ok - up to date, yet the database was written again"
fi
rm -f "$T/out/lawtext.sqlite"
scripts/pipeline-db "$T/out" && roundtrip "rebuilt when the database is gone"
if ! scripts/pipeline-db "$T/nothing" 2>"$T/err" && grep -q 'no such table' "$T/err"; then
	echo "ok - no tables: a message, exit 1"
else
	echo "not ok - no tables: $(cat "$T/err")"
fi
