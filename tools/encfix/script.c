/* script.c: the traditional -> simplified table (data/t2s.tsv) and the
 * script verdict of a document from the characters only one script has. */
#include "encfix-int.h"
#include "err.h"
#include "utf8.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint32_t *t2s_bmp;		/* 65536: simplified form, 0 = none */
static uint32_t (*t2s_supp)[2];	/* sorted pairs for keys past the BMP */
static size_t t2s_nsupp;
uint8_t *scr;			/* 65536: 1 only traditional, 2 only simplified */

static int
cmp_pair(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

int
encfix_load_t2s(const char *path, Buf *err)
{
	FILE *f = fopen(path, "r");
	char line[256];
	unsigned long lineno = 0;
	size_t cap = 0;

	if (!f) {
		buf_addf(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	free(t2s_bmp);
	free(t2s_supp);
	free(scr);
	t2s_bmp = xcalloc(65536, sizeof *t2s_bmp);
	scr = xcalloc(65536, 1);
	t2s_supp = NULL;
	t2s_nsupp = 0;
	while (fgets(line, sizeof line, f)) {
		const unsigned char *s = (const unsigned char *)line;
		size_t len = strlen(line);
		uint32_t t, v;
		int a, b;

		lineno++;
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		a = utf8_decode(s, len, &t);
		if (a < 0 || (size_t)a >= len || s[a] != '\t' ||
		    (b = utf8_decode(s + a + 1, len - (size_t)a - 1, &v)) < 0 ||
		    (size_t)(a + 1 + b) != len) {
			buf_addf(err, "%s:%lu: expected TRADITIONAL<TAB>SIMPLIFIED", path, lineno);
			fclose(f);
			return -1;
		}
		if (t < 0x10000) {
			t2s_bmp[t] = v;
		} else {
			if (t2s_nsupp == cap) {
				cap = cap ? 2 * cap : 256;
				t2s_supp = xrealloc(t2s_supp, cap * sizeof *t2s_supp);
			}
			t2s_supp[t2s_nsupp][0] = t;
			t2s_supp[t2s_nsupp][1] = v;
			t2s_nsupp++;
		}
	}
	if (ferror(f)) {
		buf_addf(err, "%s: read error", path);
		fclose(f);
		return -1;
	}
	fclose(f);
	if (t2s_nsupp)
		qsort(t2s_supp, t2s_nsupp, sizeof *t2s_supp, cmp_pair);
	/* Script evidence: keys are traditional-only, values that are not keys
	 * simplified-only (characters both scripts share map to themselves and
	 * are not in the table). */
	for (uint32_t c = 0; c < 65536; c++) {
		if (t2s_bmp[c]) {
			scr[c] = 1;
			if (t2s_bmp[c] < 0x10000 && !t2s_bmp[t2s_bmp[c]])
				scr[t2s_bmp[c]] = 2;
		}
	}
	return 0;
}

int
encfix_have_t2s(void)
{
	return t2s_bmp != NULL;
}

uint32_t
t2s_map(uint32_t cp)
{
	if (cp < 0x10000)
		return t2s_bmp[cp] ? t2s_bmp[cp] : cp;
	if (t2s_nsupp) {
		uint32_t key[2] = {cp, 0};
		uint32_t (*hit)[2] = bsearch(key, t2s_supp, t2s_nsupp, sizeof *t2s_supp, cmp_pair);

		if (hit)
			return (*hit)[1];
	}
	return cp;
}

void
free_t2s(void)
{
	free(t2s_bmp);
	free(t2s_supp);
	free(scr);
	t2s_bmp = NULL;
	t2s_supp = NULL;
	scr = NULL;
	t2s_nsupp = 0;
}

/* Script from the counts of characters only one script has. */
const char *
script_of(const EncfixStats *st)
{
	if (!scr || st->trad + st->simp == 0)
		return "-";
	if (st->trad >= 4 * st->simp)
		return "traditional";
	if (st->simp >= 4 * st->trad)
		return "simplified";
	return "mixed";
}
