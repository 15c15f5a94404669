/* indtag: every stated figure of a report, parsed and attributed to an
 * indicator code. Reads documents (or plain text) or the sections TSV of
 * secsplit; writes one TSV row per figure. */
#include "indtag.h"
#include "buf.h"
#include "cli.h"
#include "err.h"
#include "input.h"
#include "output.h"
#include "tsv.h"
#include "utf8.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	const char **rules;	/* -r files, in order */
	size_t nrules;
	int no_default;		/* -R */
	int explain;
	int numbers;		/* --numbers */
	const char *outdir;	/* -o */
} Opts;

typedef struct {
	Out *o;
	const Opts *opt;
	const char *doc, *region, *year, *part, *path;
	size_t base;		/* character offset of the text in the body */
	unsigned long long n;
	Buf row;		/* the row being built (emit_row) */
	Buf docf;		/* the doc field, escaped once per document or section */
} Emit;

static const char *const header_keys[] = {
	"Doc", "Title", "Region", "Region-Code", "Province", "Year", "Type", "Date", "Source",
	"Publisher", "Index-No", "Doc-No", "Author", "Editor", "Keywords", "Removed", NULL
};

static void usage(void);
static void put_header(Out *o, const Opts *opt);
static void emit_row(const Figure *f, const char *text, void *arg);
static int process(Tagger *t, const char *path, Out *o, const Opts *opt);

static void
usage(void)
{
	printf("usage: indtag [-R] [-r RULES]... [--explain] [--numbers] [-o DIR] [FILE]...\n"
	       "\n"
	       "Find every figure a 法治政府建设 report states, parse it exactly and attribute\n"
	       "it to an indicator code; one TSV row per figure:\n"
	       "\n"
	       "  doc region year part path code label value unit qualifier kind number text start noun\n"
	       "\n"
	       "value is an exact decimal in the normalised unit (1.7万 -> 17000, 300余万元 ->\n"
	       "3000000 元, 98.60%% -> 98.6); unit is 件 人 人次 次 场 项 个 名 份 条 部 卷 台 家\n"
	       "期 批 户 所 处 本 … %% 元 or - (场次->场, 起/宗->件, 位->人, 件次->次);\n"
	       "qualifier is = exact, > 余/多/超过/以上/逾, < 近/不足/不到, ~ 约/左右 (< wins over ~,\n"
	       "~ over >); kind is value, from/to (由452人增加至643人, 3至5人) or change\n"
	       "(增长15%%, 下降3个百分点);\n"
	       "number is as written, text the clause holding it, start its character offset\n"
	       "in the body, noun the noun after a measure word (2981个行政处罚事项).\n"
	       "\n"
	       "Not figures: dates and years, ordinals (第五次), document, index and phone\n"
	       "numbers, numbers glued to - / . : or letters, names (三项制度, 十三五, “6.26”),\n"
	       "numbers inside 《》, norms (不少于40学时, 每…), and Chinese numerals below ten.\n"
	       "A figure no rule claims is kept with code \"other\".\n"
	       "\n"
	       "Input: documents (a `Key: value` header, an empty line, the body; or plain\n"
	       "text without a header: doc is then the file name without extensions), or\n"
	       "the sections TSV of secsplit (header doc region year seq ...). gzip is read\n"
	       "transparently; \"-\" or no FILE reads stdin.\n"
	       "\n"
	       "Rules: data/indtag-rules.tsv, TSV columns code unit scope pattern context:\n"
	       "unit is * or - (no unit) or a list like 件,起; scope is how far the pcre2\n"
	       "pattern may look: noun (after the unit), near (back to the previous figure\n"
	       "or 、), clause, sentence, or line (the whole line, tried first); context\n"
	       "is an optional second pattern that must match the sentence before the\n"
	       "number or the section heading. The narrowest context is tried first, then\n"
	       "rules in file order; code \"drop\" discards the number. A figure without\n"
	       "a unit (a table cell) may take any rule but noun rules, and the unit its\n"
	       "row names in brackets (| 行政复议案件(件) | 120 |).\n"
	       "\n"
	       "  -r FILE      add the rules of FILE, tried before the shipped ones (repeatable)\n"
	       "  -R           do not load the shipped rules (only -r files)\n"
	       "  --explain    add a column rule: FILE:LINE of the rule that decided the code\n"
	       "               (inherit: taken from the figure before; -: no rule)\n"
	       "  --numbers    only find and parse figures: columns doc value unit qualifier\n"
	       "               kind number start (no attribution, no rules)\n"
	       "  -o DIR       one table per input: DIR/NAME.tsv, written atomically\n"
	       "  -h, --help   this help;  --version  the version\n"
	       "\n"
	       "Exit status: 0 ok, 1 some input could not be read, 2 bad usage or rules.\n"
	       "\n"
	       "Example:\n"
	       "  deboiler raw/*.html | secsplit | indtag > figures.tsv\n"
	       "  indtag samples/*.txt | awk -F'\\t' '$6 == \"review.received\"'\n"
	       "  indtag --explain -r my-rules.tsv report.txt\n");
}

static void
put_header(Out *o, const Opts *opt)
{
	if (opt->numbers) {
		out_puts(o, "doc\tvalue\tunit\tqualifier\tkind\tnumber\tstart\n");
		return;
	}
	out_puts(o, "doc\tregion\tyear\tpart\tpath\tcode\tlabel\tvalue\tunit\tqualifier\tkind\t"
		 "number\ttext\tstart\tnoun");
	if (opt->explain)
		out_puts(o, "\trule");
	out_putc(o, '\n');
}

/* Rows are built in e->row and written at once: a row per figure adds up,
 * and the pieces are small. */

/* Bytes a field takes at most: escaped, or "-" for NULL and "". */
static size_t
field_room(const char *s)
{
	return s ? 2 * strlen(s) + 1 : 1;
}

static char *
put_field(char *p, const char *s, size_t n)
{
	if (s == NULL || n == 0) {
		*p = '-';
		return p + 1;
	}
	return p + tsv_escape_to(p, s, n);
}

static char *
put_cstr(char *p, const char *s)	/* unescaped: code, unit, kind, rule (short) */
{
	while (*s)
		*p++ = *s++;
	return p;
}

/* e->doc and its field as written (escaped, "-" for none) */
static void
set_doc(Emit *e, const char *doc)
{
	e->doc = doc;
	buf_clear(&e->docf);
	buf_grow(&e->docf, field_room(doc));
	e->docf.len = (size_t)(put_field(e->docf.s, doc, doc ? strlen(doc) : 0) - e->docf.s);
}

static void
emit_row(const Figure *f, const char *text, void *arg)
{
	Emit *e = arg;
	size_t room;
	char *p;

	if (e->opt->numbers) {
		/* the bare scan: no attribution, no clause */
		room = e->docf.len + 2 * f->len + DEC_STR_MAX + 64;
		buf_grow(&e->row, room);
		p = e->row.s;
		memcpy(p, e->docf.s, e->docf.len);
		p += e->docf.len;
		*p++ = '\t';
		p += dec_to_str(f->value, p);
		*p++ = '\t';
		p = put_cstr(p, f->unit);
		*p++ = '\t';
		*p++ = (char)f->qual;
		*p++ = '\t';
		p = put_cstr(p, f->kind);
		*p++ = '\t';
		/* the number as written: digits, , . and numerals, nothing
		 * to escape */
		memcpy(p, text + f->off, f->len);
		p += f->len;
		*p++ = '\t';
		p = put_udec(p, e->base + f->chars);
		*p++ = '\n';
		out_write(e->o, e->row.s, (size_t)(p - e->row.s));
		e->n++;
		return;
	}
	room = e->docf.len + field_room(e->region) + field_room(e->year) +
	       field_room(e->part) + field_room(e->path) + strlen(f->code) + field_room(f->label) +
	       2 * (f->len + f->clause_len + f->noun_len) + strlen(f->rule) + DEC_STR_MAX + 96;
	buf_grow(&e->row, room);
	p = e->row.s;
	memcpy(p, e->docf.s, e->docf.len);
	p += e->docf.len;
	*p++ = '\t';
	p = put_field(p, e->region, e->region ? strlen(e->region) : 0);
	*p++ = '\t';
	p = put_field(p, e->year, e->year ? strlen(e->year) : 0);
	*p++ = '\t';
	p = put_field(p, e->part, e->part ? strlen(e->part) : 0);
	*p++ = '\t';
	p = put_field(p, e->path, e->path ? strlen(e->path) : 0);
	*p++ = '\t';
	p = put_cstr(p, f->code);
	*p++ = '\t';
	p = put_field(p, f->label, f->label ? strlen(f->label) : 0);
	*p++ = '\t';
	p += dec_to_str(f->value, p);
	*p++ = '\t';
	p = put_cstr(p, f->unit);
	*p++ = '\t';
	*p++ = (char)f->qual;
	*p++ = '\t';
	p = put_cstr(p, f->kind);
	*p++ = '\t';
	p += tsv_escape_to(p, text + f->off, f->len);
	*p++ = '\t';
	p = put_field(p, text + f->clause_off, f->clause_len);
	*p++ = '\t';
	p = put_udec(p, e->base + f->chars);
	*p++ = '\t';
	p = put_field(p, text + f->noun_off, f->noun_len);
	if (e->opt->explain) {
		*p++ = '\t';
		p = put_cstr(p, f->rule);
	}
	*p++ = '\n';
	out_write(e->o, e->row.s, (size_t)(p - e->row.s));
	e->n++;
}

/* Valid UTF-8 without NUL? The common 3-byte CJK case inline, the rest by
 * utf8_decode. */
static int
fast_valid(const unsigned char *s, size_t n)
{
	size_t i = 0;
	uint32_t cp;

	while (i < n) {
		unsigned c = s[i];

		if (c < 0x80) {
			if (c == 0)
				return 0;
			i++;
		} else if (((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) && i + 2 < n &&
			   (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80) {
			i += 3;
		} else {
			int l = utf8_decode(s + i, n - i, &cp);

			if (l < 0)
				return 0;
			i += (size_t)l;
		}
	}
	return 1;
}

/* Replace invalid UTF-8 bytes and NULs by U+FFFD (one character each, so
 * character offsets do not move). Returns how many were replaced. */
static size_t
repair_utf8(Buf *b)
{
	size_t i = 0, bad = 0;
	Buf out = BUF_INIT;
	uint32_t cp;

	if (fast_valid((const unsigned char *)b->s, b->len))
		return 0;
	while (i < b->len) {
		int l = utf8_decode((const unsigned char *)b->s + i, b->len - i, &cp);

		if (l < 0 || cp == 0) {
			buf_adds(&out, "\xEF\xBF\xBD");
			bad++;
			i++;
		} else {
			buf_add(&out, b->s + i, (size_t)l);
			i += (size_t)l;
		}
	}
	buf_free(b);
	*b = out;
	return bad;
}

/* Doc id from a path: base name without .gz and its last extension; "-" for stdin. */
static char *
doc_from_path(const char *path)
{
	const char *base;
	char *d, *dot;
	size_t n;

	if (path == NULL || strcmp(path, "-") == 0)
		return xstrdup("-");
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	d = xstrdup(base);
	/* without .gz and the last extension only: "report.v2.tsv" is report.v2 */
	n = strlen(d);
	if (n > 3 && strcmp(d + n - 3, ".gz") == 0)
		d[n - 3] = '\0';
	dot = strrchr(d, '.');
	if (dot && dot != d)
		*dot = '\0';
	return d;
}

/* "Key: value" with a key of the document contract? Sets *vs to the value. */
static int
header_line(const char *s, size_t n, const char **key, size_t *klen, const char **vs, size_t *vl)
{
	const char *colon = memchr(s, ':', n);
	int i;

	if (colon == NULL || colon + 1 >= s + n || colon[1] != ' ')
		return 0;
	for (i = 0; header_keys[i]; i++) {
		size_t k = strlen(header_keys[i]);

		if ((size_t)(colon - s) == k && memcmp(s, header_keys[i], k) == 0) {
			*key = s;
			*klen = k;
			*vs = colon + 2;
			*vl = (size_t)(s + n - (colon + 2));
			return 1;
		}
	}
	return 0;
}

static void
tag_document(Tagger *t, const char *path, Buf *b, Emit *e)
{
	size_t pos = 0, body = 0;
	char *doc = NULL, *region = NULL, *year = NULL, *fallback;
	int has_header = 0;

	/* header: Key: value lines, then one empty line */
	for (;;) {
		const char *nl = memchr(b->s + pos, '\n', b->len - pos);
		size_t end = nl ? (size_t)(nl - b->s) : b->len, ll = end - pos;
		const char *k, *v;
		size_t kl, vl;

		if (ll > 0 && b->s[end - 1] == '\r')
			ll--;
		if (ll == 0 && pos > 0) {
			has_header = 1;
			body = nl ? end + 1 : b->len;
			break;
		}
		if (!header_line(b->s + pos, ll, &k, &kl, &v, &vl))
			break;
		if (kl == 3 && memcmp(k, "Doc", 3) == 0 && !doc)
			doc = xstrndup(v, vl);
		else if (kl == 6 && memcmp(k, "Region", 6) == 0 && !region)
			region = xstrndup(v, vl);
		else if (kl == 4 && memcmp(k, "Year", 4) == 0 && !year)
			year = xstrndup(v, vl);
		if (!nl)
			break;
		pos = end + 1;
	}
	if (!has_header) {
		free(doc);
		free(region);
		free(year);
		doc = region = year = NULL;
		body = 0;
	}
	fallback = doc_from_path(path);
	set_doc(e, doc ? doc : fallback);
	e->region = region;
	e->year = year;
	e->part = e->path = NULL;
	e->base = 0;
	indtag_text(t, b->s + body, b->len - body, NULL, 0, emit_row, e);
	free(doc);
	free(region);
	free(year);
	free(fallback);
}

/* The sections TSV of secsplit: tag each row's text. Returns 0, or -1 when
 * some row was malformed (reported; the other rows are still tagged). */
static int
tag_sections(Tagger *t, const char *path, Buf *b, Emit *e)
{
	static const char *const need[] = {"doc", "region", "year", "part", "path", "heading",
					    "start", "text", NULL};
	Fields f = FIELDS_INIT;
	long col[8];
	size_t pos = 0, i, lineno = 0, need_n;
	int status = 0, header = 1;

	while (pos < b->len) {
		char *line = b->s + pos;
		char *nl = memchr(line, '\n', b->len - pos);
		size_t ll = nl ? (size_t)(nl - line) : b->len - pos;

		pos += ll + (nl != NULL);
		lineno++;
		if (ll > 0 && line[ll - 1] == '\r')
			ll--;
		if (ll == 0)
			continue;
		line[ll] = '\0';
		tsv_split(line, ll, &f);
		if (header) {
			for (i = 0; need[i]; i++) {
				col[i] = tsv_find_column(&f, need[i]);
				if (col[i] < 0) {
					warnat(path, lineno, "sections table has no column '%s'", need[i]);
					fields_free(&f);
					return -1;
				}
			}
			header = 0;
			continue;
		}
		need_n = 0;
		for (i = 0; need[i]; i++)
			if ((size_t)col[i] + 1 > need_n)
				need_n = (size_t)col[i] + 1;
		if (f.n < need_n) {
			warnat(path, lineno, "%zu fields, expected at least %zu: row skipped", f.n, need_n);
			status = -1;
			continue;
		}
		{
			long tl, hl;
			char *end;
			Field *tx = &f.f[col[7]], *hd = &f.f[col[5]], *st = &f.f[col[6]];
			unsigned long long start;

			for (i = 0; i < 5; i++)
				f.f[col[i]].s[f.f[col[i]].len] = '\0';
			st->s[st->len] = '\0';
			start = strtoull(st->s, &end, 10);
			tl = tsv_unescape(tx->s, tx->len);
			hl = tsv_unescape(hd->s, hd->len);
			if (st->len == 0 || *end != '\0' || tl < 0 || hl < 0) {
				warnat(path, lineno, "bad start offset or escape: row skipped");
				status = -1;
				continue;
			}
			for (i = 0; i < 5; i++) {
				long l = tsv_unescape(f.f[col[i]].s, f.f[col[i]].len);

				f.f[col[i]].s[l < 0 ? 0 : l] = '\0';
			}
			set_doc(e, f.f[col[0]].s);
			e->region = f.f[col[1]].s;
			e->year = f.f[col[2]].s;
			e->part = f.f[col[3]].s;
			e->path = f.f[col[4]].s;
			e->base = (size_t)start;
			indtag_text(t, tx->s, (size_t)tl, hd->s, (size_t)hl, emit_row, e);
		}
	}
	if (header) {
		warnat(path, 0, "empty sections table");
		status = -1;
	}
	fields_free(&f);
	return status;
}

static int
process(Tagger *t, const char *path, Out *o, const Opts *opt)
{
	Buf b = BUF_INIT;
	Emit e;
	size_t bad, probe;
	int status = 0;
	char *opath = NULL;

	if (read_whole_file(path, &b) != 0) {
		buf_free(&b);
		return -1;
	}
	if (b.s == NULL) {	/* an empty file: make b.s a valid "" */
		buf_addc(&b, 'x');
		buf_clear(&b);
		b.s[0] = '\0';
	}
	probe = b.len < 4096 ? b.len : 4096;
	if (probe > 0 && memchr(b.s, '\0', probe)) {
		if (b.len >= 2 && (((unsigned char)b.s[0] == 0xFF && (unsigned char)b.s[1] == 0xFE) ||
				   ((unsigned char)b.s[0] == 0xFE && (unsigned char)b.s[1] == 0xFF)))
			warnat(display_name(path), 0, "UTF-16 text, not UTF-8 (convert it with encfix): skipped");
		else
			warnat(display_name(path), 0, "binary data (NUL bytes), not text: skipped");
		buf_free(&b);
		return -1;
	}
	/* --numbers prints no input text: the scan itself tells valid UTF-8
	 * from invalid (offsets count an invalid byte as one character) */
	bad = opt->numbers ? 0 : repair_utf8(&b);
	if (bad)
		warnat(display_name(path), 0, "%zu invalid UTF-8 or NUL bytes read as U+FFFD%s", bad,
		       bad > b.len / 20 ? " (not UTF-8? convert it with encfix)" : "");
	if (opt->outdir) {
		opath = out_path_for(opt->outdir, path, ".tsv");
		o = out_create_atomic(opath);
		if (o == NULL) {
			free(opath);
			buf_free(&b);
			return -1;
		}
		put_header(o, opt);
	}
	memset(&e, 0, sizeof e);
	e.o = o;
	e.opt = opt;
	if (b.len >= 19 && memcmp(b.s, "doc\tregion\tyear\tseq", 19) == 0)
		status = tag_sections(t, display_name(path), &b, &e);
	else
		tag_document(t, path, &b, &e);
	if ((probe = indtag_overlong()) > 0)
		warnat(display_name(path), 0, "%zu numbers of more than 38 digits skipped", probe);
	if ((probe = indtag_limit_hits()) > 0)
		warnat(display_name(path), 0, "%zu rule matches stopped by the pcre2 match limit and"
		       " taken as no match (a rule with nested repeats?)", probe);
	if (opt->outdir) {
		if (out_commit(o) != 0)
			status = -1;
	}
	free(opath);
	buf_free(&e.row);
	buf_free(&e.docf);
	buf_free(&b);
	return status;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{"explain", no_argument, NULL, 'x'},
		{"numbers", no_argument, NULL, 'n'},
		{"rules", required_argument, NULL, 'r'},
		{"no-default-rules", no_argument, NULL, 'R'},
		{"output-dir", required_argument, NULL, 'o'},
		{NULL, 0, NULL, 0}
	};
	Opts opt;
	Tagger *t;
	char *p;
	int c, status = EXIT_OK, i;
	size_t k;

	tool_init(argv[0]);
	out_init();
	memset(&opt, 0, sizeof opt);
	opt.rules = xcalloc((size_t)argc, sizeof *opt.rules);
	opterr = 0;	/* one message, ours */
	while ((c = getopt_long(argc, argv, ":hr:Ro:", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			free(opt.rules);
			usage();
			return out_finish(EXIT_OK);	/* flushes stdio too */
		case 'V':
			free(opt.rules);
			print_version();
			return out_finish(EXIT_OK);	/* flushes stdio too */
		case 'x':
			opt.explain = 1;
			break;
		case 'n':
			opt.numbers = 1;
			break;
		case 'r':
			opt.rules[opt.nrules++] = optarg;
			break;
		case 'R':
			opt.no_default = 1;
			break;
		case 'o':
			opt.outdir = optarg;
			break;
		case ':':
			usage_error("option %s needs a value", argv[optind - 1]);
		default:
			if (optopt)
				usage_error("unknown option -%c", optopt);
			usage_error("unknown option %s", argv[optind - 1]);
		}
	}
	t = tagger_new();
	/* --numbers uses no rules: skip loading (and JIT-compiling) them */
	p = opt.numbers ? NULL : data_path("indicators.tsv");
	if (p && tagger_load_taxonomy(t, p) != 0)
		status = EXIT_USAGE;
	free(p);
	for (k = 0; k < opt.nrules && status == EXIT_OK && !opt.numbers; k++)
		if (tagger_load_rules(t, opt.rules[k]) != 0)
			status = EXIT_USAGE;
	if (!opt.no_default && !opt.numbers && status == EXIT_OK) {
		p = data_path("indtag-rules.tsv");
		if (tagger_load_rules(t, p) != 0)
			status = EXIT_USAGE;
		free(p);
	}
	if (status != EXIT_OK) {
		tagger_free(t);
		free(opt.rules);
		return out_finish(status);
	}
	tagger_set_numbers_only(t, opt.numbers);
	tagger_trust_utf8(t, !opt.numbers);	/* process() repairs the input first */
	if (!opt.outdir)
		put_header(out_stdout, &opt);
	if (optind == argc) {
		if (process(t, "-", out_stdout, &opt) != 0)
			status = EXIT_DATA;
	}
	for (i = optind; i < argc; i++)
		if (process(t, argv[i], out_stdout, &opt) != 0)
			status = EXIT_DATA;
	tagger_free(t);
	free(opt.rules);
	return out_finish(status);
}
