#!/usr/bin/env bash
# recipes-r: the README's R recipe (recipes-lang.inc). Skipped, saying so,
# when R is not installed: the project does not install it (r-base-core is
# heavy for CI's budget).
set -u
cd "$ROOT"
command -v Rscript >/dev/null || { echo "R is not installed (Debian: apt-get install r-base-core): the R recipe is skipped"; exit 77; }
LANG_NAME=r RUN=(Rscript -)
. tests/scripts/recipes-lang.inc
