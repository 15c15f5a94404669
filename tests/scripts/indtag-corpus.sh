#!/usr/bin/env bash
# indtag-corpus: a make-corpus corpus (tests/bench/make-corpus: seeds
# recombined with changed numbers, web chrome, other regions and years) as a
# sanity and robustness check: the clean truth texts give figures with exit 0,
# no figure on a web-chrome line (the corpus tags every line), and the raw
# pages (any encoding, gzip, CRLF) never crash indtag. Needs tests/bench for
# make-corpus; skipped without it.
set -u
cd "$ROOT" || exit 2
MC=$ROOT/tests/bench/make-corpus
if [ ! -x "$MC" ]; then
	echo "skip: no $MC (tests/bench is incomplete)"
	exit 77
fi
C=$TEST_TMP/indtag-corpus
"$MC" -q -f "$C" 150 7 --truth >/dev/null 2>&1 || { echo "not ok - make-corpus failed"; exit 1; }
"$BIN_ABS/indtag" "$C"/truth/*.txt >"$TEST_TMP/fig.tsv"
rc=$?
[ "$rc" = 0 ] && echo "ok - indtag over 150 truth texts exits 0" || echo "not ok - indtag over truth texts exits $rc"
python3 - "$TEST_TMP/fig.tsv" "$C/truth" <<'PY'
import bisect, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1], encoding="utf-8")][1:]
cache, chrome, total, coded = {}, [], 0, 0
for r in rows:
    doc, start = r[0], int(r[13])
    if doc not in cache:
        text = open(f"{sys.argv[2]}/{doc}.txt", encoding="utf-8").read()
        tags = open(f"{sys.argv[2]}/{doc}.tags", encoding="utf-8").read().split("\n")
        starts, o = [], 0
        for line in text.split("\n"):
            starts.append(o)
            o += len(line) + 1
        cache[doc] = (tags, starts)
    tags, starts = cache[doc]
    ln = bisect.bisect_right(starts, start) - 1
    total += 1
    coded += r[5] != "other"
    if ln < len(tags) and tags[ln] == "C":
        chrome.append(r)
print(f"# {total} figures, {coded / max(total, 1):.2f} with a code, {len(chrome)} on chrome lines")
print("ok - figures found" if total > 1000 else "not ok - too few figures")
if chrome:
    print(f"not ok - {len(chrome)} figures on web-chrome lines, e.g. {chrome[0][12]}")
else:
    print("ok - no figure on a web-chrome line")
PY
"$BIN_ABS/indtag" "$C"/raw/* >/dev/null 2>"$TEST_TMP/raw.err"
rc=$?
[ "$rc" -le 1 ] && echo "ok - raw pages (any encoding) handled, exit $rc" ||
	echo "not ok - raw pages: exit $rc"
