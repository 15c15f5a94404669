/* deboiler: strip the web page around a cleaned document; keep what the
 * chrome said in a `Key: value` header. Options and files; the work is in
 * the core library (the other files of tools/deboiler, listed in deboiler_int.h). */
#include "deboiler.h"
#include "cli.h"
#include "doc.h"
#include "run.h"
#include "err.h"
#include "input.h"
#include "output.h"

#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef DATADIR
#define DATADIR "/usr/local/share/lawtext"
#endif

enum { M_DOC, M_BODY, M_META, M_EXPLAIN, M_LEARN };

typedef struct {
	int mode;
	int names;		/* --meta --names */
	const char *id;
	const char *outdir;
	char **rules;		/* -r */
	size_t nrules;
	char **boiler;		/* -b */
	size_t nboiler;
	int nojoin;
	long min_docs;
	double min_share;
	int quiet;
	const char *report;	/* --report FILE */
} Opts;

static void usage(void);
static int process_doc(Deboiler *db, const Opts *o, const char *path, const char *id, const char *text,
		       size_t len, Buf *out, DbDoc *d, int report, Buf *row);
static int process_file(Deboiler *db, const Opts *o, Run *run, DocIds *ids, const char *path, Buf *out,
			DbDoc *d, Buf *row);
static int learn_path(Deboiler *db, DbLearn *l, const char *path, int depth);
static void parse_opts(int argc, char **argv, Opts *o, char ***files, int *nfiles);
static Deboiler *load_deboiler(const Opts *o);
static int run_learn(Deboiler *db, const Opts *o, char **files, int nfiles);
static int run_documents(Deboiler *db, const Opts *o, char **files, int nfiles);

static void
usage(void)
{
	printf(
"usage: deboiler [options] [FILE...]\n"
"       deboiler --learn [--min-docs N] [--min-share F] DIR|FILE...\n"
"\n"
"Strip the web page around each cleaned document (navigation, font-size and\n"
"print controls, share and QR lines, publication lines, copyright and ICP\n"
"lines, photo captions, menus, spam, junk inside lines) and write the\n"
"document's own text after a header of `Key: value` lines and an empty line.\n"
"Keys: Doc Title Region Region-Code Province Year Type Date Source Publisher\n"
"Index-No Doc-No Author Editor Keywords Attachments Removed (absent values\n"
"omitted). The title is kept once as the first body line; lines a copy broke\n"
"in mid-sentence are joined. Input is a stream of documents (README, Contract\n"
"between stages): plain text, or documents separated by a line holding the\n"
"record separator 0x1E alone, as encfix writes them. An incoming `Doc:`\n"
"header gives the document id (encfix's); a header with deboiler's own keys\n"
"is passed through (parsed, not stripped again). Several documents to\n"
"stdout form one such stream. Files may be gzip; no FILE or '-' reads stdin.\n"
"An HTML page (known by its content: doctype, <html>, dense markup) is\n"
"parsed; its main content (the CMS containers of html-containers.tsv, else a\n"
"density score) becomes lines, tables rows of cells joined by ' | ', and its\n"
"<meta> tags, <title>, 索引号 table and attachment links fill the header;\n"
"a page with no document (redirect, frameset, login, list of links, no\n"
"text) gets a warning.\n"
"\n"
"  -o DIR          one output per document: DIR/ID.txt (.tsv with --meta or\n"
"                  --explain), written atomically; DIR made when missing;\n"
"                  two documents with one id: the second is refused\n"
"      --id ID     document id (one input only; default: its Doc: header,\n"
"                  else the file's name less .gz and one extension, made\n"
"                  distinct in a run: x, x-2; '-' for stdin)\n"
"      --body      print the body alone\n"
"      --meta      print the header as one TSV row: doc title region\n"
"                  region_code province year type date source publisher\n"
"                  index_no doc_no author editor keywords attachments removed\n"
"                  lines chars\n"
"      --names     with --meta: a first row of column names (always under -o)\n"
"      --report FILE  also write FILE: the --meta row of every document\n"
"                  written (with a header row), as a pipeline's table of\n"
"                  documents without a second pass over them\n"
"      --explain   print one TSV row per removed line, cut span and joined\n"
"                  line: doc line action rule text\n"
"  -r FILE         more rules (TSV name, action, pattern: drop, strip or meta;\n"
"                  see the shipped deboiler.rules); may be repeated\n"
"  -b TABLE        also remove the lines of a --learn table; may be repeated\n"
"      --no-join   do not join broken lines\n"
"      --learn     read documents (folders are walked) and print the table\n"
"                  of edge lines (above the text, below it) that recur in\n"
"                  the documents of one site (= one folder)\n"
"      --min-docs N   --learn: lines found in at least N documents (5)\n"
"      --min-share F  --learn: and in at least this share of the site's\n"
"                  documents (0.2)\n"
"  -q, --quiet     no warnings about repaired invalid UTF-8\n"
"  -h, --help      this help\n"
"      --version   print the version\n"
"\n"
"Rules, the region table and the HTML rules are read from deboiler.rules,\n"
"regions.tsv and html-containers.tsv in\n"
"the data folder ($LAWTEXT_DATA, ../data beside the binary, or %s).\n"
"Exit status: 0 ok, 1 an input failed (binary, unreadable; the others are\n"
"still processed) or a shipped data file is bad, 2 bad usage (a bad -r or\n"
"-b file included).\n"
"\n"
"Examples:\n"
"  deboiler -o out/body out/clean/*.txt\n"
"  deboiler --report docs.tsv -o out/body out/clean/*.txt\n"
"  encfix raw/*.html | deboiler | secsplit | indtag > figures.tsv\n"
"  deboiler --meta --names out/body/*.txt > docs.tsv\n"
"  deboiler --explain page.txt | cut -f4 | sort | uniq -c\n"
"  encfix page.html.gz | deboiler --explain | head -2   # which HTML container\n"
"  deboiler --learn corpus/ > boiler.tsv && deboiler -b boiler.tsv page.txt\n",
		DATADIR);
}

/* One document of a stream: its output appended to out, its --meta row
 * to row (when there is a report). 0, or EXIT_DATA (reported). */
static int
process_doc(Deboiler *db, const Opts *o, const char *path, const char *id, const char *text,
	    size_t len, Buf *out, DbDoc *d, int report, Buf *row)
{
	if (db_process(db, id, text, len, d) < 0) {
		warnat(display_name(path), 0, "%s", d->err.s);
		return EXIT_DATA;
	}
	if (d->limited)
		warnat(display_name(path), 0, "%zu rule match%s stopped by the pcre2 match limit: "
		       "lines kept (a rule with nested repeats?)", d->limited, d->limited == 1 ? "" : "es");
	if (d->warn.len)	/* an HTML page without a document in it */
		warnat(display_name(path), 0, "%s", d->warn.s);
	if (d->repaired && !o->quiet)
		warnat(display_name(path), 0, "%zu invalid UTF-8 byte%s replaced by U+FFFD",
		       d->repaired, d->repaired == 1 ? "" : "s");
	if (report) {
		buf_clear(row);
		db_format_meta(d, row);
	}
	switch (o->mode) {
	case M_DOC:
		db_format(d, out);
		break;
	case M_BODY:
		buf_add(out, d->body.s ? d->body.s : "", d->body.len);
		break;
	case M_META:
		db_format_meta(d, out);
		break;
	case M_EXPLAIN: {
		size_t i = 0;

		/* prefix every row with the document id */
		while (i < d->explain.len) {
			char *e = memchr(d->explain.s + i, '\n', d->explain.len - i);
			size_t n = e ? (size_t)(e - (d->explain.s + i)) + 1 : d->explain.len - i;

			buf_adds(out, d->val[K_DOC]);
			buf_addc(out, '\t');
			buf_add(out, d->explain.s + i, n);
			i += n;
		}
		break;
	}
	}
	return 0;
}

/* One input: a stream of documents (common/doc.h), each processed and
 * handed to the run (stdout or -o DIR), its --report row after it. A
 * document without a Doc: header takes the id of the path (or --id), made
 * distinct within the run. */
static int
process_file(Deboiler *db, const Opts *o, Run *run, DocIds *ids, const char *path, Buf *out,
	     DbDoc *d, Buf *row)
{
	Buf text = BUF_INIT;
	size_t off = 0, next, n;
	int status = 0;

	if (read_whole_file(path, &text) < 0) {
		buf_free(&text);
		return EXIT_DATA;
	}
	do {
		const char *s = text.s ? text.s + off : "";
		char *own = o->id ? NULL : doc_id_from_path(path);
		const char *id = o->id ? o->id : doc_ids_unique(ids, own);

		n = doc_stream_next(s, text.len - off, &next);
		buf_clear(out);
		if (process_doc(db, o, path, id, s, n, out, d, run_has_report(run), row) != 0) {
			status = EXIT_DATA;
		} else if (run_write(run, path, d->val[K_DOC], out->s ? out->s : "", out->len) != 0) {
			status = EXIT_DATA;
		} else {	/* a report row for each document written */
			run_report(run, row->s, row->len);
		}
		free(own);
		off += next;
	} while (off < text.len);
	buf_free(&text);
	return status;
}

static int
learn_file(Deboiler *db, DbLearn *l, const char *path)
{
	Buf text = BUF_INIT;
	char *site;
	const char *slash = strrchr(path, '/');

	if (read_whole_file(path, &text) < 0) {
		buf_free(&text);
		return EXIT_DATA;
	}
	site = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
	db_learn_add(db, l, site, text.s ? text.s : "", text.len);
	free(site);
	buf_free(&text);
	return 0;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A file, or a folder walked in name order (hidden entries skipped). */
static int
learn_path(Deboiler *db, DbLearn *l, const char *path, int depth)
{
	struct stat st;
	DIR *dir;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int status = 0;

	if (strcmp(path, "-") == 0 || stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return learn_file(db, l, path);
	if (depth > 16) {
		warnat(path, 0, "folders nested too deep, skipped");
		return EXIT_DATA;
	}
	if ((dir = opendir(path)) == NULL) {
		warnat(path, 0, "cannot open folder");
		return EXIT_DATA;
	}
	while ((e = readdir(dir)) != NULL) {
		size_t len;
		char *p;

		if (e->d_name[0] == '.')
			continue;
		len = strlen(path) + strlen(e->d_name) + 2;
		p = xmalloc(len);
		snprintf(p, len, "%s/%s", path, e->d_name);
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = xrealloc(names, cap * sizeof *names);
		}
		names[n++] = p;
	}
	closedir(dir);
	qsort(names, n, sizeof *names, cmp_name);
	for (i = 0; i < n; i++) {
		if (learn_path(db, l, names[i], depth + 1) != 0)
			status = EXIT_DATA;
		free(names[i]);
	}
	free(names);
	return status;
}

/* The options into o; the files to read into *files, *nfiles (stdin alone
 * when none). Bad usage exits 2; -h and --version exit 0. */
static void
parse_opts(int argc, char **argv, Opts *o, char ***files, int *nfiles)
{
	static const struct option lopts[] = {
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{"id", required_argument, NULL, 'I'},
		{"body", no_argument, NULL, 'B'},
		{"meta", no_argument, NULL, 'M'},
		{"names", no_argument, NULL, 'H'},
		{"quiet", no_argument, NULL, 'q'},
		{"explain", no_argument, NULL, 'E'},
		{"no-join", no_argument, NULL, 'J'},
		{"learn", no_argument, NULL, 'L'},
		{"min-docs", required_argument, NULL, 'm'},
		{"min-share", required_argument, NULL, 's'},
		{"report", required_argument, NULL, 'R'},
		{NULL, 0, NULL, 0},
	};
	static char *stdin_only[] = {"-", NULL};
	char *end;
	int c, nmodes = 0;

	o->min_docs = 5;
	o->min_share = 0.2;
	opterr = 0;	/* one message, ours, with the tool's name */
	while ((c = getopt_long(argc, argv, ":ho:r:b:q", lopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage();
			fflush(stdout);	/* stdio, before out_finish() closes fd 1 */
			exit(out_finish(0));
		case 'V':
			print_version();
			fflush(stdout);
			exit(out_finish(0));
		case 'o':
			o->outdir = optarg;
			break;
		case 'I':
			o->id = optarg;
			break;
		case 'B':
			o->mode = M_BODY, nmodes++;
			break;
		case 'M':
			o->mode = M_META, nmodes++;
			break;
		case 'E':
			o->mode = M_EXPLAIN, nmodes++;
			break;
		case 'L':
			o->mode = M_LEARN, nmodes++;
			break;
		case 'H':
			o->names = 1;
			break;
		case 'J':
			o->nojoin = 1;
			break;
		case 'q':
			o->quiet = 1;
			break;
		case 'R':
			o->report = optarg;
			break;
		case 'r':
			o->rules = xrealloc(o->rules, (o->nrules + 1) * sizeof *o->rules);
			o->rules[o->nrules++] = optarg;
			break;
		case 'b':
			o->boiler = xrealloc(o->boiler, (o->nboiler + 1) * sizeof *o->boiler);
			o->boiler[o->nboiler++] = optarg;
			break;
		case 'm':
			o->min_docs = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end || o->min_docs < 1)
				usage_error("--min-docs: '%s' is not a whole number >= 1", optarg);
			break;
		case 's':
			o->min_share = strtod(optarg, &end);
			if (*optarg == '\0' || *end || !(o->min_share >= 0 && o->min_share <= 1))
				usage_error("--min-share: '%s' is not a number from 0 to 1", optarg);
			break;
		default:
			cli_bad_option(c, argv);
		}
	}
	if (nmodes > 1)
		usage_error("--body, --meta, --explain and --learn exclude each other");
	if (o->names && o->mode != M_META)
		usage_error("--names goes with --meta");
	*files = optind < argc ? argv + optind : stdin_only;
	*nfiles = optind < argc ? argc - optind : 1;
	if (o->id && *nfiles > 1)
		usage_error("--id names one document, %d files given", *nfiles);
	if (o->report && o->mode != M_DOC && o->mode != M_BODY)
		usage_error("--report goes with documents or --body, not with --meta, --explain or --learn");
	if (o->outdir && o->mode == M_LEARN)
		usage_error("--learn writes one table to stdout, -o does not apply");
}

/* A Deboiler with the shipped rules, -r rules, the region and character
 * tables and -b tables loaded; a table that cannot be loaded exits. */
static Deboiler *
load_deboiler(const Opts *o)
{
	Deboiler *db = db_new();
	char *p;
	size_t i;

	db_keep_id(db, o->id != NULL);
	p = data_path("deboiler.rules");
	if (db_load_rules(db, p) < 0)
		die(EXIT_DATA, "cannot load the shipped rules (%s)", p);
	free(p);
	for (i = 0; i < o->nrules; i++)
		if (db_load_rules(db, o->rules[i]) < 0)
			die(EXIT_USAGE, "cannot load rules from %s", o->rules[i]);
	p = data_path("regions.tsv");
	if (db_load_regions(db, p) < 0)
		die(EXIT_DATA, "cannot load the region table (%s)", p);
	free(p);
	/* optional: traditional characters in region names (encfix's table) */
	p = data_path("t2s.tsv");
	if (access(p, R_OK) == 0 && db_load_t2s(db, p) < 0)
		die(EXIT_DATA, "cannot load %s", p);
	free(p);
	/* HTML pages: the content containers of the known CMSs */
	p = data_path("html-containers.tsv");
	if (db_load_html(db, p) < 0)
		die(EXIT_DATA, "cannot load %s", p);
	free(p);
	for (i = 0; i < o->nboiler; i++)
		if (db_load_boiler(db, o->boiler[i]) < 0)
			die(EXIT_USAGE, "cannot load the boilerplate table %s", o->boiler[i]);
	db_set_join(db, !o->nojoin);
	db_set_explain(db, o->mode == M_EXPLAIN);
	return db;
}

/* --learn: the table of the files' edge lines to stdout. */
static int
run_learn(Deboiler *db, const Opts *o, char **files, int nfiles)
{
	DbLearn *l = db_learn_new();
	Buf out = BUF_INIT;
	int c, status = 0;

	for (c = 0; c < nfiles; c++)
		if (learn_path(db, l, files[c], 0) != 0)
			status = EXIT_DATA;
	db_learn_write(l, &out, (size_t)o->min_docs, o->min_share);
	out_write(out_stdout, out.s ? out.s : "", out.len);
	db_learn_free(l);
	buf_free(&out);
	return status;
}

/* Documents, bodies, --meta rows or --explain rows of the files, to stdout
 * (one stream of documents, or one table) or (-o) one file each, with the
 * --report table. */
static int
run_documents(Deboiler *db, const Opts *o, char **files, int nfiles)
{
	Buf out = BUF_INIT, row = BUF_INIT, meta_names = BUF_INIT;
	RunOpts ro = {0};
	DocIds *ids = doc_ids_new();
	Run *run;
	DbDoc d;
	int c, status = 0;

	db_format_meta_header(&meta_names);
	ro.kind = o->mode == M_META || o->mode == M_EXPLAIN ? RUN_TABLE : RUN_DOCS;
	ro.ext = ro.kind == RUN_TABLE ? ".tsv" : ".txt";
	ro.outdir = o->outdir;
	if (o->mode == M_META && (o->names || o->outdir))
		ro.table_header = meta_names.s;
	if (o->mode == M_EXPLAIN)
		ro.table_header = "doc\tline\taction\trule\ttext\n";
	ro.report = o->report;
	ro.report_header = meta_names.s;
	if ((run = run_begin(&ro)) == NULL) {
		status = EXIT_DATA;	/* reported */
		goto done;
	}
	db_doc_init(&d);
	for (c = 0; c < nfiles; c++)
		if (process_file(db, o, run, ids, files[c], &out, &d, &row) != 0)
			status = EXIT_DATA;
	db_doc_free(&d);
	status = run_end(run, status);
done:
	doc_ids_free(ids);
	buf_free(&meta_names);
	buf_free(&row);
	buf_free(&out);
	return status;
}

int
main(int argc, char **argv)
{
	Opts o = {0};
	Deboiler *db;
	char **files;
	int nfiles, status;

	tool_init(argv[0]);
	out_init();
	parse_opts(argc, argv, &o, &files, &nfiles);
	db = load_deboiler(&o);
	if (o.mode == M_LEARN)
		status = out_finish(run_learn(db, &o, files, nfiles));
	else
		status = run_documents(db, &o, files, nfiles);	/* run_end() flushes */
	db_free(db);
	free(o.rules);
	free(o.boiler);
	return status;
}
