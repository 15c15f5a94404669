#!/usr/bin/env python3
# The reference for indtag's benchmark: a 20-line Python `re` extractor of
# number+unit figures (what one would write first), printing a TSV row per figure.
import re
import sys

UNIT = r"(?:人次|场次|件次|万元|亿元|个百分点|件|起|宗|人|名|位|次|场|期|项|个|条|部|份|家|台|卷|所|处|本|批|%|元)"
FIG = re.compile(r"(近|约|超过|逾|不足)?(\d+(?:,\d{3})*(?:\.\d+)?)(万|亿)?(余|多)?" + UNIT)


def main():
    out = sys.stdout
    out.write("doc\tvalue\tunit\tqualifier\tnumber\tstart\n")
    for path in sys.argv[1:]:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        doc = path.rsplit("/", 1)[-1].split(".")[0]
        for m in FIG.finditer(text):
            v = float(m.group(2).replace(",", "")) * {"万": 1e4, "亿": 1e8}.get(m.group(3), 1)
            q = ">" if m.group(4) or m.group(1) in ("超过", "逾") else "<" if m.group(1) in ("近", "不足") else "~" if m.group(1) == "约" else "="
            out.write(f"{doc}\t{v:g}\t{m.group(0)[-1]}\t{q}\t{m.group(0)}\t{m.start()}\n")


main()
