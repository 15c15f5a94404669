# pipeline-batch.awk: the new rows of the corpus tables for the documents
# one batch processed (run by scripts/pipeline-batch, which says what the
# inputs are). Variables: tmp (the batch's scratch folder: files, ids,
# alive, encfix.K.tsv, meta.K.tsv, check.K.tsv, deboiler.err), N (where the
# new table files go), OUTDIR (OUT, for the problems files), LISTK (the
# batch's list: id, path below IN). The files to read (sections, indicators
# and problems files of the documents) are named in tmp/files.
function base(p) { sub(/.*\//, "", p); sub(/\.[^.]*$/, "", p); return p }
function esc(s) { gsub(/\\/, "\\\\", s); gsub(/\t/, "\\t", s); gsub(/\n/, "\\n", s); gsub(/\r/, "\\r", s); return s }
BEGIN {
	while ((getline l <(tmp "/files")) > 0) if (l != "") ARGV[ARGC++] = l
	while ((getline l <(tmp "/ids")) > 0) if (l != "") order[++nd] = l
	for (k = 1; k <= nd; k++) srcp[order[k]] = ""
	while ((getline l <LISTK) > 0) {
		d = substr(l, 1, index(l, "\t") - 1)
		if (d in srcp) srcp[d] = substr(l, index(l, "\t") + 1)
	}
	for (k = 0; (getline l <(f = tmp "/encfix." k ".tsv")) > 0; k++) {
		do {
			n = split(l, x, "\t")
			if (x[1] == "file") { for (i = 1; i <= n; i++) ec[x[i]] = i; continue }
			enc[base(x[ec["file"]])] = x[ec["encoding"]]
		} while ((getline l <f) > 0)
		close(f)
	}
	while ((getline l <(tmp "/alive")) > 0) alive[l] = 1
	for (k = 0; (getline l <(f = tmp "/check." k ".tsv")) > 0; k++) {
		do {
			if (chead == "") { chead = l; continue }
			if (l == chead) continue
			cov[substr(l, 1, index(l, "\t") - 1)] = l
		} while ((getline l <f) > 0)
		close(f)
	}
	for (k = 0; (getline l <(f = tmp "/meta." k ".tsv")) > 0; k++) {
		do {
			n = split(l, x, "\t")
			if (x[1] == "doc") { for (i = 1; i <= n; i++) mc[x[i]] = i; continue }
			if (x[mc["doc"]] in alive) meta[x[mc["doc"]]] = l
		} while ((getline l <f) > 0)
		close(f)
	}
	print "doc", "source", "encoding", "title", "region", "region_code", "province", "year", "type", "date", "chars", "sections", "figures" >(N "/docs.tsv")
	print "doc", "source", "stage", "severity", "message" >(N "/problems.tsv")
	print "doc", "region", "year", "code", "label", "unit", "value", "annual_value", "kind", "qualifier" >(N "/facts.tsv")
	if (chead != "") print chead >(N "/coverage.tsv")
	printf "" >(N "/sections.tsv"); printf "" >(N "/indicators.tsv"); printf "" >(N "/coverage.tsv")
}
FNR == 1 {
	kind = FILENAME ~ /\/sections\/[^\/]*$/ ? "s" : FILENAME ~ /\/indicators\/[^\/]*$/ ? "i" : "p"
	d = base(FILENAME)
	skip = kind != "p" && !(d in meta)
	if (kind == "s" && !shead++) print >(N "/sections.tsv")
	if (kind == "i") {
		if (!ihead++) print >(N "/indicators.tsv")
		delete c; for (i = 1; i <= NF; i++) c[$i] = i
		# (not meta[d] when absent: a reference would create it)
		annual = 0
		if (!skip) { split(meta[d], m, "\t"); annual = m[mc["type"]] ~ /^(annual-report|work-summary)$/ }
	}
	if (kind != "p") next
}
skip { next }
kind == "s" { print >(N "/sections.tsv"); if ($5 >= 1 && $5 <= 4) nsec[d]++; next }
kind == "p" { prob[d] = prob[d] $0 "\n"; next }
{ print >(N "/indicators.tsv"); nfig[d]++ }
$c["kind"] == "from" || $c["kind"] == "change" || $c["code"] == "other" { next }
{ print $c["doc"], $c["region"], $c["year"], $c["code"], $c["label"], $c["unit"], $c["value"], annual ? $c["value"] : "-", $c["kind"], $c["qualifier"] >(N "/facts.tsv") }
END {
	for (k = 1; k <= nd; k++) {
		d = order[k]
		if (d in meta) {
			split(meta[d], m, "\t")
			print d, srcp[d], (d in enc ? enc[d] : "-"), m[mc["title"]], m[mc["region"]], m[mc["region_code"]], \
			      m[mc["province"]], m[mc["year"]], m[mc["type"]], m[mc["date"]], m[mc["chars"]], nsec[d] + 0, nfig[d] + 0 >(N "/docs.tsv")
			if (m[mc["type"]] ~ /^(annual-report|work-summary)$/ && (d in cov)) print cov[d] >(N "/coverage.tsv")
		} else if (d in alive) {
			# every stage made its output, yet no metadata row: its report
			# row was lost (an outside error); the document is retried
			if (err == "") {
				while ((getline l <(tmp "/deboiler.err")) > 0 && length(err) < 300) err = err (err == "" ? "" : " | ") l
				if (err == "") err = "deboiler --report has no row for it"
			}
			row = d "\t" srcp[d] "\tmeta\tretry\tno metadata row: " esc(substr(err, 1, 300)) " (an outside reason, not the document: the next run retries it)"
			print row >>(OUTDIR "/problems/" d ".tsv")
			print d >(tmp "/retry")
			prob[d] = prob[d] row "\n"
		}
		if (d in prob) printf "%s", prob[d] >(N "/problems.tsv")
	}
}
