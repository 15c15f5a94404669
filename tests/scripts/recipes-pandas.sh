#!/usr/bin/env bash
# recipes-pandas: the README's pandas recipe (recipes-lang.inc). Skipped,
# saying so, when pandas is not installed (scripts/deps --test installs
# python3-pandas on Debian as root).
set -u
cd "$ROOT"
py=
for p in python3 /usr/bin/python3; do
	"$p" -c 'import pandas' >/dev/null 2>&1 && { py=$p; break; }
done
[ -n "$py" ] || { echo "pandas is not installed (Debian: apt-get install python3-pandas): the pandas recipe is skipped"; exit 77; }
LANG_NAME=pandas RUN=("$py" -)
. tests/scripts/recipes-lang.inc
