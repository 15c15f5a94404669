# encfix-roundtrip: every sample, turned into each encoding and variant the
# tool must undo, comes back byte for byte (the samples have no final
# newline; encfix always ends its output with one, so the reference is the
# sample plus "\n"). Big5 cannot hold every character of a simplified
# sample: its reference is what survives `iconv -c -t BIG5` and back.
set -u
cd "$ROOT"
d="$TEST_TMP/encfix-rt"
rm -rf "$d" && mkdir -p "$d"
enc() { "$BIN_ABS/encfix" "$@" 2>"$d/err"; }
check() {	# what reference input...
	local what=$1 ref=$2
	shift 2
	if enc "$@" | cmp -s - "$ref"; then
		echo "ok - $what"
	else
		echo "not ok - $what: $(enc "$@" | cmp - "$ref" 2>&1 | head -n 1) $(head -c 200 "$d/err")"
	fi
}
for s in samples/*.txt; do
	b=${s##*/}; b=${b%%_*}
	ref="$d/$b.ref"
	{ cat "$s"; echo; } >"$ref"
	check "$b: UTF-8 is left as it is" "$ref" "$s"
	iconv -f UTF-8 -t GB18030 "$s" >"$d/$b.gb18030"
	check "$b: GB18030" "$ref" "$d/$b.gb18030"
	{ printf '\xef\xbb\xbf'; cat "$s"; } >"$d/$b.bom8"
	check "$b: UTF-8 with BOM" "$ref" "$d/$b.bom8"
	iconv -f UTF-8 -t UTF-16 "$s" >"$d/$b.u16"	# glibc: BOM, little-endian
	check "$b: UTF-16 with BOM" "$ref" "$d/$b.u16"
	iconv -f UTF-8 -t UTF-16LE "$s" >"$d/$b.u16le"
	check "$b: UTF-16LE without BOM" "$ref" "$d/$b.u16le"
	iconv -f UTF-8 -t UTF-16BE "$s" >"$d/$b.u16be"
	check "$b: UTF-16BE without BOM" "$ref" "$d/$b.u16be"
	iconv -f UTF-8 -t UTF-32 "$s" >"$d/$b.u32"
	check "$b: UTF-32 with BOM" "$ref" "$d/$b.u32"
	sed 's/$/\r/' "$s" >"$d/$b.crlf"
	check "$b: CRLF" "$ref" "$d/$b.crlf"
	tr '\n' '\r' <"$s" >"$d/$b.cr"
	check "$b: CR only" "$ref" "$d/$b.cr"
	# full-width punctuation and digits, as some sites serve them
	python3 -c 'import sys; t = open(sys.argv[1], encoding="utf-8").read(); sys.stdout.write(t.translate(str.maketrans({c: chr(ord(c) + 0xFEE0) for c in ",:;()%!?0123456789"})))' "$s" >"$d/$b.fw"
	check "$b: full-width forms" "$ref" "$d/$b.fw"
	python3 -c 'import sys; t = open(sys.argv[1], encoding="utf-8").read(); sys.stdout.write("\n".join("\u3000\u3000" + l + "  " for l in t.split("\n")))' "$s" >"$d/$b.indent"
	check "$b: indentation and trailing blanks" "$ref" "$d/$b.indent"
	gzip -c "$d/$b.gb18030" >"$d/$b.gb18030.gz"
	check "$b: gzip GB18030" "$ref" "$d/$b.gb18030.gz"
	iconv -c -f UTF-8 -t BIG5 "$s" >"$d/$b.big5" 2>/dev/null
	{ iconv -f BIG5 -t UTF-8 "$d/$b.big5"; echo; } >"$d/$b.big5ref"
	check "$b: Big5-representable subset" "$d/$b.big5ref" "$d/$b.big5"
	iconv -c -f UTF-8 -t GBK "$s" >"$d/$b.gbk" 2>/dev/null
	{ iconv -f GBK -t UTF-8 "$d/$b.gbk"; echo; } >"$d/$b.gbkref"
	check "$b: GBK-representable subset" "$d/$b.gbkref" "$d/$b.gbk"
	# mojibake: the UTF-8 bytes read as GB18030 (an undecodable byte becomes
	# U+FFFD and is lost) and written out as UTF-8. What the lost bytes took
	# cannot come back: ask for 90% of the text (by difflib's ratio), where
	# the mojibake itself has under 10%.
	python3 -c 'import sys; t = open(sys.argv[1], encoding="utf-8").read(); sys.stdout.write(t.encode("utf-8").decode("gb18030", "replace"))' "$s" >"$d/$b.moji"
	enc "$d/$b.moji" >"$d/$b.moji.out"
	r=$(python3 -c 'import difflib, sys; a, b, c = (open(f, encoding="utf-8").read() for f in sys.argv[1:]); print("%.3f %.3f" % (difflib.SequenceMatcher(None, a, b, autojunk=False).ratio(), difflib.SequenceMatcher(None, a, c, autojunk=False).ratio()))' "$ref" "$d/$b.moji.out" "$d/$b.moji")
	read -r after before <<<"$r"
	awk -v a="$after" -v b="$before" 'BEGIN { exit !(a >= 0.9 && b < 0.2) }' &&
		echo "ok - $b: GBK mojibake repaired (similarity $before -> $after)" ||
		echo "not ok - $b: GBK mojibake: similarity $before -> $after"
	python3 -c 'import sys; t = open(sys.argv[1], encoding="utf-8").read(); sys.stdout.write(t.encode("utf-8").decode("latin-1"))' "$s" >"$d/$b.latin"
	check "$b: Latin-1 mojibake repaired" "$ref" "$d/$b.latin"
	# a file mixing encodings line by line (issue 17): UTF-8 lines with GBK
	# lines between them (GB18030 for a line GBK cannot hold), UTF-8 first
	# and legacy first; every line must come back as the UTF-8 text
	mix() {	# FIRST: the parity of the lines kept in UTF-8
		local i=0 line
		while IFS= read -r line || [ -n "$line" ]; do
			[ $i -gt 0 ] && printf '\n'
			if [ $((i % 2)) -eq "$1" ]; then
				printf '%s' "$line"
			else
				printf '%s' "$line" | iconv -f UTF-8 -t GBK >"$d/line" 2>/dev/null ||
					printf '%s' "$line" | iconv -f UTF-8 -t GB18030 >"$d/line"
				cat "$d/line"
			fi
			i=$((i + 1))
		done <"$s"
	}
	mix 0 >"$d/$b.mix8"
	check "$b: UTF-8 and GBK lines mixed, UTF-8 first" "$ref" "$d/$b.mix8"
	mix 1 >"$d/$b.mixgb"
	check "$b: UTF-8 and GBK lines mixed, GBK first" "$ref" "$d/$b.mixgb"
	# --simplified of the traditional form gives the sample back where the
	# table is one-to-one: at least the region names
	check "$b: --simplified leaves simplified text alone" "$ref" --simplified "$s"
done
