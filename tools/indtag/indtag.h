/* indtag.h: the core of indtag, callable on a memory buffer (no I/O): find
 * every stated figure in a text, parse it exactly, and attribute it to an
 * indicator code with the rules of data/indtag-rules.tsv. */
#ifndef INDTAG_H
#define INDTAG_H

#include <stddef.h>
#include "decimal.h"

typedef struct Tagger Tagger;

typedef struct {
	size_t off, len;	/* the number as written: text[off..off+len) */
	size_t chars;		/* character (code point) offset of the number */
	Dec value;		/* exact, scaled to the normalised unit */
	const char *unit;	/* normalised unit ("件", "元", "%"), "-" for none */
	int qual;		/* '=' '>' '<' '~' */
	const char *kind;	/* "value", "from", "to" or "change" */
	const char *code;	/* indicator code; "other" when no rule claims it */
	const char *label;	/* the code's label, "-" when unknown */
	const char *rule;	/* "file:line" of the deciding rule, "inherit", or "-" */
	size_t clause_off, clause_len;	/* the clause holding the number, trimmed */
	size_t noun_off, noun_len;	/* the noun after a measure word (may be empty) */
} Figure;

/* Called for every figure, in text order; text is the buffer tagged. */
typedef void (*figure_fn)(const Figure *f, const char *text, void *arg);

Tagger *indtag_new(void);
void indtag_free(Tagger *t);

/* The taxonomy (TSV with columns code and label_zh or label). 0, or -1
 * after reporting the error. */
int indtag_load_taxonomy(Tagger *t, const char *path);

/* Append the rules of a file (columns code, unit, scope, pattern, and an
 * optional context); rules loaded first win. 0, or -1 after reporting
 * "indtag: file:line: message". Load the taxonomy first: codes are checked. */
int indtag_load_rules(Tagger *t, const char *path);

/* Numbers only: skip attribution (every figure is "other"); exclusions
 * by position (dates, ordinals, codes) still apply. */
void indtag_set_numbers_only(Tagger *t, int on);

/* The caller guarantees that every text it passes is valid UTF-8 (indtag's
 * main repairs its input first): skips a validation pass per text. */
void indtag_trust_utf8(Tagger *t, int on);

/* Tag text[0..len): one document body, or one section's text. heading (may
 * be NULL) is extra context for rules, e.g. the section's heading path.
 * Invalid UTF-8 and NUL bytes are never taken for numbers. Calls fn for
 * every figure and returns how many there were. Memory: O(len). */
size_t indtag_text(Tagger *t, const char *text, size_t len, const char *heading,
		   size_t hlen, figure_fn fn, void *arg);

/* Rule matches stopped by the pcre2 match, depth or heap limit since the
 * last call (each taken as no match); the count is reset. */
size_t indtag_limit_hits(void);
/* Runs of more than 38 digits skipped since the last call (no exact value
 * holds them; a figure that long is an id, not a count); the count is reset. */
size_t indtag_overlong(void);

#endif
