/* unit.h: a minimal unit-test harness. Each check prints one line on
 * failure; main ends with UNIT_END(), which prints "unit NAME: P passed, F
 * failed" for tests/run to add up and exits non-zero on any failure. */
#ifndef TESTS_UNIT_H
#define TESTS_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_pass, unit_fail;

#define CHECK(cond) do { \
	if (cond) unit_pass++; \
	else { unit_fail++; printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); } \
} while (0)

#define CHECK_STR(got, want) do { \
	const char *g_ = (got), *w_ = (want); \
	if (g_ && w_ && strcmp(g_, w_) == 0) unit_pass++; \
	else { unit_fail++; printf("FAIL %s:%d: %s: got \"%s\", want \"%s\"\n", \
		__FILE__, __LINE__, #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)"); } \
} while (0)

#define CHECK_MEM(got, gotlen, want, wantlen) do { \
	if ((gotlen) == (wantlen) && memcmp((got), (want), (wantlen)) == 0) unit_pass++; \
	else { unit_fail++; printf("FAIL %s:%d: %s: %zu bytes differ from expected %zu\n", \
		__FILE__, __LINE__, #got, (size_t)(gotlen), (size_t)(wantlen)); } \
} while (0)

#define UNIT_END(name) do { \
	printf("unit %s: %d passed, %d failed\n", name, unit_pass, unit_fail); \
	return unit_fail ? 1 : 0; \
} while (0)

#endif
