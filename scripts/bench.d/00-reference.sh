# Reference: cat over the raw corpus (decompressed bytes as the tools see them).
files=("$CORPUS"/raw/*)
bytes=$(du -cb "$CORPUS"/raw | tail -n 1 | cut -f1)
bench_run "cat (raw corpus, $(du -sh "$CORPUS/raw" | cut -f1))" "$bytes" cat "${files[@]}"
