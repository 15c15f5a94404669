/* encfix: any Chinese web text in, normalised UTF-8 out.
 *
 * Reads each file (or stdin), detects its encoding, converts it to UTF-8 and
 * normalises it (tools/encfix/encfix.c does the work on a memory buffer);
 * writes each text as a document (a `Doc: ID` and `Encoding:` header, the
 * text as body; common/doc.h) to one stream on stdout or, with -o DIR, to
 * DIR/ID.txt (common/run.h). --no-header writes the bare text.
 * Attachments (PDF, DOCX, DOC) are converted to text first (attach.c). */
#include "attach.h"
#include "buf.h"
#include "cli.h"
#include "doc.h"
#include "run.h"
#include "encfix.h"
#include "err.h"
#include "input.h"
#include "output.h"
#include "tsv.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	EncfixOpts e;
	int detect;		/* --detect: a table instead of the text */
	int strict;		/* invalid sequences are an error */
	int quiet;		/* no warnings about repairs */
	int verbose;		/* a summary line per file on stderr */
	int noheader;		/* --no-header: the bare text */
	const char *outdir;	/* -o DIR */
	const char *report;	/* --report FILE */
} Options;

static void usage(void);
static int process(const Options *opt, const char *path, Run *run, DocIds *ids);
static void parse_options(int argc, char **argv, Options *opt);
static void check_options(Options *opt);
static int convert_attachment(const Options *opt, const char *path, Buf *in, Buf *msg);

static void
usage(void)
{
	printf(
"usage: encfix [options] [FILE...]\n"
"\n"
"Convert Chinese web text in any common encoding to clean UTF-8: detect the\n"
"encoding (BOM, valid UTF-8, UTF-16/32 by their NUL bytes, then GB18030\n"
"versus Big5 by how plausible each decoding is as Chinese; an HTML <meta\n"
"charset> is evidence too), convert it, and normalise it. FILE may be\n"
"gzip-compressed; none or \"-\" reads stdin. Output ends with a newline.\n"
"\n"
"Normalisation steps (all on; --keep turns some off):\n"
"  bom        remove the byte order mark\n"
"  eol        CRLF and lone CR to LF\n"
"  controls   remove NUL, C0 controls but tab, DEL and C1 controls (counted)\n"
"  fullwidth  full-width ASCII forms to ASCII (，：；（）％０-９ -> ,:;()%%0-9)\n"
"             and U+3000 to a space; 、。“”《》 stay\n"
"  zerowidth  remove U+200B-U+200D, U+2060, inner U+FEFF and soft hyphens\n"
"  trailing   remove spaces and tabs at the end of lines\n"
"  indent     remove indentation (spaces, tabs, U+3000, NBSP) at line starts\n"
"  blank      remove blank lines at the start and end, and the padding of a\n"
"             document with a blank line between every two lines\n"
"  mojibake   undo UTF-8 that was read as GBK or Latin-1 (鍙戝竷鏃堕棿 ->\n"
"             发布时间), only where the repair is clearly better\n"
"No-break spaces (U+00A0) are kept unless --nbsp is given.\n"
"Invalid or unmappable bytes become U+FFFD; they are counted and reported on\n"
"stderr with the offset of the first. A GB18030 fragment inside UTF-8 text is\n"
"converted and reported. A file mixing UTF-8 lines with GBK, GB18030 or Big5\n"
"lines is decoded line by line; how many lines went each way is reported.\n"
"Attachments (PDF, DOCX, DOC/WPS, known by their magic bytes) are converted\n"
"by pdftotext, unzip (the DOCX's XML) or antiword, and the printed page's\n"
"chrome removed (data/attach.rules: page numbers, red head -> Publisher: and\n"
"Doc-No:; running headers; a PDF's lines broken at the width joined by the\n"
"word positions, its tables rebuilt as \" | \" rows). A scan without\n"
"text layer, a broken PDF or a missing converter is an error naming why.\n"
"Other binary files (images, archives, executables, data full of control\n"
"bytes) are refused, not converted. An empty file gives empty output.\n"
"\n"
"Output is a document (README, Contract between stages): a header of\n"
"`Doc: ID` (the file name less .gz and one extension, made distinct within a\n"
"run: x, x-2; '-' for stdin) and `Encoding: ENC`, an empty line, the text.\n"
"Several inputs to stdout form one stream: a line holding the record\n"
"separator 0x1E alone before every document but the first. --no-header\n"
"writes the bare text (iconv-like use).\n"
"\n"
"Options:\n"
"  -f, --from ENC     the input encoding (any iconv name), no detection\n"
"  -d, --detect       print FILE<TAB>ENCODING<TAB>CONFIDENCE<TAB>SCRIPT per\n"
"                     input instead of converting (no header)\n"
"  -s, --simplified   traditional characters to simplified (data/t2s.tsv,\n"
"                     from OpenCC; character level)\n"
"  -k, --keep LIST    steps to leave out, comma-separated, from\n"
"                     %s (or all)\n"
"      --nbsp         also turn U+00A0 (no-break space) into a space\n"
"      --strict       invalid sequences are an error for that file (exit 1)\n"
"      --no-header    write the text alone, no Doc:/Encoding: header\n"
"  -o, --output-dir DIR\n"
"                     write DIR/ID.txt per input (ID: the document id),\n"
"                     atomically; DIR made when missing (not for stdin)\n"
"      --report FILE  write a TSV row per input to FILE: file encoding\n"
"                     confidence script bytes chars invalid controls repaired\n"
"                     status message (status ok/error, message - when ok;\n"
"                     repaired: mojibake runs + GB18030 characters in UTF-8\n"
"                     + lines decoded as GBK/GB18030/BIG5 in a file mixing\n"
"                     them with UTF-8 lines)\n"
"  -q, --quiet        no warnings about replaced sequences, removed controls\n"
"                     or mixed encodings\n"
"  -v, --verbose      a summary line per file on stderr\n"
"  -h, --help         this text\n"
"      --version      print the version\n"
"\n"
"Encodings reported: ASCII UTF-8 UTF-16LE UTF-16BE UTF-32LE UTF-32BE GBK\n"
"GB18030 (when four-byte sequences occur) BIG5, or the -f name. Scripts:\n"
"simplified traditional mixed, or - when the text has no evidence.\n"
"\n"
"Exit status: 0 ok, 1 some input failed (unreadable, binary, --strict), 2 bad\n"
"usage.\n"
"\n"
"Examples:\n"
"  encfix page.html.gz | deboiler | secsplit >sections.tsv\n"
"  encfix raw/*.html | deboiler | secsplit | indtag >figures.tsv\n"
"  encfix --simplified --report out/report.tsv -o out/clean raw/*.raw\n"
"  encfix --detect raw/* | cut -f2 | sort | uniq -c\n",
		encfix_step_names);
}

static void
report_row(Run *run, const char *path, const EncfixStats *st, int ok, const char *msg)
{
	Buf b = BUF_INIT;
	const char *name = path ? path : "-";

	tsv_buf_escaped(&b, name, strlen(name));
	if (st) {
		buf_addf(&b, "\t%s\t%.2f\t%s\t%zu\t%zu\t%zu\t%zu\t%zu", st->encoding[0] ? st->encoding : "-",
			 st->confidence, st->script ? st->script : "-", st->bytes, st->chars, st->invalid,
			 st->controls, st->repaired + st->mixed + st->lines_legacy);
	} else {
		buf_adds(&b, "\t-\t-\t-\t-\t-\t-\t-\t-");
	}
	buf_adds(&b, ok ? "\tok\t" : "\terror\t");
	if (msg)
		tsv_buf_escaped(&b, msg, strlen(msg));
	else
		buf_addc(&b, '-');
	buf_addc(&b, '\n');
	run_report(run, b.s, b.len);
	buf_free(&b);
}

/* An attachment (PDF, DOCX, DOC by magic bytes; attach.c) replaced in *in
 * by its text without the printed page's chrome: 0, or 0 when in is not
 * one; -1 with the reason in msg. A forced encoding or --detect reads the
 * bytes as they are. */
static int
convert_attachment(const Options *opt, const char *path, Buf *in, Buf *msg)
{
	int kind = attach_kind((const unsigned char *)in->s, in->len);
	Buf text = BUF_INIT;

	if (kind == ATT_NONE || opt->e.from || opt->detect)
		return 0;
	if (attach_extract(kind, strcmp(path, "-") == 0 ? NULL : path, (const unsigned char *)in->s,
			   in->len, &text, msg) < 0) {
		buf_free(&text);
		return -1;
	}
	attach_pages(kind, &text);
	buf_free(in);
	*in = text;
	return 0;
}

/* The Publisher: and Doc-No: lines attach_pages() put before an
 * attachment's text: copied to the document's header; returns where the
 * text proper starts. */
static size_t
attachment_keys(const Buf *text, Buf *header)
{
	DocHeader h;
	size_t i;

	doc_header_parse(text->s, text->len, &h);
	if (h.nfield == 0 || h.unended)
		return 0;
	for (i = 0; i < h.nfield; i++) {
		buf_add(header, h.field[i].key, h.field[i].keylen);
		buf_add(header, ": ", 2);
		buf_add(header, h.field[i].val, h.field[i].vallen);
		buf_addc(header, '\n');
	}
	return h.body_off;
}

/* One input: 0 ok, 1 failed (reported). */
static int
process(const Options *opt, const char *path, Run *run, DocIds *ids)
{
	const char *disp = display_name(path);
	Buf in = BUF_INIT, out = BUF_INIT, msg = BUF_INIT, doc = BUF_INIT;
	EncfixStats st;
	int rc = 0, report = run_has_report(run), attachment;
	char *own = doc_id_from_path(path);
	const char *id = doc_ids_unique(ids, own);

	if (read_whole_file(path, &in) < 0) {
		if (report)
			report_row(run, path, NULL, 0, "cannot read the file");
		rc = 1;
		goto out;
	}
	attachment = attach_kind((const unsigned char *)in.s, in.len) != ATT_NONE && !opt->e.from &&
		     !opt->detect;
	if (convert_attachment(opt, path, &in, &msg) < 0) {
		warnat(disp, 0, "%s, not converted", msg.s);
		if (report)
			report_row(run, path, NULL, 0, msg.s);
		rc = 1;
		goto out;
	}
	if (encfix_buffer(&opt->e, (unsigned char *)in.s, in.len, &out, &st) < 0) {
		buf_addf(&msg, "%s, not converted", st.refused);
		warnat(disp, 0, "%s", msg.s);
		if (report)
			report_row(run, path, &st, 0, msg.s);
		rc = 1;
		goto out;
	}
	if (st.invalid) {
		buf_addf(&msg, "%zu invalid or unmappable %s as %s replaced by U+FFFD (first at byte %zu)",
			 st.invalid, st.invalid == 1 ? "sequence" : "sequences", st.encoding, st.first_invalid);
		if (opt->strict) {
			warnat(disp, 0, "%s; --strict: not converted", msg.s);
			if (report)
				report_row(run, path, &st, 0, msg.s);
			rc = 1;
			goto out;
		}
		if (!opt->quiet && !opt->detect)
			warnat(disp, 0, "%s", msg.s);
	}
	if (st.controls && !opt->quiet && !opt->detect)
		warnat(disp, 0, "removed %zu control %s (NUL, C0 but tab, DEL, C1)", st.controls,
		       st.controls == 1 ? "character" : "characters");
	if (st.mixed_with) {	/* a documented repair: also in the report's message */
		Buf note = BUF_INIT;

		buf_addf(&note, "mixes encodings: decoded line by line, %zu %s as UTF-8 and %zu as %s",
			 st.lines_utf8, st.lines_utf8 == 1 ? "line" : "lines", st.lines_legacy,
			 st.mixed_with);
		if (!opt->quiet && !opt->detect)
			warnat(disp, 0, "%s", note.s);
		if (msg.len)
			buf_adds(&msg, "; ");
		buf_add(&msg, note.s, note.len);
		buf_free(&note);
	}
	if (st.mixed && !opt->quiet && !opt->detect)
		warnat(disp, 0, "mixes encodings: %zu GB18030 %s inside the %s text converted",
		       st.mixed, st.mixed == 1 ? "character" : "characters", st.encoding);
	if (opt->verbose)
		warnat(disp, 0, "%s (%.2f, %s), %s, %zu bytes -> %zu chars, %zu invalid, %zu controls, "
		       "%zu mojibake runs, %zu folded, %zu zero-width, %zu simplified",
		       st.encoding, st.confidence, st.evidence ? st.evidence : "-", st.script, st.bytes,
		       st.chars, st.invalid, st.controls, st.repaired, st.folded, st.zerowidth, st.simplified);
	if (opt->detect) {
		tsv_put_escaped(out_stdout, path ? path : "-", strlen(path ? path : "-"));
		out_printf(out_stdout, "\t%s\t%.2f\t%s\n", st.encoding, st.confidence, st.script);
	} else {
		/* the document: its header, then the text; an empty text stays
		 * empty (nothing to carry), and --no-header writes the text alone */
		size_t body = 0;

		if (!opt->noheader && out.len) {
			doc_header_put(&doc, doc_key_names[DK_DOC], id, strlen(id));
			doc_header_put(&doc, "Encoding", st.encoding, strlen(st.encoding));
			if (attachment)		/* its red head's keys join the header */
				body = attachment_keys(&out, &doc);
			buf_addc(&doc, '\n');
		}
		buf_add(&doc, out.s ? out.s + body : "", out.len - body);
		if (run_write(run, path, id, doc.s ? doc.s : "", doc.len) < 0) {
			report_row(run, path, &st, 0, "cannot write the output file");
			rc = 1;
			goto out;
		}
	}
	if (report)
		report_row(run, path, &st, 1, msg.len ? msg.s : NULL);
out:
	free(own);
	buf_free(&doc);
	buf_free(&in);
	buf_free(&out);
	buf_free(&msg);
	return rc;
}

/* The command line into *opt (-h and --version exit here). */
static void
parse_options(int argc, char **argv, Options *opt)
{
	enum { OPT_STRICT = 256, OPT_REPORT, OPT_NBSP, OPT_VERSION, OPT_NOHEADER };
	static const struct option longopts[] = {
		{"from", required_argument, NULL, 'f'},
		{"detect", no_argument, NULL, 'd'},
		{"simplified", no_argument, NULL, 's'},
		{"keep", required_argument, NULL, 'k'},
		{"nbsp", no_argument, NULL, OPT_NBSP},
		{"strict", no_argument, NULL, OPT_STRICT},
		{"no-header", no_argument, NULL, OPT_NOHEADER},
		{"output-dir", required_argument, NULL, 'o'},
		{"report", required_argument, NULL, OPT_REPORT},
		{"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, OPT_VERSION},
		{NULL, 0, NULL, 0},
	};
	char bad[64];
	int c;

	opterr = 0;	/* one message, ours */
	while ((c = getopt_long(argc, argv, ":f:dsk:o:qvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			opt->e.from = optarg;
			break;
		case 'd':
			opt->detect = 1;
			break;
		case 's':
			opt->e.simplified = 1;
			break;
		case 'k':
			if (encfix_parse_keep(optarg, &opt->e.steps, bad, sizeof bad) < 0)
				usage_error("--keep: unknown step '%s' (steps: %s, all)", bad, encfix_step_names);
			break;
		case OPT_NBSP:
			opt->e.steps |= EF_NBSP;
			break;
		case OPT_STRICT:
			opt->strict = 1;
			break;
		case OPT_NOHEADER:
			opt->noheader = 1;
			break;
		case 'o':
			opt->outdir = optarg;
			break;
		case OPT_REPORT:
			opt->report = optarg;
			break;
		case 'q':
			opt->quiet = 1;
			break;
		case 'v':
			opt->verbose = 1;
			break;
		case 'h':
			usage();
			exit(out_finish(0));
		case OPT_VERSION:
			print_version();
			exit(out_finish(0));
		default:
			cli_bad_option(c, argv);
		}
	}
}

/* Options checked before any input: --from known to iconv, --detect
 * without -o, the output folder created. */
static void
check_options(Options *opt)
{
	if (opt->e.from) {
		/* A name iconv does not know is a usage error, found before any input. */
		EncfixOpts probe = opt->e;
		EncfixStats st;
		Buf o = BUF_INIT;

		probe.detect_only = 1;
		if (encfix_buffer(&probe, (const unsigned char *)"x", 1, &o, &st) < 0 && st.refused &&
		    strcmp(st.refused, "unknown encoding") == 0)
			usage_error("--from: unknown encoding '%s' (see iconv -l)", opt->e.from);
		buf_free(&o);
	}
	if (opt->detect && opt->outdir)
		usage_error("--detect writes a table to stdout; it does not take -o");
	opt->e.detect_only = opt->detect;
}

int
main(int argc, char **argv)
{
	Options opt;
	RunOpts ro = {0};
	Run *run;
	DocIds *ids = doc_ids_new();
	Buf err = BUF_INIT;
	char *t2s;
	int status = 0;

	tool_init(argv[0]);
	out_init();
	memset(&opt, 0, sizeof opt);
	opt.e.steps = EF_DEFAULT;
	parse_options(argc, argv, &opt);
	check_options(&opt);
	/* The t2s table: needed by --simplified, and for the script column. */
	t2s = data_path("t2s.tsv");
	if (encfix_load_t2s(t2s, &err) < 0) {
		if (opt.e.simplified)
			die(EXIT_DATA, "%s", err.s);
		if (opt.detect || opt.report || opt.verbose)
			warnmsg("%s (the script column will be '-')", err.s);
	}
	free(t2s);
	buf_free(&err);
	t2s = data_path("attach.rules");	/* page chrome of attachments */
	if (attach_load_rules(t2s) < 0)
		exit(EXIT_DATA);
	free(t2s);
	ro.kind = opt.detect ? RUN_TABLE : RUN_DOCS;
	ro.outdir = opt.outdir;
	ro.ext = ".txt";
	ro.report = opt.report;
	ro.report_header = "file\tencoding\tconfidence\tscript\tbytes\tchars\tinvalid\tcontrols\trepaired\tstatus\tmessage\n";
	if ((run = run_begin(&ro)) == NULL)
		return out_finish(EXIT_DATA);	/* reported */
	if (optind >= argc) {
		status |= process(&opt, "-", run, ids);
	} else {
		for (int i = optind; i < argc; i++)
			status |= process(&opt, argv[i], run, ids);
	}
	doc_ids_free(ids);
	encfix_cleanup();
	attach_free_rules();
	return run_end(run, status ? EXIT_DATA : EXIT_OK);
}
