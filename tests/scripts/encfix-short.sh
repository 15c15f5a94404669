# encfix-short: detection of short texts (4-20 Chinese characters) in GBK,
# Big5 and UTF-8, cut from the sample sentences (Big5 runs turned into
# traditional characters with the inverse of data/t2s.tsv, as Big5 pages
# are). Prints the hit rate beside `enca -L zh` and `uchardet` when they are
# installed (they are not required) and asserts encfix does at least as well
# as both, and at least 98% on its own.
set -u
cd "$ROOT"
d="$TEST_TMP/encfix-short"
rm -rf "$d" && mkdir -p "$d"
python3 - "$d" samples/*.txt <<'PY' || { echo "not ok - could not build the short texts"; exit 1; }
import random, re, subprocess, sys
d = sys.argv[1]
text = "".join(open(f, encoding="utf-8").read() for f in sys.argv[2:])
s2t = {}
for line in open("data/t2s.tsv", encoding="utf-8"):
    if line.startswith("#"):
        continue
    t, s = line.rstrip("\n").split("\t")
    s2t.setdefault(s, t)
# runs of Chinese characters (with the punctuation between them)
runs = re.findall(r"[\u4e00-\u9fff\u3001\u3002\u201c\u201d\u300a\u300b\uff0c]{4,}", text)
rng = random.Random(7)
n = 0
for enc in ("GBK", "BIG5", "UTF-8"):
    made = tries = 0
    while made < 150 and tries < 5000:
        tries += 1
        r = rng.choice(runs)
        k = rng.randint(4, 20)
        if len(r) < k:
            continue
        i = rng.randint(0, len(r) - k)
        s = r[i:i + k]
        if sum(1 for c in s if "\u4e00" <= c <= "\u9fff") < 4:
            continue
        if enc == "BIG5":
            s = "".join(s2t.get(c, c) for c in s)
        try:
            b = s.encode({"GBK": "gbk", "BIG5": "big5", "UTF-8": "utf-8"}[enc])
        except UnicodeEncodeError:
            continue
        made += 1
        n += 1
        open(f"{d}/{n:04d}.{enc}", "wb").write(b)
PY
family() {	# normalise an encoding name to GB / BIG5 / UTF-8 / other
	case ${1^^} in
		GB2312|GBK|GB18030|CP936|EUC-CN|HZ*|X-GBK) echo GB ;;
		BIG5*|CP950) echo BIG5 ;;
		UTF-8|UTF8|ASCII) echo UTF-8 ;;
		*) echo other ;;
	esac
}
files=("$d"/*)
total=${#files[@]}
[ "$total" -ge 400 ] || { echo "not ok - only $total short texts"; exit 1; }
score() {	# tool-name command...: hit rate in % (one decimal)
	local hits=0 f want got
	local tool=$1; shift
	while IFS=$'\t' read -r f got; do
		want=$(family "${f##*.}")
		[ "$(family "$got")" = "$want" ] && hits=$((hits + 1))
	done
	awk -v h="$hits" -v n="$total" 'BEGIN { printf "%.1f", 100 * h / n }'
}
ours=$("$BIN_ABS/encfix" --detect "${files[@]}" | cut -f1,2 | score encfix)
echo "# encfix detection on $total short texts (GBK, Big5, UTF-8; 4-20 characters): $ours%"
if awk -v a="$ours" 'BEGIN { exit !(a >= 98) }'; then
	echo "ok - encfix detects >= 98% of short texts ($ours%)"
else
	echo "not ok - encfix detects only $ours% of short texts"
	"$BIN_ABS/encfix" --detect "${files[@]}" | awk -F'\t' '{ n = split($1, a, "."); w = a[n]; g = $2; if (g == "GBK" || g == "GB18030") g = "GB"; if (w == "GBK") w = "GB"; if (g != w) print "    miss: " $0 }' | head -n 8
fi
for ref in enca uchardet; do
	command -v "$ref" >/dev/null || { echo "# $ref not installed: no comparison"; continue; }
	if [ "$ref" = enca ]; then
		theirs=$(for f in "${files[@]}"; do printf '%s\t%s\n' "$f" "$(enca -L zh -i "$f" 2>/dev/null)"; done | score enca)
	else
		theirs=$(for f in "${files[@]}"; do printf '%s\t%s\n' "$f" "$(uchardet "$f" 2>/dev/null)"; done | score uchardet)
	fi
	echo "# $ref on the same texts: $theirs%"
	if awk -v a="$ours" -v b="$theirs" 'BEGIN { exit !(a >= b) }'; then
		echo "ok - encfix ($ours%) at least as good as $ref ($theirs%)"
	else
		echo "not ok - encfix ($ours%) worse than $ref ($theirs%)"
	fi
done
