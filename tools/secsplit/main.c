/* secsplit: split Chinese official documents into their numbered sections,
 * one TSV row per section (or an outline, or a coverage check). */
#include "secsplit.h"
#include "cli.h"
#include "doc.h"
#include "err.h"
#include "input.h"
#include "output.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { MODE_ROWS, MODE_OUTLINE, MODE_CHECK };

typedef struct {
	int mode;
	const char *outdir;
	const char *report;	/* --report FILE */
	SsOptions ss;
} Options;

static void usage(void);
static int seen_name(const char *name);
static int process(Secsplit *ss, const Options *opt, const char *path, Buf *raw,
		   Buf *norm, Buf *text, SsResult *res, Out *report);
static int output_name(const Options *opt, const SsDoc *doc, Buf *name);
static int process_doc(Secsplit *ss, const Options *opt, const char *path, const char *data, size_t len,
		       const char *name, Buf *norm, Buf *text, SsResult *res, Out *report);

static void
usage(void)
{
	printf(
"usage: secsplit [-o DIR] [--report FILE] [--items] [--outline | --check] [-t TYPE] [FILE...]\n"
"\n"
"Find the numbered outline of Chinese official documents (the output of\n"
"deboiler: a header of 'Key: value' lines, an empty line, the body; plain\n"
"text without a header is all body) and write one TSV row per section.\n"
"Files may be gzip-compressed; no FILE or '-' reads standard input.\n"
"\n"
"Headings (GB/T 9704), each numbered in sequence to count (二、 only after\n"
"一、, so '2020年以来', '1+7模式', '三、四月份' or a stray '三、' are text):\n"
"  level 1  一、  第一章 第一部分    level 2  (一)  第一节\n"
"  level 3  1. 1、 第一条             level 4  (1)\n"
"The heading is the text after the marker up to the first 。 or the line end.\n"
"Speaker turns of transcripts ('市司法局副局长张三:') are level-0 rows with\n"
"path S1, S2, ... that close the open sections; inline items 一是… 二是…\n"
"are level-5 rows with --items.\n"
"\n"
"Columns: doc region year seq level path marker heading part start end text\n"
"  seq 0 is the preamble (text before the first heading, part 'preamble');\n"
"  path  the numbers of the enclosing headings, one per level (0 where a\n"
"        level is skipped): 3.2.1;\n"
"  part  measures, problems, leadership, plans or other (annual reports,\n"
"        from the top-level headings, inherited by subsections; keywords in\n"
"        data/parts.tsv), '-' otherwise;\n"
"  start, end  character offsets in the body (end exclusive);\n"
"  text  the section's own text, from its marker (heading line included)\n"
"        to its first subsection or the next section: the texts of a\n"
"        document's rows concatenated give its body back.\n"
"\n"
"Options:\n"
"  -o, --output-dir DIR  one file per input, DIR/NAME.tsv (.txt for\n"
"                        --outline), NAME the input's name without .gz\n"
"                        and extension (stdin: its Doc: header); written\n"
"                        atomically\n"
"      --items           also emit 一是… 二是… items (level 5)\n"
"      --outline         an indented outline for reading: marker, heading,\n"
"                        [part], (length in characters, subsections included)\n"
"      --check           one row per document: doc region year type, yes/no\n"
"                        for measures problems leadership plans other,\n"
"                        missing (parts absent, comma-separated, '-' if none),\n"
"                        problems_found (numbering gaps, duplicates, restarts;\n"
"                        ';'-separated, '-' if none)\n"
"      --report FILE     also write FILE: the --check row of every document\n"
"                        written (with a header row), written atomically\n"
"  -t, --type TYPE       document type when there is no Type: header:\n"
"                        annual-report or work-summary (give parts),\n"
"                        proposal-reply, press-conference, news, statistics,\n"
"                        other (default: guessed as deboiler guesses it, from\n"
"                        the title, outline, formulas and speaker turns)\n"
"  -h, --help            this text\n"
"      --version         version\n"
"\n"
"Input repairs (reported on stderr, the file still counts as good): CRLF\n"
"and CR line ends read as LF, NUL and invalid UTF-8 bytes replaced with\n"
"U+FFFD. Binary or non-UTF-8 files are reported and skipped (exit 1).\n"
"\n"
"Exit status: 0 ok, 1 a file could not be read or was refused, 2 bad usage.\n"
"\n"
"Examples:\n"
"  deboiler -o clean raw/*.txt && secsplit clean/*.txt > sections.tsv\n"
"  secsplit --check clean/*.txt > coverage.tsv\n"
"  secsplit --report coverage.tsv -o sections body/*.txt\n"
"  deboiler page.txt | secsplit --outline | less\n"
"  secsplit clean/*.txt | awk -F'\\t' '$9 == \"problems\"' | cut -f1,8\n");
}

/* The --check row of a document, to the --report file (b: scratch). */
static void
report_row(Out *report, const SsDoc *doc, const SsResult *res, Buf *b)
{
	buf_clear(b);
	ss_format_check(doc, res, b);
	out_write(report, b->s, b->len);
}

/* Was this output name used before in this run? Remembers it. */
static int
seen_name(const char *name)
{
	static char **names;
	static size_t n, cap;
	size_t h = 5381, i;
	const char *p;

	/* a small open-addressing set: hundreds to thousands of names */
	for (p = name; *p; p++)
		h = h * 33 + (unsigned char)*p;
	if (2 * (n + 1) > cap) {
		char **old = names;
		size_t oldcap = cap;

		cap = cap ? 2 * cap : 256;
		names = xcalloc(cap, sizeof *names);
		n = 0;
		for (i = 0; i < oldcap; i++)
			if (old[i])
				seen_name(old[i]);
		for (i = 0; i < oldcap; i++)
			free(old[i]);
		free(old);
	}
	for (i = h & (cap - 1); names[i]; i = (i + 1) & (cap - 1))
		if (strcmp(names[i], name) == 0)
			return 1;
	names[i] = xstrdup(name);
	n++;
	return 0;
}

/* DIR/ID.ext for one document: its id (its Doc: header, else that of its
 * path). An id that is no file name ("-": stdin without a header, a '/' or
 * a leading dot) cannot name it. */
static int
output_name(const Options *opt, const SsDoc *doc, Buf *name)
{
	const char *ext = opt->mode == MODE_OUTLINE ? ".txt" : ".tsv";

	buf_clear(name);
	if (strcmp(doc->doc, "-") == 0 || strchr(doc->doc, '/') || doc->doc[0] == '.')
		return -1;
	buf_addf(name, "%s/%s%s", opt->outdir, doc->doc, ext);
	return 0;
}

/* One input: a stream of documents (common/doc.h), each split. A document
 * without a Doc: header takes the id of the path, made distinct in the run. */
static int
process(Secsplit *ss, const Options *opt, const char *path, Buf *raw, Buf *norm,
	Buf *text, SsResult *res, Out *report)
{
	static DocIds *ids;
	size_t off = 0, next, n;
	int status = EXIT_OK;

	if (!ids)
		ids = doc_ids_new();
	buf_clear(raw);
	if (read_whole_file(path, raw) < 0)
		return EXIT_DATA;
	do {
		const char *s = raw->s ? raw->s + off : "";
		char *own = doc_id_from_path(path);

		n = doc_stream_next(s, raw->len - off, &next);
		if (process_doc(ss, opt, path, s, n, doc_ids_unique(ids, own), norm, text, res, report) != EXIT_OK)
			status = EXIT_DATA;
		free(own);
		off += next;
	} while (off < raw->len);
	return status;
}

static int
process_doc(Secsplit *ss, const Options *opt, const char *path, const char *data, size_t len,
	    const char *name, Buf *norm, Buf *text, SsResult *res, Out *report)
{
	SsDoc doc;
	const char *fname = display_name(path);

	if (ss_prepare(&doc, norm, data, len, name) < 0) {
		warnat(fname, 0, "%s: skipped", doc.error);
		return EXIT_DATA;
	}
	if (doc.bad_utf8)
		warnat(fname, 0, "%zu invalid UTF-8 byte%s replaced with U+FFFD", doc.bad_utf8,
		       doc.bad_utf8 == 1 ? "" : "s");
	if (doc.nul)
		warnat(fname, 0, "%zu NUL byte%s replaced with U+FFFD", doc.nul,
		       doc.nul == 1 ? "" : "s");
	if (doc.header_unended)
		warnat(fname, doc.body_line, "header not followed by an empty line: body starts here");
	ss_split(ss, &doc, res);

	buf_clear(text);
	if (opt->outdir && opt->mode == MODE_ROWS)
		ss_format_header(text);
	else if (opt->outdir && opt->mode == MODE_CHECK)
		ss_format_check_header(text);
	switch (opt->mode) {
	case MODE_ROWS:
		ss_format_rows(&doc, res, text);
		break;
	case MODE_OUTLINE:
		ss_format_outline(&doc, res, text);
		break;
	case MODE_CHECK:
		ss_format_check(&doc, res, text);
		break;
	}
	if (opt->outdir) {
		Buf oname = BUF_INIT;
		Out *o;
		int rc = EXIT_OK;

		if (output_name(opt, &doc, &oname) < 0) {
			warnat(fname, 0, "-o needs a file name or a Doc: header to name the output");
			buf_free(&oname);
			return EXIT_DATA;
		}
		/* two inputs with one name (a/x.txt b/x.txt) must not silently
		 * overwrite each other */
		if (seen_name(oname.s)) {
			warnat(fname, 0, "%s was already written in this run: skipped", oname.s);
			buf_free(&oname);
			return EXIT_DATA;
		}
		if ((o = out_create_atomic(oname.s)) == NULL) {
			rc = EXIT_DATA;
		} else {
			if (text->len)
				out_write(o, text->s, text->len);
			if (out_commit(o) < 0)
				rc = EXIT_DATA;
			else if (report)	/* a row for each document written */
				report_row(report, &doc, res, text);
		}
		buf_free(&oname);
		return rc;
	}
	if (opt->mode == MODE_OUTLINE && text->len)
		buf_addc(text, '\n');	/* a blank line between documents */
	if (text->len)
		out_write(out_stdout, text->s, text->len);
	if (report)
		report_row(report, &doc, res, text);
	return EXIT_OK;
}

int
main(int argc, char **argv)
{
	enum { OPT_VERSION = 256, OPT_ITEMS, OPT_OUTLINE, OPT_CHECK, OPT_REPORT };
	static const struct option longopts[] = {
		{"output-dir", required_argument, NULL, 'o'},
		{"items", no_argument, NULL, OPT_ITEMS},
		{"outline", no_argument, NULL, OPT_OUTLINE},
		{"check", no_argument, NULL, OPT_CHECK},
		{"report", required_argument, NULL, OPT_REPORT},
		{"type", required_argument, NULL, 't'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, OPT_VERSION},
		{NULL, 0, NULL, 0}
	};
	Options opt;
	Secsplit *ss;
	Buf raw = BUF_INIT, norm = BUF_INIT, text = BUF_INIT;
	SsResult res = SS_RESULT_INIT;
	Out *report = NULL;
	int c, status = EXIT_OK, i, modes = 0;

	tool_init(argv[0]);
	out_init();
	memset(&opt, 0, sizeof opt);
	opterr = 0;	/* one message, ours */
	while ((c = getopt_long(argc, argv, ":ho:t:", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage();
			return out_finish(EXIT_OK);	/* flushes stdio too */
		case OPT_VERSION:
			print_version();
			return out_finish(EXIT_OK);	/* flushes stdio too */
		case 'o':
			opt.outdir = optarg;
			break;
		case 't':
			if (strcmp(optarg, "annual-report") != 0 && strcmp(optarg, "proposal-reply") != 0 &&
			    strcmp(optarg, "press-conference") != 0 && strcmp(optarg, "other") != 0 &&
			    strcmp(optarg, "work-summary") != 0 && strcmp(optarg, "news") != 0 &&
			    strcmp(optarg, "statistics") != 0)
				usage_error("--type '%s': one of annual-report, work-summary, proposal-reply, "
					    "press-conference, news, statistics, other", optarg);
			opt.ss.type = optarg;
			break;
		case OPT_ITEMS:
			opt.ss.items = 1;
			break;
		case OPT_OUTLINE:
			opt.mode = MODE_OUTLINE;
			modes |= 1;
			break;
		case OPT_CHECK:
			opt.mode = MODE_CHECK;
			modes |= 2;
			break;
		case OPT_REPORT:
			opt.report = optarg;
			break;
		default:
			cli_bad_option(c, argv);
		}
	}
	if (modes == 3)
		usage_error("--outline and --check exclude each other");
	if (opt.outdir) {
		struct stat st;

		if (*opt.outdir == '\0')
			usage_error("-o needs a directory");
		if (stat(opt.outdir, &st) < 0) {
			if (errno != ENOENT || make_dirs(opt.outdir) < 0)
				dieat(EXIT_DATA, opt.outdir, 0, "%s", strerror(errno));
		} else if (!S_ISDIR(st.st_mode)) {
			usage_error("-o %s: not a directory", opt.outdir);
		}
	}
	if (opt.report && (report = out_create_atomic(opt.report)) == NULL)
		return out_finish(EXIT_DATA);
	if ((ss = ss_new(&opt.ss)) == NULL) {
		if (report)
			out_abort(report);
		return out_finish(EXIT_DATA);
	}
	if (report) {
		ss_format_check_header(&text);
		out_write(report, text.s, text.len);
	}

	if (!opt.outdir) {
		buf_clear(&text);
		if (opt.mode == MODE_ROWS)
			ss_format_header(&text);
		else if (opt.mode == MODE_CHECK)
			ss_format_check_header(&text);
		if (text.len)
			out_write(out_stdout, text.s, text.len);
	}
	if (optind == argc) {
		if (process(ss, &opt, "-", &raw, &norm, &text, &res, report) != EXIT_OK)
			status = EXIT_DATA;
	}
	for (i = optind; i < argc; i++)
		if (process(ss, &opt, argv[i], &raw, &norm, &text, &res, report) != EXIT_OK)
			status = EXIT_DATA;
	if (report && out_commit(report) < 0)
		status = EXIT_DATA;

	ss_result_free(&res);
	ss_free(ss);
	buf_free(&raw);
	buf_free(&norm);
	buf_free(&text);
	return out_finish(status);
}
