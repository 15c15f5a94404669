# make report and make db over the main job's output of 90-pipeline.sh
# (PIPE_NDOCS documents, default 20000): pipeline-report; pipeline-db from
# scratch; then 10 files touched, the job run again and pipeline-db updating
# the database. Target (issue 18): each under 10% of the main job's time from
# scratch (16-25 s on the development machine: about 2 s).
n=${PIPE_NDOCS:-20000}
corpus=$BENCH/pipeline-corpus-$n
out=$BENCH/pipeline-out-$n
[ -f "$out/docs.tsv" ] || { echo "  (no output of 90-pipeline.sh in $out: skipped)"; exit 0; }
# t LABEL CMD...: wall-clock and CPU seconds of CMD
t() {
	local label=$1 tf
	shift
	tf=$(mktemp)
	/usr/bin/time -o "$tf" -f '%e %U %S' "$@" >/dev/null 2>&1
	awk -v l="$label" '{ printf "  %-44s %6.2fs (CPU %.2fs) (target ~2s: %s)\n", l, $1, $2 + $3, ($1 < 2) ? "met" : "NOT met" }' "$tf"
	rm -f "$tf"
}
t "pipeline-report, $n documents" "$ROOT/scripts/pipeline-report" "$out"
rm -rf "$out/lawtext.sqlite" "$out/.state/db"
sync
t "pipeline-db from scratch, $n documents" "$ROOT/scripts/pipeline-db" "$out"
mapfile -t files < <(find "$corpus/raw" -type f | sort)
touch "${files[@]:5000:10}"
make -s -C "$ROOT" -j2 run IN="$corpus/raw" OUT="$out" >/dev/null 2>&1
sync
t "pipeline-db update after touching 10 files" "$ROOT/scripts/pipeline-db" "$out"
ls -l "$out/lawtext.sqlite" "$out/report.html" | awk '{ printf "  %s: %.1f MB\n", $NF, $5 / 1048576 }'
