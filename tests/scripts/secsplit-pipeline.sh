#!/usr/bin/env bash
# secsplit-pipeline: raw synthetic pages (GBK, BIG5, UTF-16, CRLF, gzip, web
# chrome) through encfix | deboiler | secsplit: the heading levels of each
# document must equal the H1-H4 tags of make-corpus --truth. An integration
# check of the chain as the batch job runs it; skipped until encfix and
# deboiler are built.
# Reads tests/bench/make-corpus, a copy of the project corpus generator.
set -u
cd "$ROOT" || exit 2
MC=$ROOT/tests/bench/make-corpus
if [ ! -x "$MC" ]; then
	echo "skip: no $MC (tests/bench is incomplete)"
	exit 77
fi
for t in encfix deboiler secsplit; do
	if [ ! -x "$BIN_ABS/$t" ]; then
		echo "skip: $t not built"
		exit 77
	fi
done
N=${SECSPLIT_PIPELINE_DOCS:-200}
C=$TEST_TMP/secsplit-pipeline
"$MC" -q -f "$C" "$N" 11 --truth || { echo "not ok - make-corpus failed"; exit 1; }
mkdir -p "$C/enc" "$C/doc"
"$BIN_ABS/encfix" -o "$C/enc" "$C"/raw/* 2>"$C/encfix.err"
"$BIN_ABS/deboiler" -o "$C/doc" "$C"/enc/* 2>"$C/deboiler.err"
"$BIN_ABS/secsplit" "$C"/doc/*.txt >"$C/sections.tsv"
rc=$?
[ "$rc" = 0 ] && echo "ok - secsplit over the deboiled pages exits 0" || echo "not ok - secsplit over the deboiled pages exits $rc"
python3 - "$C" <<'PY'
import os, sys, collections
C = sys.argv[1]
want = {}
for n in os.listdir(os.path.join(C, 'truth')):
    if n.endswith('.tags'):
        tags = open(os.path.join(C, 'truth', n)).read().split()
        want[n[:-5]] = [t for t in tags if t in ('H1', 'H2', 'H3', 'H4')]
got = collections.defaultdict(list)
with open(os.path.join(C, 'sections.tsv'), encoding='utf-8') as f:
    next(f)
    for line in f:
        c = line.split('\t')
        if c[4] in ('1', '2', '3', '4'):
            got[c[0]].append('H' + c[4])
same = sum(1 for d in want if got.get(d) == want[d])
share = same / max(len(want), 1)
print(f'# documents whose heading levels equal the truth: {same} of {len(want)} ({share:.3f})')
for d in sorted(d for d in want if got.get(d) != want[d])[:5]:
    print(f'  differs: {d}: want {" ".join(want[d])[:80]}; got {" ".join(got.get(d, []))[:80]}')
print(('ok' if share >= 0.95 else 'not ok') + ' - heading levels through encfix | deboiler | secsplit (>= 0.95 of documents)')
PY
