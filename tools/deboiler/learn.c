/* learn.c: corpus mode. --learn counts the normalised lines at the edges
 * of many documents per site and writes the table of lines most of a
 * site's documents share; -b loads such a table, whose lines the rules
 * pass (chrome.c) then drops as "learned". */
#include "deboiler_int.h"
#include "err.h"
#include "input.h"
#include "tsv.h"

#include <stdlib.h>
#include <string.h>

struct DbLearn {
	Map count;	/* "site\tline" -> documents */
	Map docs;	/* site -> documents */
	Map seen;	/* lines of the current document */
};

static int cmp_str(const void *a, const void *b);

int
db_load_boiler(Deboiler *db, const char *path)
{
	In *in = in_open(path);
	Buf line = BUF_INIT;
	Fields fs = FIELDS_INIT;
	long col = -1;
	int header = 0, r, status = 0;

	if (in == NULL)
		return -1;
	while ((r = in_getline_crlf(in, &line)) == 1) {
		int isnew;
		long n;

		if (line.len == 0 || line.s[0] == '#')
			continue;
		tsv_split(line.s, line.len, &fs);
		if (!header) {
			header = 1;
			col = tsv_find_column(&fs, "line");
			if (col < 0) {
				warnat(path, in_lineno(in), "header has no 'line' column");
				status = -1;
				break;
			}
			continue;
		}
		if (fs.n <= (size_t)col) {
			warnat(path, in_lineno(in), "%zu fields, the 'line' column is missing", fs.n);
			status = -1;
			break;
		}
		n = tsv_unescape(fs.f[col].s, fs.f[col].len);
		if (n < 0) {
			warnat(path, in_lineno(in), "field ends in a lone backslash");
			status = -1;
			break;
		}
		if (n > 0)
			map_slot(&db->boiler, fs.f[col].s, (size_t)n, &isnew);
	}
	if (r < 0)
		status = -1;
	fields_free(&fs);
	buf_free(&line);
	in_close(in);
	return status;
}

DbLearn *
db_learn_new(void)
{
	return xcalloc(1, sizeof(DbLearn));
}

void
db_learn_free(DbLearn *l)
{
	if (!l)
		return;
	map_free(&l->count);
	map_free(&l->docs);
	map_free(&l->seen);
	free(l);
}

/* Count the lines at the document's edges (before its first content line,
 * after its last): the document's own text, headings, dates and salutations
 * included, is never counted however common. */
void
db_learn_add(Deboiler *db, DbLearn *l, const char *site, const char *text, size_t len)
{
	Work w = {BUF_INIT, NULL, 0, 0};
	DbDoc d;
	Buf key = BUF_INIT;
	size_t k, first = (size_t)-1, last = 0;
	int isnew;
	long *slot;

	if (!db->ready && prepare(db) < 0)
		db->ready = 1;
	if (text == NULL)
		text = "", len = 0;
	db_doc_init(&d);
	if (starts_with_header(text, len) || split_lines(&w, text, len, &d) < 0)
		goto out;
	for (k = 0; k < w.n; k++) {
		const char *s = LS(&w, k);
		size_t n = LN(&w, k), nc = w.line[k].nchar;

		if (is_marker_line(s, n) || is_date_line(s, n) || ends_with(s, n, "\xE3\x80\x82") ||
		    (nc >= 30 && has_sentence_punct(s, n))) {
			if (first == (size_t)-1)
				first = k;
			last = k;
		}
	}
	slot = map_slot(&l->docs, site, strlen(site), &isnew);
	(*slot)++;
	for (k = 0; k < w.n; k++) {
		const char *s = LS(&w, k);
		size_t n = LN(&w, k);

		if (first != (size_t)-1 && k >= first && k <= last)
			continue;
		if (is_structural(s, n, w.line[k].nchar) || is_title_like(s, n, w.line[k].nchar) ||
		    match_drop(db, s, n, w.line[k].nchar))
			continue;
		buf_clear(&key);
		db_normalize_line(s, n, &key);
		if (key.len == 0 || map_get(&l->seen, key.s, key.len) >= 0)
			continue;
		map_slot(&l->seen, key.s, key.len, &isnew);
		buf_clear(&key);
		buf_adds(&key, site);
		buf_addc(&key, '\t');
		db_normalize_line(s, n, &key);
		slot = map_slot(&l->count, key.s, key.len, &isnew);
		(*slot)++;
	}
	map_free(&l->seen);
out:
	buf_free(&key);
	buf_free(&w.arena);
	free(w.line);
	db_doc_free(&d);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
db_learn_write(DbLearn *l, Buf *out, size_t min_docs, double min_share)
{
	char **keys = xcalloc(l->count.n + 1, sizeof *keys);
	size_t i, n = 0;

	for (i = 0; i < l->count.cap; i++)
		if (l->count.key[i])
			keys[n++] = l->count.key[i];
	qsort(keys, n, sizeof *keys, cmp_str);	/* stable output */
	buf_adds(out, "site\tdocs\tshare\tline\n");
	for (i = 0; i < n; i++) {
		char *tab = strchr(keys[i], '\t');
		long c = map_get(&l->count, keys[i], strlen(keys[i]));
		long sd = map_get(&l->docs, keys[i], (size_t)(tab - keys[i]));
		double share = sd > 0 ? (double)c / (double)sd : 0;

		if ((size_t)c < min_docs || share < min_share)
			continue;
		tsv_buf_escaped(out, keys[i], (size_t)(tab - keys[i]));
		buf_addf(out, "\t%ld\t%.3f\t", c, share);
		tsv_buf_escaped(out, tab + 1, strlen(tab + 1));
		buf_addc(out, '\n');
	}
	free(keys);
}
