#!/usr/bin/env bash
# progress: the main job's progress line (scripts/pipeline-progress).
#  - on a terminal (a pseudo-terminal here), `make -j2 run` draws a line
#    updated in place ("\r", erase) with each stage's documents done out of
#    the documents to do, the rate, and clears it at the end; the batches'
#    messages still come through, and -j2 still reaches the batches (no
#    jobserver warning);
#  - not a terminal (cron, a log): not one byte of it.
set -u
cd "$ROOT"
T=$TEST_TMP/progress
rm -rf "$T"; mkdir -p "$T"
export PIPELINE_PROGRESS_INTERVAL=0.01
# (a make of our own, not a job of make check's: its own -j2 and jobserver)
unset MAKEFLAGS MFLAGS MAKELEVEL
python3 - "$T/tty.log" make --no-print-directory -j2 -f scripts/pipeline.mk BIN="$BIN_ABS" IN=samples OUT="$T/a" run <<'PY'
import os, pty, sys
log = open(sys.argv[1], 'wb')
def read(fd):
    data = os.read(fd, 65536)
    log.write(data)
    return data
status = pty.spawn(sys.argv[2:], read)
log.write(b'\n[exit %d]\n' % os.waitstatus_to_exitcode(status))
PY
log=$T/tty.log
if grep -a -q $'\r\033\\[K\\[progress\\] encfix [0-9]*/5  deboiler [0-9]*/5  secsplit [0-9]*/5  indtag [0-9]*/5  [0-9]* docs/s' "$log" &&
	grep -a -q $'\033\\[K\\[indtag\\] batch' "$log" && grep -a -q '\[done\] 5/5 documents' "$log" && grep -a -q '^\[exit 0\]' "$log"; then
	echo "ok - on a terminal: a progress line per stage, updated in place; the messages come through"
else
	echo "not ok - on a terminal: $(tr '\r\033' '|~' <"$log" | head -c 600)"
fi
if grep -a -q 'jobserver unavailable' "$log"; then
	echo "not ok - the sub-make lost the jobserver: $(grep -a jobserver "$log" | head -n 1)"
else
	echo "ok - -j2 reaches the batches through the progress line"
fi
# the line is cleared before the summary: nothing of it after the last erase
if ! awk 'BEGIN { RS = "\033\\[K" } { last = $0 } END { printf "%s", last }' "$log" | head -n 1 | grep -a -q '^\[done\]'; then
	echo "not ok - the progress line is left on the screen at the end"
else
	echo "ok - the progress line is cleared at the end"
fi
make --no-print-directory -j2 -f scripts/pipeline.mk BIN="$BIN_ABS" IN=samples OUT="$T/b" run >"$T/file.log" 2>&1
if ! grep -a -q -e '\[progress\]' -e $'\r' -e $'\033' "$T/file.log" && grep -q '\[done\] 5/5' "$T/file.log"; then
	echo "ok - not a terminal: no progress line, no control characters"
else
	echo "not ok - not a terminal: $(tr '\r\033' '|~' <"$T/file.log" | head -c 400)"
fi
