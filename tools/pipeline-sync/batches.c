/* batches.c: which batch a document belongs to (the one place that decides
 * it: crc32 of the id modulo the number of batches) and the files that tell
 * Make and the batches about them (batch-K.list, batches.mk,
 * links-pending.txt, docs.list, nbatches). */
#include "sync.h"

#include "buf.h"
#include "err.h"
#include "tsv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The batch of the document id, of nbatches. */
unsigned
batch_of(const char *id, unsigned nbatches)
{
	return crc32_of(id) % nbatches;
}

/* A file of a batch that is no more: batch-N-K.done of another N, or
 * batch-K.list / batch-K.todo with K past the last batch. */
int
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

/* The batches. BATCH_K in batches.mk: the documents of batch K whose link
 * may be newer than the batch's stamp, the prerequisites Make compares
 * (with a margin for coarse file times; Make's own comparison decides).
 * Listing all 20,000 would have Make stat every link and its target on
 * every run. Which ones may be: those made anew now, and those listed last
 * time that are not older than their batch's stamp yet
 * (links-pending.txt); all of a batch without a stamp. Then batch-K.list,
 * nbatches, links-pending.txt and docs.list. 0, or -1 (reported). */
int
write_batches(const Run *r)
{
	unsigned nb = r->opt->nbatches, k;
	size_t n = r->docs.n, i, j;
	size_t *first = xcalloc(nb + 1, sizeof *first), *fill = xcalloc(nb, sizeof *fill);
	size_t *order = xcalloc(n + 1, sizeof *order);
	unsigned *batch = xcalloc(n + 1, sizeof *batch);
	Buf mk = BUF_INIT, list = BUF_INIT, b = BUF_INIT;
	StrSet still = {0};
	int status = 0;

	/* the documents of each batch, in id order: order[first[k] .. first[k+1]) */
	for (i = 0; i < n; i++) {
		batch[i] = batch_of(r->docs.d[i].id, nb);
		first[batch[i] + 1]++;
	}
	for (k = 0; k < nb; k++)
		first[k + 1] += first[k];
	for (i = 0; i < n; i++)
		order[first[batch[i]] + fill[batch[i]]++] = i;

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
			} else if (!r->have_pending || strset_find(&r->pending, d->id) >= 0) {
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
	strset_free(&still);
	return status;
}

