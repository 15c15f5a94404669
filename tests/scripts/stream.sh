# stream: several documents through one pipe (README, Contract between
# stages). `encfix FILES | deboiler | secsplit | indtag` must give exactly
# the rows of running each file alone (the first table header kept), on the
# samples, on files with one base name in two folders and dotted names, and
# on a 300-page make-corpus; deboiler -o DIR and the streamed form agree; a
# body line `Doc: x` does not split a document.
set -u
cd "$ROOT"
B=$BIN_ABS
T="$TEST_TMP/stream"
rm -rf "$T"
mkdir -p "$T/a" "$T/b"
ok() { if [ "$1" = 0 ]; then echo "ok - $2"; else echo "not ok - $2"; fi; }

# alone F...: each file through the pipeline alone, tables concatenated
# (header row once); streamed F...: all files through one pipe
alone() {
	local f first=1
	for f in "$@"; do
		"$B/encfix" "$f" | "$B/deboiler" | "$B/secsplit" | "$B/indtag" | { [ $first = 1 ] && cat || tail -n +2; }
		first=0
	done
}
streamed() { "$B/encfix" "$@" | "$B/deboiler" | "$B/secsplit" | "$B/indtag"; }

# 1. the samples
alone samples/*.txt >"$T/alone.tsv" 2>/dev/null
streamed samples/*.txt >"$T/streamed.tsv" 2>/dev/null
n=$(cut -f1 "$T/streamed.tsv" | sort -u | grep -vc '^doc$')
cmp -s "$T/alone.tsv" "$T/streamed.tsv" && [ "$n" = 5 ]
ok $? "samples: the streamed pipeline equals each file alone (5 documents, $(wc -l <"$T/streamed.tsv") rows)"

# 2. one base name in two folders, dotted names: distinct ids in the stream
cp samples/000_*.txt "$T/a/x.txt"
cp samples/001_*.txt "$T/b/x.txt"
cp samples/002_*.txt "$T/shang.2020.txt"
cp samples/003_*.txt "$T/report.v2.txt"
streamed "$T/a/x.txt" "$T/b/x.txt" "$T/shang.2020.txt" "$T/report.v2.txt" >"$T/names.tsv" 2>/dev/null
ids=$(cut -f1 "$T/names.tsv" | uniq | tr '\n' ' ')
[ "$ids" = "doc x x-2 shang.2020 report.v2 " ]
ok $? "same base name and dotted names give distinct ids in order (got: $ids)"
# each document keeps its own region and year (no row under another's)
alone samples/001_*.txt | tail -n +2 | cut -f2,3 | sort -u >"$T/r1"
awk -F'\t' '$1 == "x-2"' "$T/names.tsv" | cut -f2,3 | sort -u >"$T/r2"
[ -s "$T/r1" ] && cmp -s "$T/r1" "$T/r2"
ok $? "the second x keeps its own region and year ($(tr '\n' ' ' <"$T/r2"))"

# 3. deboiler -o DIR and the streamed form agree
"$B/encfix" -o "$T/clean" "$T/a/x.txt" "$T/b/x.txt" "$T/shang.2020.txt" 2>/dev/null
"$B/deboiler" -o "$T/new/body" "$T"/clean/*.txt 2>/dev/null
ls "$T/new/body" | tr '\n' ' ' >"$T/files"
"$B/encfix" "$T/a/x.txt" "$T/b/x.txt" "$T/shang.2020.txt" | "$B/deboiler" >"$T/body.stream" 2>/dev/null
{ cat "$T/new/body/x.txt"; printf '\036\n'; cat "$T/new/body/x-2.txt"; printf '\036\n'; cat "$T/new/body/shang.2020.txt"; } >"$T/body.dir"
[ "$(cat "$T/files")" = "shang.2020.txt x-2.txt x.txt " ] && cmp -s "$T/body.stream" "$T/body.dir"
ok $? "deboiler -o DIR (made when missing) and the streamed form agree ($(cat "$T/files"))"

# 4. a body line that looks like a header does not split a document
{ printf 'Doc: x\nTitle: t\n\n一、总体情况\n'; printf 'Doc: y\n'; printf '二、主要措施\n受理案件171件。\n'; } >"$T/fake.txt"
n=$("$B/secsplit" "$T/fake.txt" "$T/fake.txt" | cut -f1 | sort -u | tr '\n' ' ')
[ "$n" = "doc x " ]
ok $? "a body line 'Doc: y' does not start a document (docs: $n)"

# 5. a 300-page make-corpus
gen=$ROOT/tests/bench/make-corpus
if [ -x "$gen" ]; then
	C="$T/corpus"
	"$gen" -q "$C" 300 11 >/dev/null 2>&1 || echo "not ok - make-corpus failed"
	mapfile -t pages < <(ls "$C"/raw/* | head -n 300)
	# each page alone, as the main job runs them: one file per document
	# at every stage (-o DIR), the figures files concatenated in order
	"$B/encfix" -o "$C/clean" "${pages[@]}" 2>/dev/null
	"$B/deboiler" -o "$C/body" "$C"/clean/*.txt 2>/dev/null
	"$B/secsplit" -o "$C/sections" "$C"/body/*.txt 2>/dev/null
	"$B/indtag" -o "$C/ind" "$C"/sections/*.tsv 2>/dev/null
	first=1
	for p in "${pages[@]}"; do
		id=${p##*/}; id=${id%.gz}; id=${id%.txt}
		if [ $first = 1 ]; then cat "$C/ind/$id.tsv"; else tail -n +2 "$C/ind/$id.tsv"; fi
		first=0
	done >"$T/c.alone"
	streamed "${pages[@]}" >"$T/c.streamed" 2>/dev/null
	cmp -s "$T/c.alone" "$T/c.streamed" && [ "$(wc -l <"$T/c.streamed")" -gt 300 ]
	ok $? "make-corpus: the streamed pipeline equals each page alone (${#pages[@]} pages, $(wc -l <"$T/c.streamed") rows)"
else
	echo "# $gen missing: the corpus comparison was not run"
fi
