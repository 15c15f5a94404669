#!/usr/bin/env bash
# secsplit-truth: headings (H1-H4) and speaker turns (SP) found in the clean
# text of synthetic pages, scored against the per-line tags that
# make-corpus --truth writes beside them. Precision and recall per tag are
# printed as "# " lines and must stay above the floors below.
# Reads tests/bench/make-corpus, a copy of the project corpus generator.
set -u
cd "$ROOT" || exit 2
MC=$ROOT/tests/bench/make-corpus
if [ ! -x "$MC" ]; then
	echo "skip: no $MC (tests/bench is incomplete)"
	exit 77
fi
N=${SECSPLIT_TRUTH_DOCS:-300}
C=$TEST_TMP/secsplit-truth
"$MC" -q -f "$C" "$N" 7 --truth || { echo "not ok - make-corpus failed"; exit 1; }
"$BIN_ABS/secsplit" "$C"/truth/*.txt >"$C/sections.tsv"
rc=$?
[ "$rc" = 0 ] && echo "ok - secsplit over $N truth texts exits 0" || echo "not ok - secsplit over $N truth texts exits $rc"
"$BIN_ABS/secsplit" --check "$C"/truth/*.txt >"$C/check.tsv"
python3 - "$C" <<'PY'
import sys, os, collections
C = sys.argv[1]
pred = collections.defaultdict(dict)      # doc -> line -> tag
with open(os.path.join(C, 'sections.tsv'), encoding='utf-8') as f:
    next(f)
    rows = collections.defaultdict(list)
    for line in f:
        c = line.rstrip('\n').split('\t')
        rows[c[0]].append(c)
tp = collections.Counter(); fp = collections.Counter(); fn = collections.Counter()
htotal = hright = 0
examples = collections.defaultdict(list)
for name in sorted(os.listdir(os.path.join(C, 'truth'))):
    if not name.endswith('.txt'):
        continue
    doc = name[:-4]
    text = open(os.path.join(C, 'truth', name), encoding='utf-8').read()
    tags = open(os.path.join(C, 'truth', doc + '.tags'), encoding='utf-8').read().split()
    # character offset of each line start
    starts, off = [], 0
    for l in text.split('\n'):
        starts.append(off); off += len(l) + 1
    import bisect
    got = {}
    heads = {}
    for c in rows.get(doc, []):
        lvl, path = int(c[4]), c[5]
        tag = 'H%d' % lvl if 1 <= lvl <= 4 else ('SP' if path.startswith('S') else None)
        if tag:
            i = bisect.bisect_right(starts, int(c[9])) - 1
            got[i] = tag
            heads[i] = (c[6], c[7])
    want = {i: t for i, t in enumerate(tags) if t in ('H1', 'H2', 'H3', 'H4', 'SP')}
    lines = text.split('\n')
    for i in set(got) | set(want):
        g, w = got.get(i), want.get(i)
        if g == w:
            tp[g] += 1
            if g.startswith('H'):
                # heading = the line after its marker, up to the first 。
                mk, h = heads[i]
                line = lines[i].strip()
                want_h = line[len(mk):].split('。')[0].strip() if line.startswith(mk) else None
                htotal += 1
                hright += (want_h == h) or (want_h == '' and h == '-')
                if want_h != h and len(examples['heading']) < 8:
                    examples['heading'].append(f'{doc}:{i+1}: {mk} [{h[:30]}] want [{(want_h or "")[:30]}]')
        else:
            if g:
                fp[g] += 1; examples['fp ' + g].append(f'{doc}:{i+1}: [{w or tags[i]}] {lines[i][:40]}')
            if w:
                fn[w] += 1; examples['fn ' + w].append(f'{doc}:{i+1}: [{g}] {lines[i][:40]}')
floor = {'H1': 0.98, 'H2': 0.98, 'H3': 0.95, 'H4': 0.95, 'SP': 0.95}
allg = sum(tp.values()); allp = allg + sum(fp.values()); allw = allg + sum(fn.values())
for t in ('H1', 'H2', 'H3', 'H4', 'SP'):
    p = tp[t] / (tp[t] + fp[t]) if tp[t] + fp[t] else 1.0
    r = tp[t] / (tp[t] + fn[t]) if tp[t] + fn[t] else 1.0
    print(f'# {t}: precision {p:.4f} recall {r:.4f} ({tp[t]} right, {fp[t]} false, {fn[t]} missed)')
    ok = p >= floor[t] and r >= floor[t]
    print(('ok' if ok else 'not ok') + f' - {t} precision and recall >= {floor[t]}')
    if not ok or os.environ.get('SECSPLIT_TRUTH_VERBOSE'):
        for k in ('fp ' + t, 'fn ' + t):
            for e in examples[k][:8]:
                print(f'  {k}: {e}')
print(f'# all: precision {allg/max(allp,1):.4f} recall {allg/max(allw,1):.4f}')
hacc = hright / max(htotal, 1)
print(f'# heading text (marker stripped, up to the first 。): {hacc:.4f} ({hright} of {htotal})')
print(('ok' if hacc >= 0.99 else 'not ok') + ' - heading texts of the found headings >= 0.99')
if hacc < 0.99 or os.environ.get('SECSPLIT_TRUTH_VERBOSE'):
    for e in examples['heading']:
        print('  heading: ' + e)
# document types guessed by --check (no Type: header) against the manifest;
# work summaries and cover letters with a report are annual reports
want = {}
with open(os.path.join(C, 'manifest.tsv'), encoding='utf-8') as f:
    next(f)
    for line in f:
        c = line.rstrip('\n').split('\t')
        t = c[8]
        want[os.path.basename(c[0]).split('.')[0]] = t if t in ('press-conference', 'proposal-reply') else 'annual-report'
right = total = 0
with open(os.path.join(C, 'check.tsv'), encoding='utf-8') as f:
    next(f)
    for line in f:
        c = line.rstrip('\n').split('\t')
        total += 1
        right += want.get(c[0]) == c[3]
acc = right / max(total, 1)
print(f'# type guess: {acc:.4f} ({right} of {total})')
print(('ok' if acc >= 0.97 else 'not ok') + ' - document types guessed right >= 0.97')
PY
