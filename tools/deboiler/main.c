/* deboiler: strip the web page around a cleaned document; keep what the
 * chrome said in a `Key: value` header. Options and files; the work is in
 * the core library (the other files of tools/deboiler, listed in deboiler_int.h). */
#include "deboiler.h"
#include "cli.h"
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
	int header;		/* --meta --header */
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
static int process_file(Deboiler *db, const Opts *o, const char *path, Buf *out, DbDoc *d,
			Out *report, Buf *row);
static int learn_path(Deboiler *db, DbLearn *l, const char *path, int depth);
static char *base_id(const char *path);
static void parse_opts(int argc, char **argv, Opts *o, char ***files, int *nfiles);
static Deboiler *load_deboiler(const Opts *o);
static int run_learn(Deboiler *db, const Opts *o, char **files, int nfiles);
static int process_to_dir(Deboiler *db, const Opts *o, const char *path, Buf *out, DbDoc *d, Out *report,
			  Buf *row);
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
"Index-No Doc-No Author Editor Keywords Removed (absent values omitted).\n"
"The title is kept once as the first body line; lines a copy broke in\n"
"mid-sentence are joined. Input already carrying a `Doc:` header is passed\n"
"through (its header parsed, not stripped again). Files may be gzip; no FILE\n"
"or '-' reads stdin.\n"
"\n"
"  -o DIR          one output per input: DIR/NAME.txt (.tsv with --meta or\n"
"                  --explain), written atomically\n"
"      --id ID     document id (one input only; default: the file's base\n"
"                  name without extensions, '-' for stdin)\n"
"      --body      print the body alone\n"
"      --meta      print the header as one TSV row: doc title region\n"
"                  region_code province year type date source publisher\n"
"                  index_no doc_no author editor keywords removed lines chars\n"
"      --header    with --meta: a first row of column names\n"
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
"  -q              no warnings about repaired invalid UTF-8\n"
"  -h, --help      this help\n"
"      --version   print the version\n"
"\n"
"Rules and the region table are read from deboiler.rules and regions.tsv in\n"
"the data folder ($LAWTEXT_DATA, ../data beside the binary, or %s).\n"
"Exit status: 0 ok, 1 an input failed (binary, unreadable; the others are\n"
"still processed), 2 bad usage or a bad rules or table file.\n"
"\n"
"Examples:\n"
"  deboiler -o out/body out/clean/*.txt\n"
"  deboiler --report docs.tsv -o out/body out/clean/*.txt\n"
"  deboiler --meta --header out/body/*.txt > docs.tsv\n"
"  deboiler --explain page.txt | cut -f4 | sort | uniq -c\n"
"  deboiler --learn corpus/ > boiler.tsv && deboiler -b boiler.tsv page.txt\n",
		DATADIR);
}

/* Base name without directories and extensions ("a/b.txt.gz" -> "b"). */
static char *
base_id(const char *path)
{
	const char *b = strrchr(path, '/');
	char *id, *dot;

	b = b ? b + 1 : path;
	id = xstrdup(*b ? b : "-");
	if ((dot = strchr(id + 1, '.')) != NULL && id[0] != '.')
		*dot = '\0';
	else if (id[0] == '.' && (dot = strchr(id + 1, '.')) != NULL)
		*dot = '\0';
	return id;
}

static int
process_file(Deboiler *db, const Opts *o, const char *path, Buf *out, DbDoc *d,
	     Out *report, Buf *row)
{
	Buf text = BUF_INIT;
	char *id;
	int status = 0;

	if (read_whole_file(path, &text) < 0) {
		buf_free(&text);
		return EXIT_DATA;
	}
	id = o->id ? xstrdup(o->id) : (strcmp(path, "-") == 0 ? xstrdup("-") : base_id(path));
	if (db_process(db, id, text.s ? text.s : "", text.len, d) < 0) {
		warnat(display_name(path), 0, "%s", d->err.s);
		status = EXIT_DATA;
		goto done;
	}
	if (d->limited)
		warnat(display_name(path), 0, "%zu rule match%s stopped by the pcre2 match limit: "
		       "lines kept (a rule with nested repeats?)", d->limited, d->limited == 1 ? "" : "es");
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
done:
	free(id);
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
		{"header", no_argument, NULL, 'H'},
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
			o->header = 1;
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
		case ':':
			usage_error("option '%s' needs an argument", argv[optind - 1]);
		default:
			if (optopt)
				usage_error("unknown option '-%c'", optopt);
			usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (nmodes > 1)
		usage_error("--body, --meta, --explain and --learn exclude each other");
	if (o->header && o->mode != M_META)
		usage_error("--header goes with --meta");
	*files = optind < argc ? argv + optind : stdin_only;
	*nfiles = optind < argc ? argc - optind : 1;
	if (o->id && *nfiles > 1)
		usage_error("--id names one document, %d files given", *nfiles);
	if (o->report && o->mode != M_DOC && o->mode != M_BODY)
		usage_error("--report goes with documents or --body, not with --meta, --explain or --learn");
	if (o->outdir && o->mode == M_LEARN)
		usage_error("--learn writes one table to stdout, -o does not apply");
	if (o->outdir) {
		struct stat st;

		if (stat(o->outdir, &st) < 0 || !S_ISDIR(st.st_mode))
			usage_error("-o %s: no such folder", o->outdir);
	}
}

/* A Deboiler with the shipped rules, -r rules, the region and character
 * tables and -b tables loaded; a table that cannot be loaded exits. */
static Deboiler *
load_deboiler(const Opts *o)
{
	Deboiler *db = db_new();
	char *p;
	size_t i;

	p = data_path("deboiler.rules");
	if (db_load_rules(db, p) < 0)
		die(EXIT_DATA, "cannot load the rules (%s)", p);
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

/* -o DIR: one file's output into its own file in DIR, and its --report row
 * once it is written. */
static int
process_to_dir(Deboiler *db, const Opts *o, const char *path, Buf *out, DbDoc *d, Out *report, Buf *row)
{
	const char *ext = o->mode == M_META || o->mode == M_EXPLAIN ? ".tsv" : ".txt";
	char *op;
	Out *f;
	int status = 0;

	if (strcmp(path, "-") == 0) {
		warnmsg("-o: stdin has no file name, give files");
		return EXIT_DATA;
	}
	buf_clear(out);
	if (o->mode == M_META)
		db_format_meta_header(out);
	if (o->mode == M_EXPLAIN)
		buf_adds(out, "doc\tline\taction\trule\ttext\n");
	if (process_file(db, o, path, out, d, report, row) != 0)
		return EXIT_DATA;
	op = out_path_for(o->outdir, path, ext);
	if ((f = out_create_atomic(op)) == NULL) {
		status = EXIT_DATA;
	} else {
		out_write(f, out->s ? out->s : "", out->len);
		if (out_commit(f) < 0)
			status = EXIT_DATA;
		else if (report)	/* a row for each document written */
			out_write(report, row->s, row->len);
	}
	free(op);
	return status;
}

/* Documents, bodies, --meta rows or --explain rows of the files, to stdout
 * or (-o) one file each, with the --report table. */
static int
run_documents(Deboiler *db, const Opts *o, char **files, int nfiles)
{
	Buf out = BUF_INIT, row = BUF_INIT;
	Out *report = NULL;
	DbDoc d;
	int c, status = 0;

	if (o->report) {
		if ((report = out_create_atomic(o->report)) == NULL) {
			buf_free(&row);
			return EXIT_DATA;	/* reported */
		}
		db_format_meta_header(&row);
		out_write(report, row.s, row.len);
	}
	db_doc_init(&d);
	if (!o->outdir) {
		if (o->mode == M_META && o->header)
			db_format_meta_header(&out);
		if (o->mode == M_EXPLAIN)
			buf_adds(&out, "doc\tline\taction\trule\ttext\n");
	}
	for (c = 0; c < nfiles; c++) {
		if (o->outdir) {
			if (process_to_dir(db, o, files[c], &out, &d, report, &row) != 0)
				status = EXIT_DATA;
			continue;
		}
		if (process_file(db, o, files[c], &out, &d, report, &row) != 0)
			status = EXIT_DATA;
		else if (report)
			out_write(report, row.s, row.len);
		/* flush per document: memory stays bounded by one document */
		out_write(out_stdout, out.s ? out.s : "", out.len);
		buf_clear(&out);
	}
	if (!o->outdir)
		out_write(out_stdout, out.s ? out.s : "", out.len);
	db_doc_free(&d);
	if (report && out_commit(report) < 0)
		status = EXIT_DATA;
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
		status = run_learn(db, &o, files, nfiles);
	else
		status = run_documents(db, &o, files, nfiles);
	db_free(db);
	free(o.rules);
	free(o.boiler);
	return out_finish(status);
}
