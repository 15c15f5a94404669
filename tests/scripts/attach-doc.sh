#!/usr/bin/env bash
# attach-doc: Word 97 (.doc) attachments through antiword. LibreOffice
# (soffice --headless --convert-to doc, one run for all files) writes the
# .doc files from DOCX renderings of make-corpus pages and of a table
# (tests/attach/mkattach); encfix | deboiler | secsplit | indtag must give
# every page's sections and figures, and the table's web-page rows and
# figures. A DOC that antiword cannot read, and a missing antiword, are
# failures naming the cause. Skipped when soffice is not installed
# (scripts/deps --test installs libreoffice-writer-nogui).
set -u
cd "$ROOT" || exit 2
MC=$ROOT/tests/bench/make-corpus
MK=$ROOT/tests/attach/mkattach
for t in encfix deboiler secsplit indtag; do
	[ -x "$BIN_ABS/$t" ] || { echo "skip: $t not built"; exit 77; }
done
command -v antiword >/dev/null 2>&1 || { echo "skip: antiword missing (scripts/deps installs it)"; exit 77; }
command -v soffice >/dev/null 2>&1 ||
	{ echo "skip: soffice missing: no way to write a .doc (scripts/deps --test installs libreoffice-writer-nogui)"; exit 77; }
N=${ATTACH_DOCS:-6}
C=$TEST_TMP/attach-doc
rm -rf "$C"
"$MC" -q -f "$C" "$N" 5 --truth || { echo "not ok - make-corpus failed"; exit 1; }
mkdir -p "$C/docx" "$C/att" "$C/enc-page" "$C/enc-att" "$C/doc-page" "$C/doc-att"
"$MK" printed "$C/truth" "$C/docx" || { echo "not ok - mkattach printed failed"; exit 1; }
for f in "$C"/docx/*.txt; do
	"$MK" docx "$f" "${f%.txt}.docx" || { echo "not ok - mkattach failed on $f"; exit 1; }
done
"$MK" docx "$ROOT/tests/attach/table.txt" "$C/docx/table.docx"
"$MK" html "$ROOT/tests/attach/table.txt" "$C/table.html"
# LibreOffice wants a profile it can write
timeout 300 soffice -env:UserInstallation="file://$C/lo-profile" --headless --convert-to doc \
	--outdir "$C/att" "$C"/docx/*.docx >"$C/soffice.log" 2>&1
n=$(ls "$C"/att/*.doc 2>/dev/null | wc -l)
if [ "$n" != $((N + 1)) ]; then
	echo "not ok - soffice wrote $n .doc files of $((N + 1))"; tail -3 "$C/soffice.log" | sed 's/^/# /'
	exit 1
fi
mv "$C/att/table.doc" "$C/table.doc"
if "$BIN_ABS/encfix" --report "$C/att.tsv" -o "$C/enc-att" "$C"/att/*.doc 2>"$C/encfix.err"; then
	echo "ok - encfix converts the DOC files (antiword)"
else
	echo "not ok - encfix on the DOC files"; sed 's/^/# /' "$C/encfix.err" | head -5
fi
"$BIN_ABS/encfix" -o "$C/enc-page" "$C"/raw/* 2>/dev/null
for k in page att; do
	"$BIN_ABS/deboiler" -o "$C/doc-$k" "$C/enc-$k"/* 2>/dev/null
	"$BIN_ABS/secsplit" "$C/doc-$k"/*.txt >"$C/sec-$k.tsv" 2>/dev/null
	"$BIN_ABS/indtag" "$C/doc-$k"/*.txt >"$C/fig-$k.tsv" 2>/dev/null
done
"$ROOT/tests/attach/agree" "$C/sec-page.tsv" "$C/sec-att.tsv" "$C/fig-page.tsv" "$C/fig-att.tsv" 1 \
	"sections and figures of DOC files equal the text pages'"
awk -F'\t' 'NF > 1 { gsub(/\t/, " | "); print }' "$ROOT/tests/attach/table.txt" >"$C/rows.expected"
for k in html doc; do
	"$BIN_ABS/encfix" "$C/table.$k" | "$BIN_ABS/deboiler" >"$C/$k.doc" 2>/dev/null
	grep -F ' | ' "$C/$k.doc" >"$C/$k.rows"
	"$BIN_ABS/indtag" "$C/$k.doc" 2>/dev/null | cut -f6,8,9 >"$C/$k.fig"
done
if cmp -s "$C/doc.rows" "$C/rows.expected" && cmp -s "$C/doc.fig" "$C/html.fig"; then
	echo "ok - a DOC table gives the web page's ' | ' rows and figures (antiword's |cell| lines rebuilt)"
else
	echo "not ok - DOC table rows or figures differ"; diff "$C/rows.expected" "$C/doc.rows" | sed 's/^/# /'
fi
head -c 3000 "$C/table.doc" >"$C/broken.doc"
"$BIN_ABS/encfix" --report "$C/bad.tsv" "$C/broken.doc" >"$C/bad.out" 2>"$C/bad.err"
rc=$?
if [ "$rc" = 1 ] && [ ! -s "$C/bad.out" ] && grep -q 'broken.doc.*error.*DOC (OLE2) attachment that antiword cannot read' "$C/bad.tsv"; then
	echo "ok - a broken DOC is reported with antiword's message"
else
	echo "not ok - broken DOC: rc $rc"; sed 's/^/# /' "$C/bad.tsv" "$C/bad.err"
fi
PATH=/nonexistent "$BIN_ABS/encfix" "$C/table.doc" >/dev/null 2>"$C/nopath.err"
if grep -q 'antiword is not installed (Debian package antiword)' "$C/nopath.err"; then
	echo "ok - a missing antiword is named with its package"
else
	echo "not ok - missing antiword message"; sed 's/^/# /' "$C/nopath.err"
fi
