#!/usr/bin/env bash
# deboiler on the five samples: the metadata equals shared/gold/docs.tsv
# (copied here, so the test does not need ../shared), every chrome line is
# removed, every other line is kept (the lists are explicit), and the one
# line a copy broke in mid-sentence (003, line 11) is joined to line 10.
set -u
D=$BIN_ABS/deboiler
S=samples
T=$TEST_TMP/deboiler-samples
mkdir -p "$T"
ok() { if [ "$1" = 0 ]; then echo "ok - $2"; else echo "not ok - $2"; fi; }

# gold: doc title region year doc_type pub_date
cat >"$T/gold.tsv" <<'G'
000_38744af11d1313e7	对政协秦皇岛市第十三届委员会第五次会议第135137号提案的答复	秦皇岛市	2021	proposal-reply	2021-07-20
001_737b89c6e62b3a8d	-	黄石市	2020	annual-report	-
002_1c43591e52210f05	大理市司法局2023年度法治政府建设情况报告	大理市	2023	annual-report	2024-01-26
003_878670cd2071e2bd	兴平市2020年法治政府建设工作开展情况	兴平市	2020	annual-report	2021-01-21
004_32d0a951caa760a7	秦皇岛市法治政府建设新闻发布会全程实录	秦皇岛市	2021	press-conference	2021-11-18
G
"$D" --meta --names $S/*.txt >"$T/meta.tsv"
ok $? "deboiler --meta on the samples exits 0"
awk -F'\t' 'NR > 1 { print $1 "\t" $2 "\t" $3 "\t" $6 "\t" $7 "\t" $8 }' "$T/meta.tsv" >"$T/got.tsv"
while IFS=$'\t' read -r doc rest; do
	got=$(grep "^$doc	" "$T/got.tsv" | cut -f2-)
	[ "$got" = "$rest" ]; ok $? "metadata of $doc equals the gold ($got)"
done <"$T/gold.tsv"

# chrome lines (doc:line), by reading the pages; everything else is content
chrome="000_38744af11d1313e7:2 000_38744af11d1313e7:3 000_38744af11d1313e7:4 000_38744af11d1313e7:5
002_1c43591e52210f05:2 002_1c43591e52210f05:3 002_1c43591e52210f05:4 002_1c43591e52210f05:5
002_1c43591e52210f05:6 002_1c43591e52210f05:7 002_1c43591e52210f05:33
003_878670cd2071e2bd:25
004_32d0a951caa760a7:1 004_32d0a951caa760a7:5 004_32d0a951caa760a7:6 004_32d0a951caa760a7:7
004_32d0a951caa760a7:9 004_32d0a951caa760a7:107"
"$D" --explain $S/*.txt >"$T/explain.tsv"
awk -F'\t' '$3 == "drop" { print $1 ":" $2 }' "$T/explain.tsv" | sort >"$T/dropped"
tr ' ' '\n' <<<"$chrome" | grep . | sort >"$T/chrome"
missed=$(comm -23 "$T/chrome" "$T/dropped" | tr '\n' ' ')
lost=$(comm -13 "$T/chrome" "$T/dropped" | tr '\n' ' ')
[ -z "$missed" ]; ok $? "every chrome line of the samples removed${missed:+ (missed: $missed)}"
[ -z "$lost" ]; ok $? "no content line of the samples removed${lost:+ (lost: $lost)}"
joins=$(awk -F'\t' '$3 == "join" { print $1 ":" $2 }' "$T/explain.tsv" | tr '\n' ' ')
[ "$joins" = "003_878670cd2071e2bd:11 " ]; ok $? "only the broken line of 003 is joined ($joins)"

# every kept line is in the body, whole (or joined), in order
for f in $S/*.txt; do
	doc=$(basename "$f" .txt)
	"$D" --body "$f" >"$T/$doc.body"
	python3 - "$f" "$T/$doc.body" "$T/explain.tsv" "$doc" <<'PY' || echo "not ok - $doc: body check crashed"
import sys, re
page, body, explain, doc = sys.argv[1:]
drop = {int(r.split("\t")[1]) for r in open(explain, encoding="utf-8").read().splitlines()[1:]
        if r.split("\t")[0] == doc and r.split("\t")[2] == "drop"}
text = open(body, encoding="utf-8").read()
squeezed = re.sub(r"\s+", "", text)
pos, bad = 0, []
for i, line in enumerate(open(page, encoding="utf-8").read().split("\n"), 1):
    s = re.sub(r"\s+", "", line)
    if not s or i in drop:
        continue
    k = squeezed.find(s, pos)
    if k < 0:
        bad.append(i)
    else:
        pos = k + len(s)
print(("ok - " if not bad else "not ok - ") + f"{doc}: every kept line is in the body, in order" +
      (f" (missing lines {bad})" if bad else ""))
PY
done
# the body starts with the title, kept once
for f in $S/000*.txt $S/002*.txt $S/004*.txt; do
	doc=$(basename "$f" .txt)
	title=$(grep "^$doc	" "$T/gold.tsv" | cut -f2)
	[ "$(head -n 1 "$T/$doc.body")" = "$title" ] && [ "$(grep -cxF "$title" "$T/$doc.body")" = 1 ]
	ok $? "$doc: the title is the first body line, once"
done
