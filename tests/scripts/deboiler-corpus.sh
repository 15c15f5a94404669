#!/usr/bin/env bash
# deboiler against a make-corpus --truth corpus: every line of every page is
# tagged (C chrome, T title, H1-H4, P, P+ continuation, S, SP), and the
# manifest gives type, region and year. Reads tests/bench/make-corpus
# because that generator (and its truth tags) is the only tagged corpus of
# unseen pages we have; skipped when it is missing.
set -u
MC=$ROOT/tests/bench/make-corpus
[ -x "$MC" ] || { echo "no tests/bench/make-corpus: corpus test skipped"; exit 77; }
N=${DEBOILER_CORPUS_DOCS:-300}
C=$TEST_TMP/deboiler-corpus
"$MC" -q -f "$C" "$N" "${DEBOILER_CORPUS_SEED:-29}" --truth || { echo "not ok - make-corpus failed"; exit 1; }
D=$BIN_ABS/deboiler
# Corpus mode: every page of the corpus plus a line of the site's own that
# no rule knows, at the top and at the bottom; --learn must find those two
# and nothing the tags call content, and -b must remove them.
mkdir -p "$C/site"
for f in "$C"/truth/*.txt; do
	{ echo "法治建设专栏 第${RANDOM}期"; cat "$f"; echo "本站热线:0755-8888${RANDOM:0:4} 工作日9:00-17:00"; } >"$C/site/${f##*/}"
done
"$D" --learn "$C/site" >"$C/learned.tsv" || echo "not ok - deboiler --learn exit $?"
python3 - "$C" <<'PY'
import sys, glob, re
C = sys.argv[1]
rows = [r.split("\t") for r in open(f"{C}/learned.tsv", encoding="utf-8").read().splitlines()[1:]]
lines = {r[3] for r in rows}
norm = lambda s: re.sub(r"[0-9０-９]+", "0", re.sub(r"\s+", "", s))
content = set()
for tags in glob.glob(f"{C}/truth/*.tags"):
    txt = open(tags[:-5] + ".txt", encoding="utf-8").read().split("\n")
    for i, tag in enumerate(open(tags, encoding="utf-8").read().split()):
        if tag != "C":
            content.add(norm(txt[i]))
bad = sorted(lines & content)
print(f"# --learn: {len(lines)} lines learned: {sorted(lines)[:4]}")
print(("ok - " if "法治建设专栏第0期" in lines and "本站热线:0-0工作日0:0-0:0" in lines else "not ok - ") +
      "--learn finds the site's own top and bottom lines")
print(("ok - " if not bad else "not ok - ") + f"--learn learns no content line {bad[:3]}")
PY
"$D" --explain -b "$C/learned.tsv" "$C"/site/*.txt | awk -F'\t' '$4 == "learned"' | wc -l >"$C/nlearned"
[ "$(cat "$C/nlearned")" = "$((2 * N))" ] && echo "ok - -b removes the learned lines from every page" ||
	echo "not ok - -b removed $(cat "$C/nlearned") learned lines, want $((2 * N))"
"$D" --explain "$C"/truth/*.txt >"$C/explain.tsv" || echo "not ok - deboiler --explain exit $?"
"$D" --meta --names "$C"/truth/*.txt >"$C/meta.tsv" || echo "not ok - deboiler --meta exit $?"
python3 - "$C" <<'PY'
import sys, os, csv, glob
C = sys.argv[1]
acts = {}
for row in open(f"{C}/explain.tsv", encoding="utf-8").read().splitlines()[1:]:
    doc, line, action, rule, text = row.split("\t", 4)
    if action in ("drop", "join"):
        acts[(doc, int(line))] = (action, rule)
# The truth tags the title T each time make-corpus meant it as the page's
# heading, sometimes twice (top of the chrome and again above the text). The
# lead's contract keeps the title once, as the first body line: a T line
# dropped as a title repeat counts as right when another T line of the page
# is kept.
kept_title = set()
for tags in sorted(glob.glob(f"{C}/truth/*.tags")):
    doc = os.path.basename(tags)[:-5]
    for i, tag in enumerate(open(tags, encoding="utf-8").read().split()):
        if tag == "T" and (doc, i + 1) not in acts:
            kept_title.add(doc)
tot = ok = chrome = chrome_ok = content = lost = cont = cont_ok = badjoin = 0
losses = []; misses = []
for tags in sorted(glob.glob(f"{C}/truth/*.tags")):
    doc = os.path.basename(tags)[:-5]
    txt = open(tags[:-5] + ".txt", encoding="utf-8").read().split("\n")
    for i, tag in enumerate(open(tags, encoding="utf-8").read().split()):
        a = acts.get((doc, i + 1), ("keep", "-"))[0]
        want = "drop" if tag == "C" else "join" if tag == "P+" else "keep"
        if tag == "T" and a == "drop" and acts[(doc, i + 1)][1] == "title-repeat" and doc in kept_title:
            want = "drop"
        tot += 1; ok += a == want
        if tag == "C":
            chrome += 1; chrome_ok += a == "drop"
            if a != "drop": misses.append(f"{doc}:{i+1}: {txt[i][:60]}")
        else:
            content += 1
            if a == "drop" and want != "drop":
                lost += 1; losses.append(f"{doc}:{i+1} {tag}: {txt[i][:60]} ({acts[(doc, i+1)][1]})")
        if tag == "P+":
            cont += 1; cont_ok += a == "join"
        elif a == "join":
            badjoin += 1
man = {}
for r in csv.DictReader(open(f"{C}/manifest.tsv", encoding="utf-8"), delimiter="\t"):
    man[os.path.basename(r["file"]).split(".")[0]] = r
tmap = {"work-summary": "annual-report", "cover-letter": "annual-report"}
n = t_ok = r_ok = y_ok = 0
wrong = []
for r in csv.DictReader(open(f"{C}/meta.tsv", encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE):
    m = man[r["doc"]]; n += 1
    tt = tmap.get(m["type"], m["type"])
    t_ok += r["type"] == tt; r_ok += r["region"] == m["region"]; y_ok += r["year"] == m["year"]
    if r["type"] != tt or r["region"] != m["region"] or r["year"] != m["year"]:
        wrong.append(f'{r["doc"]}: {r["type"]}/{tt} {r["region"]}/{m["region"]} {r["year"]}/{m["year"]} {r["title"][:40]}')
acc = ok / tot
print(f"# lines {tot}: accuracy {acc:.4f}, chrome removed {chrome_ok}/{chrome} ({chrome_ok/chrome:.4f}), "
      f"content lines lost {lost}/{content}, broken lines joined {cont_ok}/{cont}, wrong joins {badjoin}")
print(f"# metadata of {n} pages: type {t_ok/n:.4f}, region {r_ok/n:.4f}, year {y_ok/n:.4f}")
for x in losses[:8]: print("# lost:", x)
for x in misses[:8]: print("# missed:", x)
for x in wrong[:8]: print("# meta:", x)
def check(cond, what): print(("ok - " if cond else "not ok - ") + what)
check(acc >= 0.99, f"line accuracy {acc:.4f} >= 0.99")
check(lost <= content * 0.001, f"content lines lost {lost} <= 0.1%")
check(chrome_ok >= chrome * 0.98, f"chrome recall {chrome_ok/chrome:.4f} >= 0.98")
check(cont_ok >= cont * 0.9 and badjoin <= cont * 0.1, f"joins {cont_ok}/{cont}, wrong {badjoin}")
check(t_ok >= n * 0.98, f"type accuracy {t_ok/n:.4f} >= 0.98")
check(r_ok >= n * 0.97, f"region accuracy {r_ok/n:.4f} >= 0.97")
check(y_ok >= n * 0.97, f"year accuracy {y_ok/n:.4f} >= 0.97")
PY
