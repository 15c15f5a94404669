#!/usr/bin/env bash
# recipes: the README's recipes (the indented block after each
# "<!-- recipe NAME -->" line), run as written in a folder whose out/ holds
# the samples' tables and lawtext.sqlite: tsvagg over summary.tsv, sqlite3,
# Python's csv module. Their outputs are checked against the tables.
# (pandas, R: recipes-pandas-r.sh; PostgreSQL: db-postgres.sh)
set -u
cd "$ROOT"
T=$TEST_TMP/recipes
rm -rf "$T"; mkdir -p "$T"
recipe() {
	awk -v name="$1" '$0 == "<!-- recipe " name " -->" { on = 1; next }
		on && /^    / { print substr($0, 5); n++; next }
		on && n { exit }' "$ROOT/README.md"
}
make --no-print-directory -f scripts/pipeline.mk BIN="$BIN_ABS" IN=samples OUT="$T/out" run >/dev/null 2>&1
ln -s "$ROOT/data" "$T/data"
cd "$T" || exit 1

got=$(recipe tsvagg | bash 2>&1)
want="year	value_sum	region_count
2020	13	1
2021	84	1
2023	171	1
year	value_median	value_min	value_max
2023	37.6	37.6	37.6"
if [ "$got" = "$want" ]; then
	echo "ok - README tsvagg recipe: 行政复议 received per year, a rate's median"
else
	echo "not ok - README tsvagg recipe: $got"
fi

if command -v sqlite3 >/dev/null; then
	"$ROOT/scripts/pipeline-db" out
	got=$(recipe sqlite | bash 2>&1)
	if grep -q '^兴平市 *2020 *行政复议 收到/受理申请(案件) *13 *件 *annual-report' <<<"$got" &&
		grep -q '^大理市 *2023 .* 171 ' <<<"$got" &&
		grep -q '^003_878670cd2071e2bd|兴平市|2020|leadership,plans,other$' <<<"$got"; then
		echo "ok - README sqlite recipe"
	else
		echo "not ok - README sqlite recipe: $got"
	fi
else
	echo "not ok - sqlite3 is not installed (scripts/deps --test installs it)"
fi

got=$(recipe python-csv | python3 2>&1)
want="$(awk -F'\t' 'NR > 1 { s += $6; n++ } END { print s " documents in " n " rows" }' out/summary.tsv)"
if [ "$got" = "$want" ]; then
	echo "ok - README Python csv recipe: $got"
else
	echo "not ok - README Python csv recipe: $got (want $want)"
fi
# the recipe's field() on every field of sections.tsv (long texts, escapes):
# the texts equal the bodies' slices (the body: after the header's empty line)
got=$( { recipe python-csv | sed -n '1,4p'; cat <<'PY'
ok = bad = 0
with open('out/sections.tsv', newline='', encoding='utf-8') as f:
    for r in csv.DictReader(f, delimiter='\t', quoting=csv.QUOTE_NONE):
        body = open('out/body/%s.txt' % r['doc'], encoding='utf-8').read().split('\n\n', 1)[1]
        if field(r['text']) == body[int(r['start']):int(r['end'])]:
            ok += 1
        else:
            bad += 1
print(ok, bad)
PY
} | python3 2>&1)
n=$(($(wc -l <out/sections.tsv) - 1))
if [ "$got" = "$n 0" ]; then
	echo "ok - the Python recipe reads every section's text back as in the body ($n sections)"
else
	echo "not ok - the Python recipe on sections.tsv: $got (of $n)"
fi
