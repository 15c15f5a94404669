# fuzz-smoke: every libFuzzer harness (tests/fuzz/) builds and runs briefly
# (FUZZ_SMOKE_SECONDS, default 20) without a finding, and every saved
# regression input (tests/fuzz/regress/NAME/*) runs clean. Runs in the plain
# pass of `make check` only: the harnesses carry their own sanitizers.
set -u
cd "$ROOT"
export LAWTEXT_DATA="$ROOT/data"
case ${BUILD:-build/rel} in *san*) echo "sanitizer pass: the fuzz smoke run belongs to the plain pass"; exit 77 ;; esac
if ! command -v clang >/dev/null; then echo "clang not installed: no fuzz smoke run"; exit 77; fi
secs=${FUZZ_SMOKE_SECONDS:-20}
for f in tests/fuzz/fuzz_*.c; do
	n=${f##*/fuzz_}; n=${n%.c}
	if scripts/fuzz "$secs" "$n" >"$TEST_TMP/fuzz-$n.log" 2>&1; then
		echo "ok - fuzz $n ${secs}s: $(grep -ao 'number_of_executed_units: *[0-9]*' "$TEST_TMP/fuzz-$n.log" | grep -o '[0-9]*$') runs"
	else
		echo "not ok - fuzz $n: $(tail -n 3 "$TEST_TMP/fuzz-$n.log" | tr '\n' ' ')"
		continue
	fi
	if [ -n "$(ls -A "tests/fuzz/regress/$n" 2>/dev/null)" ]; then
		if build/fuzz/fuzz_"$n" tests/fuzz/regress/"$n"/* >"$TEST_TMP/regress-$n.log" 2>&1; then
			echo "ok - fuzz $n regression inputs"
		else
			echo "not ok - fuzz $n regression inputs: $(tail -n 3 "$TEST_TMP/regress-$n.log" | tr '\n' ' ')"
		fi
	fi
done
