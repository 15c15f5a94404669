# options: the command-line contract every tool shares (README, Contract
# between stages; common/cli): the same wording for a bad or a missing
# option, --help starting with "usage:", --version, and -q accepted where
# the README's table says a tool has it.
set -u
B=$BIN_ABS
T="$TEST_TMP/options"
mkdir -p "$T"
ok() { if [ "$1" = 0 ]; then echo "ok - $2"; else echo "not ok - $2"; fi; }

for t in encfix deboiler secsplit indtag tsvagg tsvmerge pipeline-sync; do
	"$B/$t" --bogus </dev/null >"$T/out" 2>"$T/err"; rc=$?
	printf "%s: unknown option '--bogus'\nTry '%s --help' for more information.\n" "$t" "$t" >"$T/want"
	[ $rc = 2 ] && [ ! -s "$T/out" ] && cmp -s "$T/err" "$T/want"
	ok $? "$t: a bad option reads as in every tool, exit 2 (exit $rc: $(head -n 1 "$T/err"))"

	"$B/$t" --help >"$T/out" 2>"$T/err"; rc=$?
	[ $rc = 0 ] && [ "$(head -c 6 "$T/out")" = "usage:" ]
	ok $? "$t: --help starts with 'usage:' (got: $(head -n 1 "$T/out" | cut -c1-30))"

	"$B/$t" --version >"$T/out" 2>"$T/err"; rc=$?
	[ $rc = 0 ] && grep -q "^$t (lawtext) " "$T/out"
	ok $? "$t: --version"
done

# a missing argument: one wording too
for t in encfix deboiler secsplit indtag tsvagg; do
	"$B/$t" -o </dev/null >"$T/out" 2>"$T/err"; rc=$?
	printf "%s: option '-o' needs an argument\nTry '%s --help' for more information.\n" "$t" "$t" >"$T/want"
	[ $rc = 2 ] && cmp -s "$T/err" "$T/want"
	ok $? "$t: a missing argument reads as in every tool (exit $rc: $(head -n 1 "$T/err"))"
done

# -q where README says so: accepted, and the output is the same
printf '一、标题\n受理案件12件。\n' >"$T/doc.txt"
for t in encfix deboiler secsplit indtag; do
	"$B/$t" "$T/doc.txt" >"$T/a" 2>/dev/null
	"$B/$t" -q "$T/doc.txt" >"$T/b" 2>"$T/err"; rc=$?
	[ $rc = 0 ] && cmp -s "$T/a" "$T/b" && [ ! -s "$T/err" ]
	ok $? "$t -q: accepted, same output"
done
