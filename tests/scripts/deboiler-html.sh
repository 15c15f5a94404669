#!/usr/bin/env bash
# deboiler-html: HTML pages end to end. (1) make-corpus --html 100 --truth
# pages (government CMS markup around the same truth as text pages) through
# encfix | deboiler, scored by scripts/eval-html: body sentences' precision
# and recall, title, region, year, type; (2) the saved real pages of
# ../shared/html with their gold.tsv (strings kept and gone, title, date),
# when that folder is there; (3) the main job over a crawler's folder of
# .html .htm .shtml .jsp and .gz pages with a redirect, a frameset and a
# page without text among them: every page a document, and a problems row
# for each of the three. The floors catch regressions; the scores are
# printed (see README for the targets).
set -u
cd "$ROOT" || exit 2
MC=$ROOT/tests/bench/make-corpus
if [ ! -x "$MC" ]; then
	echo "skip: no $MC (tests/bench is incomplete)"
	exit 77
fi
T=$TEST_TMP/deboiler-html
mkdir -p "$T"
"$MC" -q -f "$T/c" 100 "${HTML_CORPUS_SEED:-11}" --html 100 --truth >/dev/null 2>&1 ||
	{ echo "not ok - make-corpus --html failed"; exit 1; }
scripts/eval-html corpus "$T/c" --min-p 0.98 --min-r 0.98 --min-meta 0.98 >"$T/corpus.out" 2>&1
rc=$?
sed 's/^/# /' "$T/corpus.out"
[ "$rc" = 0 ] && echo "ok - make-corpus --html pages: sentences P, R >= 0.98, title/region/year/type >= 0.98" ||
	echo "not ok - make-corpus --html pages under the floors (exit $rc)"

G=$ROOT/../shared/html
if [ -f "$G/gold.tsv" ]; then
	scripts/eval-html gold "$G" --min-rows 0.95 --min-title 0.95 --min-date 0.95 >"$T/gold.out" 2>&1
	rc=$?
	sed 's/^/# /' "$T/gold.out"
	[ "$rc" = 0 ] && echo "ok - real pages (../shared/html): strings >= 0.95, title >= 0.95, date >= 0.95" ||
		echo "not ok - real pages (../shared/html) under the floors (exit $rc)"
else
	echo "# no ../shared/html: the real pages are not scored"
fi

# the main job over a crawler's folder
IN=$T/crawl
mkdir -p "$IN/site/a" "$IN/site/b"
i=0
for f in "$T"/c/raw/00000[1-8].html*; do
	i=$((i + 1))
	case $i in
	1) cp "$f" "$IN/site/a/index.htm" ;;
	2) cp "$f" "$IN/site/a/art_${i}.shtml" ;;
	3) cp "$f" "$IN/site/b/detail.jsp" ;;
	4) cp "$f" "$IN/site/b/content_${i}.html" ;;
	*) case $f in *.gz) cp "$f" "$IN/site/b/p${i}.html.gz" ;; *) gzip -c "$f" >"$IN/site/b/p${i}.html.gz" ;; esac ;;
	esac
done
D=$ROOT/tests/golden/deboiler/html
cp "$D/redirect.html" "$IN/site/redirect.html"
cp "$D/frameset.html" "$IN/site/index.jsp"
cp "$D/empty.html" "$IN/site/b/blank.shtml"
make --no-print-directory -f scripts/pipeline.mk BIN="$BIN_ABS" IN="$IN" OUT="$T/out" run >"$T/run.log" 2>&1 ||
	echo "not ok - make run over the crawl folder: $(tail -n 3 "$T/run.log")"
python3 - "$T/out" <<'PY'
import csv, sys
out = sys.argv[1]
rd = lambda f: list(csv.DictReader(open(f"{out}/{f}", encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE))
docs = rd("docs.tsv")
probs = rd("problems.tsv")
def check(c, what): print(("ok - " if c else "not ok - ") + what)
pages = [d for d in docs if not any(x in d["source"] for x in ("redirect", "index.jsp", "blank"))]
check(len(docs) == 11, f"make run: a document per page ({len(docs)} of 11)")
check(len(pages) == 8 and all(d["title"] not in ("", "-") and d["region"] not in ("", "-") for d in pages),
      "make run: the eight report pages (.htm .shtml .jsp .html .gz) have a title and a region")
bad = {p["source"].rsplit("/", 1)[-1]: p.get("message", "") for p in probs}
print("# problems:", sorted(bad.items()))
check(any("redirect" in k and "redirect" in v for k, v in bad.items()), "problems.tsv: the redirect page")
check(any("index.jsp" in k and "frameset" in v for k, v in bad.items()), "problems.tsv: the frameset page")
check(any("blank" in k and "no main text" in v for k, v in bad.items()), "problems.tsv: the page without text")
PY
