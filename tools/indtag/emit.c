/* emit.c: indtag's output: the TSV header and one row per figure (doc,
 * region, year, part, path, code, label, value, unit, qualifier, kind,
 * number, text, start, noun; rule with --explain; the short --numbers form). */
#include "indtag_int.h"
#include "tsv.h"

#include <string.h>

static size_t field_room(const char *s);
static char *put_field(char *p, const char *s, size_t n);
static char *put_cstr(char *p, const char *s);

void
indtag_format_header(Buf *b, const Opts *opt)
{
	if (opt->numbers) {
		buf_adds(b, "doc\tvalue\tunit\tqualifier\tkind\tnumber\tstart\n");
		return;
	}
	buf_adds(b, "doc\tregion\tyear\tpart\tpath\tcode\tlabel\tvalue\tunit\tqualifier\tkind\t"
		 "number\ttext\tstart\tnoun");
	if (opt->explain)
		buf_adds(b, "\trule");
	buf_addc(b, '\n');
}

/* Rows are built in e->row and written at once: a row per figure adds up,
 * and the pieces are small. */

/* Bytes a field takes at most: escaped, or "-" for NULL and "". */
static size_t
field_room(const char *s)
{
	return s ? 2 * strlen(s) + 1 : 1;
}

static char *
put_field(char *p, const char *s, size_t n)
{
	if (s == NULL || n == 0) {
		*p = '-';
		return p + 1;
	}
	return p + tsv_escape_to(p, s, n);
}

static char *
put_cstr(char *p, const char *s)	/* unescaped: code, unit, kind, rule (short) */
{
	while (*s)
		*p++ = *s++;
	return p;
}

/* e->doc and its field as written (escaped, "-" for none) */
void
indtag_set_doc(Emit *e, const char *doc)
{
	e->doc = doc;
	buf_clear(&e->docf);
	buf_grow(&e->docf, field_room(doc));
	e->docf.len = (size_t)(put_field(e->docf.s, doc, doc ? strlen(doc) : 0) - e->docf.s);
}

void
indtag_emit_row(const Figure *f, const char *text, void *arg)
{
	Emit *e = arg;
	size_t room;
	char *p;

	if (e->opt->numbers) {
		/* the bare scan: no attribution, no clause */
		room = e->docf.len + 2 * f->len + DEC_STR_MAX + 64;
		buf_grow(&e->row, room);
		p = e->row.s;
		memcpy(p, e->docf.s, e->docf.len);
		p += e->docf.len;
		*p++ = '\t';
		p += dec_to_str(f->value, p);
		*p++ = '\t';
		p = put_cstr(p, f->unit);
		*p++ = '\t';
		*p++ = (char)f->qual;
		*p++ = '\t';
		p = put_cstr(p, f->kind);
		*p++ = '\t';
		/* the number as written: digits, , . and numerals, nothing
		 * to escape */
		memcpy(p, text + f->off, f->len);
		p += f->len;
		*p++ = '\t';
		p = put_udec(p, e->base + f->chars);
		*p++ = '\n';
		out_write(e->o, e->row.s, (size_t)(p - e->row.s));
		e->n++;
		return;
	}
	room = e->docf.len + field_room(e->region) + field_room(e->year) +
	       field_room(e->part) + field_room(e->path) + strlen(f->code) + field_room(f->label) +
	       2 * (f->len + f->clause_len + f->noun_len) + strlen(f->rule) + DEC_STR_MAX + 96;
	buf_grow(&e->row, room);
	p = e->row.s;
	memcpy(p, e->docf.s, e->docf.len);
	p += e->docf.len;
	*p++ = '\t';
	p = put_field(p, e->region, e->region ? strlen(e->region) : 0);
	*p++ = '\t';
	p = put_field(p, e->year, e->year ? strlen(e->year) : 0);
	*p++ = '\t';
	p = put_field(p, e->part, e->part ? strlen(e->part) : 0);
	*p++ = '\t';
	p = put_field(p, e->path, e->path ? strlen(e->path) : 0);
	*p++ = '\t';
	p = put_cstr(p, f->code);
	*p++ = '\t';
	p = put_field(p, f->label, f->label ? strlen(f->label) : 0);
	*p++ = '\t';
	p += dec_to_str(f->value, p);
	*p++ = '\t';
	p = put_cstr(p, f->unit);
	*p++ = '\t';
	*p++ = (char)f->qual;
	*p++ = '\t';
	p = put_cstr(p, f->kind);
	*p++ = '\t';
	p += tsv_escape_to(p, text + f->off, f->len);
	*p++ = '\t';
	p = put_field(p, text + f->clause_off, f->clause_len);
	*p++ = '\t';
	p = put_udec(p, e->base + f->chars);
	*p++ = '\t';
	p = put_field(p, text + f->noun_off, f->noun_len);
	if (e->opt->explain) {
		*p++ = '\t';
		p = put_cstr(p, f->rule);
	}
	*p++ = '\n';
	out_write(e->o, e->row.s, (size_t)(p - e->row.s));
	e->n++;
	if (f->code[0] == 'o' && strcmp(f->code, "other") == 0)
		e->nother++;
}
