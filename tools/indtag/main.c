/* indtag: every stated figure of a report, parsed and attributed to an
 * indicator code. Reads documents (or plain text) or the sections TSV of
 * secsplit; writes one TSV row per figure. This file is the command line;
 * readers.c and emit.c its input and output, the core the other files. */
#include "indtag_int.h"
#include "cli.h"
#include "err.h"
#include "output.h"
#include "run.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(void);

static void
usage(void)
{
	printf("usage: indtag [-qR] [-r RULES]... [--explain] [--numbers] [-o DIR] [--report FILE] [FILE]...\n"
	       "\n"
	       "Find every figure a 法治政府建设 report states, parse it exactly and attribute\n"
	       "it to an indicator code; one TSV row per figure:\n"
	       "\n"
	       "  doc region year part path code label value unit qualifier kind number text start noun\n"
	       "\n"
	       "value is an exact decimal in the normalised unit (1.7万 -> 17000, 300余万元 ->\n"
	       "3000000 元, 98.60%% -> 98.6); unit is 件 人 人次 次 场 项 个 名 份 条 部 卷 台 家\n"
	       "期 批 户 所 处 本 种 组 幅 方面 … %% 个百分点 元 or - (场次->场, 起/宗->件, 位->人,\n"
	       "件次->次);\n"
	       "qualifier is = exact, > 余/多/超过/以上/逾, < 近/不足/不到, ~ 约/左右 (< wins over ~,\n"
	       "~ over >); kind is value, from/to (由452人增加至643人, 3至5人) or change\n"
	       "(增长15%%, 下降3个百分点);\n"
	       "number is as written, text the clause holding it, start its character offset\n"
	       "in the body, noun the noun after a measure word (2981个行政处罚事项).\n"
	       "\n"
	       "Not figures: dates and years, ordinals (第五次), document, index and phone\n"
	       "numbers, numbers glued to - / . : or letters, names (三项制度, 十三五, “6.26”),\n"
	       "numbers inside 《》, norms (不少于40学时, 每…), the size of another body's batch\n"
	       "(第一批60家), a list's total (A、B、C等8个领域), a number alone on its line, and\n"
	       "Chinese numerals below ten unless they count (召开了三次, 两个县市司法局).\n"
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
	       "  -o DIR       one table per document, DIR/ID.tsv (ID its Doc: header, else the\n"
	       "               input's name without .gz and extension; a sections TSV: one\n"
	       "               per input, ID from its name); DIR made when missing; written\n"
	       "               atomically; a second document with an id already written is\n"
	       "               refused (exit 1)\n"
	       "  --report FILE  also write FILE (atomically): a row per input, columns file\n"
	       "               documents figures other repaired status message\n"
	       "  -q, --quiet  no warnings about repaired input or skipped numbers (the\n"
	       "               counts stay in the --report row)\n"
	       "  -h, --help   this help;  --version  the version\n"
	       "\n"
	       "Exit status: 0 ok, 1 some input could not be read, 2 bad usage or rules.\n"
	       "\n"
	       "Example:\n"
	       "  deboiler raw/*.html | secsplit | indtag > figures.tsv\n"
	       "  indtag samples/*.txt | awk -F'\\t' '$6 == \"review.received\"'\n"
	       "  indtag --explain -r my-rules.tsv report.txt\n");
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
		{"quiet", no_argument, NULL, 'q'},
		{"report", required_argument, NULL, 'P'},
		{NULL, 0, NULL, 0}
	};
	Opts opt;
	RunOpts ro;
	Run *run;
	Buf header = BUF_INIT;
	Tagger *t;
	char *p;
	int c, status = EXIT_OK, i;
	size_t k;

	tool_init(argv[0]);
	out_init();
	memset(&opt, 0, sizeof opt);
	opt.rules = xcalloc((size_t)argc, sizeof *opt.rules);
	opterr = 0;	/* one message, ours */
	while ((c = getopt_long(argc, argv, ":hr:Ro:q", longopts, NULL)) != -1) {
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
		case 'q':
			opt.quiet = 1;
			break;
		case 'P':
			opt.report = optarg;
			break;
		default:
			cli_bad_option(c, argv);
		}
	}
	t = indtag_new();
	/* --numbers uses no rules: skip loading (and JIT-compiling) them */
	p = opt.numbers ? NULL : data_path("indicators.tsv");
	if (p && indtag_load_taxonomy(t, p) != 0)
		status = EXIT_DATA;	/* a bad shipped table: 1 in every tool */
	free(p);
	for (k = 0; k < opt.nrules && status == EXIT_OK && !opt.numbers; k++)
		if (indtag_load_rules(t, opt.rules[k]) != 0)
			status = EXIT_USAGE;
	if (!opt.no_default && !opt.numbers && status == EXIT_OK) {
		p = data_path("indtag-rules.tsv");
		if (indtag_load_rules(t, p) != 0)
			status = EXIT_DATA;
		free(p);
	}
	if (status != EXIT_OK) {
		indtag_free(t);
		free(opt.rules);
		return out_finish(status);
	}
	indtag_set_numbers_only(t, opt.numbers);
	indtag_trust_utf8(t, !opt.numbers);	/* indtag_process() repairs the input first */
	indtag_format_header(&header, &opt);
	memset(&ro, 0, sizeof ro);
	ro.kind = RUN_TABLE;
	ro.outdir = opt.outdir;
	ro.ext = ".tsv";
	ro.table_header = header.s;
	ro.report = opt.report;
	ro.report_header = INDTAG_REPORT_HEADER;
	if ((run = run_begin(&ro)) == NULL) {
		status = out_finish(EXIT_DATA);	/* reported */
	} else {
		if (optind == argc && indtag_process(t, "-", run, &opt) != 0)
			status = EXIT_DATA;
		for (i = optind; i < argc; i++)
			if (indtag_process(t, argv[i], run, &opt) != 0)
				status = EXIT_DATA;
		status = run_end(run, status);	/* commits the report, flushes stdout */
	}
	buf_free(&header);
	indtag_free(t);
	free(opt.rules);
	return status;
}
