/* Unit tests of common/decimal: exact decimal parsing, sums and output. */
#include "unit.h"
#include "decimal.h"

static const char *
fmt(Dec d)
{
	static Buf b;

	buf_clear(&b);
	dec_format(&b, d);
	return b.s;
}

static Dec
P(const char *s)
{
	Dec d = {0, 0};

	dec_parse(s, strlen(s), &d, DEC_THOUSANDS);
	return d;
}

int
main(void)
{
	Dec a, d;
	int i;

	CHECK(dec_parse("0.1", 3, &d, 0) == DEC_OK);
	a = d;
	CHECK(dec_add(&a, P("0.2")) == DEC_OK);
	CHECK_STR(fmt(a), "0.3");
	CHECK_STR(fmt(P("1.70")), "1.7");
	d = P("1.7");
	CHECK(dec_mul_pow10(&d, 4) == DEC_OK);
	CHECK_STR(fmt(d), "17000");
	CHECK_STR(fmt(P("-0.0")), "0");
	CHECK_STR(fmt(P("1,234.5")), "1234.5");
	CHECK(dec_parse("1,23", 4, &d, DEC_THOUSANDS) == DEC_SYNTAX);
	CHECK(dec_parse("1,234", 5, &d, 0) == DEC_SYNTAX);
	CHECK_STR(fmt(P("1.5e3")), "1500");
	CHECK_STR(fmt(P("25E-2")), "0.25");
	CHECK_STR(fmt(P(".5")), "0.5");
	CHECK_STR(fmt(P("+7")), "7");
	CHECK(dec_parse("", 0, &d, 0) == DEC_SYNTAX);
	CHECK(dec_parse("-", 1, &d, 0) == DEC_SYNTAX);
	CHECK(dec_parse(".", 1, &d, 0) == DEC_SYNTAX);
	CHECK(dec_parse("1e", 2, &d, 0) == DEC_SYNTAX);
	CHECK(dec_parse("e5", 2, &d, 0) == DEC_SYNTAX);
	CHECK(dec_parse("nan", 3, &d, 0) == DEC_SYNTAX);
	CHECK(dec_parse("1.2.3", 5, &d, 0) == DEC_SYNTAX);
	CHECK(dec_parse(" 1", 2, &d, 0) == DEC_SYNTAX);
	{
		char big[401];

		memset(big, '9', 400);
		big[400] = 0;
		CHECK(dec_parse(big, 400, &d, 0) == DEC_RANGE);
	}
	/* a million additions of 0.1 are exactly 100000 */
	a = dec_from_int(0);
	for (i = 0; i < 1000000; i++)
		dec_add(&a, P("0.1"));
	CHECK_STR(fmt(a), "100000");
	CHECK(dec_cmp(P("82.0"), P("82")) == 0);
	CHECK(dec_cmp(P("-1"), P("0.5")) < 0);
	CHECK(dec_cmp(P("98.98"), P("98.9")) > 0);
	CHECK(dec_to_double(P("98.6")) == 98.6);
	d = P("3.5");
	CHECK(dec_mul_int(&d, 10000) == DEC_OK);
	CHECK_STR(fmt(d), "35000");
	UNIT_END("decimal");
}
