# common.sh: what the Hadoop Streaming scripts (mapper, combiner, reducer,
# pack, finish) share, sourced by them: where the tools are, the key
# format and the summary's aggregation.
#
# Keys. A mapper's line is KEY<TAB>ROWNO<TAB>ROW. KEY is TABLE.HEX: HEX the
# bytes of the document id in hexadecimal (or of the summary group, region
# year code unit joined by tabs), so that byte order of keys is table, then
# document order (the tables' order: ids by bytes), whatever bytes the id
# has ('.' sorts before every hex digit, so "a" comes before "a2"); the
# empty HEX carries the table's header. ROWNO keeps a document's rows in
# order: Hadoop sorts keys, never the values of one key, so the reducer
# sorts them by ROWNO itself. The summary's rows (tsvagg --partial) come
# without their header, which every script knows (summary_partial_header):
# with several reducers, each needs it.
# shellcheck shell=bash
export LC_ALL=C
HADOOP_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# The tools: LAWTEXT_BIN, else installed ones on PATH (make install on every
# node), else the project's bin/ (a checkout).
if [ -n "${LAWTEXT_BIN:-}" ]; then
	BIN=$LAWTEXT_BIN
elif [ -x "$HADOOP_DIR/../../bin/encfix" ]; then
	BIN=$HADOOP_DIR/../../bin
elif command -v encfix >/dev/null 2>&1; then
	BIN=$(dirname "$(command -v encfix)")
else
	echo "lawtext-hadoop: no tools (make install on the nodes, or LAWTEXT_BIN)" >&2
	exit 1
fi
# pipeline-batch: beside this folder (a checkout), or shipped with -files
PIPELINE_BATCH=${LAWTEXT_PIPELINE_BATCH:-$HADOOP_DIR/../pipeline-batch}
[ -f "$PIPELINE_BATCH" ] || PIPELINE_BATCH=$HADOOP_DIR/pipeline-batch
# AWK_HEX: an awk function hex(s), the bytes of s in hexadecimal
AWK_HEX='
	function hex(s,   i, r) {
		if (!hexinit) { for (i = 1; i < 256; i++) ord[sprintf("%c", i)] = sprintf("%02x", i); hexinit = 1 }
		r = ""
		for (i = 1; i <= length(s); i++) r = r ord[substr(s, i, 1)]
		return r
	}'
# summarize FACTS...: the summary rows as pipeline-tables makes them
. "$HADOOP_DIR/../pipeline-summarize.sh" 2>/dev/null || . "$HADOOP_DIR/pipeline-summarize.sh" || exit 1
# facts_header: the header of pipeline-batch's facts table (the summary's
# rows travel as facts, keyed by region: a group's facts meet in one reducer)
facts_header() {
	printf 'doc\tregion\tyear\tcode\tlabel\tunit\tvalue\tannual_value\tkind\tqualifier\n'
}
