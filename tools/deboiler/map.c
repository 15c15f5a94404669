/* map.c: the core's small string hash (key -> long, open addressing,
 * keys copied), for region names, learned lines and --learn counts. */
#include "deboiler_int.h"
#include "err.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash_bytes(const char *s, size_t n);

static uint64_t
hash_bytes(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

long
map_get(const Map *m, const char *s, size_t n)
{
	size_t i;

	if (m->cap == 0)
		return -1;
	for (i = hash_bytes(s, n) & (m->cap - 1); m->key[i]; i = (i + 1) & (m->cap - 1))
		if (m->klen[i] == n && memcmp(m->key[i], s, n) == 0)
			return m->val[i];
	return -1;
}

long *
map_slot(Map *m, const char *s, size_t n, int *isnew)
{
	size_t i;

	if ((m->n + 1) * 2 > m->cap) {
		Map g = {0};
		size_t j;

		g.cap = m->cap ? m->cap * 2 : 256;
		g.key = xcalloc(g.cap, sizeof *g.key);
		g.klen = xcalloc(g.cap, sizeof *g.klen);
		g.val = xcalloc(g.cap, sizeof *g.val);
		for (j = 0; j < m->cap; j++) {
			if (!m->key[j])
				continue;
			for (i = hash_bytes(m->key[j], m->klen[j]) & (g.cap - 1); g.key[i]; i = (i + 1) & (g.cap - 1))
				;
			g.key[i] = m->key[j];
			g.klen[i] = m->klen[j];
			g.val[i] = m->val[j];
		}
		g.n = m->n;
		free(m->key);
		free(m->klen);
		free(m->val);
		*m = g;
	}
	for (i = hash_bytes(s, n) & (m->cap - 1); m->key[i]; i = (i + 1) & (m->cap - 1)) {
		if (m->klen[i] == n && memcmp(m->key[i], s, n) == 0) {
			*isnew = 0;
			return &m->val[i];
		}
	}
	m->key[i] = xstrndup(s, n);
	m->klen[i] = n;
	m->val[i] = 0;
	m->n++;
	*isnew = 1;
	return &m->val[i];
}

void
map_free(Map *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		free(m->key[i]);
	free(m->key);
	free(m->klen);
	free(m->val);
	memset(m, 0, sizeof *m);
}
