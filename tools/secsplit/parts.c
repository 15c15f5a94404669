/* parts.c: secsplit's rules and part labelling: loading data/parts.tsv and
 * data/speakers.tsv (ss_new), the canonical part of each heading (measures,
 * problems, leadership, plans, other) and the document type guessed when the
 * header names none. Change how parts are labelled here. */
#include "secsplit_int.h"
#include "cli.h"
#include "err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const ss_part_name[NPARTS] = {
	"measures", "problems", "leadership", "plans", "other"
};

static int match_part(Secsplit *ss, const char *s, size_t n, int *nmatched);
static int has(const char *s, size_t n, const char *needle);
static void guess_type(Secsplit *ss, Ctx *c, int top);
static int report_year(Ctx *c, int top);

/* --- rules -------------------------------------------------------------- */

Secsplit *
ss_new(const SsOptions *opt)
{
	Secsplit *ss = xcalloc(1, sizeof *ss);
	const char *preq[] = {"part", NULL}, *sreq[] = {"kind", NULL};
	char *pp = opt->parts_file ? xstrdup(opt->parts_file) : data_path("parts.tsv");
	char *sp = opt->speakers_file ? xstrdup(opt->speakers_file) : data_path("speakers.tsv");
	size_t i;
	long col;
	int bad = 0;

	ss->opt = *opt;
	if (rules_load(&ss->parts, pp, "pattern", preq, 0) < 0 ||
	    rules_load(&ss->speakers, sp, "pattern", sreq, 0) < 0) {
		bad = 1;
		goto out;
	}
	col = rules_column(&ss->parts, "part");
	ss->part_of_rule = xcalloc(ss->parts.n + 1, sizeof *ss->part_of_rule);
	for (i = 0; i < ss->parts.n; i++) {
		const char *name = ss->parts.rule[i].field[col];
		int k;

		for (k = 0; k < NPARTS; k++)
			if (strcmp(name, ss_part_name[k]) == 0)
				break;
		if (k == NPARTS) {
			warnat(pp, ss->parts.rule[i].line,
			       "unknown part '%s' (measures, problems, leadership, plans, other)", name);
			bad = 1;
		}
		ss->part_of_rule[i] = k;
	}
out:
	free(pp);
	free(sp);
	if (bad) {
		ss_free(ss);
		return NULL;
	}
	return ss;
}

void
ss_free(Secsplit *ss)
{
	if (ss == NULL)
		return;
	rules_free(&ss->parts);
	rules_free(&ss->speakers);
	free(ss->part_of_rule);
	free(ss);
}

/* Part named by a heading: the rule matching earliest in it. */
static int
match_part(Secsplit *ss, const char *s, size_t n, int *nmatched)
{
	size_t i, best_at = (size_t)-1;
	int best = PART_NONE, seen[NPARTS] = {0};

	*nmatched = 0;
	for (i = 0; i < ss->parts.n; i++) {
		Regex *rx = &ss->parts.rule[i].rx;
		int p = ss->part_of_rule[i];

		if (rx_match_opts(rx, s, n, 0, PCRE2_NO_UTF_CHECK) != RX_MATCHED)
			continue;
		if (!seen[p]) {
			seen[p] = 1;
			(*nmatched)++;
		}
		if (rx_ovector(rx)[0] < best_at) {
			best_at = rx_ovector(rx)[0];
			best = p;
		}
	}
	return best;
}

static int
has(const char *s, size_t n, const char *needle)
{
	return memmem(s, n, needle, strlen(needle)) != NULL;
}

/* Document type when the header has none. */
static void
guess_type(Secsplit *ss, Ctx *c, int top)
{
	SsResult *r = c->res;
	const char *s = c->s;
	size_t pre = r->n > 1 ? r->row[1].bstart : c->len, i;

	if (pre > 4000)
		pre = 4000;
	/* simplified and traditional forms: BIG5 pages may come unconverted */
	if (c->nspeakers >= 2 && (has(s, c->len, "发布会") || has(s, c->len, "發布會") ||
				  has(s, c->len, "记者") || has(s, c->len, "記者") ||
				  has(s, c->len, "访谈") || has(s, c->len, "訪談")))
		snprintf(r->type, sizeof r->type, "press-conference");
	else if (has(s, pre, "答复") || has(s, pre, "答復") || has(s, pre, "答覆"))
		snprintf(r->type, sizeof r->type, "proposal-reply");
	else {
		snprintf(r->type, sizeof r->type, "-");
		for (i = 0; i < r->n; i++) {
			SsRow *row = &r->row[i];
			int nm;

			if (row->kind == SS_HEADING && row->rank == top &&
			    match_part(ss, s + row->heading, row->headinglen, &nm) != PART_NONE) {
				snprintf(r->type, sizeof r->type, "annual-report");
				break;
			}
		}
	}
}

/* The first year "2024年" in s[0..n), or 0. */
int
ss_year_in(const char *s, size_t n)
{
	const char *q = s, *e = s + n;

	while ((q = memmem(q, (size_t)(e - q), "\xe5\xb9\xb4", 3)) != NULL) {	/* 年 */
		if (q - s >= 4 && (q[-4] == '1' || q[-4] == '2') && q[-3] >= '0' && q[-3] <= '9' &&
		    q[-2] >= '0' && q[-2] <= '9' && q[-1] >= '0' && q[-1] <= '9' &&
		    (q - s == 4 || q[-5] < '0' || q[-5] > '9'))
			return (q[-4] - '0') * 1000 + (q[-3] - '0') * 100 + (q[-2] - '0') * 10 + (q[-1] - '0');
		q += 3;
	}
	return 0;
}

/* The year the report is about: the Year: header, else the earliest year
 * named by a top-level heading (2023年…成效 … 2024年…). */
static int
report_year(Ctx *c, int top)
{
	size_t n, i;
	const char *y = ss_header(c->doc, "Year", &n);
	int v = 0;

	if (y && n == 4 && y[0] >= '1' && y[0] <= '2')
		return atoi(y);
	for (i = 0; i < c->res->n; i++) {
		const SsRow *row = &c->res->row[i];
		int w;

		if (row->kind == SS_HEADING && row->rank == top &&
		    (w = ss_year_in(c->s + row->heading, row->headinglen)) > 0 && (v == 0 || w < v))
			v = w;
	}
	return v;
}

void
ss_assign_parts(Secsplit *ss, Ctx *c)
{
	SsResult *r = c->res;
	size_t i, tl;
	int top = NFAM, cur = PART_NONE, mixed = 0, beyond = 0, ryear;
	const char *t;

	for (i = 0; i < r->n; i++)
		if (r->row[i].kind == SS_HEADING && r->row[i].rank < top)
			top = r->row[i].rank;
	t = ss_header(c->doc, "Type", &tl);
	if (t && tl > 0)
		snprintf(r->type, sizeof r->type, "%.*s", (int)tl, t);
	else if (ss->opt.type)
		snprintf(r->type, sizeof r->type, "%s", ss->opt.type);
	else
		guess_type(ss, c, top);
	if (strcmp(r->type, "annual-report") != 0)
		return;
	ryear = report_year(c, top);
	for (i = 0; i < r->n; i++) {
		SsRow *row = &r->row[i];
		int nm, p;

		switch (row->kind) {
		case SS_SPEAKER:
			cur = PART_NONE;
			mixed = 0;
			break;
		case SS_ITEM:
			row->part = cur;
			break;
		case SS_HEADING:
			p = match_part(ss, c->s + row->heading, row->headinglen, &nm);
			if (row->rank == top) {
				int y;

				/* no keyword: next year's work is plans, else the
				 * first parts are what was done */
				if (p == PART_NONE && (y = ss_year_in(c->s + row->heading, row->headinglen)) > 0 &&
				    ryear > 0 && y > ryear)
					p = PART_PLANS;
				if (p == PART_NONE)
					p = beyond ? PART_NONE : PART_MEASURES;
				if (p != PART_NONE && p != PART_MEASURES)
					beyond = 1;
				cur = p;
				mixed = nm > 1;
				row->part = p;
			} else {
				/* children inherit, unless the parent names two parts */
				row->part = (mixed && p != PART_NONE) ? p : cur;
			}
			if (row->part != PART_NONE)
				r->has_part[row->part] = 1;
			break;
		}
	}
}
