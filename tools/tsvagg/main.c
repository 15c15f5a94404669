/* tsvagg: group-by, statistics and pivots over TSV with a header row.
 * Option parsing and file handling; the work is in the other files (see agg.h). */
#include "tsvagg.h"
#include "cli.h"
#include "err.h"
#include "output.h"
#include "doc.h"
#include "run.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
usage(void)
{
	printf(
"usage: %s [OPTION]... OP[:COLUMNS]... [FILE]...\n"
"       %s --merge [OPTION]... PARTIAL-FILE...\n"
"Aggregate TSV with a header row: group rows by the values of some columns\n"
"and compute statistics per group, in one pass over unsorted input (a hash\n"
"table: memory grows with the number of groups, not the rows). With no FILE,\n"
"or when FILE is -, read standard input; gzip input is read transparently.\n"
"Several files are read as one table: their header rows must be equal.\n"
"\n"
"Operations (OP:COLUMNS, columns by header name or 1-based number, several\n"
"columns as a,b or 2-4; the output column is COLUMN_OP, e.g. value_sum):\n"
"  count            rows in the group (output column 'count')\n"
"  count:C          values in C (non-missing ones with --skip-empty)\n"
"  missing notmissing   missing / non-missing values in C (see -e)\n"
"  sum mean min max range      exact decimal sums (0.1+0.2 is 0.3); mean\n"
"                   printed with 15 significant digits\n"
"  median q1 q3 iqr percP      quantiles as R type 7 / datamash, exact for\n"
"                   decimals; percP: the P-th percentile (perc: 95th)\n"
"  mad madraw       median absolute deviation, scaled by 1.4826 / raw\n"
"  trimmeanT        mean without the fraction T (0-0.5) of values at each\n"
"                   end (trimmean: T = 0, as datamash; 0.5: the median)\n"
"  geomean harmmean geometric / harmonic mean\n"
"  stdev var        sample (n-1; also sstdev svar); pstdev pvar: population\n"
"  sskew skurt      sample skewness / excess kurtosis; pskew pkurt: population\n"
"  first last rand  first / last / a random value\n"
"  nunique          number of distinct values (also countunique); unique:\n"
"                   the distinct values, sorted by bytes, joined by ','\n"
"  collapse         every value in input order, joined by ','\n"
"  mode antimode    the most / least frequent value; numbers compare as\n"
"                   numbers (1e2 = 100) when all are; a tie: the smallest\n"
"\n"
"Options:\n"
"  -g, --group=COLS     group by these columns (none: one row for all input)\n"
"  -p, --pivot=COL      the values of COL become columns (rows: the -g groups;\n"
"                       with several operations, columns VALUE_COLUMN_OP)\n"
"      --fill=TEXT      pivot cells that have no rows (default '-')\n"
"  -s, --sort           groups (and pivot columns) sorted by their bytes;\n"
"                       default: in the order first seen\n"
"  -e, --skip-empty     leave missing values (empty, '-', nan, NA, N/A, null)\n"
"                       out of every operation but count; without it a missing\n"
"                       value in a numeric operation is an error\n"
"  -i, --ignore-bad     skip non-numeric values in numeric operations and\n"
"                       count them on stderr, instead of an error\n"
"      --narm, --exclude-missing   the same as --skip-empty (datamash's and\n"
"                       tsv-summarize's names)\n"
"      --missing-value=TEXT  TEXT is a missing value too\n"
"  -H, --header, --header-in  the input has a header row (the default; a\n"
"                       header that looks like data gets a warning)\n"
"  -N, --no-header      no header row: columns by number, named 1, 2, ...\n"
"      --csv            CSV input (RFC 4180: quoted fields may hold commas,\n"
"                       quotes as \"\" and line breaks); output stays TSV\n"
"  -t, -d, --delimiter=CHAR  fields separated by CHAR (no quoting; with --csv:\n"
"                       CSV with CHAR); output stays TSV\n"
"      --partial        write mergeable state (one '@OP:COLUMN' column per\n"
"                       operation) instead of results\n"
"      --merge          read --partial outputs and write the final result;\n"
"                       groups and operations come from their header; with\n"
"                       --partial, combine them into one partial file\n"
"  -o, --output-dir=DIR one output DIR/ID.tsv per input (each aggregated\n"
"                       on its own; ID the file's name without .gz and\n"
"                       extension), DIR made when missing, written\n"
"                       atomically; two inputs with one name give ID, ID-2\n"
"  -q, --quiet          no warnings about a header row that looks like data\n"
"                       or CSV, nor the count of --ignore-bad values\n"
"  -h, --help           show this help;  --version  show the version\n"
"\n"
"Numbers are decimal text ('12', '-0.5', '1.5e3'; no blanks, no thousands\n"
"separators): sums, min, max and quantiles are exact for up to 38\n"
"significant digits and 30 decimals; a longer number is read as a double,\n"
"and results involving it are printed with 15 significant digits. Results\n"
"over no values print '-' (sum prints 0). A row with an error (wrong number\n"
"of fields, a bad number) is reported as FILE:LINE and left out of every\n"
"result; the exit status is then 1. A trailing CR (CRLF line ends) is\n"
"dropped. Fields are compared and printed as the bytes read.\n"
"An input that fails midway (truncated gzip) is reported; its rows read\n"
"before the failure stay in the result, and the exit status is 1.\n"
"\n"
"Partial state is exact: merge(partial(A), partial(B)) equals the result over\n"
"A and B. Quantiles, mad, trimmean, the skews, kurtoses and log means,\n"
"collapse and rand keep every value, unique/nunique/mode every distinct\n"
"value with its count (memory grows with those).\n"
"A leading operand that looks like a mistyped operation (sums:x, medain)\n"
"is a usage error naming the nearest operation, not a file name.\n"
"\n"
"Exit status: 0 ok, 1 bad data in some input, 2 bad usage.\n"
"\n"
"Examples:\n"
"  %s -g region,year,code count max:value nunique:doc indicators.tsv\n"
"  %s -g region --pivot year --fill 0 --sort sum:value facts.tsv.gz\n"
"  ls parts/*.tsv | parallel %s --partial -g region sum:value {} '>' {}.part\n"
"  %s --merge parts/*.part > summary.tsv\n",
	       progname, progname, progname, progname, progname, progname);
}

enum { OPT_VERSION = 256, OPT_FILL, OPT_PARTIAL, OPT_MERGE, OPT_MISSING, OPT_CSV };

static const struct option longopts[] = {
	{"group", required_argument, NULL, 'g'},
	{"pivot", required_argument, NULL, 'p'},
	{"fill", required_argument, NULL, OPT_FILL},
	{"sort", no_argument, NULL, 's'},
	{"skip-empty", no_argument, NULL, 'e'},
	{"ignore-bad", no_argument, NULL, 'i'},
	{"narm", no_argument, NULL, 'e'},
	{"exclude-missing", no_argument, NULL, 'e'},
	{"missing-value", required_argument, NULL, OPT_MISSING},
	{"header", no_argument, NULL, 'H'},
	{"header-in", no_argument, NULL, 'H'},
	{"csv", no_argument, NULL, OPT_CSV},
	{"delimiter", required_argument, NULL, 't'},
	{"no-header", no_argument, NULL, 'N'},
	{"partial", no_argument, NULL, OPT_PARTIAL},
	{"merge", no_argument, NULL, OPT_MERGE},
	{"output-dir", required_argument, NULL, 'o'},
	{"quiet", no_argument, NULL, 'q'},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, OPT_VERSION},
	{NULL, 0, NULL, 0}
};

static Agg *
make_agg(const AggOpts *o)
{
	Buf err = BUF_INIT;
	Agg *a = agg_new(o, &err);

	if (a == NULL)
		usage_error("%s", err.s);
	buf_free(&err);
	return a;
}

/* -o DIR: one table per input file, DIR/ID.tsv (common/run: DIR made when
 * missing, written atomically; ids from paths made distinct as in every
 * tool: a/x.tsv b/x.tsv give x.tsv and x-2.tsv). */
static int
per_file(const AggOpts *o, const char *outdir, const char **files, size_t nfiles)
{
	RunOpts ro;
	Run *run;
	DocIds *ids;
	size_t i;
	int status = EXIT_OK;

	memset(&ro, 0, sizeof ro);
	ro.kind = RUN_TABLE;	/* agg_emit writes its own header row */
	ro.outdir = outdir;
	ro.ext = ".tsv";
	if ((run = run_begin(&ro)) == NULL)
		return EXIT_DATA;	/* reported */
	ids = doc_ids_new();
	for (i = 0; i < nfiles; i++) {
		Agg *a = make_agg(o);
		int r = agg_feed_file(a, files[i]);
		char *own = doc_id_from_path(files[i]);
		Out *out;

		if (r == -2) {
			agg_free(a);
			run_end(run, EXIT_USAGE);
			exit(EXIT_USAGE);
		}
		if (r < 0)
			status = EXIT_DATA;
		out = run_open(run, files[i], doc_ids_unique(ids, own));
		free(own);
		if (out == NULL) {
			status = EXIT_DATA;
		} else {
			agg_emit(a, out);
			if (run_close(run, out) < 0)
				status = EXIT_DATA;
		}
		agg_free(a);
	}
	doc_ids_free(ids);
	return run_end(run, status);
}

int
main(int argc, char **argv)
{
	AggOpts o;
	const char *outdir = NULL;
	const char **files;
	size_t nfiles = 0;
	int c, i, status = EXIT_OK;

	tool_init(argv[0]);
	out_init();
	memset(&o, 0, sizeof o);
	opterr = 0;	/* one message, cli_bad_option's */
	while ((c = getopt_long(argc, argv, ":g:p:seiHNo:t:d:hq", longopts, NULL)) != -1) {
		switch (c) {
		case 'g': o.group = optarg; break;
		case 'p': o.pivot = optarg; break;
		case OPT_FILL: o.fill = optarg; break;
		case 's': o.sort = 1; break;
		case 'e': o.skip_empty = 1; break;
		case 'i': o.ignore_bad = 1; break;
		case 'H': o.no_header = 0; break;
		case 'N': o.no_header = 1; break;
		case OPT_MISSING: o.missing = optarg; break;
		case OPT_CSV: o.csv = 1; break;
		case 't':
		case 'd':
			if (strcmp(optarg, "\\t") == 0 || strcmp(optarg, "tab") == 0)
				o.delim = '\t';
			else if (strlen(optarg) != 1 || *optarg == '\n' || *optarg == '"')
				usage_error("-t: one character expected, not '%s'", optarg);
			else
				o.delim = *optarg;
			break;
		case OPT_PARTIAL: o.partial = 1; break;
		case OPT_MERGE: o.merge = 1; break;
		case 'o': outdir = optarg; break;
		case 'q': o.quiet = 1; break;
		case 'h':
			usage();
			return fflush(stdout) == 0 ? EXIT_OK : EXIT_DATA;
		case OPT_VERSION:
			print_version();
			return fflush(stdout) == 0 ? EXIT_OK : EXIT_DATA;
		default:
			cli_bad_option(c, argv);
		}
	}
	if (o.delim == '\t' && !o.csv)
		o.delim = 0;	/* plain TSV */
	if (o.group && *o.group == '\0')
		usage_error("-g: empty column list");
	/* Leading operands that read as operations are operations; the rest
	 * are files (./count names a file called count). */
	o.ops = (const char *const *)(argv + optind);
	if (!o.merge)
		while (optind < argc && (agg_is_op(argv[optind]) ||
					 (agg_looks_like_op(argv[optind]) && access(argv[optind], F_OK) != 0))) {
			optind++;
			o.nops++;
		}
	files = xcalloc((size_t)(argc - optind) + 2, sizeof *files);
	for (i = optind; i < argc; i++)
		files[nfiles++] = argv[i];
	if (nfiles == 0)
		files[nfiles++] = "-";
	if (outdir == NULL) {
		Agg *a = make_agg(&o);

		for (i = 0; i < (int)nfiles; i++) {
			int r = agg_feed_file(a, files[i]);

			if (r == -2) {
				agg_free(a);
				free(files);
				return out_finish(EXIT_USAGE);
			}
			if (r < 0)
				status = EXIT_DATA;
		}
		agg_emit(a, out_stdout);
		agg_free(a);
	} else {
		status = per_file(&o, outdir, files, nfiles);
	}
	free(files);
	return out_finish(status);
}
