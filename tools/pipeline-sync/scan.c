/* scan.c: the walk over IN: every regular file is a document, with its
 * signature (size, mtime, path). */
#include "sync.h"

#include "buf.h"
#include "err.h"
#include "tsv.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Files that are never documents (beside names starting with a dot). */
static const char *const skip_names[] = {".DS_Store", "Thumbs.db"};

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

/* The documents in absdir (IN's folder reldir), recursively: entries
 * sorted by name. -1 when a folder could not be read (reported). */
int
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
