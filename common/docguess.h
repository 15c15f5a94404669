/* docguess.h: the one place that guesses a document's type and year from its
 * title and body, for deboiler (its Type:/Year: header) and secsplit (the
 * type when the header names none), so the two tools cannot disagree. */
#ifndef COMMON_DOCGUESS_H
#define COMMON_DOCGUESS_H

#include <stddef.h>

typedef struct {
	char type[24];		/* annual-report work-summary proposal-reply
				 * press-conference news statistics other */
	int type_conf;		/* 0-100: how sure the cue makes the guess */
	const char *type_cue;	/* the kind of cue that decided (for --explain) */
	int year;		/* 0 when none */
	const char *year_cue;
} DocGuess;

/* Guess from the title (NULL or empty: none), the body (lines separated by
 * '\n') and the publication date (YYYY-MM-DD, or NULL). */
void docguess(const char *title, const char *body, size_t n, const char *date, DocGuess *g);

/* 1 for the types whose sections take parts (annual-report, work-summary). */
int docguess_is_report(const char *type);

/* The first year "2024年" (1980-2100, not inside a longer number) in s[0..n),
 * or 0; with need_nian 0 a bare 2024 counts too. */
int docguess_year_in(const char *s, size_t n, int need_nian);

#endif
