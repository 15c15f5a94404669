/* rules.h: pcre2 patterns and tab-separated rules files.
 *
 * Patterns are compiled with PCRE2_UTF and PCRE2_UCP (so \d, \w and \s follow
 * Unicode), JIT-compiled when the library supports it, and matched under a
 * match limit and a depth/heap limit: a pathological pattern or input makes a
 * match fail with RX_LIMIT instead of running for hours.
 *
 * A rules file is UTF-8 TSV: '#' lines and blank lines are comments; the first
 * other line is a header naming the columns; one column, named by the caller
 * (usually "pattern"), holds a pcre2 pattern compiled for every row. Fields are
 * taken as written (no COPY unescaping: a backslash belongs to the pattern).
 * Errors name file, line and the pcre2 message.
 */
#ifndef COMMON_RULES_H
#define COMMON_RULES_H

#include <stddef.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include "buf.h"

#define RX_MATCH_LIMIT	5000000u	/* backtracking steps per match */
#define RX_DEPTH_LIMIT	100000u		/* nested backtracking depth */
#define RX_HEAP_LIMIT	(64u * 1024)	/* KiB of heap per match */

enum { RX_NOMATCH = 0, RX_MATCHED = 1, RX_LIMIT = -1, RX_ERROR = -2 };

typedef struct {
	pcre2_code *code;
	pcre2_match_data *md;
	int jit;
} Regex;

/* Compile pattern (NUL-terminated) with extra pcre2 options. Returns 0, or -1
 * with a message in err ("offset N: message"). */
int rx_compile(Regex *rx, const char *pattern, uint32_t options, Buf *err);
void rx_free(Regex *rx);

/* Match subject[0..len) from start. On RX_MATCHED, the ovector (pairs of
 * byte offsets) is rx_ovector(rx). RX_LIMIT when a limit was hit. */
int rx_match(Regex *rx, const char *subject, size_t len, size_t start);
int rx_match_opts(Regex *rx, const char *subject, size_t len, size_t start, uint32_t opts);
static inline PCRE2_SIZE *rx_ovector(Regex *rx) { return pcre2_get_ovector_pointer(rx->md); }

typedef struct {
	char **field;		/* ncols unescaped fields */
	Regex rx;		/* compiled pattern column */
	unsigned long line;	/* line in the rules file */
} Rule;

typedef struct {
	char *file;
	char **colname;
	size_t ncols;
	long pattern_col;
	Rule *rule;
	size_t n, cap;
} RuleSet;

/* Load rules from path into rs (appending; rs must be zeroed before the first
 * call). pattern_column names the column compiled as a pcre2 pattern;
 * required (NULL-terminated list) names columns that must exist. Returns 0,
 * or -1 after reporting "prog: file:line: message". A file loaded after the
 * first must have the same header. */
int rules_load(RuleSet *rs, const char *path, const char *pattern_column,
	       const char *const *required, uint32_t options);
long rules_column(const RuleSet *rs, const char *name);	/* -1 when absent */
void rules_free(RuleSet *rs);

#endif
