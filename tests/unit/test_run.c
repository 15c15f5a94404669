/* Unit tests of common/run: -o DIR made with its parents, one file per
 * input named by the document id, a second input with the same id refused,
 * the table header in each file, the report written whole. */
#include "unit.h"
#include "err.h"
#include "input.h"
#include "output.h"
#include "run.h"
#include "buf.h"

#include <stdlib.h>
#include <unistd.h>

static int
file_is(const char *path, const char *want)
{
	Buf b = BUF_INIT;
	int ok = read_whole_file(path, &b) == 0 && b.len == strlen(want) &&
		 memcmp(b.s ? b.s : "", want, b.len) == 0;

	buf_free(&b);
	return ok;
}

int
main(void)
{
	char tmpl[] = "/tmp/test_run.XXXXXX", outdir[256], path[512], rep[256];
	const char *dir = mkdtemp(tmpl);
	RunOpts o = {RUN_TABLE, NULL, ".tsv", "doc\tv\n", NULL, "file\tstatus\n"};
	Run *r;
	char *p;

	setprogname("test_run");
	out_init();
	if (!dir)
		return 1;
	snprintf(outdir, sizeof outdir, "%s/a/b", dir);
	snprintf(rep, sizeof rep, "%s/report.tsv", dir);
	o.outdir = outdir;
	o.report = rep;
	r = run_begin(&o);
	CHECK(r != NULL);
	p = run_output_path(r, "x/shang.2020.txt.gz", NULL);
	snprintf(path, sizeof path, "%s/a/b/shang.2020.tsv", dir);
	CHECK_STR(p, path);
	free(p);
	CHECK(run_write(r, "x/shang.2020.txt", NULL, "shang.2020\t1\n", 13) == 0);
	CHECK(file_is(path, "doc\tv\nshang.2020\t1\n"));
	CHECK(run_write(r, "y/shang.2020.txt", NULL, "shang.2020\t2\n", 13) == -1);
	CHECK(file_is(path, "doc\tv\nshang.2020\t1\n"));	/* not written over */
	CHECK(run_write(r, "y/shang.2020.txt", "other", "other\t2\n", 8) == 0);
	/* ids that name no file: stdin without a header, a '/' */
	CHECK(run_output_path(r, "-", NULL) == NULL);
	CHECK(run_write(r, "-", NULL, "x\n", 2) == -1);
	CHECK(run_write(r, "x.txt", "../x", "x\n", 2) == -1);
	CHECK(run_write(r, "x.txt", "", "x\n", 2) == -1);
	/* a table written row by row */
	{
		Out *t = run_open(r, "z/rows.tsv", NULL);

		CHECK(t != NULL);
		out_puts(t, "rows\t3\n");
		CHECK(run_close(r, t) == 0);
		snprintf(path, sizeof path, "%s/a/b/rows.tsv", dir);
		CHECK(file_is(path, "doc\tv\nrows\t3\n"));
		CHECK(run_open(r, "w/rows.txt", NULL) == NULL);	/* the same file again */
	}
	/* output names: the document id of the path */
	p = run_output_path(r, "ID.txt.gz", NULL);
	snprintf(path, sizeof path, "%s/ID.tsv", outdir);
	CHECK_STR(p, path);
	free(p);
	p = run_output_path(r, "报告 1.txt", NULL);
	snprintf(path, sizeof path, "%s/报告 1.tsv", outdir);
	CHECK_STR(p, path);
	free(p);
	p = run_output_path(r, ".hidden", NULL);
	snprintf(path, sizeof path, "%s/.hidden.tsv", outdir);
	CHECK_STR(p, path);
	free(p);
	run_report(r, "x\tok\n", 5);
	CHECK(access(rep, F_OK) != 0);	/* not there before run_end */
	/* run_end() flushes and closes stdout: the results go to a copy */
	fflush(stdout);
	{
		int fd = dup(1);
		FILE *res;

		CHECK(run_end(r, 0) == 0);
		CHECK(file_is(rep, "file\tstatus\nx\tok\n"));
		snprintf(path, sizeof path, "rm -rf '%s'", dir);
		CHECK(system(path) == 0);
		res = fdopen(fd, "w");
		fprintf(res, "unit run: %d passed, %d failed\n", unit_pass, unit_fail);
		fclose(res);
	}
	return unit_fail ? 1 : 0;
}
