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
#include <limits.h>
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
"usage: %s [OPTION]... IN OUT NBATCHES\n"
"Map the raw files under the folder IN to the documents of the main job in\n"
"OUT, and tell Make which are new or changed (the first step of `make run`,\n"
"scripts/pipeline.mk; not much use on its own).\n"
"\n"
"Every regular file under IN (nested folders; names starting with a dot, and\n"
"OUT when it lies inside IN, are left out; links to files inside IN are\n"
"followed, links to folders are not) is a document. An entry that cannot be\n"
"read (a folder without permission, a read error: severity retry, its\n"
"documents kept as they were), a symbolic link loop (error) or a link to a\n"
"file outside IN (warning; followed with --follow-outside) is a row of\n"
".state/sync-problems.tsv (problems.tsv's columns, doc -) and the rest goes\n"
"on. Its id is its path below IN without .gz and a known extension\n"
"(common/doc's list: .txt .text .html .htm .shtml .xhtml .jsp .asp .aspx .php\n"
".xml .raw .tsv .pdf .doc .docx .wps, as every tool),\n"
"folders joined with __; when that has other characters than ASCII letters,\n"
"digits, _ . - and the letters and digits of other scripts (Chinese ...),\n"
"starts with . or -, or is longer than %d bytes, those characters become _,\n"
"it is cut to %d characters and gets -XXXXXXXX, a CRC-32 of the path (and\n"
"so do two paths that would get the same id, until every id is unique):\n"
"`sub dir/报告 $x.txt` is\n"
"sub_dir__报告__x-1a2b3c4d. The path stays in the tables (docs.tsv source).\n"
"\n"
"Written under OUT:\n"
"  .raw/ID.raw            a symbolic link to the raw file, made anew (time:\n"
"                         now) when the file is new or its size, mtime,\n"
"                         ctime, inode or path changed, or the link is gone\n"
"                         (a batch removes the link of a document that\n"
"                         failed for an outside reason: it is retried)\n"
"  .state/sigs.tsv        the signatures: id, size, mtime (ns), ctime (ns),\n"
"                         inode, path, path below IN (COPY-escaped)\n"
"  .state/sync-problems.tsv  the entries of IN that are no document (above)\n"
"  .state/batch-K.list    the documents of batch K (crc32(id) %% NBATCHES):\n"
"                         id and path below IN\n"
"  .state/batches.mk      for Make: BATCH_K, the documents of batch K whose\n"
"                         link may be newer than the batch's stamp\n"
"  .state/removed.txt     documents whose raw file disappeared (appended;\n"
"                         their outputs are removed)\n"
"  .state/docs.list       every document id\n"
"  .state/nbatches        NBATCHES, which later runs use by default\n"
"  .state/links-pending.txt  documents whose link may be newer than their\n"
"                         batch's stamp; written before any link changes, so\n"
"                         that a run killed anywhere loses no change\n"
"Batch stamps (.state/*.done) dated in the future (the clock was stepped\n"
"back) are set to a second before now.\n"
"A file is rewritten only when its contents change. When OUT/.state/running\n"
"is there (a run that did not end), temporary files of the stages are\n"
"removed; otherwise it is created (the job removes it when it ends).\n"
"\n"
"Options:\n"
"  -q, --quiet     no [sync] line on standard error\n"
"      --follow-outside  follow symbolic links to files outside IN\n"
"  -h, --help      show this help;  --version  show the version\n"
"\n"
"Exit status: 0 ok, 1 IN could not be read or OUT written (nothing is\n"
"removed then), 2 bad usage.\n"
"\n"
"Test hook: PIPELINE_SYNC_KILL_AT=N in the environment kills the process\n"
"(SIGKILL) at its Nth change to OUT (tests/scripts/pipeline-faults.sh).\n"
"\n"
"Example:\n"
"  %s raw/ out/ 16 && make -f scripts/pipeline-stages.mk OUT=out ...\n",
	       progname, ID_MAX_PLAIN, ID_MAX_HASHED, progname);
}

/* The options and operands into opt. */
static void
parse_args(int argc, char **argv, Opts *opt)
{
	static const struct option longopts[] = {
		{"quiet", no_argument, NULL, 'q'},
		{"follow-outside", no_argument, NULL, 'F'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}
	};
	unsigned long nb;
	char *end;
	struct stat st;
	int c;

	opterr = 0;	/* one message, cli_bad_option's */
	while ((c = getopt_long(argc, argv, ":qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'q': opt->quiet = 1; break;
		case 'F': opt->follow_outside = 1; break;
		case 'h': usage(); exit(out_finish(EXIT_OK));
		case 'V': print_version(); exit(out_finish(EXIT_OK));
		default:
			cli_bad_option(c, argv);
		}
	}
	if (argc - optind != 3)
		usage_error("expected IN OUT NBATCHES, got %d operand%s", argc - optind, argc - optind == 1 ? "" : "s");
	opt->in = argv[optind];
	opt->out = argv[optind + 1];
	errno = 0;
	nb = strtoul(argv[optind + 2], &end, 10);
	if (!*argv[optind + 2] || *end || errno || nb < 1 || nb > 4096)
		usage_error("NBATCHES: %s: not a number from 1 to 4096", argv[optind + 2]);
	opt->nbatches = (unsigned)nb;
	if (stat(opt->in, &st) != 0 || !S_ISDIR(st.st_mode))
		usage_error("%s: not a folder", opt->in);
}

/* OUT's folders, and OUT's identity for the walk (skipped inside IN). */
static void
make_out(Run *r, Scan *sc)
{
	Buf b = BUF_INIT;
	struct stat outst;
	size_t i;

	r->state = pathcat(r->opt->out, "/.state", NULL);
	r->rawdir = pathcat(r->opt->out, "/.raw", NULL);
	if (mkdirs(r->state) < 0 || mkdirs(r->rawdir) < 0)
		exit(EXIT_DATA);
	for (i = 0; i < NSTAGES; i++) {
		buf_clear(&b);
		buf_addf(&b, "%s/%s", r->opt->out, stage_dirs[i]);
		if (mkdirs(b.s) < 0)
			exit(EXIT_DATA);
	}
	if (stat(r->opt->out, &outst) != 0)
		die(EXIT_DATA, "%s: %s", r->opt->out, strerror(errno));
	sc->outdev = outst.st_dev;
	sc->outino = outst.st_ino;
	buf_free(&b);
}

/* state/NAME into ss (lines; with split_tab, a value after the tab), its
 * memory in mem: 1, 0 when there is no such file. */
static int
load_state(const Run *r, const char *name, StrSet *ss, Buf *mem, int split_tab)
{
	char *p = pathcat(r->state, "/", name);

	if (slurp(p, mem) < 0) {
		if (errno != ENOENT)
			die(EXIT_DATA, "%s: %s", p, strerror(errno));
		free(p);
		return 0;
	}
	free(p);
	load_lines(ss, mem, split_tab);
	return 1;
}

/* sigs.tsv and sync-problems.tsv of this run. 0, or -1 (reported). */
static int
write_sigs(const Run *r, const Scan *sc)
{
	Buf b = BUF_INIT;
	size_t i;
	int rc;

	for (i = 0; i < r->docs.n; i++) {
		buf_adds(&b, r->docs.d[i].id);
		buf_addc(&b, '\t');
		buf_adds(&b, r->docs.d[i].sig);
		buf_addc(&b, '\n');
	}
	rc = write_state(r, "sigs.tsv", &b);
	buf_clear(&b);
	buf_adds(&b, "doc\tsource\tstage\tseverity\tmessage\n");
	buf_add(&b, sc->problems.s ? sc->problems.s : "", sc->problems.len);
	if (rc == 0)
		rc = write_state(r, "sync-problems.tsv", &b);
	buf_free(&b);
	return rc;
}

static void
free_run(Run *r, Scan *sc)
{
	size_t i;

	for (i = 0; i < r->docs.n; i++) {
		free(r->docs.d[i].id);
		free(r->docs.d[i].rel);
		free(r->docs.d[i].full);
		free(r->docs.d[i].sig);
	}
	free(r->docs.d);
	strset_free(&r->oldsig);
	strset_free(&r->pending);
	strset_free(&r->links);
	buf_free(&r->sigbuf);
	buf_free(&r->pendbuf);
	buf_free(&r->linkbuf);
	for (i = 0; i < sc->unread.n; i++)
		free(sc->unread.s[i]);
	strset_free(&sc->unread);
	buf_free(&sc->problems);
	free(r->state);
	free(r->rawdir);
}

int
main(int argc, char **argv)
{
	Opts opt;
	Run r;
	Scan sc;
	char *inabs;
	int status = EXIT_OK;

	tool_init(argv[0]);
	out_init();
	memset(&opt, 0, sizeof opt);
	parse_args(argc, argv, &opt);
	memset(&r, 0, sizeof r);
	memset(&sc, 0, sizeof sc);
	r.opt = &opt;
	sc.follow_outside = opt.follow_outside;
	sc.quiet = opt.quiet;
	/* (fatal errors from here on end the process with exit(): the message is out) */
	make_out(&r, &sc);

	/* The raw files, before anything is changed. A folder below IN that
	 * cannot be read keeps its documents as they were; IN itself that
	 * cannot be read stops the run (every document would look removed). */
	inabs = abspath(opt.in);
	if ((sc.inreal = realpath(opt.in, NULL)) == NULL)
		die(EXIT_DATA, "%s: %s", opt.in, strerror(errno));
	if (walk(strcmp(inabs, "/") ? inabs : "", "", &sc, &r.docs) < 0)
		die(EXIT_DATA, "%s: could not be read: nothing done", opt.in);
	if (reset_layout(opt.out, r.state) < 0)
		exit(EXIT_DATA);
	load_state(&r, "sigs.tsv", &r.oldsig, &r.sigbuf, 1);
	keep_unread(&r, &sc);
	assign_ids(&r.docs);

	/* Stamps from the future go back to now; the documents to redo are
	 * noted in links-pending.txt, then get their new links; the documents
	 * gone; the signatures of this run. A run killed anywhere in here
	 * finds the same work to do the next time. */
	fix_future_stamps(&r);
	r.have_pending = load_state(&r, "links-pending.txt", &r.pending, &r.pendbuf, 0);
	mark_fresh(&r);
	if (note_pending(&r) < 0)
		exit(EXIT_DATA);
	update_links(&r);
	drop_gone(&r);
	if (write_sigs(&r, &sc) < 0)
		exit(EXIT_DATA);

	remove_leftovers(&r);
	if (write_batches(&r) < 0)
		status = EXIT_DATA;
	if (!opt.quiet && status == EXIT_OK)
		fprintf(stderr, "[sync] %zu documents under %s: %zu new or changed, %zu removed%s\n",
			r.docs.n, opt.in, r.nfresh, r.nremoved,
			sc.problems.len ? " (some entries skipped: see problems.tsv)" : "");
	free_run(&r, &sc);
	free((char *)sc.inreal);
	free(inabs);
	return out_finish(status);
}
