#!/usr/bin/env bash
# db-postgres: the README's PostgreSQL recipe, as written, loads the
# samples' tables with data/schema.sql into a PostgreSQL server this test
# starts (initdb in a scratch folder, a Unix socket there, no TCP), and
# every table copied back out (format text, header, null '-') equals the
# TSV; then the server is stopped and its folder removed. Skipped, saying
# so, when PostgreSQL's server programs are not installed (scripts/deps
# --test installs them on Debian as root).
set -u
cd "$ROOT"
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bindir" ] && [ -x "$bindir/initdb" ] && [ -x "$bindir/pg_ctl" ] ||
	{ echo "PostgreSQL is not installed (Debian: apt-get install postgresql): the PostgreSQL round trip is skipped"; exit 77; }
command -v psql >/dev/null || { echo "psql is not installed: the PostgreSQL round trip is skipped"; exit 77; }
T=$TEST_TMP/db-postgres
rm -rf "$T"; mkdir -p "$T"
# The server's folder outside TEST_TMP (root's, mode 700): as root the
# server runs as the postgres user, who must reach it.
D=$(mktemp -d /tmp/lawtext-pg.XXXXXX) || exit 1
as=()
if [ "$(id -u)" = 0 ]; then
	id postgres >/dev/null 2>&1 || { rm -rf "$D"; echo "no postgres user to run the server as: skipped"; exit 77; }
	chown postgres "$D"
	as=(runuser -u postgres --)
fi
stop() {
	"${as[@]}" "$bindir/pg_ctl" -D "$D/data" -m immediate stop >/dev/null 2>&1
	rm -rf "$D"
}
trap stop EXIT
if ! "${as[@]}" "$bindir/initdb" -D "$D/data" -A trust -U postgres -E UTF8 --locale=C --no-sync >"$T/initdb.log" 2>&1; then
	echo "not ok - initdb failed: $(tail -n 3 "$T/initdb.log")"; exit 0
fi
if ! "${as[@]}" "$bindir/pg_ctl" -D "$D/data" -l "$D/server.log" -w -t 60 \
	-o "-k $D -c listen_addresses= -F" start >/dev/null 2>&1; then
	echo "not ok - the server did not start: $(tail -n 3 "$D/server.log")"; exit 0
fi
echo "ok - a PostgreSQL server on a local socket ($("$bindir/postgres" --version))"
export PGHOST=$D PGUSER=postgres PGPORT=5432
make --no-print-directory -f scripts/pipeline.mk BIN="$BIN_ABS" IN=samples OUT="$T/out" run >/dev/null 2>&1
ln -s "$ROOT/data" "$T/data"
recipe() {
	awk -v name="$1" '$0 == "<!-- recipe " name " -->" { on = 1; next }
		on && /^    / { print substr($0, 5); n++; next }
		on && n { exit }' "$ROOT/README.md"
}
got=$(cd "$T" && recipe postgresql | bash -e 2>&1)
if grep -q '^ 2023 | *171$' <<<"$got" && grep -q '^ 2020 | *13$' <<<"$got"; then
	echo "ok - README PostgreSQL recipe: schema, \\copy of every table, a query"
else
	echo "not ok - README PostgreSQL recipe: $(head -c 600 <<<"$got")"
fi
# (a table's rows come back in the heap's order, which is not always the
# order they were loaded in: the rows are compared sorted, the header first)
sorted() { head -n 1 "$1"; tail -n +2 "$1" | LC_ALL=C sort; }
bad=""
for t in docs sections indicators summary coverage problems; do
	psql -q -X lawtext -c "\\copy $t TO '$T/$t.pg' (format text, header, null '-')" >"$T/copy.log" 2>&1 &&
		cmp -s <(sorted "$T/$t.pg") <(sorted "$T/out/$t.tsv") || bad+=" $t"
done
if [ -z "$bad" ]; then
	echo "ok - tables -> PostgreSQL -> TSV equal"
else
	echo "not ok - tables -> PostgreSQL -> TSV differ:$bad $(head -c 300 "$T/copy.log")"
fi
got=$(psql -X -At lawtext -c "SELECT count(*) FROM reports_missing_parts; SELECT pg_typeof(year)::text || ' ' || pg_typeof(date)::text FROM docs LIMIT 1; SELECT count(*) FROM docs WHERE title IS NULL" 2>&1)
if [ "$got" = "2
integer date
1" ]; then
	echo "ok - PostgreSQL: typed columns, NULL for '-', the views"
else
	echo "not ok - PostgreSQL types and views: $(tr '\n' ' ' <<<"$got")"
fi
