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
 * 20,000 os.stat calls took 0.7 s, this takes a tenth of that). */
#include "buf.h"
#include "cli.h"
#include "err.h"
#include "output.h"
#include "tsv.h"
#include "utf8.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* The state's layout: an OUT made by another one is redone. */
#define LAYOUT "pending-1"
/* Ids longer than this (bytes) are shortened and get a hash: file names
 * ID.ext must stay under the 255-byte limit. */
#define ID_MAX_PLAIN 200
/* Characters kept of a name that needs a hash. */
#define ID_MAX_HASHED 80
/* Margin for coarse file times when choosing the links Make compares. */
#define STAMP_MARGIN_NS 2000000000LL

static const char *const stage_dirs[] = {"clean", "body", "sections", "indicators", "problems"};
static const char *const stage_ext[] = {".txt", ".txt", ".tsv", ".tsv", ".tsv"};
#define NSTAGES (sizeof stage_dirs / sizeof stage_dirs[0])
/* Extensions dropped from a raw file's name to make its id. */
static const char *const raw_exts[] = {".txt", ".html", ".htm", ".shtml", ".jsp", ".asp", ".aspx", ".php", ".xml", ".raw", ".text"};
/* Files that are never documents (beside names starting with a dot). */
static const char *const skip_names[] = {".DS_Store", "Thumbs.db"};
/* What pipeline-tables makes (facts.tsv lives in .state/). */
static const char *const tables[] = {"docs.tsv", "sections.tsv", "indicators.tsv", "summary.tsv",
				     "coverage.tsv", "problems.tsv", ".state/facts.tsv"};
/* Folders of older layouts, removed when the layout changes. */
static const char *const old_dirs[] = {".sig", "coverage", "docrows", ".state/parts", ".state/pending"};

typedef struct {
	char *id;
	char *rel;		/* path below IN */
	char *full;		/* IN's absolute path + "/" + rel */
	char *sig;		/* "size<TAB>mtime_ns<TAB>full<TAB>rel", escaped */
	int fresh;		/* link made anew this run */
} Doc;

typedef struct {
	Doc *d;
	size_t n, cap;
} Docs;

/* A sorted array of strings, for bsearch (old signatures, links, ...). */
typedef struct {
	char **s;
	char **val;		/* optional: a value per key */
	size_t n, cap;
} StrSet;

typedef struct {
	const char *in, *out;
	unsigned nbatches;
	int quiet;
} Opts;

/* The paths of one run, and what it found. */
typedef struct {
	const Opts *opt;
	char *state;		/* OUT/.state */
	char *rawdir;		/* OUT/.raw */
	Docs docs;		/* sorted by id */
	StrSet oldsig;		/* id -> signature, of the last run */
	Buf sigbuf;		/* (oldsig's memory) */
	size_t nfresh, nremoved;
} Run;

static void usage(void);
static void assign_ids(Docs *docs);
static void update_links(Run *r);
static void drop_gone(Run *r);
static void remove_leftovers(Run *r);
static int write_batches(const Run *r);
static int write_state(const Run *r, const char *name, const Buf *b);
static const Doc *find_doc(const Docs *docs, const char *id);
static uint32_t crc32_of(const char *s);
static int walk(const char *absdir, const char *reldir, dev_t outdev, ino_t outino, Docs *docs);
static char *doc_id(const char *rel);
static int id_char(uint32_t cp);
static char *abspath(const char *p);
static int slurp(const char *path, Buf *b);
static int write_if_changed(const char *path, const Buf *b);
static void strset_add(StrSet *ss, char *s, char *val);
static void strset_sort(StrSet *ss);
static long strset_find(const StrSet *ss, const char *s);
static void strset_free(StrSet *ss);
static void load_lines(StrSet *ss, const Buf *b, int split_tab);
static int rm_rf(const char *path);
static int mkdirs(const char *path);
static char *pathcat(const char *a, const char *b, const char *c);
static int reset_layout(const char *out, const char *state);
static int stale_batch_file(const char *name, unsigned nbatches);
static int cmp_str(const void *a, const void *b);
static int cmp_doc(const void *a, const void *b);
static int cmp_doc_rel(const void *a, const void *b);

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
"without .gz and a known extension (.txt .html .htm .shtml .jsp .asp .aspx\n"
".php .xml .raw .text), folders joined with __; when that has other\n"
"characters than ASCII letters, digits, _ . - and the letters and digits of\n"
"other scripts (Chinese ...),\n"
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

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
cmp_doc(const void *a, const void *b)
{
	return strcmp(((const Doc *)a)->id, ((const Doc *)b)->id);
}

static int
cmp_doc_rel(const void *a, const void *b)
{
	int c = cmp_doc(a, b);

	return c ? c : strcmp(((const Doc *)a)->rel, ((const Doc *)b)->rel);
}

/* A file of a batch that is no more: batch-N-K.done of another N, or
 * batch-K.list / batch-K.todo with K past the last batch. */
static int
stale_batch_file(const char *name, unsigned nbatches)
{
	unsigned m, k;
	int len;

	len = -1;
	if (sscanf(name, "batch-%u-%u.done%n", &m, &k, &len) == 2 && len > 0 && name[len] == '\0')
		return m != nbatches;
	len = -1;
	if (sscanf(name, "batch-%u.list%n", &k, &len) == 1 && len > 0 && name[len] == '\0')
		return k >= nbatches;
	len = -1;
	if (sscanf(name, "batch-%u.todo%n", &k, &len) == 1 && len > 0 && name[len] == '\0')
		return k >= nbatches;
	return 0;
}

static char *
pathcat(const char *a, const char *b, const char *c)
{
	Buf p = BUF_INIT;

	buf_adds(&p, a);
	buf_adds(&p, b);
	if (c)
		buf_adds(&p, c);
	return buf_detach(&p);
}

/* IN as an absolute path, without . and .. and repeated slashes (as
 * Python's os.path.abspath: symbolic links are kept, so that the links
 * point where the user's path does). */
static char *
abspath(const char *p)
{
	Buf in = BUF_INIT, out = BUF_INIT;
	char *seg, *save = NULL;

	if (p[0] != '/') {
		char *cwd = getcwd(NULL, 0);

		if (cwd == NULL)
			die(EXIT_DATA, "cannot get the current folder: %s", strerror(errno));
		buf_adds(&in, cwd);
		buf_addc(&in, '/');
		free(cwd);
	}
	buf_adds(&in, p);
	for (seg = strtok_r(in.s, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
		if (strcmp(seg, ".") == 0)
			continue;
		if (strcmp(seg, "..") == 0) {
			char *slash = out.len ? strrchr(out.s, '/') : NULL;

			if (slash)
				out.len = (size_t)(slash - out.s), out.s[out.len] = '\0';
			continue;
		}
		buf_addc(&out, '/');
		buf_adds(&out, seg);
	}
	if (out.len == 0)
		buf_addc(&out, '/');
	buf_free(&in);
	return buf_detach(&out);
}

/* Whether the character cp may stand in an id: ASCII letters, digits,
 * _ . -, and the letters and digits of other scripts (the ranges below),
 * not punctuation, spaces, symbols or controls. */
static int
id_char(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
		       (cp >= '0' && cp <= '9') || cp == '_' || cp == '.' || cp == '-';
	return uc_is_cjk(cp) ||
	       (cp >= 0xc0 && cp <= 0x24f && cp != 0xd7 && cp != 0xf7) ||	/* Latin */
	       (cp >= 0x370 && cp <= 0x1fff) ||		/* Greek, Cyrillic ... other alphabets */
	       (cp >= 0x3040 && cp <= 0x30ff) ||	/* kana */
	       (cp >= 0xac00 && cp <= 0xd7af) ||	/* Hangul */
	       (cp >= 0xff10 && cp <= 0xff19) || (cp >= 0xff21 && cp <= 0xff3a) ||
	       (cp >= 0xff41 && cp <= 0xff5a);		/* full-width letters, digits */
}

/* The document id of the path below IN (see usage()). */
static char *
doc_id(const char *rel)
{
	size_t n = strlen(rel), i;
	const char *slash, *dot;
	Buf flat = BUF_INIT, safe = BUF_INIT;
	int plain, l;
	size_t chars = 0;

	if (n > 3 && strcmp(rel + n - 3, ".gz") == 0)
		n -= 3;
	slash = memrchr(rel, '/', n);
	dot = memrchr(rel, '.', n);
	if (dot && dot > (slash ? slash + 1 : rel)) {
		for (i = 0; i < sizeof raw_exts / sizeof raw_exts[0]; i++) {
			if (strlen(raw_exts[i]) == (size_t)(rel + n - dot) &&
			    strncasecmp(dot, raw_exts[i], (size_t)(rel + n - dot)) == 0) {
				n = (size_t)(dot - rel);
				break;
			}
		}
	}
	for (i = 0; i < n; i++) {
		if (rel[i] == '/')
			buf_add(&flat, "__", 2);
		else
			buf_addc(&flat, rel[i]);
	}
	/* Unsafe characters (an invalid byte, or a character id_char refuses)
	 * become _, the leading - and . go, at most ID_MAX_HASHED characters;
	 * the id is that plus the hash of the whole path, unless nothing had
	 * to change. */
	plain = flat.len > 0 && flat.len <= ID_MAX_PLAIN;
	for (i = 0; i < flat.len; i += l > 0 ? (size_t)l : 1) {
		uint32_t cp;
		int ok, lead;

		l = utf8_decode((const unsigned char *)flat.s + i, flat.len - i, &cp);
		ok = l > 0 && id_char(cp);
		lead = ok && safe.len == 0 && (cp == '-' || cp == '.');

		if (!ok || lead)
			plain = 0;
		if (lead || chars >= ID_MAX_HASHED)
			continue;
		if (ok)
			buf_add(&safe, flat.s + i, (size_t)l);
		else
			buf_addc(&safe, '_');
		chars++;
	}
	if (plain) {
		buf_free(&safe);
		return buf_detach(&flat);
	}
	if (safe.len == 0)
		buf_adds(&safe, "doc");
	buf_addf(&safe, "-%08lx", (unsigned long)crc32_of(rel));
	buf_free(&flat);
	return buf_detach(&safe);
}

/* The documents in absdir (IN's folder reldir), recursively: entries
 * sorted by name. -1 when a folder could not be read (reported). */
static int
walk(const char *absdir, const char *reldir, dev_t outdev, ino_t outino, Docs *docs)
{
	DIR *dir = opendir(absdir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, i, k;
	int dfd, status = 0;

	if (dir == NULL) {
		warnmsg("%s: cannot read the folder: %s", absdir, strerror(errno));
		return -1;
	}
	dfd = dirfd(dir);
	errno = 0;
	while ((e = readdir(dir)) != NULL) {
		if (e->d_name[0] == '.')
			continue;	/* ., .., hidden files and folders */
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			names = xrealloc(names, cap * sizeof *names);
		}
		names[n++] = xstrdup(e->d_name);
	}
	if (errno != 0) {
		warnmsg("%s: cannot read the folder: %s", absdir, strerror(errno));
		status = -1;
	}
	qsort(names, n, sizeof *names, cmp_str);
	for (i = 0; i < n && status == 0; i++) {
		struct stat st, lst;
		char *rel;

		for (k = 0; k < sizeof skip_names / sizeof skip_names[0]; k++)
			if (strcmp(names[i], skip_names[k]) == 0)
				break;
		if (k < sizeof skip_names / sizeof skip_names[0])
			continue;
		if (fstatat(dfd, names[i], &st, 0) != 0) {
			if (errno == ENOENT && fstatat(dfd, names[i], &lst, AT_SYMLINK_NOFOLLOW) != 0)
				continue;	/* gone since the listing */
			if (errno == ENOENT)
				continue;	/* a dangling link: not a document */
			warnmsg("%s/%s: %s", absdir, names[i], strerror(errno));
			status = -1;
			break;
		}
		rel = reldir[0] ? pathcat(reldir, "/", names[i]) : xstrdup(names[i]);
		if (S_ISDIR(st.st_mode)) {
			/* folders reached by a link are not followed (loops); OUT is skipped */
			if (fstatat(dfd, names[i], &lst, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(lst.st_mode) &&
			    !(st.st_dev == outdev && st.st_ino == outino)) {
				char *sub = pathcat(absdir, "/", names[i]);

				status = walk(sub, rel, outdev, outino, docs);
				free(sub);
			}
			free(rel);
		} else if (S_ISREG(st.st_mode)) {
			Doc *d;
			Buf sig = BUF_INIT;

			if (docs->n == docs->cap) {
				docs->cap = docs->cap ? 2 * docs->cap : 1024;
				docs->d = xrealloc(docs->d, docs->cap * sizeof *docs->d);
			}
			d = &docs->d[docs->n++];
			memset(d, 0, sizeof *d);
			d->rel = rel;
			d->full = pathcat(absdir, "/", names[i]);
			buf_addu(&sig, (unsigned long long)st.st_size);
			buf_addc(&sig, '\t');
			buf_addu(&sig, (unsigned long long)st.st_mtim.tv_sec * 1000000000ULL +
					(unsigned long long)st.st_mtim.tv_nsec);
			buf_addc(&sig, '\t');
			tsv_buf_escaped(&sig, d->full, strlen(d->full));
			buf_addc(&sig, '\t');
			tsv_buf_escaped(&sig, rel, strlen(rel));
			d->sig = buf_detach(&sig);
		} else {
			free(rel);	/* a device, a FIFO, a socket: never read */
		}
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(dir);
	return status;
}

/* The whole file into b (cleared first): 0, or -1 with errno (ENOENT: no file). */
static int
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
static int
write_if_changed(const char *path, const Buf *b)
{
	Buf old = BUF_INIT;
	Out *o;
	int same = slurp(path, &old) == 0 && old.len == b->len && memcmp(old.s, b->s, b->len) == 0;

	buf_free(&old);
	if (same)
		return 0;
	if ((o = out_create_atomic(path)) == NULL)
		return -1;
	out_write(o, b->s, b->len);
	return out_commit(o);
}

static void
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
static void
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

static long
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

static void
strset_free(StrSet *ss)
{
	free(ss->s);
	free(ss->val);
	memset(ss, 0, sizeof *ss);
}

/* The lines of b (cut in place) into ss, sorted; with split_tab, the part
 * after the first tab is the value. */
static void
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
static int
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
static int
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
static int
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

static uint32_t
crc32_of(const char *s)
{
	return (uint32_t)crc32(crc32(0L, Z_NULL, 0), (const Bytef *)s, (uInt)strlen(s));
}

static const Doc *
find_doc(const Docs *docs, const char *id)
{
	Doc key;

	key.id = (char *)id;
	return bsearch(&key, docs->d, docs->n, sizeof *docs->d, cmp_doc);
}

/* The documents' ids; two paths with one id (a.txt and a.txt.gz) both get
 * a hash. Then sorted by id. */
static void
assign_ids(Docs *docs)
{
	size_t i, j, k;

	for (i = 0; i < docs->n; i++)
		docs->d[i].id = doc_id(docs->d[i].rel);
	qsort(docs->d, docs->n, sizeof *docs->d, cmp_doc_rel);
	for (i = 0; i < docs->n; i = j) {
		for (j = i + 1; j < docs->n && strcmp(docs->d[i].id, docs->d[j].id) == 0; j++)
			;
		for (k = i; j - i > 1 && k < j; k++) {
			Buf id = BUF_INIT;

			buf_adds(&id, docs->d[k].id);
			buf_addf(&id, "-%08lx", (unsigned long)crc32_of(docs->d[k].rel));
			free(docs->d[k].id);
			docs->d[k].id = buf_detach(&id);
		}
	}
	qsort(docs->d, docs->n, sizeof *docs->d, cmp_doc);
}

/* A new link for each document new or changed: its time (now) tells Make
 * to process the document again. Links of no document go. */
static void
update_links(Run *r)
{
	StrSet links = {0};
	Buf names = BUF_INIT, b = BUF_INIT;
	DIR *dir;
	struct dirent *e;
	size_t i;

	if ((dir = opendir(r->rawdir)) == NULL)
		die(EXIT_DATA, "%s: %s", r->rawdir, strerror(errno));
	while ((e = readdir(dir)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		buf_adds(&names, e->d_name);
		buf_addc(&names, '\n');
	}
	closedir(dir);
	load_lines(&links, &names, 0);

	for (i = 0; i < r->docs.n; i++) {
		Doc *d = &r->docs.d[i];
		long k = strset_find(&r->oldsig, d->id);

		buf_clear(&b);
		buf_adds(&b, d->id);
		buf_adds(&b, ".raw");
		if (k >= 0 && strcmp(r->oldsig.val[k], d->sig) == 0 && strset_find(&links, b.s) >= 0)
			continue;
		buf_clear(&b);
		buf_addf(&b, "%s/%s.raw", r->rawdir, d->id);
		if ((unlink(b.s) != 0 && errno != ENOENT) || symlink(d->full, b.s) != 0)
			die(EXIT_DATA, "%s: cannot make the link: %s", b.s, strerror(errno));
		d->fresh = 1;
		r->nfresh++;
	}
	for (i = 0; i < links.n; i++) {
		char *name = links.s[i];
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
		if (unlink(b.s) != 0 && errno != ENOENT)
			warnmsg("%s: cannot remove: %s", b.s, strerror(errno));
	}
	strset_free(&links);
	buf_free(&names);
	buf_free(&b);
}

/* Documents gone (in the last run's signatures, not in this one's): listed
 * in .state/removed.txt for pipeline-tables to drop their rows, and their
 * outputs removed (clean/ last: a document has outputs only when it has
 * clean/ or problems/). */
static void
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
			if (unlink(b.s) != 0 && errno != ENOENT)
				warnmsg("%s: cannot remove: %s", b.s, strerror(errno));
		}
	}
	if (gone.len > 0) {
		buf_clear(&b);
		buf_addf(&b, "%s/removed.txt", r->state);
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
static void
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

						unlink(f);
						free(f);
					}
				}
				closedir(dir);
			}
			free(sd);
		}
	} else {
		int fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);

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
				rm_rf(p);
				free(p);
			}
		}
		closedir(dir);
	}
}

/* state/NAME := b, unless it holds b already. 0, or -1 (reported). */
static int
write_state(const Run *r, const char *name, const Buf *b)
{
	char *p = pathcat(r->state, "/", name);
	int rc = write_if_changed(p, b);

	free(p);
	return rc;
}

/* The batches. BATCH_K in batches.mk: the documents of batch K whose link
 * may be newer than the batch's stamp, the prerequisites Make compares
 * (with a margin for coarse file times; Make's own comparison decides).
 * Listing all 20,000 would have Make stat every link and its target on
 * every run. Which ones may be: those made anew now, and those listed last
 * time that are not older than their batch's stamp yet
 * (links-pending.txt); all of a batch without a stamp. Then batch-K.list,
 * nbatches, links-pending.txt and docs.list. 0, or -1 (reported). */
static int
write_batches(const Run *r)
{
	unsigned nb = r->opt->nbatches, k;
	size_t n = r->docs.n, i, j;
	size_t *first = xcalloc(nb + 1, sizeof *first), *fill = xcalloc(nb, sizeof *fill);
	size_t *order = xcalloc(n + 1, sizeof *order);
	unsigned *batch = xcalloc(n + 1, sizeof *batch);
	Buf mk = BUF_INIT, list = BUF_INIT, b = BUF_INIT, prevbuf = BUF_INIT;
	StrSet prev = {0}, still = {0};
	int have_prev, status = 0;

	/* the documents of each batch, in id order: order[first[k] .. first[k+1]) */
	for (i = 0; i < n; i++) {
		batch[i] = crc32_of(r->docs.d[i].id) % nb;
		first[batch[i] + 1]++;
	}
	for (k = 0; k < nb; k++)
		first[k + 1] += first[k];
	for (i = 0; i < n; i++)
		order[first[batch[i]] + fill[batch[i]]++] = i;

	buf_addf(&b, "%s/links-pending.txt", r->state);
	have_prev = slurp(b.s, &prevbuf) == 0;
	if (have_prev)
		load_lines(&prev, &prevbuf, 0);
	buf_addf(&mk, "NBATCHES := %u\nNDOCS := %zu\n", nb, n);
	for (k = 0; k < nb && status == 0; k++) {
		long long since = -1;
		struct stat st;

		buf_clear(&b);
		buf_addf(&b, "%s/batch-%u-%u.done", r->state, nb, k);
		if (stat(b.s, &st) == 0)
			since = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec - STAMP_MARGIN_NS;
		buf_addf(&mk, "BATCH_%u :=", k);
		buf_clear(&list);
		for (j = first[k]; j < first[k + 1]; j++) {
			const Doc *d = &r->docs.d[order[j]];
			int cand = 0;

			/* ID <TAB> path below IN (COPY-escaped), for the batch and its tables */
			buf_adds(&list, d->id);
			buf_addc(&list, '\t');
			tsv_buf_escaped(&list, d->rel, strlen(d->rel));
			buf_addc(&list, '\n');
			if (since < 0 || d->fresh) {
				cand = 1;
			} else if (!have_prev || strset_find(&prev, d->id) >= 0) {
				struct stat lst;

				buf_clear(&b);
				buf_addf(&b, "%s/%s.raw", r->rawdir, d->id);
				cand = lstat(b.s, &lst) != 0 ||
				       (long long)lst.st_mtim.tv_sec * 1000000000LL + lst.st_mtim.tv_nsec >= since;
			}
			if (cand) {
				buf_addc(&mk, ' ');
				buf_adds(&mk, d->id);
				strset_add(&still, d->id, NULL);
			}
		}
		buf_addc(&mk, '\n');
		buf_clear(&b);
		buf_addf(&b, "batch-%u.list", k);
		status = write_state(r, b.s, &list);
	}
	if (status == 0) {
		/* the number of batches, for the next runs (scripts/pipeline.mk) */
		buf_clear(&b);
		buf_addf(&b, "%u\n", nb);
		status = write_state(r, "nbatches", &b);
	}
	if (status == 0)
		status = write_state(r, "batches.mk", &mk);
	if (status == 0) {
		strset_sort(&still);
		buf_clear(&b);
		for (i = 0; i < still.n; i++) {
			buf_adds(&b, still.s[i]);
			buf_addc(&b, '\n');
		}
		status = write_state(r, "links-pending.txt", &b);
	}
	if (status == 0) {
		/* the list of documents: the corpus tables are made again when it changes */
		buf_clear(&b);
		for (i = 0; i < n; i++) {
			buf_adds(&b, r->docs.d[i].id);
			buf_addc(&b, '\n');
		}
		status = write_state(r, "docs.list", &b);
	}
	free(first);
	free(fill);
	free(order);
	free(batch);
	buf_free(&mk);
	buf_free(&list);
	buf_free(&b);
	buf_free(&prevbuf);
	strset_free(&prev);
	strset_free(&still);
	return status;
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
