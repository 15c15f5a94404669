# tsvagg-datamash: differential test of tsvagg against datamash (issue 19)
# on random inputs: every operation the two share, with and without
# grouping, on a header row, with -s on unsorted input and without -s on
# sorted input. Results must be equal; the documented differences are
# normalised first: tsvagg prints 15 significant digits where datamash
# prints 14 (numbers are compared to a relative 1e-12), '-' where datamash
# prints nan (no or too few values), and its own header names.
set -u
cd "$ROOT"
command -v datamash >/dev/null || { echo "datamash not installed (Debian: apt-get install datamash): skipped"; exit 77; }
d="$TEST_TMP/tsvagg-datamash"
rm -rf "$d" && mkdir -p "$d"
python3 - "$d" <<'PY'
import math, os, random, subprocess, sys
d = sys.argv[1]
rng = random.Random(19)
# (tsvagg name, datamash name, column): w holds positive values (geomean)
OPS = [("count", "count", "v"), ("sum", "sum", "v"), ("mean", "mean", "v"),
       ("min", "min", "v"), ("max", "max", "v"), ("range", "range", "v"),
       ("median", "median", "v"), ("q1", "q1", "v"), ("q3", "q3", "v"),
       ("iqr", "iqr", "v"), ("perc", "perc", "v"), ("perc90", "perc:90", "v"),
       ("perc10", "perc:10", "v"), ("mad", "mad", "v"), ("madraw", "madraw", "v"),
       ("trimmean", "trimmean", "v"), ("trimmean0.3", "trimmean:0.3", "v"),
       ("geomean", "geomean", "w"), ("harmmean", "harmmean", "w"),
       ("sstdev", "sstdev", "v"), ("pstdev", "pstdev", "v"), ("svar", "svar", "v"),
       ("pvar", "pvar", "v"), ("sskew", "sskew", "v"), ("pskew", "pskew", "v"),
       ("skurt", "skurt", "v"), ("pkurt", "pkurt", "v"), ("countunique", "countunique", "v"),
       ("mode", "mode", "v"), ("antimode", "antimode", "v"), ("first", "first", "v"),
       ("last", "last", "v"), ("unique", "unique", "s"), ("countunique", "countunique", "s")]
COL = {"v": 2, "w": 3, "s": 4}

def value():
    k = rng.random()
    if k < 0.3:
        return str(rng.randint(-20, 20))
    if k < 0.6:
        return "%.*f" % (rng.randint(1, 3), rng.uniform(-1000, 1000))
    return str(rng.choice([1, 2, 2.5, 3, 10, 100, -7]))

def close(a, b):
    if a == b:
        return True
    if a in ("-", "nan", "-nan") and b in ("nan", "-nan"):
        return True
    try:
        x, y = float(a), float(b)
    except ValueError:
        return False
    return abs(x - y) <= 1e-12 * max(abs(x), abs(y)) or abs(x - y) < 1e-9

def run(cmd, inp):
    r = subprocess.run(cmd, input=inp, capture_output=True, text=True)
    if r.returncode:
        print("not ok - %s: exit %d: %s" % (" ".join(cmd), r.returncode, r.stderr.strip()))
        sys.exit(1)
    return [l.split("\t") for l in r.stdout.rstrip("\n").split("\n")]

fails = tests = 0
for trial in range(6):
    groups = ["g%d" % i for i in range(rng.randint(1, 6))]
    rows = []
    for i in range(rng.randint(1, 120)):
        rows.append([rng.choice(groups), value(), str(rng.choice([1, 2, 3, 4.5, 17, 250]) * rng.randint(1, 9)),
                     rng.choice(["x", "y", "zz", "x y", "\u4e2d"])])
    for sort_input in (0, 1):
        data = sorted(rows, key=lambda r: r[0]) if sort_input else rows
        inp = "g\tv\tw\ts\n" + "".join("\t".join(r) + "\n" for r in data)
        for grouped in (0, 1):
            t = [os.environ.get("BIN_ABS", "bin") + "/tsvagg"] + (["-g", "g"] if grouped else [])
            m = ["datamash", "-H"] + (["-g", "1"] if grouped else [])
            if not sort_input and grouped:
                t.insert(1, "-s")
                m.insert(1, "-s")
            t += ["%s:%s" % (a, c) for a, b, c in OPS]
            for a, b, c in OPS:
                m += [b, str(COL[c])]
            got, want = run(t, inp)[1:], run(m, inp)[1:]
            tests += 1
            what = "trial %d, %s input, %s" % (trial, "sorted" if sort_input else "unsorted",
                                                 "grouped" if grouped else "no groups")
            if len(got) != len(want):
                print("not ok - %s: %d rows, datamash %d" % (what, len(got), len(want)))
                fails += 1
                continue
            bad = []
            for gr, wr in zip(got, want):
                off = 1 if grouped else 0
                if grouped and gr[0] != wr[0]:
                    bad.append("group %s vs %s" % (gr[0], wr[0]))
                for i, (a, b, c) in enumerate(OPS):
                    if not close(gr[off + i], wr[off + i]):
                        bad.append("%s: tsvagg %s, datamash %s" % (b, gr[off + i], wr[off + i]))
            if bad:
                fails += 1
                print("not ok - %s: %s" % (what, "; ".join(bad[:5])))
print("%s - tsvagg agrees with datamash on %d operations over %d random tables" %
      ("ok" if fails == 0 else "not ok", len(OPS), tests))
PY
