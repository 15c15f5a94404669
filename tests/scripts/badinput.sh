# badinput: every tool against hostile inputs (tests/badinput/make-inputs).
#
# tests/badinput/expect.tsv lists the cases: tool, arguments (the input is
# named @IN@; other tokens as written), input file, expected exit status, and
# a regular expression (grep -E) that stderr must match ('-' for empty
# stderr). Every case must also: finish within its time limit, not die of a
# signal, print no sanitizer report, and start its first message with the
# tool's name.
set -u
cd "$ROOT"
inputs="$TEST_TMP/badinput"
if [ ! -d "$inputs" ]; then
	tests/badinput/make-inputs "$inputs" >/dev/null 2>&1 || { echo "not ok - make-inputs failed"; exit 1; }
fi
LIMIT=${BADINPUT_TIMEOUT:-60}
n=0
while IFS=$'\t' read -r tool args input want regex; do
	case $tool in ''|'#'*|tool) continue ;; esac
	n=$((n + 1))
	out="$TEST_TMP/bad.out" err="$TEST_TMP/bad.err"
	# shellcheck disable=SC2206
	argv=($args)
	for i in "${!argv[@]}"; do
		[ "${argv[$i]}" = "@IN@" ] && argv[$i]="$inputs/$input"
	done
	(cd "$inputs" && timeout "$LIMIT" "$BIN_ABS/$tool" "${argv[@]}" >"$out" 2>"$err" </dev/null)
	rc=$?
	what="$tool $args [$input]"
	if [ "$rc" = 124 ]; then echo "not ok - $what: timed out after ${LIMIT}s"; continue; fi
	if grep -qE 'AddressSanitizer|runtime error:|LeakSanitizer' "$err"; then
		echo "not ok - $what: sanitizer report: $(grep -m1 -E 'Sanitizer|runtime error' "$err")"; continue
	fi
	if [ "$rc" != "$want" ]; then
		echo "not ok - $what: exit $rc, want $want: $(head -c 300 "$err")"; continue
	fi
	if [ -s "$err" ] && ! head -n 1 "$err" | grep -q "^$tool: "; then
		echo "not ok - $what: message does not start with '$tool: ': $(head -n 1 "$err")"; continue
	fi
	if [ "$regex" = "-" ]; then
		if [ -s "$err" ]; then echo "not ok - $what: unexpected stderr: $(head -c 300 "$err")"; continue; fi
	elif ! grep -qE -- "$regex" "$err"; then
		echo "not ok - $what: stderr does not match /$regex/: $(head -c 300 "$err")"; continue
	fi
	echo "ok - $what"
done <tests/badinput/expect.tsv
# Output to a full disk and to a closed pipe, for every tool.
for tool in encfix deboiler secsplit indtag tsvagg tsvmerge; do
	[ -x "$BIN_ABS/$tool" ] || { echo "not ok - $tool: not built"; continue; }
	case $tool in
		tsvagg) in=("$ROOT/tests/badinput/facts.tsv") args=(-g region count) ;;
		tsvmerge) in=("$ROOT/tests/golden/tsvmerge/old.tsv") args=() ;;
		*) in=("$ROOT/samples/002_1c43591e52210f05.txt") args=() ;;
	esac
	"$BIN_ABS/$tool" "${args[@]}" "${in[@]}" >/dev/full 2>"$TEST_TMP/full.err"; rc=$?
	if [ "$rc" = 1 ] && grep -q "^$tool: .*No space left on device" "$TEST_TMP/full.err"; then
		echo "ok - $tool >/dev/full: exit 1 with a message"
	else
		echo "not ok - $tool >/dev/full: exit $rc: $(head -c 200 "$TEST_TMP/full.err")"
	fi
	big=("$inputs/million-lines.txt")
	[ "$tool" = tsvagg ] && big=("$ROOT/tests/badinput/facts.tsv")
	[ "$tool" = tsvmerge ] && big=("$inputs/million-lines.txt")
	( set -o pipefail; "$BIN_ABS/$tool" "${args[@]}" "${big[@]}" "${big[@]}" 2>"$TEST_TMP/pipe.err" | head -n 1 >/dev/null ); rc=$?
	if [ ! -s "$TEST_TMP/pipe.err" ] && { [ "$rc" = 0 ] || [ "$rc" = 141 ]; }; then
		echo "ok - $tool | head -1: quiet (exit $rc)"
	else
		echo "not ok - $tool | head -1: exit $rc: $(head -c 200 "$TEST_TMP/pipe.err")"
	fi
done
# The file with quotes and $(…) in its name was never run as a command.
if [ -e "$inputs/pwned" ]; then echo "not ok - a file name was executed as a command"; else echo "ok - file names are never evaluated"; fi
[ "$n" -gt 0 ] || echo "not ok - no cases in tests/badinput/expect.tsv"
