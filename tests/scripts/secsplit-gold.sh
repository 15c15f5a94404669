#!/usr/bin/env bash
# secsplit-gold: the headings of the five samples (level, marker, heading,
# part) equal tests/gold/sections.tsv exactly, and the texts of every
# document's rows concatenated give its body back.
# tests/gold/sections.tsv is a copy of the project's gold annotations
# (shared/gold/ of the hand-over; samples/ are copies of its seeds).
set -u
cd "$ROOT" || exit 2
GOLD=$ROOT/tests/gold/sections.tsv
if [ ! -f "$GOLD" ]; then
	echo "skip: no $GOLD (tests/gold is incomplete)"
	exit 77
fi
out=$TEST_TMP/secsplit-gold.tsv
"$BIN_ABS/secsplit" samples/*.txt >"$out"
rc=$?
[ "$rc" = 0 ] && echo "ok - secsplit samples/*.txt exits 0" || echo "not ok - secsplit samples/*.txt exits $rc"
[ "$(grep -c '^doc	region	year	seq	level	path	marker	heading	part	start	end	text$' "$out")" = 1 ] &&
	echo "ok - one header row for five documents" || echo "not ok - one header row for five documents"
# headings: levels 1-4 only (level 0 preamble/speakers, 5 items)
awk -F'\t' 'NR > 1 && $5 >= 1 && $5 <= 4 { print $1 "\t" $5 "\t" $7 "\t" $8 "\t" $9 }' "$out" >"$TEST_TMP/got"
tail -n +2 "$GOLD" >"$TEST_TMP/want"
for d in $(cut -f1 "$TEST_TMP/want" | sort -u); do
	if diff <(grep "^$d	" "$TEST_TMP/want") <(grep "^$d	" "$TEST_TMP/got") >"$TEST_TMP/diff"; then
		echo "ok - headings of $d equal the gold"
	else
		echo "not ok - headings of $d differ from the gold"
		head -n 10 "$TEST_TMP/diff"
	fi
done
# lossless: concatenated text == body (samples have no header: body = file,
# the tool reads CRLF as LF)
python3 - "$out" samples/*.txt <<'PY'
import sys, os
rows = {}
def unesc(s):
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == '\\' and i + 1 < len(s):
            n = s[i + 1]
            out.append({'t': '\t', 'n': '\n', 'r': '\r', '\\': '\\'}.get(n, n)); i += 2
        else:
            out.append(c); i += 1
    return ''.join(out)
with open(sys.argv[1], encoding='utf-8') as f:
    next(f)
    for line in f:
        c = line.rstrip('\n').split('\t')
        rows.setdefault(c[0], []).append(c)
for path in sys.argv[2:]:
    doc = os.path.basename(path)[:-4]
    body = open(path, encoding='utf-8').read().replace('\r\n', '\n').replace('\r', '\n')
    r = rows.get(doc, [])
    text = ''.join(unesc(c[11]) for c in r)
    offs_ok = all(int(c[9]) == len(''.join(unesc(x[11]) for x in r[:i])) and
                  int(c[10]) - int(c[9]) == len(unesc(c[11])) for i, c in enumerate(r))
    seq_ok = [int(c[3]) for c in r] == list(range(len(r))) and r and r[0][8] == 'preamble'
    print(("ok" if text == body else "not ok") + f" - rows of {doc} concatenate to its body")
    print(("ok" if offs_ok and seq_ok else "not ok") + f" - seq, start and end of {doc} are consistent")
PY
