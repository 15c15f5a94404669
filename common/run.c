/* run.c: the per-input loop's outputs (run.h): stdout streams, -o DIR files
 * and the --report file. */
#include "run.h"
#include "doc.h"
#include "err.h"
#include "output.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct Run {
	RunOpts o;
	Out *report;
	DocIds *written;	/* output files written in this run (-o) */
	unsigned long ndocs;	/* results written to stdout */
	int stdout_ends_line;	/* the last byte written to stdout was '\n' */
};

static int usable_id(const char *id);

/* mkdir -p (output.h) */
int
make_dirs(const char *dir)
{
	char *p, *s;
	struct stat sb;
	int rc = 0;

	if (*dir == '\0') {
		errno = ENOENT;
		return -1;
	}
	p = xstrdup(dir);

	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) < 0 && errno != EEXIST)
			rc = -1;
		*s = '/';
		if (rc < 0)
			break;
	}
	if (rc == 0 && mkdir(p, 0777) < 0 && errno != EEXIST)
		rc = -1;
	if (rc == 0 && stat(p, &sb) == 0 && !S_ISDIR(sb.st_mode)) {
		errno = ENOTDIR;
		rc = -1;
	}
	free(p);
	return rc;
}

Run *
run_begin(const RunOpts *o)
{
	Run *r = xcalloc(1, sizeof *r);

	r->o = *o;
	r->stdout_ends_line = 1;
	if (o->outdir) {
		if (make_dirs(o->outdir) < 0) {
			warnmsg("cannot make the output folder %s: %s", o->outdir, strerror(errno));
			free(r);
			return NULL;
		}
		r->written = doc_ids_new();
	}
	if (o->report) {
		if ((r->report = out_create_atomic(o->report)) == NULL) {
			doc_ids_free(r->written);
			free(r);
			return NULL;
		}
		if (o->report_header)
			out_puts(r->report, o->report_header);
	}
	if (!o->outdir && o->kind == RUN_TABLE && o->table_header)
		out_puts(out_stdout, o->table_header);
	return r;
}

char *
run_output_path(const Run *r, const char *path, const char *id)
{
	char *own = id ? NULL : doc_id_from_path(path);
	const char *name = id ? id : own;
	size_t n;
	char *p;

	if (!r->o.outdir || !usable_id(name)) {
		free(own);
		return NULL;
	}
	n = strlen(r->o.outdir) + strlen(name) + strlen(r->o.ext) + 2;
	p = xmalloc(n);
	snprintf(p, n, "%s/%s%s", r->o.outdir, name, r->o.ext);
	free(own);
	return p;
}

/* Can id name a file under DIR? Not "-" (stdin without a Doc: header), not
 * empty, no '/' (a Doc: header's value must not reach outside DIR). */
static int
usable_id(const char *id)
{
	return *id && strcmp(id, "-") != 0 && !strchr(id, '/');
}

/* The -o file of one input's result, created with the table's header row;
 * NULL when refused or not made (reported). */
static Out *
open_file(Run *r, const char *path, const char *id)
{
	char *own = id ? NULL : doc_id_from_path(path);
	const char *name = id ? id : own;
	char *file = run_output_path(r, path, name);
	Out *o = NULL;

	if (!file)
		warnat(display_name(path), 0, strcmp(name, "-") == 0 ?
		       "-o: stdin has no file name and no Doc: header to name its output: give files" :
		       "-o: the document id '%s' cannot name a file", name);
	else if (doc_ids_seen(r->written, file))
		warnat(display_name(path), 0, "its output %s was already written in this run: "
		       "not written over (two inputs with one document id)", file);
	else if ((o = out_create_atomic(file)) != NULL && r->o.kind == RUN_TABLE && r->o.table_header)
		out_puts(o, r->o.table_header);
	free(file);
	free(own);
	return o;
}

Out *
run_open(Run *r, const char *path, const char *id)
{
	return r->o.outdir ? open_file(r, path, id) : out_stdout;
}

int
run_close(Run *r, Out *o)
{
	return r->o.outdir ? out_commit(o) : 0;
}

static int
write_file(Run *r, const char *path, const char *id, const char *s, size_t n)
{
	Out *o = open_file(r, path, id);

	if (!o)
		return -1;
	out_write(o, s, n);
	return out_commit(o);
}

int
run_write(Run *r, const char *path, const char *id, const char *s, size_t n)
{
	if (r->o.outdir)
		return write_file(r, path, id, s, n);
	if (r->o.kind == RUN_DOCS && r->ndocs++ > 0) {
		if (!r->stdout_ends_line)
			out_putc(out_stdout, '\n');
		out_write(out_stdout, DOC_SEPARATOR "\n", 2);
	}
	out_write(out_stdout, s, n);
	if (n > 0)
		r->stdout_ends_line = s[n - 1] == '\n';
	return 0;
}

void
run_report(Run *r, const char *row, size_t n)
{
	if (r->report)
		out_write(r->report, row, n);
}

int
run_has_report(const Run *r)
{
	return r->report != NULL;
}

int
run_end(Run *r, int status)
{
	if (r->report && out_commit(r->report) < 0)
		status = EXIT_DATA;
	doc_ids_free(r->written);
	free(r);
	return out_finish(status);
}
