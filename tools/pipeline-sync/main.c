/* pipeline-sync: the first step of the main job (scripts/pipeline.mk): map
 * the raw files under IN to documents with safe ids, and tell Make which of
 * them are new or changed.
 *
 * Each raw file gets a document id and a symbolic link OUT/.raw/ID.raw to
 * it; the link is made anew only when the file's signature (size, mtime,
 * path) changed, so its time is now and Make (--check-symlink-times) sees
 * the document newer than its batch's stamp. The signatures live in one
 * table, OUT/.state/sigs.tsv: a rerun over 20,000 files is one stat each
 * and no file per document. The rest of the state is described in usage().
 *
 * This was a Python script; it is C because it runs on every run, and a
 * rerun after a small change is mostly fixed costs (a Python start and
 * 20,000 os.stat calls took 0.7 s, this takes a tenth of that).
 *
 * This file is the command line; the parts are listed in sync.h. */
#include "sync.h"

#include "buf.h"
#include "cli.h"
#include "err.h"
#include "output.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void usage(void);

static void
usage(void)
{
	printf(
"Usage: %s [OPTION]... IN OUT NBATCHES\n"
"Map the raw files under the folder IN to the documents of the main job in\n"
"OUT, and tell Make which are new or changed (the first step of `make run`,\n"
"scripts/pipeline.mk; not much use on its own).\n"
"\n"
"Every regular file under IN (nested folders; names starting with a dot, and\n"
"OUT when it lies inside IN, are left out; links to files are followed,\n"
"links to folders are not) is a document. Its id is its path below IN\n"
"without .gz and a known extension (.txt .html .htm .shtml .xml .raw .text),\n"
"folders joined with __; when that has other characters than ASCII letters,\n"
"digits, _ . - and the letters and digits of other scripts (Chinese ...),\n"
"starts with . or -, or is longer than %d bytes, those characters become _,\n"
"it is cut to %d characters and gets -XXXXXXXX, a CRC-32 of the path (and\n"
"so do two paths that would get the same id): `sub dir/报告 $x.txt` is\n"
"sub_dir__报告__x-1a2b3c4d. The path stays in the tables (docs.tsv source).\n"
"\n"
"Written under OUT:\n"
"  .raw/ID.raw            a symbolic link to the raw file, made anew (time:\n"
"                         now) when the file is new or its size, mtime or\n"
"                         path changed\n"
"  .state/sigs.tsv        the signatures: id, size, mtime (ns), path, path\n"
"                         below IN (COPY-escaped)\n"
"  .state/batch-K.list    the documents of batch K (crc32(id) %% NBATCHES):\n"
"                         id and path below IN\n"
"  .state/batches.mk      for Make: BATCH_K, the documents of batch K whose\n"
"                         link may be newer than the batch's stamp\n"
"  .state/removed.txt     documents whose raw file disappeared (appended;\n"
"                         their outputs are removed)\n"
"  .state/docs.list       every document id\n"
"  .state/nbatches        NBATCHES, which later runs use by default\n"
"A file is rewritten only when its contents change. When OUT/.state/running\n"
"is there (a run that did not end), temporary files of the stages are\n"
"removed; otherwise it is created (the job removes it when it ends).\n"
"\n"
"Options:\n"
"  -q, --quiet     no [sync] line on standard error\n"
"  -h, --help      show this help;  --version  show the version\n"
"\n"
"Exit status: 0 ok, 1 IN could not be read or OUT written (nothing is\n"
"removed then), 2 bad usage.\n"
"\n"
"Example:\n"
"  %s raw/ out/ 16 && make -f scripts/pipeline-stages.mk OUT=out ...\n",
	       progname, ID_MAX_PLAIN, ID_MAX_HASHED, progname);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}
	};
	Opts opt = {NULL, NULL, 0, 0};
	Run r;
	Buf b = BUF_INIT;
	char *inabs, *end;
	struct stat outst, st;
	size_t i;
	unsigned long nb;
	int c, status = EXIT_OK;

	tool_init(argv[0]);
	out_init();
	while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'q': opt.quiet = 1; break;
		case 'h': usage(); return out_finish(EXIT_OK);
		case 'V': print_version(); return out_finish(EXIT_OK);
		default:
			fprintf(stderr, "Try '%s --help' for more information.\n", progname);
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 3)
		usage_error("expected IN OUT NBATCHES, got %d operand%s", argc - optind, argc - optind == 1 ? "" : "s");
	opt.in = argv[optind];
	opt.out = argv[optind + 1];
	errno = 0;
	nb = strtoul(argv[optind + 2], &end, 10);
	if (!*argv[optind + 2] || *end || errno || nb < 1 || nb > 4096)
		usage_error("NBATCHES: %s: not a number from 1 to 4096", argv[optind + 2]);
	opt.nbatches = (unsigned)nb;
	if (stat(opt.in, &st) != 0 || !S_ISDIR(st.st_mode))
		usage_error("%s: not a folder", opt.in);

	/* OUT and its folders. (Fatal errors from here on end the process
	 * with exit(): the message is out.) */
	memset(&r, 0, sizeof r);
	r.opt = &opt;
	r.state = pathcat(opt.out, "/.state", NULL);
	r.rawdir = pathcat(opt.out, "/.raw", NULL);
	if (mkdirs(r.state) < 0 || mkdirs(r.rawdir) < 0)
		exit(EXIT_DATA);
	for (i = 0; i < NSTAGES; i++) {
		buf_clear(&b);
		buf_addf(&b, "%s/%s", opt.out, stage_dirs[i]);
		if (mkdirs(b.s) < 0)
			exit(EXIT_DATA);
	}
	if (stat(opt.out, &outst) != 0)
		die(EXIT_DATA, "%s: %s", opt.out, strerror(errno));

	/* The raw files, before anything is changed: a folder that cannot be
	 * read stops the run (its documents would look removed). */
	inabs = abspath(opt.in);
	if (walk(strcmp(inabs, "/") ? inabs : "", "", outst.st_dev, outst.st_ino, &r.docs) < 0)
		die(EXIT_DATA, "%s: could not be read whole: nothing done", opt.in);
	if (reset_layout(opt.out, r.state) < 0)
		exit(EXIT_DATA);
	assign_ids(&r.docs);

	/* The signatures of the last run; the links; the documents gone; the
	 * signatures of this one. */
	buf_clear(&b);
	buf_addf(&b, "%s/sigs.tsv", r.state);
	if (slurp(b.s, &r.sigbuf) < 0 && errno != ENOENT)
		die(EXIT_DATA, "%s: %s", b.s, strerror(errno));
	load_lines(&r.oldsig, &r.sigbuf, 1);
	update_links(&r);
	drop_gone(&r);
	buf_clear(&b);
	for (i = 0; i < r.docs.n; i++) {
		buf_adds(&b, r.docs.d[i].id);
		buf_addc(&b, '\t');
		buf_adds(&b, r.docs.d[i].sig);
		buf_addc(&b, '\n');
	}
	if (write_state(&r, "sigs.tsv", &b) < 0)
		exit(EXIT_DATA);

	remove_leftovers(&r);
	if (write_batches(&r) < 0)
		status = EXIT_DATA;
	if (!opt.quiet && status == EXIT_OK)
		fprintf(stderr, "[sync] %zu documents under %s: %zu new or changed, %zu removed\n",
			r.docs.n, opt.in, r.nfresh, r.nremoved);

	for (i = 0; i < r.docs.n; i++) {
		free(r.docs.d[i].id);
		free(r.docs.d[i].rel);
		free(r.docs.d[i].full);
		free(r.docs.d[i].sig);
	}
	free(r.docs.d);
	strset_free(&r.oldsig);
	buf_free(&r.sigbuf);
	buf_free(&b);
	free(inabs);
	free(r.state);
	free(r.rawdir);
	return out_finish(status);
}
