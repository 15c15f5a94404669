/* scan.c: the walk over IN: every regular file is a document, with its
 * signature (size, mtime, ctime, inode, path). An entry that cannot be read
 * (a folder without permission, a symbolic link loop, a link that leads
 * outside IN) is a problem row and the walk goes on: the documents of a
 * folder that could not be read are kept as they were (keep_unread). */
#include "sync.h"

#include "buf.h"
#include "err.h"
#include "tsv.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Files that are never documents (beside names starting with a dot). */
static const char *const skip_names[] = {".DS_Store", "Thumbs.db"};

typedef struct {
	char *name;
	unsigned char type;	/* d_type */
} Entry;

static int cmp_entry(const void *a, const void *b);
static void add_doc(Docs *docs, char *rel, char *full, const struct stat *st);
static int outside_in(const Scan *sc, const char *full);

/* IN as an absolute path, without . and .. and repeated slashes (as
 * Python's os.path.abspath: symbolic links are kept, so that the links
 * point where the user's path does). */
char *
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

static int
cmp_entry(const void *a, const void *b)
{
	return strcmp(((const Entry *)a)->name, ((const Entry *)b)->name);
}

/* A problem row of sync-problems.tsv (problems.tsv's columns; doc "-": the
 * entry is no document), and the same on standard error. */
void
scan_problem(Scan *sc, const char *rel, const char *severity, const char *msg)
{
	buf_adds(&sc->problems, "-\t");
	tsv_buf_escaped(&sc->problems, rel, strlen(rel));
	buf_addf(&sc->problems, "\tsync\t%s\t", severity);
	tsv_buf_escaped(&sc->problems, msg, strlen(msg));
	buf_addc(&sc->problems, '\n');
	if (strcmp(severity, "retry") == 0)
		sc->nretry++;
	if (!sc->quiet)
		warnmsg("%s: %s", rel[0] ? rel : ".", msg);
}

/* The signature of a document: size, mtime and ctime (ns), inode, path
 * (absolute and below IN, escaped). ctime and inode see a file replaced
 * with the same size and mtime (cp -p, rsync -t). */
static void
add_doc(Docs *docs, char *rel, char *full, const struct stat *st)
{
	Doc *d;
	Buf sig = BUF_INIT;

	if (docs->n == docs->cap) {
		docs->cap = docs->cap ? 2 * docs->cap : 1024;
		docs->d = xrealloc(docs->d, docs->cap * sizeof *docs->d);
	}
	d = &docs->d[docs->n++];
	memset(d, 0, sizeof *d);
	d->rel = rel;
	d->full = full;
	buf_addu(&sig, (unsigned long long)st->st_size);
	buf_addc(&sig, '\t');
	buf_addu(&sig, (unsigned long long)st->st_mtim.tv_sec * 1000000000ULL + (unsigned long long)st->st_mtim.tv_nsec);
	buf_addc(&sig, '\t');
	buf_addu(&sig, (unsigned long long)st->st_ctim.tv_sec * 1000000000ULL + (unsigned long long)st->st_ctim.tv_nsec);
	buf_addc(&sig, '\t');
	buf_addu(&sig, (unsigned long long)st->st_ino);
	buf_addc(&sig, '\t');
	tsv_buf_escaped(&sig, full, strlen(full));
	buf_addc(&sig, '\t');
	tsv_buf_escaped(&sig, rel, strlen(rel));
	d->sig = buf_detach(&sig);
}

/* Whether the symbolic link full leads to a file outside IN. */
static int
outside_in(const Scan *sc, const char *full)
{
	char *real = realpath(full, NULL);
	size_t n = strlen(sc->inreal);
	int out;

	if (real == NULL)
		return 1;
	out = !(strncmp(real, sc->inreal, n) == 0 && (real[n] == '/' || strcmp(sc->inreal, "/") == 0));
	free(real);
	return out;
}

/* The documents in absdir (IN's folder reldir), recursively: entries
 * sorted by name. A folder that cannot be read is recorded (sc->unread)
 * and a problem; -1 only when IN itself cannot be read. */
int
walk(const char *absdir, const char *reldir, Scan *sc, Docs *docs)
{
	DIR *dir = opendir(absdir);
	struct dirent *e;
	Entry *ents = NULL;
	size_t n = 0, cap = 0, nread, i, k;
	int dfd;
	Buf msg = BUF_INIT;

	if (dir == NULL) {
		if (reldir[0] == '\0') {
			warnmsg("%s: cannot read the folder: %s", absdir, strerror(errno));
			return -1;
		}
		buf_addf(&msg, "cannot read the folder: %s (its documents are kept as they were)", strerror(errno));
		scan_problem(sc, reldir, "retry", msg.s);
		strset_add(&sc->unread, xstrdup(reldir), NULL);
		buf_free(&msg);
		return 0;
	}
	dfd = dirfd(dir);
	errno = 0;
	while ((e = readdir(dir)) != NULL) {
		if (e->d_name[0] == '.')
			continue;	/* ., .., hidden files and folders */
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			ents = xrealloc(ents, cap * sizeof *ents);
		}
		ents[n].name = xstrdup(e->d_name);
		ents[n++].type = e->d_type;
	}
	nread = n;
	if (errno != 0) {
		if (reldir[0] == '\0') {
			warnmsg("%s: cannot read the folder: %s", absdir, strerror(errno));
			for (i = 0; i < nread; i++)
				free(ents[i].name);
			free(ents);
			closedir(dir);
			return -1;
		}
		buf_addf(&msg, "cannot read the folder: %s (its documents are kept as they were)", strerror(errno));
		scan_problem(sc, reldir, "retry", msg.s);
		strset_add(&sc->unread, xstrdup(reldir), NULL);
		n = 0;	/* (the names read are freed below) */
	}
	qsort(ents, n, sizeof *ents, cmp_entry);
	for (i = 0; i < n; i++) {
		struct stat st, lst;
		char *rel, *full;
		int islink = ents[i].type == DT_LNK;

		for (k = 0; k < sizeof skip_names / sizeof skip_names[0]; k++)
			if (strcmp(ents[i].name, skip_names[k]) == 0)
				break;
		if (k < sizeof skip_names / sizeof skip_names[0])
			continue;
		rel = reldir[0] ? pathcat(reldir, "/", ents[i].name) : xstrdup(ents[i].name);
		if (ents[i].type == DT_UNKNOWN) {
			if (fstatat(dfd, ents[i].name, &lst, AT_SYMLINK_NOFOLLOW) != 0) {
				free(rel);
				continue;	/* gone since the listing */
			}
			islink = S_ISLNK(lst.st_mode);
		}
		if (fstatat(dfd, ents[i].name, &st, 0) != 0) {
			int err = errno;

			if (err == ENOENT) {
				free(rel);	/* gone since the listing, or a dangling link */
				continue;
			}
			buf_clear(&msg);
			if (err == ELOOP) {
				buf_addf(&msg, "a symbolic link loop: not a document");
				scan_problem(sc, rel, "error", msg.s);
			} else {
				/* (a document before keeps its results) */
				buf_addf(&msg, "cannot be read: %s (kept as it was)", strerror(err));
				scan_problem(sc, rel, "retry", msg.s);
				strset_add(&sc->unread, xstrdup(rel), NULL);
			}
			free(rel);
			continue;
		}
		full = pathcat(absdir, "/", ents[i].name);
		if (S_ISDIR(st.st_mode) && !islink && !(st.st_dev == sc->outdev && st.st_ino == sc->outino)) {
			walk(full, rel, sc, docs);	/* (folders reached by a link are not followed: loops) */
		} else if (S_ISREG(st.st_mode) && islink && !sc->follow_outside && outside_in(sc, full)) {
			scan_problem(sc, rel, "warning", "a symbolic link that leads outside IN: not followed "
				     "(pipeline-sync --follow-outside, make run FOLLOW_OUTSIDE=1)");
		} else if (S_ISREG(st.st_mode)) {
			add_doc(docs, rel, full, &st);
			continue;	/* (rel and full are the document's now) */
		}
		free(rel);	/* a device, a FIFO, a socket: never read */
		free(full);
	}
	for (i = 0; i < nread; i++)
		free(ents[i].name);
	free(ents);
	closedir(dir);
	buf_free(&msg);
	return 0;
}
