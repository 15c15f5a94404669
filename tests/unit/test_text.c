/* Unit tests of common/utf8, common/tsv and common/buf. */
#include "unit.h"
#include "buf.h"
#include "err.h"
#include "tsv.h"
#include "utf8.h"

#include <stdint.h>
#include <stdlib.h>

static void
test_utf8(void)
{
	uint32_t cp;
	char enc[4];
	const unsigned char good[] = "法治 abc ，０";
	const unsigned char bad_cont[] = "ab\x80";
	const unsigned char overlong[] = "\xC0\xAF";
	const unsigned char surrogate[] = "\xED\xA0\x80";
	const unsigned char toobig[] = "\xF4\x90\x80\x80";
	const unsigned char trunc[] = "\xE6\xB3";	/* first two bytes of 法 */
	uint32_t c;

	CHECK(utf8_valid(good, sizeof good - 1));
	CHECK(!utf8_valid(bad_cont, 3));
	CHECK(utf8_valid_prefix(bad_cont, 3) == 2);
	CHECK(!utf8_valid(overlong, 2));
	CHECK(!utf8_valid(surrogate, 3));
	CHECK(!utf8_valid(toobig, 4));
	CHECK(!utf8_valid(trunc, 2));
	CHECK(utf8_decode(trunc, 2, &cp) == -1 && cp == UTF8_REPLACEMENT);
	CHECK(utf8_decode((const unsigned char *)"法", 3, &cp) == 3 && cp == 0x6CD5);
	CHECK(utf8_decode((const unsigned char *)"\xF0\x9F\x98\x80", 4, &cp) == 4 && cp == 0x1F600);
	CHECK(utf8_count(good, sizeof good - 1) == 9);
	/* invalid UTF-8 at every position of a valid string is found */
	{
		unsigned char s[64];
		size_t n = sizeof good - 1, i;
		int all = 1;

		for (i = 0; i < n; i++) {
			memcpy(s, good, n);
			s[i] = 0xFF;
			if (utf8_valid(s, n) || utf8_valid_prefix(s, n) > i)
				all = 0;
		}
		CHECK(all);
	}
	/* encode/decode round trip over all scalar values */
	{
		int ok = 1;

		for (c = 0; c <= 0x10FFFF; c += (c < 0x20000 ? 1 : 97)) {
			int n;
			uint32_t back;

			if (c >= 0xD800 && c <= 0xDFFF)
				continue;
			n = utf8_encode(c, enc);
			if (utf8_decode((unsigned char *)enc, (size_t)n, &back) != n || back != c)
				ok = 0;
		}
		CHECK(ok);
	}
	CHECK(uc_is_cjk(0x6CD5));
	CHECK(uc_is_cjk(0x3400));
	CHECK(!uc_is_cjk(0x3001));
	CHECK(uc_is_fullwidth_ascii(0xFF0C));
	CHECK(!uc_is_fullwidth_ascii(0x3001));
	CHECK(uc_is_space(0x3000) && uc_is_space(0xA0));
	CHECK(uc_is_zero_width(0x200B) && uc_is_zero_width(0xAD) && !uc_is_zero_width(' '));
}

static void
test_tsv(void)
{
	const char *raw = "a\tb\nc\\d\re";
	Buf b = BUF_INIT;
	Fields fs = FIELDS_INIT;
	char line[] = "doc\tregion\tyear\t\tvalue";
	long *idx = NULL, n;
	Buf err = BUF_INIT;
	char *copy;
	long len;

	tsv_buf_escaped(&b, raw, strlen(raw));
	CHECK_STR(b.s, "a\\tb\\nc\\\\d\\re");
	copy = xstrdup(b.s);
	len = tsv_unescape(copy, strlen(copy));
	CHECK(len == (long)strlen(raw));
	CHECK_MEM(copy, (size_t)len, raw, strlen(raw));
	free(copy);
	/* round trip of every byte value */
	{
		char all[256], *c2;
		int i;

		for (i = 0; i < 256; i++)
			all[i] = (char)i;
		buf_clear(&b);
		tsv_buf_escaped(&b, all, 256);
		CHECK(memchr(b.s, '\t', b.len) == NULL && memchr(b.s, '\n', b.len) == NULL);
		c2 = xstrndup(b.s, b.len);
		len = tsv_unescape(c2, b.len);
		CHECK_MEM(c2, (size_t)len, all, 256);
		free(c2);
	}
	/* an escape cut mid-sequence */
	copy = xstrdup("abc\\");
	CHECK(tsv_unescape(copy, 4) == -1);
	free(copy);
	copy = xstrdup("\\x");
	CHECK(tsv_unescape(copy, 2) == 1 && copy[0] == 'x');
	free(copy);

	tsv_split(line, strlen(line), &fs);
	CHECK(fs.n == 5);
	CHECK(fs.f[3].len == 0);
	CHECK(tsv_find_column(&fs, "year") == 2);
	CHECK(tsv_find_column(&fs, "yea") == -1);
	n = tsv_resolve_columns(&fs, "region,5,1", &idx, &err);
	CHECK(n == 3 && idx[0] == 1 && idx[1] == 4 && idx[2] == 0);
	free(idx);
	n = tsv_resolve_columns(&fs, "2-3", &idx, &err);
	CHECK(n == 2 && idx[0] == 1 && idx[1] == 2);
	free(idx);
	CHECK(tsv_resolve_columns(&fs, "nosuch", &idx, &err) == -1);
	CHECK(strstr(err.s, "nosuch") != NULL);
	CHECK(tsv_resolve_columns(&fs, "6", &idx, &err) == -1);
	CHECK(tsv_resolve_columns(&fs, "a,,b", &idx, &err) == -1);
	{
		char empty[] = "";

		tsv_split(empty, 0, &fs);
		CHECK(fs.n == 1 && fs.f[0].len == 0);
	}
	fields_free(&fs);
	buf_free(&b);
	buf_free(&err);
}

static void
test_buf(void)
{
	Buf b = BUF_INIT;
	char *s;
	int i;

	for (i = 0; i < 10000; i++)
		buf_addc(&b, 'a' + i % 26);
	CHECK(b.len == 10000 && b.s[10000] == '\0');
	buf_clear(&b);
	buf_addf(&b, "%d-%s", 42, "x");
	CHECK_STR(b.s, "42-x");
	s = buf_detach(&b);
	CHECK_STR(s, "42-x");
	CHECK(b.s == NULL && b.len == 0);
	free(s);
}

int
main(void)
{
	setprogname("test_text");
	test_utf8();
	test_tsv();
	test_buf();
	UNIT_END("text");
}
