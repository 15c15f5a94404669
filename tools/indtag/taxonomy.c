/* taxonomy.c: indtag's tagger and its data: the taxonomy of indicator codes
 * (data/indicators.tsv: code, label) and the attribution rules files
 * (data/indtag-rules.tsv and -r files: code, unit, scope, pattern, context),
 * loaded and checked into the rule table that attribute.c runs. */
#include "indtag_int.h"
#include "err.h"
#include "input.h"
#include "numparse.h"
#include "tsv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *find_label(const Tagger *t, const char *code);
static int valid_code(const char *c);
static int parse_units(const char *spec, uint64_t *bits);

static const char *const scope_names[] = {"noun", "near", "clause", "sentence", "line", NULL};

/* Normalised units, for rule filters; bit UNITLESS is "no unit". */
static const char *const unit_names[] = {
	"件", "人", "人次", "次", "场", "项", "个", "名", "份", "条", "部", "卷", "台",
	"家", "期", "批", "%", "元", "户", "所", "处", "本", "册", "篇", "套", "张",
	"支", "座", "百分点", "个百分点", "种", "组", "幅", "方面", NULL
};

uint64_t
indtag_unit_bit(const char *u)
{
	int i;

	if (u == NULL || strcmp(u, "-") == 0)
		return 1ULL << UNITLESS;
	for (i = 0; unit_names[i]; i++)
		if (strcmp(unit_names[i], u) == 0)
			return 1ULL << i;
	return 1ULL << UNIT_OTHER;
}

Tagger *
indtag_new(void)
{
	return xcalloc(1, sizeof(Tagger));
}

void
indtag_free(Tagger *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nr; i++)
		if (t->r[i].has_ctx)
			rx_free(&t->r[i].ctx);
	free(t->r);
	for (i = 0; i < t->ncode; i++) {
		free(t->code[i]);
		free(t->label[i]);
	}
	free(t->code);
	free(t->label);
	free(t->fig);
	rules_free(&t->rs);
	free(t);
}

void
indtag_trust_utf8(Tagger *t, int on)
{
	t->trust_utf8 = on;
}

void
indtag_set_numbers_only(Tagger *t, int on)
{
	t->numbers_only = on;
}

static const char *
find_label(const Tagger *t, const char *code)
{
	size_t i;

	for (i = 0; i < t->ncode; i++)
		if (strcmp(t->code[i], code) == 0)
			return t->label[i];
	return NULL;
}

int
indtag_load_taxonomy(Tagger *t, const char *path)
{
	In *in = in_open(path);
	Buf line = BUF_INIT;
	Fields f = FIELDS_INIT;
	long ccode = -1, clabel = -1;
	int rc, header = 1, status = 0;

	if (in == NULL)
		return -1;
	while ((rc = in_getline_crlf(in, &line)) > 0) {
		if (line.len == 0 || line.s[0] == '#')
			continue;
		tsv_split(line.s, line.len, &f);
		if (header) {
			ccode = tsv_find_column(&f, "code");
			clabel = tsv_find_column(&f, "label_zh");
			if (clabel < 0)
				clabel = tsv_find_column(&f, "label");
			if (ccode < 0 || clabel < 0) {
				warnat(path, in_lineno(in), "taxonomy needs columns code and label_zh");
				status = -1;
				break;
			}
			header = 0;
			continue;
		}
		if ((size_t)ccode >= f.n || (size_t)clabel >= f.n) {
			warnat(path, in_lineno(in), "too few fields");
			status = -1;
			break;
		}
		if (t->ncode == t->codecap) {
			t->codecap = t->codecap ? 2 * t->codecap : 128;
			t->code = xrealloc(t->code, t->codecap * sizeof *t->code);
			t->label = xrealloc(t->label, t->codecap * sizeof *t->label);
		}
		t->code[t->ncode] = xstrndup(f.f[ccode].s, f.f[ccode].len);
		t->label[t->ncode] = xstrndup(f.f[clabel].s, f.f[clabel].len);
		t->ncode++;
	}
	if (rc < 0)
		status = -1;
	if (status == 0 && header) {
		warnat(path, 0, "empty taxonomy");
		status = -1;
	}
	in_close(in);
	buf_free(&line);
	fields_free(&f);
	return status;
}

static int
valid_code(const char *c)
{
	if (*c == '\0')
		return 0;
	for (; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '.' ||
		      *c == '_' || *c == '-'))
			return 0;
	return 1;
}

/* Unit filter of a rule: "*", "-", or a comma list of units as written. */
static int
parse_units(const char *spec, uint64_t *bits)
{
	const char *p = spec;

	*bits = 0;
	if (strcmp(spec, "*") == 0) {
		*bits = ~0ULL;
		return 0;
	}
	while (*p) {
		const char *q = strchr(p, ',');
		size_t k = q ? (size_t)(q - p) : strlen(p);
		const char *norm;
		int pw;

		if (k == 1 && *p == '-')
			*bits |= 1ULL << UNITLESS;
		else if (k > 0 && num_unit(p, k, &norm, &pw) == k)
			*bits |= indtag_unit_bit(norm);
		else
			return -1;
		p += k;
		if (*p == ',')
			p++;
	}
	return *bits ? 0 : -1;
}

int
indtag_load_rules(Tagger *t, const char *path)
{
	static const char *const required[] = {"code", "unit", "scope", "pattern", NULL};
	size_t first = t->rs.n, i;
	long ccode, cunit, cscope, cctx;

	if (rules_load(&t->rs, path, "pattern", required, 0) != 0)
		return -1;
	ccode = rules_column(&t->rs, "code");
	cunit = rules_column(&t->rs, "unit");
	cscope = rules_column(&t->rs, "scope");
	cctx = rules_column(&t->rs, "context");
	for (i = first; i < t->rs.n; i++) {
		Rule *ru = &t->rs.rule[i];
		TRule *r;
		const char *code = ru->field[ccode];
		int s;

		if (t->nr == t->rcap) {
			t->rcap = t->rcap ? 2 * t->rcap : 256;
			t->r = xrealloc(t->r, t->rcap * sizeof *t->r);
			/* the RuleSet may move its rules too: re-point below */
		}
		r = &t->r[t->nr];
		memset(r, 0, sizeof *r);
		if (!valid_code(code)) {
			warnat(path, ru->line, "bad code '%s' (letters, digits, '.', '_', '-')", code);
			return -1;
		}
		r->code = code;
		r->drop = strcmp(code, "drop") == 0;
		r->label = find_label(t, code);
		if (r->label == NULL)
			r->label = "-";
		if (parse_units(ru->field[cunit], &r->units) != 0) {
			warnat(path, ru->line, "bad unit list '%s' (units such as 件,人次 or * or -)",
			       ru->field[cunit]);
			return -1;
		}
		for (s = 0; scope_names[s]; s++)
			if (strcmp(scope_names[s], ru->field[cscope]) == 0)
				break;
		if (scope_names[s] == NULL) {
			warnat(path, ru->line, "bad scope '%s' (line, noun, near, clause or sentence)",
			       ru->field[cscope]);
			return -1;
		}
		r->scope = s;
		if (cctx >= 0 && strcmp(ru->field[cctx], "-") != 0 && ru->field[cctx][0] != '\0') {
			Buf err = BUF_INIT;

			if (rx_compile(&r->ctx, ru->field[cctx], 0, &err) != 0) {
				warnat(path, ru->line, "context: %s", err.s);
				buf_free(&err);
				return -1;
			}
			r->has_ctx = 1;
		}
		{
			const char *base = strrchr(path, '/');

			snprintf(r->where, sizeof r->where, "%s:%lu", base ? base + 1 : path, ru->line);
		}
		t->nr++;
	}
	/* Point at the compiled patterns only now: rules_load may have moved them. */
	for (i = 0; i < t->nr; i++) {
		t->r[i].rx = &t->rs.rule[i].rx;
		t->r[i].code = t->rs.rule[i].field[ccode];
	}
	return 0;
}
