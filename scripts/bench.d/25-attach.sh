# encfix on PDF attachments (issue 21) beside pdftotext alone on the same
# files: 40 make-corpus pages rendered as PDF by tests/attach/mkattach,
# pages/s of printed pages (pdftotext runs once per file in each: the cost
# encfix adds is the word boxes (-bbox) over plain text, and reading them:
# lines, tables, page chrome, reflow).
command -v pdftotext >/dev/null 2>&1 || { echo "  (skipped: no pdftotext)"; exit 0; }
cd "$CORPUS" || exit 1
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
mk=$OLDPWD/tests/attach/mkattach
[ -x "$mk" ] || mk=$(dirname "$(command -v encfix)")/../tests/attach/mkattach
n=0
for f in $(awk -F'\t' 'NR > 1 && $2 == "UTF-8" && $3 == "no" { print $1 }' manifest.tsv | head -n 40); do
	"$mk" pdf "$f" "$d/$n.pdf" || { echo "  (mkattach failed)"; exit 0; }
	n=$((n + 1))
done
pages=0
for f in "$d"/*.pdf; do pages=$((pages + $(grep -ac '/Type /Page ' "$f"))); done
t0=$(date +%s.%N); for f in "$d"/*.pdf; do pdftotext -raw -enc UTF-8 "$f" - >/dev/null 2>&1; done; t1=$(date +%s.%N)
for f in "$d"/*.pdf; do pdftotext -raw -bbox -enc UTF-8 "$f" - >/dev/null 2>&1; done; t2=$(date +%s.%N)
encfix "$d"/*.pdf >/dev/null 2>&1; t3=$(date +%s.%N)
awk -v p="$pages" -v n="$n" -v a="$t0" -v b="$t1" -v c="$t2" -v e="$t3" 'BEGIN {
	printf "  %-44s %8.0f pages/s  (%d PDFs, %d pages, %.2fs)\n", "pdftotext -raw alone, a process per file", p / (b - a), n, p, b - a
	printf "  %-44s %8.0f pages/s  (%.2fs)\n", "pdftotext -raw -bbox alone (what encfix runs)", p / (c - b), c - b
	printf "  %-44s %8.0f pages/s  (%.2fs; %.1f ms a file)\n", "encfix on the same PDFs", p / (e - c), e - c, 1000 * (e - c) / n
	printf "  => %-40s %6.2fx\n", "encfix PDF / pdftotext -raw alone", (b - a) / (e - c)
	printf "  => %-40s %6.2fx\n", "encfix PDF / pdftotext -raw -bbox alone", (c - b) / (e - c) }'
