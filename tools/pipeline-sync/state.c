/* state.c: the job's state under OUT: the links OUT/.raw/ID.raw, the
 * documents gone, the leftovers of a run that did not end, the layout, and
 * the small file helpers (whole-file reads, atomic writes when changed,
 * sorted string sets, rm -rf, mkdir -p). */
#include "sync.h"

#include "buf.h"
#include "err.h"
#include "output.h"
#include "tsv.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

const char *const stage_dirs[NSTAGES] = {"clean", "body", "sections", "indicators", "problems"};
const char *const stage_ext[NSTAGES] = {".txt", ".txt", ".tsv", ".tsv", ".tsv"};
/* What pipeline-tables makes (facts.tsv lives in .state/). */
static const char *const tables[] = {"docs.tsv", "sections.tsv", "indicators.tsv", "summary.tsv",
				     "coverage.tsv", "problems.tsv", ".state/facts.tsv"};
/* Folders of older layouts, removed when the layout changes. */
static const char *const old_dirs[] = {".sig", "coverage", "docrows", ".state/parts", ".state/pending"};

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw);

/* The test hook (sync.h): with PIPELINE_SYNC_KILL_AT=N in the
 * environment, the process kills itself (SIGKILL) at its Nth change to OUT,
 * as a power cut or kill -9 there would (tests/scripts/pipeline-faults.sh
 * tries every N). */
void
step(void)
{
	static long at = -1, n;

	if (at < 0) {
		const char *s = getenv("PIPELINE_SYNC_KILL_AT");

		at = s ? atol(s) : 0;
	}
	if (at > 0 && ++n == at)
		raise(SIGKILL);
}

/* a + b + c (c may be NULL), allocated. */
char *
pathcat(const char *a, const char *b, const char *c)
{
	Buf p = BUF_INIT;

	buf_adds(&p, a);
	buf_adds(&p, b);
	if (c)
		buf_adds(&p, c);
	return buf_detach(&p);
}


/* The whole file into b (cleared first): 0, or -1 with errno (ENOENT: no file). */
int
slurp(const char *path, Buf *b)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	ssize_t r;

	buf_clear(b);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) == 0 && st.st_size > 0)
		buf_grow(b, (size_t)st.st_size + 1);
	for (;;) {
		buf_grow(b, 65536);
		r = read(fd, b->s + b->len, b->cap - b->len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		b->len += (size_t)r;
		b->s[b->len] = '\0';
	}
	if (r < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	close(fd);
	return 0;
}

/* path := b, atomically, unless it holds b already. 0 ok, -1 (reported). */
int
write_if_changed(const char *path, const Buf *b)
{
	Buf old = BUF_INIT;
	Out *o;
	int same = slurp(path, &old) == 0 && old.len == b->len && memcmp(old.s, b->s, b->len) == 0;

	buf_free(&old);
	if (same)
		return 0;
	step();
	if ((o = out_create_atomic(path)) == NULL)
		return -1;
	out_write(o, b->s, b->len);
	return out_commit(o);
}

void
strset_add(StrSet *ss, char *s, char *val)
{
	if (ss->n == ss->cap) {
		ss->cap = ss->cap ? 2 * ss->cap : 1024;
		ss->s = xrealloc(ss->s, ss->cap * sizeof *ss->s);
		ss->val = xrealloc(ss->val, ss->cap * sizeof *ss->val);
	}
	ss->s[ss->n] = s;
	ss->val[ss->n++] = val;
}

/* Sorted by key, values along (keys are unique in every file read here;
 * of duplicates, any one is found). */
void
strset_sort(StrSet *ss)
{
	size_t i;
	char **pairs;

	for (i = 1; i < ss->n && strcmp(ss->s[i - 1], ss->s[i]) <= 0; i++)
		;
	if (i >= ss->n)
		return;		/* sorted already (the files written here are) */
	/* sort an array of key pointers, each followed in memory by nothing:
	 * keep values by sorting indices instead */
	pairs = xmalloc(ss->n * 2 * sizeof *pairs);
	for (i = 0; i < ss->n; i++)
		pairs[2 * i] = ss->s[i], pairs[2 * i + 1] = ss->val[i];
	qsort(pairs, ss->n, 2 * sizeof *pairs, cmp_str);
	for (i = 0; i < ss->n; i++)
		ss->s[i] = pairs[2 * i], ss->val[i] = pairs[2 * i + 1];
	free(pairs);
}

long
strset_find(const StrSet *ss, const char *s)
{
	size_t lo = 0, hi = ss->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(s, ss->s[mid]);

		if (c == 0)
			return (long)mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

void
strset_free(StrSet *ss)
{
	free(ss->s);
	free(ss->val);
	memset(ss, 0, sizeof *ss);
}

/* The lines of b (cut in place) into ss, sorted; with split_tab, the part
 * after the first tab is the value. */
void
load_lines(StrSet *ss, const Buf *b, int split_tab)
{
	char *p = b->s, *end = b->s + b->len;

	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p)), *tab;

		if (nl == NULL)
			nl = end;
		*nl = '\0';
		tab = split_tab ? strchr(p, '\t') : NULL;
		if (tab)
			*tab = '\0';
		if (*p)
			strset_add(ss, p, tab ? tab + 1 : NULL);
		p = nl + 1;
	}
	strset_sort(ss);
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if ((flag == FTW_DP ? rmdir(path) : unlink(path)) != 0 && errno != ENOENT) {
		warnmsg("%s: cannot remove: %s", path, strerror(errno));
		return 1;
	}
	return 0;
}

/* rm -rf path: 0, or -1 (reported). */
int
rm_rf(const char *path)
{
	struct stat st;

	if (lstat(path, &st) != 0)
		return 0;
	if (!S_ISDIR(st.st_mode))
		return rm_entry(path, &st, FTW_F, NULL) ? -1 : 0;
	return nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -1;
}

/* mkdir -p path: 0, or -1 (reported). */
int
mkdirs(const char *path)
{
	char *p = xstrdup(path), *s;
	int r = 0;

	for (s = p + 1; r == 0; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;

			*s = '\0';
			if (mkdir(p, 0777) != 0 && errno != EEXIST)
				r = -1;
			*s = c;
			if (c == '\0')
				break;
		}
	}
	if (r != 0)
		warnmsg("%s: cannot create the folder: %s", path, strerror(errno));
	free(p);
	return r;
}

/* An OUT of another layout, or whose tables were made but one of them is
 * gone: every batch is redone and the tables made anew (the documents' own
 * outputs stay; the stages run again over all of them). 0, or -1. */
int
reset_layout(const char *out, const char *state)
{
	char *layout = pathcat(state, "/layout", NULL), *done = pathcat(state, "/tables.done", NULL);
	Buf b = BUF_INIT;
	int ok, lost = 0, status = 0;
	size_t i;
	DIR *dir;
	struct dirent *e;

	ok = slurp(layout, &b) == 0 && b.len >= strlen(LAYOUT) &&
	     memcmp(b.s, LAYOUT, strlen(LAYOUT)) == 0 && strspn(b.s + strlen(LAYOUT), " \n") == b.len - strlen(LAYOUT);
	if (access(done, F_OK) == 0) {
		for (i = 0; i < sizeof tables / sizeof tables[0] && !lost; i++) {
			char *t = pathcat(out, "/", tables[i]);

			lost = access(t, F_OK) != 0;
			free(t);
		}
	}
	if (ok && !lost)
		goto end;
	if ((dir = opendir(state)) != NULL) {
		while ((e = readdir(dir)) != NULL) {
			size_t n = strlen(e->d_name);

			if (n > 5 && strcmp(e->d_name + n - 5, ".done") == 0) {
				char *p = pathcat(state, "/", e->d_name);

				unlink(p);
				free(p);
			}
		}
		closedir(dir);
	}
	for (i = 0; i < sizeof old_dirs / sizeof old_dirs[0]; i++) {
		char *p = pathcat(out, "/", old_dirs[i]);

		if (rm_rf(p) < 0)
			status = -1;
		free(p);
	}
	for (i = 0; i <= sizeof tables / sizeof tables[0]; i++) {
		char *p = i < sizeof tables / sizeof tables[0] ? pathcat(out, "/", tables[i])
							       : pathcat(state, "/removed.txt", NULL);

		if (unlink(p) != 0 && errno != ENOENT) {
			warnmsg("%s: cannot remove: %s", p, strerror(errno));
			status = -1;
		}
		free(p);
	}
	buf_clear(&b);
	buf_adds(&b, LAYOUT "\n");
	if (status == 0)
		status = write_if_changed(layout, &b);
end:
	buf_free(&b);
	free(layout);
	free(done);
	return status;
}

/* Which documents are new or changed: a signature other than the last
 * run's, or no link (a batch removes the link of a document that failed for
 * an outside reason, so that it is retried). Nothing is changed yet. */
void
mark_fresh(Run *r)
{
	Buf b = BUF_INIT;
	DIR *dir;
	struct dirent *e;
	size_t i;

	if ((dir = opendir(r->rawdir)) == NULL)
		die(EXIT_DATA, "%s: %s", r->rawdir, strerror(errno));
	while ((e = readdir(dir)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		buf_adds(&r->linkbuf, e->d_name);
		buf_addc(&r->linkbuf, '\n');
	}
	closedir(dir);
	load_lines(&r->links, &r->linkbuf, 0);
	for (i = 0; i < r->docs.n; i++) {
		Doc *d = &r->docs.d[i];
		long k = strset_find(&r->oldsig, d->id);

		buf_clear(&b);
		buf_adds(&b, d->id);
		buf_adds(&b, ".raw");
		if (k >= 0 && strcmp(r->oldsig.val[k], d->sig) == 0 && strset_find(&r->links, b.s) >= 0)
			continue;
		d->fresh = 1;
		r->nfresh++;
	}
	buf_free(&b);
}

/* links-pending.txt gets the documents about to get a new link, before
 * any link or signature changes: a run killed after sigs.tsv is written
 * still finds them there (and their links newer than the stamps). 0, or -1
 * (reported). */
int
note_pending(Run *r)
{
	Buf b = BUF_INIT;
	size_t i, j = 0;
	int added = 0, rc = 0;

	/* (both in id order: a merge) */
	for (i = 0; i < r->docs.n; i++) {
		const Doc *d = &r->docs.d[i];
		int c = 1;

		while (j < r->pending.n && (c = strcmp(r->pending.s[j], d->id)) < 0) {
			buf_adds(&b, r->pending.s[j++]);
			buf_addc(&b, '\n');
		}
		if (c == 0) {
			buf_adds(&b, r->pending.s[j++]);
			buf_addc(&b, '\n');
		} else if (d->fresh) {
			buf_adds(&b, d->id);
			buf_addc(&b, '\n');
			added = 1;
		}
	}
	for (; j < r->pending.n; j++) {
		buf_adds(&b, r->pending.s[j]);
		buf_addc(&b, '\n');
	}
	if (added || !r->have_pending)
		rc = write_state(r, "links-pending.txt", &b);
	buf_free(&b);
	return rc;
}

/* A new link for each document new or changed: its time (now) tells Make
 * to process the document again. Links of no document go. */
void
update_links(Run *r)
{
	Buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < r->docs.n; i++) {
		Doc *d = &r->docs.d[i];

		if (!d->fresh)
			continue;
		buf_clear(&b);
		buf_addf(&b, "%s/%s.raw", r->rawdir, d->id);
		step();
		if ((unlink(b.s) != 0 && errno != ENOENT) || (step(), symlink(d->full, b.s)) != 0)
			die(EXIT_DATA, "%s: cannot make the link: %s", b.s, strerror(errno));
	}
	for (i = 0; i < r->links.n; i++) {
		char *name = r->links.s[i];
		size_t n = strlen(name);
		int keep = 0;

		if (n > 4 && strcmp(name + n - 4, ".raw") == 0) {
			name[n - 4] = '\0';
			keep = find_doc(&r->docs, name) != NULL;
			name[n - 4] = '.';
		}
		if (keep)
			continue;
		buf_clear(&b);
		buf_addf(&b, "%s/%s", r->rawdir, name);
		step();
		if (unlink(b.s) != 0 && errno != ENOENT)
			warnmsg("%s: cannot remove: %s", b.s, strerror(errno));
	}
	buf_free(&b);
}

/* The documents of the last run below a path that could not be read now
 * stay as they were (their signature, link and results): else they would
 * look removed. */
void
keep_unread(Run *r, const Scan *sc)
{
	size_t i, j;

	if (sc->unread.n == 0)
		return;
	for (i = 0; i < r->oldsig.n; i++) {
		char *sig = r->oldsig.val[i], *f[8], *p;
		size_t nf = 0, n;
		long len;
		int under = 0;

		if (sig == NULL)
			continue;
		for (p = sig, f[nf++] = p; nf < 8 && (p = strchr(p, '\t')) != NULL; p++)
			f[nf++] = p + 1;
		if (nf < 4)
			continue;
		/* the last two fields: the path, and the path below IN */
		n = (size_t)(f[nf - 1] - f[nf - 2] - 1);
		for (j = 0; j < sc->unread.n && !under; j++) {
			size_t un = strlen(sc->unread.s[j]);
			char *rel = xstrdup(f[nf - 1]);

			len = tsv_unescape(rel, strlen(rel));
			if (len >= 0)
				rel[len] = '\0';
			under = len >= 0 && strncmp(rel, sc->unread.s[j], un) == 0 && (rel[un] == '\0' || rel[un] == '/');
			if (under) {
				Doc *d;
				char *full = xstrndup(f[nf - 2], n);

				len = tsv_unescape(full, n);
				full[len < 0 ? 0 : len] = '\0';
				if (r->docs.n == r->docs.cap) {
					r->docs.cap = r->docs.cap ? 2 * r->docs.cap : 1024;
					r->docs.d = xrealloc(r->docs.d, r->docs.cap * sizeof *r->docs.d);
				}
				d = &r->docs.d[r->docs.n++];
				memset(d, 0, sizeof *d);
				d->rel = rel;
				d->full = full;
				d->sig = xstrdup(sig);
			} else {
				free(rel);
			}
		}
	}
}

/* Stamps dated in the future (the clock was stepped back): set to a second
 * before now, so that the links made from now on are newer than them. */
void
fix_future_stamps(const Run *r)
{
	DIR *dir;
	struct dirent *e;
	struct timespec now;
	struct stat st;

	clock_gettime(CLOCK_REALTIME, &now);
	if ((dir = opendir(r->state)) == NULL)
		return;
	while ((e = readdir(dir)) != NULL) {
		size_t n = strlen(e->d_name);

		if (n > 5 && strcmp(e->d_name + n - 5, ".done") == 0 &&
		    fstatat(dirfd(dir), e->d_name, &st, 0) == 0 &&
		    (st.st_mtim.tv_sec > now.tv_sec || (st.st_mtim.tv_sec == now.tv_sec && st.st_mtim.tv_nsec > now.tv_nsec))) {
			struct timespec t[2];

			t[0] = t[1] = now;
			t[0].tv_sec -= 1;
			t[1].tv_sec -= 1;
			step();
			if (utimensat(dirfd(dir), e->d_name, t, 0) != 0)
				warnmsg("%s/%s: cannot set its time: %s", r->state, e->d_name, strerror(errno));
		}
	}
	closedir(dir);
}

/* Documents gone (in the last run's signatures, not in this one's): listed
 * in .state/removed.txt for pipeline-tables to drop their rows, and their
 * outputs removed (clean/ last: a document has outputs only when it has
 * clean/ or problems/). */
void
drop_gone(Run *r)
{
	Buf gone = BUF_INIT, b = BUF_INIT;
	size_t i, j;
	int fd;

	for (i = 0; i < r->oldsig.n; i++) {
		if (find_doc(&r->docs, r->oldsig.s[i]))
			continue;
		/* (an id makes file names below OUT: a damaged sigs.tsv must not
		 * name files elsewhere) */
		if (strchr(r->oldsig.s[i], '/') || r->oldsig.s[i][0] == '.') {
			warnmsg("%s/sigs.tsv: '%s' is not a document id: ignored", r->state, r->oldsig.s[i]);
			continue;
		}
		buf_adds(&gone, r->oldsig.s[i]);
		buf_addc(&gone, '\n');
		r->nremoved++;
		for (j = NSTAGES; j-- > 0;) {
			buf_clear(&b);
			buf_addf(&b, "%s/%s/%s%s", r->opt->out, stage_dirs[j], r->oldsig.s[i], stage_ext[j]);
			step();
			if (unlink(b.s) != 0 && errno != ENOENT)
				warnmsg("%s: cannot remove: %s", b.s, strerror(errno));
		}
	}
	if (gone.len > 0) {
		buf_clear(&b);
		buf_addf(&b, "%s/removed.txt", r->state);
		step();
		fd = open(b.s, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
		if (fd < 0 || write(fd, gone.s, gone.len) != (ssize_t)gone.len || close(fd) != 0)
			die(EXIT_DATA, "%s: cannot write: %s", b.s, strerror(errno));
	}
	buf_free(&gone);
	buf_free(&b);
}

/* Temporary files of a run that was killed or failed (it left the marker
 * .state/running, which a run that ends removes): no run is under way now
 * (the nightly script holds a lock), so they are garbage. Not looked for
 * after a run that ended: listing the output folders of a large corpus
 * takes a while. Then the scratch folders of the tables step, and the files
 * of batches that are no more (NBATCHES changed). */
void
remove_leftovers(Run *r)
{
	char *p = pathcat(r->state, "/running", NULL);
	DIR *dir;
	struct dirent *e;
	size_t i;

	if (access(p, F_OK) == 0) {
		for (i = 0; i < NSTAGES; i++) {
			char *sd = pathcat(r->opt->out, "/", stage_dirs[i]);

			if ((dir = opendir(sd)) != NULL) {
				while ((e = readdir(dir)) != NULL) {
					if (strstr(e->d_name, ".tmp")) {
						char *f = pathcat(sd, "/", e->d_name);

						step();
						unlink(f);
						free(f);
					}
				}
				closedir(dir);
			}
			free(sd);
		}
	} else {
		int fd;

		step();
		fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);

		if (fd < 0 || close(fd) != 0)
			die(EXIT_DATA, "%s: %s", p, strerror(errno));
	}
	free(p);
	if ((dir = opendir(r->state)) != NULL) {
		while ((e = readdir(dir)) != NULL) {
			if ((strncmp(e->d_name, "tmp.", 4) == 0 || strncmp(e->d_name, "tables.", 7) == 0 ||
			     stale_batch_file(e->d_name, r->opt->nbatches)) &&
			    strcmp(e->d_name, "tables.done") != 0) {
				p = pathcat(r->state, "/", e->d_name);
				step();
				rm_rf(p);
				free(p);
			}
		}
		closedir(dir);
	}
}

/* state/NAME := b, unless it holds b already. 0, or -1 (reported). */
int
write_state(const Run *r, const char *name, const Buf *b)
{
	char *p = pathcat(r->state, "/", name);
	int rc = write_if_changed(p, b);

	free(p);
	return rc;
}
