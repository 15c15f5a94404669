# tsvagg-var: var, stdev, pvar and pstdev against Python's decimal module
# (exact, 50 digits) on random groups of large values close together (where
# a sum of squares cancels) and of mixed magnitudes, read directly and
# through --partial/--merge in two halves. tsvagg must agree to 14
# significant digits (it prints 15).
set -u
cd "$ROOT"
d="$TEST_TMP/tsvagg-var"
rm -rf "$d" && mkdir -p "$d"
python3 - "$d" <<'PY'
import os, random, subprocess, sys
from decimal import Decimal, getcontext
getcontext().prec = 50
d = sys.argv[1]
rng = random.Random(4)
rows = []
for g in range(40):
    base = rng.choice([0, 10**20, -10**15, 123456789012345678, 10**30 + 7])
    for i in range(rng.randint(2, 30)):
        frac = rng.randint(0, 10**rng.randint(0, 6))
        rows.append(("g%02d" % g, str(Decimal(base) + Decimal(frac) / Decimal(10**rng.randint(0, 6)))))
rng.shuffle(rows)
half = len(rows) // 2
for name, part in (("all", rows), ("a", rows[:half]), ("b", rows[half:])):
    with open("%s/%s.tsv" % (d, name), "w") as f:
        f.write("g\tv\n" + "".join("%s\t%s\n" % r for r in part))
want = {}
for g in sorted({r[0] for r in rows}):
    xs = [Decimal(v) for k, v in rows if k == g]
    n = len(xs)
    m = sum(xs) / n
    ss = sum((x - m) ** 2 for x in xs)
    want[g] = [ss / (n - 1), (ss / (n - 1)).sqrt(), ss / n, (ss / n).sqrt()]
ops = ["-g", "g", "-s", "var:v", "stdev:v", "pvar:v", "pstdev:v"]
direct = subprocess.run([os.environ.get("BIN_ABS", "bin") + "/tsvagg"] + ops + [d + "/all.tsv"], capture_output=True, text=True).stdout
parts = []
for name in ("a", "b"):
    with open("%s/%s.part" % (d, name), "w") as f:
        subprocess.run([os.environ.get("BIN_ABS", "bin") + "/tsvagg", "--partial"] + ops[:2] + ops[3:] + [d + "/" + name + ".tsv"], stdout=f)
merged = subprocess.run([os.environ.get("BIN_ABS", "bin") + "/tsvagg", "--merge", "-s", d + "/a.part", d + "/b.part"], capture_output=True, text=True).stdout
for label, out in (("direct", direct), ("partial+merge", merged)):
    lines = out.rstrip("\n").split("\n")[1:]
    bad = []
    for line in lines:
        f = line.split("\t")
        for got, exp in zip(f[1:], want[f[0]]):
            e = Decimal(got) - exp
            if abs(e) > abs(exp) * Decimal("1e-14") and abs(e) > Decimal("1e-30"):
                bad.append("%s: %s, decimal %s" % (f[0], got, "%.15g" % exp))
    ok = not bad and len(lines) == len(want)
    print("%s - var/stdev/pvar/pstdev equal Python decimal (%s, %d groups)%s" %
          ("ok" if ok else "not ok", label, len(lines), ": " + "; ".join(bad[:4]) if bad else ""))
PY
