/* Unit tests of tsvagg's core (linked with its library; the internal header
 * tools/tsvagg/agg.h lets the number functions be tested too): exact
 * numbers, the group table under many groups, long lines, the memory API
 * the fuzz harness uses, and the partial/merge law. */
#include "unit.h"
#include "agg.h"
#include "err.h"
#include "input.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmpdir[] = "/tmp/test_tsvagg.XXXXXX";

static const char *
numtext(const char *s)
{
	static Buf b;
	Xnum x;

	buf_clear(&b);
	if (xn_parse(s, strlen(s), &x, 0) != XN_OK)
		return "ERR";
	xn_format(&b, &x, 0);
	return b.s;
}

/* Run the ops over the inputs (NULL-terminated, memory buffers); returns
 * the output (static). */
static const char *
run(AggOpts *o, const char *const *inputs, int *rc)
{
	static Buf res;
	char path[64];
	Buf err = BUF_INIT;
	Agg *a = agg_new(o, &err);
	Out *out;
	int i;

	buf_clear(&res);
	*rc = 0;
	if (a == NULL) {
		*rc = -9;
		buf_free(&err);
		return "";
	}
	for (i = 0; inputs[i]; i++) {
		int r = agg_feed_mem(a, "mem", inputs[i], strlen(inputs[i]));

		if (r < *rc)
			*rc = r;
	}
	snprintf(path, sizeof path, "%s/out", tmpdir);
	out = out_create_atomic(path);
	agg_emit(a, out);
	out_commit(out);
	agg_free(a);
	read_whole_file(path, &res);
	return res.s ? res.s : "";
}

static void
test_numbers(void)
{
	Xnum a, b;
	Buf f = BUF_INIT;

	xn_init();
	CHECK_STR(numtext("0.1"), "0.1");
	CHECK_STR(numtext("-0.50"), "-0.5");
	CHECK_STR(numtext("1.5e3"), "1500");
	CHECK_STR(numtext("+7"), "7");
	CHECK_STR(numtext("-0"), "0");
	CHECK_STR(numtext("000123.4500"), "123.45");
	CHECK_STR(numtext("abc"), "ERR");
	CHECK_STR(numtext(""), "ERR");
	CHECK_STR(numtext("."), "ERR");
	CHECK_STR(numtext("1.2.3"), "ERR");
	CHECK_STR(numtext("1e999"), "ERR");
	/* 39 digits: a double */
	CHECK_STR(numtext("123456789012345678901234567890123456789"), "1.23456789012346e+38");
	/* 0.1 + 0.2 is exactly 0.3 */
	xn_parse("0.1", 3, &a, 0);
	xn_parse("0.2", 3, &b, 0);
	xn_add(&a, &b);
	xn_format(&f, &a, 0);
	CHECK_STR(f.s, "0.3");
	CHECK(!a.inexact);
	/* past 38 digits the sum falls back to a double, never wraps */
	xn_parse("90000000000000000000000000000000000000", 38, &a, 0);
	b = a;
	xn_add(&a, &b);
	CHECK(a.inexact && a.u.f > 1.7e38 && a.u.f < 1.9e38);
	/* partial state: "~" doubles and scales up to 60 read back */
	CHECK(xn_parse("~0.10000000000000001", 20, &a, 1) == XN_OK && a.inexact && a.u.f == 0.1);
	CHECK(xn_parse("~0.1", 4, &a, 0) == XN_SYNTAX);
	CHECK(xn_parse("0.000000000000000000000000000000000000000000000000000000000001", 62, &a, 1)
	      == XN_OK && !a.inexact && a.scale == 60);
	CHECK(xn_cmp(&(Xnum){{.m = 820}, 1, 0}, &(Xnum){{.m = 82}, 0, 0}) == 0);
	/* products and differences exact while they fit, doubles past 38 digits */
	xn_parse("1.5", 3, &a, 0);
	xn_parse("-0.25", 5, &b, 0);
	a = xn_mul(&a, &b);
	buf_clear(&f);
	xn_format(&f, &a, 0);
	CHECK_STR(f.s, "-0.375");
	xn_parse("100000000000000000000.3", 23, &a, 0);
	xn_parse("100000000000000000000.1", 23, &b, 0);
	a = xn_sub(&a, &b);
	buf_clear(&f);
	xn_format(&f, &a, 0);
	CHECK_STR(f.s, "0.2");
	xn_parse("1e30", 4, &a, 0);
	a = xn_mul(&a, &a);
	CHECK(a.inexact && a.u.f > 0.99e60 && a.u.f < 1.01e60);
	buf_free(&f);
}

static void
test_api(void)
{
	AggOpts o;
	const char *ops[] = {"count", "sum:v", "median:v", "collapse:k"};
	const char *in1[] = {"k\tv\nx\t1\ny\t2.5\nx\t3", NULL};
	const char *in2[] = {"k\tv\r\nx\t1\r\n", "k\tv\ny\t2\n", NULL};
	const char *in3[] = {"k\tv\nx\t1\nx\n", NULL};
	const char *in4[] = {"k\tv\n", "", "k\tw\nx\t1\n", NULL};
	int rc;

	memset(&o, 0, sizeof o);
	o.group = "k";
	o.ops = ops;
	o.nops = 4;
	CHECK_STR(run(&o, in1, &rc), "k\tcount\tv_sum\tv_median\tk_collapse\n"
		  "x\t2\t4\t2\tx,x\ny\t1\t2.5\t2.5\ty\n");
	CHECK(rc == 0);
	/* CRLF files mix with LF files: the headers are equal */
	CHECK_STR(run(&o, in2, &rc), "k\tcount\tv_sum\tv_median\tk_collapse\n"
		  "x\t1\t1\t1\tx\ny\t1\t2\t2\ty\n");
	CHECK(rc == 0);
	/* a ragged row is an error and left out */
	CHECK_STR(run(&o, in3, &rc), "k\tcount\tv_sum\tv_median\tk_collapse\nx\t1\t1\t1\tx\n");
	CHECK(rc == -1);
	/* header only, an empty input, a different header */
	CHECK_STR(run(&o, in4, &rc), "k\tcount\tv_sum\tv_median\tk_collapse\n");
	CHECK(rc == -1);
	o.group = "nosuch";
	CHECK_STR(run(&o, in1, &rc), "");
	CHECK(rc == -2);
	o.group = "k";
	o.ops = (const char *[]){"bogus:v"};
	o.nops = 1;
	run(&o, in1, &rc);
	CHECK(rc == -9);
	CHECK(agg_is_op("count") && agg_is_op("sum:x") && !agg_is_op("sum") && !agg_is_op("x.tsv"));
	CHECK(agg_is_op("perc90:x") && agg_is_op("perc:x") && agg_is_op("trimmean0.25:x"));
	CHECK(!agg_is_op("perc101:x") && !agg_is_op("trimmean0.6:x") && !agg_is_op("perc-1:x"));
	CHECK(agg_looks_like_op("sums:x") && agg_looks_like_op("medain") && agg_looks_like_op("perc101:x"));
	CHECK(!agg_looks_like_op("data.tsv") && !agg_looks_like_op("./sum:x") && !agg_looks_like_op("input"));
}

/* 200,000 groups in a table that grows from 1024 slots, non-adjacent key
 * columns (the copied-key path): every group found again. */
static void
test_many_groups(void)
{
	AggOpts o;
	const char *ops[] = {"count", "sum:v"};
	Buf in = BUF_INIT;
	Buf err = BUF_INIT;
	Agg *a;
	size_t i, bad = 0;
	unsigned long long total = 0;

	memset(&o, 0, sizeof o);
	o.group = "a,c";
	o.ops = ops;
	o.nops = 2;
	buf_adds(&in, "a\tv\tc\n");
	for (i = 0; i < 600000; i++)
		buf_addf(&in, "g%zu\t%zu\tz\n", (i * 7919) % 200000, i % 3);
	a = agg_new(&o, &err);
	CHECK(agg_feed_mem(a, "mem", in.s, in.len) == 0);
	CHECK(a->ngroups == 200000);
	for (i = 0; i < a->ngroups; i++) {
		uint64_t n = *(uint64_t *)a->grec[i];

		total += n;
		if (n != 3)
			bad++;
	}
	CHECK(total == 600000);
	CHECK(bad == 0);
	agg_free(a);
	buf_free(&in);
	buf_free(&err);
}

/* A 12 MB group key and a last line without '\n', read from a file in
 * chunks smaller than the line. */
static void
test_long_line(void)
{
	char path[64];
	FILE *fp;
	AggOpts o;
	const char *ops[] = {"count", "sum:v"};
	Buf err = BUF_INIT;
	Agg *a;
	size_t i, n = 12u << 20;

	snprintf(path, sizeof path, "%s/long.tsv", tmpdir);
	fp = fopen(path, "w");
	fputs("k\tv\n", fp);
	for (i = 0; i < n; i++)
		fputc('a' + (int)(i % 26), fp);
	fputs("\t2\nb\t1\n", fp);
	for (i = 0; i < n; i++)
		fputc('a' + (int)(i % 26), fp);
	fputs("\t3", fp);
	fclose(fp);
	memset(&o, 0, sizeof o);
	o.group = "k";
	o.ops = ops;
	o.nops = 2;
	a = agg_new(&o, &err);
	CHECK(agg_feed_file(a, path) == 0);
	CHECK(a->ngroups == 2);
	CHECK(agg_rows(a) == 3);
	if (a->ngroups == 2) {
		size_t len;

		gkey(a, 0, &len);
		CHECK(len == n);
		CHECK(*(uint64_t *)a->grec[0] == 2);
	}
	agg_free(a);
	buf_free(&err);
}

/* merge(partial(A), partial(B)) == agg(A ++ B) through the memory API. */
static void
test_merge_law(void)
{
	const char *ops[] = {"count", "sum:v", "mean:v", "min:v", "max:v", "median:v", "q1:v",
			     "q3:v", "stdev:v", "pvar:v", "first:s", "last:s", "nunique:s",
			     "unique:s", "collapse:s", "mode:s", "count:s", "var:v", "iqr:v",
			     "perc90:v", "mad:v", "madraw:v", "trimmean0.2:v", "sskew:v", "pkurt:v",
			     "harmmean:v", "mode:v", "antimode:s", "missing:s", "notmissing:s",
			     "countunique:s"};
	unsigned seed;

	for (seed = 1; seed <= 20; seed++) {
		Buf A = BUF_INIT, B = BUF_INIT, AB = BUF_INIT, pa = BUF_INIT, pb = BUF_INIT;
		char *want;
		AggOpts o;
		int i, n = (int)(seed * 37 % 200), rc, rc2;

		srand(seed);
		buf_adds(&A, "g\tv\ts\n");
		buf_adds(&B, "g\tv\ts\n");
		for (i = 0; i < n; i++) {
			Buf *t = rand() % 3 ? &A : &B;

			buf_addf(t, "g%d\t%d.%02d\t%c\\t%d\n", rand() % 5, rand() % 2000 - 1000,
				 rand() % 100, 'a' + rand() % 4, rand() % 3);
		}
		buf_add(&AB, A.s, A.len);
		buf_add(&AB, B.s + 6, B.len - 6);	/* without B's header */
		memset(&o, 0, sizeof o);
		o.group = seed % 4 ? "g" : NULL;
		o.ops = ops;
		o.nops = sizeof ops / sizeof ops[0];
		want = xstrdup(run(&o, (const char *[]){AB.s, NULL}, &rc));
		o.partial = 1;
		buf_adds(&pa, run(&o, (const char *[]){A.s, NULL}, &rc));
		buf_adds(&pb, run(&o, (const char *[]){B.s, NULL}, &rc2));
		memset(&o, 0, sizeof o);
		o.merge = 1;
		CHECK_STR(run(&o, (const char *[]){pa.s, pb.s, NULL}, &rc), want);
		CHECK(rc == 0 && rc2 == 0);
		free(want);
		buf_free(&A);
		buf_free(&B);
		buf_free(&AB);
		buf_free(&pa);
		buf_free(&pb);
	}
}

/* Random bytes through every mode: no crash, no hang (a miniature of the
 * fuzz harness, run under the sanitizers by make check SAN=1). */
static void
test_garbage(void)
{
	const char *ops[] = {"count", "sum:1", "median:2", "unique:1", "mode:2", "collapse:3"};
	const char alphabet[] = "\t\n\r\\0123456789.-e,:;=~@ab\0\xff";
	int iter, rc, survived = 0;

	for (iter = 0; iter < 3000; iter++) {
		char buf[256];
		size_t i, n = (size_t)(rand() % 255);
		AggOpts o;
		const char *in[3];

		for (i = 0; i < n; i++)
			buf[i] = alphabet[rand() % (int)(sizeof alphabet - 1)];
		buf[n] = '\0';
		memset(&o, 0, sizeof o);
		o.no_header = iter % 2;
		o.skip_empty = iter % 3 == 0;
		o.ignore_bad = iter % 5 == 0;
		o.max_errors = 1;
		if (iter % 7 == 0) {
			o.merge = 1;
			in[0] = iter % 14 ? "g\t@count\t@sum:v\tx\t1\t2;3;;;\n" : "@count\n";
			in[1] = buf;
			in[2] = NULL;
		} else {
			o.group = iter % 4 ? "1" : NULL;
			o.pivot = iter % 8 == 1 ? "2" : NULL;
			o.ops = ops;
			o.nops = sizeof ops / sizeof ops[0];
			in[0] = buf;
			in[1] = NULL;
		}
		run(&o, in, &rc);
		survived++;
	}
	CHECK(survived == 3000);
}

int
main(void)
{
	char path[64];

	progname = "tsvagg";
	out_init();
	if (mkdtemp(tmpdir) == NULL)
		return 1;
	if (getenv("TSVAGG_TEST_VERBOSE") == NULL)
		freopen("/dev/null", "w", stderr);	/* the bad inputs' messages */
	test_numbers();
	test_api();
	test_many_groups();
	test_long_line();
	test_merge_law();
	test_garbage();
	snprintf(path, sizeof path, "%s/out", tmpdir);
	unlink(path);
	snprintf(path, sizeof path, "%s/long.tsv", tmpdir);
	unlink(path);
	rmdir(tmpdir);
	UNIT_END("tsvagg");
}
