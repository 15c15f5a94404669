/* groups.c: hashing, the string map (a set of byte strings with counts,
 * for unique/nunique/mode and the pivot's row and column keys) and the
 * group table (open addressing over records in an arena: each record is a
 * group's state block followed by its key bytes).
 */
#include "agg.h"
#include "err.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Seeded per process (address-space layout and time): input crafted to
 * collide cannot turn the tables quadratic. No output depends on it. */
uint64_t hash_seed;

void
hash_init(void)
{
	if (hash_seed == 0)
		hash_seed = 0x9E3779B97F4A7C15ULL ^ (uint64_t)(uintptr_t)&hash_seed ^
			    ((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid();
}

static void
sm_rehash(StrMap *m, size_t tcap)
{
	size_t i;

	free(m->tab);
	m->tab = xcalloc(tcap, sizeof *m->tab);
	m->tcap = tcap;
	for (i = 0; i < m->n; i++) {
		size_t j = m->it[i].h & (tcap - 1);

		while (m->tab[j])
			j = (j + 1) & (tcap - 1);
		m->tab[j] = (m->it[i].h & 0xFFFFFFFF00000000ULL) | (uint64_t)(i + 1);
	}
}

/* Index of key (added when absent; *added tells). */
size_t
sm_get(StrMap *m, const char *k, size_t n, int *added)
{
	uint64_t h = hash_bytes(k, n), hi = h & 0xFFFFFFFF00000000ULL;
	size_t j, idx;

	/* Small first: a set per group (nunique, unique, mode) over hundreds
	 * of thousands of groups mostly holds a handful of values. */
	if (m->tcap == 0)
		sm_rehash(m, 4);
	j = h & (m->tcap - 1);
	while (m->tab[j]) {
		if ((m->tab[j] & 0xFFFFFFFF00000000ULL) == hi) {
			idx = (size_t)(m->tab[j] & 0xFFFFFFFF) - 1;
			if (m->it[idx].len == n && memcmp(m->bytes.s + m->it[idx].off, k, n) == 0) {
				*added = 0;
				return idx;
			}
		}
		j = (j + 1) & (m->tcap - 1);
	}
	if (m->n >= 0xFFFFFFFEu)
		die(EXIT_DATA, "more than 4 billion distinct keys");
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 2;
		m->it = xrealloc(m->it, m->cap * sizeof *m->it);
	}
	idx = m->n++;
	m->it[idx].h = h;
	m->it[idx].off = m->bytes.len;
	m->it[idx].len = n;
	m->it[idx].count = 0;
	buf_add(&m->bytes, k, n);
	m->tab[j] = hi | (uint64_t)(idx + 1);
	if (m->n * 2 > m->tcap)
		sm_rehash(m, m->tcap * 2);
	*added = 1;
	return idx;
}

const char *
sm_key(const StrMap *m, size_t i)
{
	return m->bytes.s + m->it[i].off;
}

void
sm_free(StrMap *m)
{
	free(m->it);
	free(m->tab);
	buf_free(&m->bytes);
	memset(m, 0, sizeof *m);
}
const char *
gkey(const Agg *a, size_t g, size_t *len)
{
	*len = (size_t)*(const uint64_t *)(a->grec[g] + 8);
	return a->grec[g] + a->stride;
}

static void
slots_grow(Agg *a)
{
	size_t cap = a->scap ? a->scap * 2 : 1024, i, j, old = a->scap;
	Slot *t = xcalloc(cap, sizeof *t), *o = a->slot;

	if (cap > ((size_t)1 << 32))
		die(EXIT_DATA, "more than 2 billion groups");
	a->slot = t;
	a->scap = cap;
	a->slg = a->slg ? a->slg + 1 : 10;
	for (i = 0; i < old; i++) {
		if (o[i].rec == NULL)
			continue;
		for (j = slot_of(a, o[i].hhi); t[j].rec; j = (j + 1) & (cap - 1))
			;
		t[j] = o[i];
	}
	free(o);
}

/* A new zeroed record of n bytes from the arena (16-aligned). */
static char *
rec_alloc(Agg *a, size_t n)
{
	char *r;

	n = (n + 15) & ~(size_t)15;
	if (a->nchunks == 0 || a->cused + n > a->ccap) {
		/* 4 KiB, doubling to 1 MiB: small inputs stay small */
		size_t cap = a->nchunks < 8 ? (size_t)4096 << a->nchunks : (size_t)1 << 20;

		if (cap < n)
			cap = n;

		a->chunks = xrealloc(a->chunks, (a->nchunks + 1) * sizeof *a->chunks);
		a->chunks[a->nchunks++] = xmalloc(cap);
		a->cused = 0;
		a->ccap = cap;
	}
	r = a->chunks[a->nchunks - 1] + a->cused;
	a->cused += n;
	memset(r, 0, a->stride);
	return r;
}

/* The state of group k[0..n), created when new. */
char *
group_find(Agg *a, const char *k, size_t n, uint64_t h)
{
	uint32_t hhi = (uint32_t)(h >> 32);
	size_t j;
	char *r;

	if (n > UINT32_MAX)
		die(EXIT_DATA, "a group key longer than 4 GiB");
	if (a->scap == 0)
		slots_grow(a);
	for (j = slot_of(a, hhi); a->slot[j].rec; j = (j + 1) & (a->scap - 1)) {
		const Slot *sl = &a->slot[j];

		if (sl->hhi == hhi && sl->len == n && memcmp(sl->rec + a->stride, k, n) == 0)
			return sl->rec;
	}
	r = rec_alloc(a, a->stride + n);
	*(uint64_t *)(r + 8) = n;
	memcpy(r + a->stride, k, n);
	a->slot[j].hhi = hhi;
	a->slot[j].len = (uint32_t)n;
	a->slot[j].rec = r;
	if (a->ngroups == a->grcap) {
		a->grcap = a->grcap ? a->grcap * 2 : 256;
		a->grec = xrealloc(a->grec, a->grcap * sizeof *a->grec);
	}
	a->grec[a->ngroups++] = r;
	if (a->ngroups * 2 > a->scap)
		slots_grow(a);
	return r;
}

char *
group_of(Agg *a, const char *k, size_t n)
{
	return group_find(a, k, n, hash_bytes(k, n));
}

/* sm_order sorts with qsort, which passes no context: */
static const char *sort_base;
static const SmItem *sort_items;

static int
cmp_item(const void *x, const void *y)
{
	const SmItem *p = &sort_items[*(const size_t *)x], *q = &sort_items[*(const size_t *)y];
	size_t n = p->len < q->len ? p->len : q->len;
	int c = memcmp(sort_base + p->off, sort_base + q->off, n);

	if (c)
		return c;
	return p->len < q->len ? -1 : p->len > q->len;
}

/* Indexes of m's items, in first-seen order or sorted by bytes. */
size_t *
sm_order(const StrMap *m, int sorted)
{
	size_t *ix = xmalloc((m->n + 1) * sizeof *ix), i;

	for (i = 0; i < m->n; i++)
		ix[i] = i;
	if (sorted && m->n > 1) {
		sort_base = m->bytes.s;
		sort_items = m->it;
		qsort(ix, m->n, sizeof *ix, cmp_item);
	}
	return ix;
}

