#include "rules.h"
#include "err.h"
#include "input.h"
#include "tsv.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

static pcre2_match_context *match_ctx;
static pcre2_jit_stack *jit_stack;

static void
setup_context(void)
{
	if (match_ctx)
		return;
	match_ctx = pcre2_match_context_create(NULL);
	if (match_ctx == NULL)
		die(EXIT_DATA, "out of memory (pcre2 match context)");
	pcre2_set_match_limit(match_ctx, RX_MATCH_LIMIT);
	pcre2_set_depth_limit(match_ctx, RX_DEPTH_LIMIT);
	pcre2_set_heap_limit(match_ctx, RX_HEAP_LIMIT);
	jit_stack = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
	if (jit_stack)
		pcre2_jit_stack_assign(match_ctx, NULL, jit_stack);
}

int
rx_compile(Regex *rx, const char *pattern, uint32_t options, Buf *err)
{
	int errcode;
	PCRE2_SIZE erroff;

	setup_context();
	memset(rx, 0, sizeof *rx);
	rx->code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
				 PCRE2_UTF | PCRE2_UCP | options, &errcode, &erroff, NULL);
	if (rx->code == NULL) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(errcode, msg, sizeof msg);
		buf_addf(err, "bad pattern at offset %zu: %s", (size_t)erroff, (char *)msg);
		return -1;
	}
	rx->jit = pcre2_jit_compile(rx->code, PCRE2_JIT_COMPLETE) == 0;
	rx->md = pcre2_match_data_create_from_pattern(rx->code, NULL);
	if (rx->md == NULL)
		die(EXIT_DATA, "out of memory (pcre2 match data)");
	return 0;
}

void
rx_free(Regex *rx)
{
	if (rx->md)
		pcre2_match_data_free(rx->md);
	if (rx->code)
		pcre2_code_free(rx->code);
	memset(rx, 0, sizeof *rx);
}

int
rx_match_opts(Regex *rx, const char *subject, size_t len, size_t start, uint32_t opts)
{
	int rc;

	/* Subjects are validated UTF-8 by the tools that call this; pcre2 checks
	 * again only when the caller does not pass PCRE2_NO_UTF_CHECK. */
	rc = pcre2_match(rx->code, (PCRE2_SPTR)subject, len, start, opts, rx->md, match_ctx);
	if (rc >= 0)
		return RX_MATCHED;
	if (rc == PCRE2_ERROR_NOMATCH || rc == PCRE2_ERROR_PARTIAL)
		return RX_NOMATCH;
	if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
	    rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT)
		return RX_LIMIT;
	return RX_ERROR;
}

int
rx_match(Regex *rx, const char *subject, size_t len, size_t start)
{
	return rx_match_opts(rx, subject, len, start, 0);
}

long
rules_column(const RuleSet *rs, const char *name)
{
	size_t i;

	for (i = 0; i < rs->ncols; i++)
		if (strcmp(rs->colname[i], name) == 0)
			return (long)i;
	return -1;
}


int
rules_load(RuleSet *rs, const char *path, const char *pattern_column,
	   const char *const *required, uint32_t options)
{
	In *in = in_open(path);
	Buf line = BUF_INIT, err = BUF_INIT;
	Fields fs = FIELDS_INIT;
	int have_header = 0, status = 0, r;
	size_t i;

	if (in == NULL)
		return -1;
	while ((r = in_getline_crlf(in, &line)) == 1) {
		unsigned long lineno = (unsigned long)in_lineno(in);
		Rule *rule;

		if (line.len == 0 || line.s[0] == '#')
			continue;
		if (!utf8_valid((const unsigned char *)line.s, line.len)) {
			warnat(path, lineno, "invalid UTF-8");
			status = -1;
			break;
		}
		tsv_split(line.s, line.len, &fs);
		if (!have_header) {
			have_header = 1;
			if (rs->colname == NULL) {
				rs->ncols = fs.n;
				rs->colname = xcalloc(fs.n, sizeof *rs->colname);
				for (i = 0; i < fs.n; i++)
					rs->colname[i] = xstrndup(fs.f[i].s, fs.f[i].len);
				rs->pattern_col = rules_column(rs, pattern_column);
				if (rs->pattern_col < 0) {
					warnat(path, lineno, "header has no '%s' column", pattern_column);
					status = -1;
					break;
				}
				for (i = 0; required && required[i]; i++) {
					if (rules_column(rs, required[i]) < 0) {
						warnat(path, lineno, "header has no '%s' column", required[i]);
						status = -1;
						break;
					}
				}
				if (status)
					break;
			} else {
				int same = fs.n == rs->ncols;

				for (i = 0; same && i < fs.n; i++)
					same = fs.f[i].len == strlen(rs->colname[i]) &&
					       memcmp(fs.f[i].s, rs->colname[i], fs.f[i].len) == 0;
				if (!same) {
					warnat(path, lineno, "header differs from the first rules file's");
					status = -1;
					break;
				}
			}
			continue;
		}
		if (fs.n != rs->ncols) {
			warnat(path, lineno, "%zu fields, the header has %zu", fs.n, rs->ncols);
			status = -1;
			break;
		}
		if (rs->n == rs->cap) {
			rs->cap = rs->cap ? rs->cap * 2 : 32;
			rs->rule = xrealloc(rs->rule, rs->cap * sizeof *rs->rule);
		}
		rule = &rs->rule[rs->n];
		memset(rule, 0, sizeof *rule);
		rule->line = lineno;
		rule->field = xcalloc(rs->ncols, sizeof *rule->field);
		for (i = 0; i < fs.n; i++)
			rule->field[i] = xstrndup(fs.f[i].s, fs.f[i].len);
		rs->n++;
		buf_clear(&err);
		if (rx_compile(&rule->rx, rule->field[rs->pattern_col], options, &err) < 0) {
			warnat(path, lineno, "%s", err.s);
			status = -1;
			break;
		}
	}
	if (r < 0)
		status = -1;
	if (status == 0 && !have_header) {
		warnat(path, 0, "no header line (expected a '%s' column)", pattern_column);
		status = -1;
	}
	in_close(in);
	buf_free(&line);
	buf_free(&err);
	fields_free(&fs);
	return status;
}

void
rules_free(RuleSet *rs)
{
	size_t i, j;

	for (i = 0; i < rs->n; i++) {
		for (j = 0; j < rs->ncols; j++)
			free(rs->rule[i].field[j]);
		free(rs->rule[i].field);
		rx_free(&rs->rule[i].rx);
	}
	for (j = 0; j < rs->ncols; j++)
		free(rs->colname[j]);
	free(rs->colname);
	free(rs->rule);
	free(rs->file);
	memset(rs, 0, sizeof *rs);
}
