#!/usr/bin/env bash
# report-browser: OUT/report.html as a person sees it. Headless Chromium
# loads the page once, from a file URL with the network off (its own network
# namespace when unshare can make one; a proxy to nowhere otherwise), and
# takes a screenshot (kept as $TEST_TMP/report-browser/report.png). The
# page's script prints in the console how many charts and tables it holds and
# how many load errors or CSP violations happened; the test fails when the
# charts or tables are missing, on any error, and on any other console
# message. Skipped, saying so, when Chromium is not installed (make check
# installs it on Debian as root: scripts/deps --test).
set -u
cd "$ROOT"
browser=
for b in chromium chromium-browser google-chrome; do
	command -v "$b" >/dev/null && { browser=$b; break; }
done
[ -n "$browser" ] || { echo "Chromium is not installed (Debian: apt-get install chromium): the browser test is skipped"; exit 77; }
T=$TEST_TMP/report-browser
rm -rf "$T"; mkdir -p "$T/home"
make --no-print-directory -f scripts/pipeline.mk BIN="$BIN_ABS" IN=samples OUT="$T/out" run >/dev/null 2>&1
scripts/pipeline-report "$T/out" || { echo "not ok - pipeline-report failed"; exit 0; }
net=()
if unshare -n true 2>/dev/null; then net=(unshare -n); fi
# (as root Chromium needs --no-sandbox; HOME in the scratch folder: no profile left behind)
HOME=$T/home timeout 90 "${net[@]}" "$browser" --headless --no-sandbox --disable-gpu \
	--no-first-run --disable-extensions --disable-background-networking \
	--proxy-server=127.0.0.1:9 --user-data-dir="$T/home/profile" \
	--enable-logging=stderr --v=0 --window-size=1200,2000 \
	--screenshot="$T/report.png" "file://$T/out/report.html" >"$T/log" 2>&1
rc=$?
console=$(grep -a 'CONSOLE' "$T/log")
check=$(grep -a -o 'report-check: charts=[0-9]* tables=[0-9]* errors=[0-9]*' <<<"$console")
if [ -z "$check" ]; then
	echo "not ok - the page did not report (Chromium exit $rc): $(grep -a -v -i 'dbus\|fontconfig' "$T/log" | tail -n 3)"
	exit 0
fi
read -r charts tables errors < <(sed -E 's/.*charts=([0-9]+) tables=([0-9]+) errors=([0-9]+)/\1 \2 \3/' <<<"$check")
if [ "$charts" -ge 12 ] && [ "$tables" -ge 12 ]; then
	echo "ok - Chromium shows the page: $charts charts, $tables tables"
else
	echo "not ok - Chromium shows $charts charts and $tables tables (12 of each at least expected)"
fi
others=$(grep -a -v 'report-check:' <<<"$console")
if [ "$errors" = 0 ] && [ -z "$others" ]; then
	echo "ok - no console error, no blocked load"
else
	echo "not ok - $errors errors in the page; console: $(head -c 400 <<<"$others")"
fi
if [ -s "$T/report.png" ] && [ "$(head -c 8 "$T/report.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] &&
	[ "$(stat -c %s "$T/report.png")" -gt 20000 ]; then
	echo "ok - a screenshot: $T/report.png"
else
	echo "not ok - no screenshot"
fi
