#!/usr/bin/env bash
# `make install PREFIX=X` after a plain build: the installed tools find their
# data under X/share/lawtext, whatever PREFIX the build was made for, run from
# another folder with no LAWTEXT_DATA; the man pages are installed. Then the
# same with LAWTEXT_DATA pointing at a copy with a changed rules file (the
# override wins).
set -u
ROOT=${ROOT:-$PWD}
W=${TEST_TMP:-/tmp}/install.$$
mkdir -p "$W"
trap 'rm -rf "$W"' EXIT
unset LAWTEXT_DATA

san=
case ${BIN_ABS:-} in */build/san/bin) san=SAN=1 ;; esac
prefix="$W/prefix with space"
if make -C "$ROOT" --no-print-directory -s install $san PREFIX="$prefix" >"$W/make.log" 2>&1; then
	echo "ok - make install PREFIX=…"
else
	echo "not ok - make install PREFIX=…"; sed 's/^/# /' "$W/make.log" | tail -n 5; exit 0
fi

check() {	# name, command…  (exit 0 and no "No such file" on stderr)
	local name=$1; shift
	if "$@" >"$W/out" 2>"$W/err" && ! grep -q 'No such file' "$W/err" && [ -s "$W/out" ]; then
		echo "ok - installed $name runs from another folder"
	else
		echo "not ok - installed $name runs from another folder"
		sed 's/^/# /' "$W/err" | head -n 3
	fi
}

sample=$(ls "$ROOT"/samples/*.txt | head -n 1)
cp "$sample" "$W/page.txt"
cd "$W" || exit 1
B="$prefix/bin"
"$B/encfix" page.txt >clean.txt 2>/dev/null
check encfix "$B/encfix" page.txt
check deboiler "$B/deboiler" clean.txt
"$B/deboiler" clean.txt >body.txt 2>/dev/null
check secsplit "$B/secsplit" body.txt
"$B/secsplit" body.txt >sections.tsv 2>/dev/null
check indtag "$B/indtag" sections.tsv
"$B/indtag" sections.tsv >figures.tsv 2>/dev/null
check tsvagg "$B/tsvagg" -g code count figures.tsv
check tsvmerge "$B/tsvmerge" -k doc figures.tsv
check "encfix --simplified" "$B/encfix" --simplified page.txt
for m in encfix deboiler secsplit indtag tsvagg tsvmerge; do
	[ -f "$prefix/share/man/man1/$m.1" ] || { echo "not ok - man page $m.1 installed"; continue; }
	echo "ok - man page $m.1 installed"
done

# LAWTEXT_DATA overrides the installed data: a rules file that removes every
# line leaves an empty body.
cp -r "$prefix/share/lawtext" "$W/data2"
printf 'name\taction\tpattern\neverything\tdrop\t^\n' >"$W/data2/deboiler.rules"
if LAWTEXT_DATA="$W/data2" "$B/deboiler" clean.txt 2>/dev/null | diff -q - body.txt >/dev/null; then
	echo "not ok - LAWTEXT_DATA overrides the installed data"
else
	echo "ok - LAWTEXT_DATA overrides the installed data"
fi
