/* Unit tests of common/input: plain and gzip input, concatenated and
 * truncated gzip, the line reader (no final newline, CRLF, a 50 MB line). */
#include "unit.h"
#include "input.h"
#include "err.h"

#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

static char tmpdir[256];

static char *
path(const char *name)
{
	static char p[512];

	snprintf(p, sizeof p, "%s/%s", tmpdir, name);
	return p;
}

static void
write_file(const char *name, const void *data, size_t n)
{
	FILE *f = fopen(path(name), "wb");

	fwrite(data, 1, n, f);
	fclose(f);
}

/* gzip-compress data into a malloc'd buffer */
static unsigned char *
gz(const void *data, size_t n, size_t *outlen)
{
	z_stream zs = {0};
	size_t cap = n + 1024;
	unsigned char *out = malloc(cap);

	deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
	zs.next_in = (Bytef *)data;
	zs.avail_in = (uInt)n;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	deflate(&zs, Z_FINISH);
	*outlen = cap - zs.avail_out;
	deflateEnd(&zs);
	return out;
}

static int
slurp(const char *name, Buf *b)
{
	buf_clear(b);
	return read_whole_file(path(name), b);
}

int
main(void)
{
	Buf b = BUF_INIT, line = BUF_INIT;
	const char *text = "一、第一行\r\nsecond line\nthird";
	size_t n, n2;
	unsigned char *g, *g2;
	In *in;
	int r;

	setprogname("test_input");
	snprintf(tmpdir, sizeof tmpdir, "%s/unit-input-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(tmpdir) == NULL)
		return 2;

	/* plain */
	write_file("plain.txt", text, strlen(text));
	CHECK(slurp("plain.txt", &b) == 0);
	CHECK_MEM(b.s, b.len, text, strlen(text));

	/* empty */
	write_file("empty.txt", "", 0);
	CHECK(slurp("empty.txt", &b) == 0);
	CHECK(b.len == 0);

	/* one byte, which could be the start of gzip magic */
	write_file("one.txt", "\x1f", 1);
	CHECK(slurp("one.txt", &b) == 0);
	CHECK(b.len == 1);

	/* gzip */
	g = gz(text, strlen(text), &n);
	write_file("text.gz", g, n);
	CHECK(slurp("text.gz", &b) == 0);
	CHECK_MEM(b.s, b.len, text, strlen(text));
	in = in_open(path("text.gz"));
	CHECK(in && in_was_gzip(in));
	in_close(in);

	/* detected by magic, not by name */
	write_file("text.txt", g, n);
	CHECK(slurp("text.txt", &b) == 0);
	CHECK_MEM(b.s, b.len, text, strlen(text));

	/* concatenated members */
	g2 = gz("MORE\n", 5, &n2);
	{
		unsigned char *cat = malloc(n + n2);

		memcpy(cat, g, n);
		memcpy(cat + n, g2, n2);
		write_file("cat.gz", cat, n + n2);
		free(cat);
	}
	CHECK(slurp("cat.gz", &b) == 0);
	CHECK(b.len == strlen(text) + 5);
	CHECK(b.len >= 5 && memcmp(b.s + b.len - 5, "MORE\n", 5) == 0);

	/* truncated: an error, not a silent short read */
	write_file("trunc.gz", g, n - 6);
	fprintf(stderr, "(expected error follows)\n");
	CHECK(slurp("trunc.gz", &b) == -1);
	write_file("trunc2.gz", g, 12);
	CHECK(slurp("trunc2.gz", &b) == -1);

	/* corrupt */
	g[12] ^= 0xff;
	g[13] ^= 0xff;
	write_file("corrupt.gz", g, n);
	CHECK(slurp("corrupt.gz", &b) == -1);
	free(g);
	free(g2);

	/* a directory and a missing file */
	CHECK(in_open(tmpdir) == NULL);
	CHECK(in_open(path("missing")) == NULL);

	/* line reader: CRLF, no final newline */
	in = in_open(path("plain.txt"));
	CHECK(in != NULL);
	r = in_getline_crlf(in, &line);
	CHECK(r == 1);
	CHECK_STR(line.s, "一、第一行");
	r = in_getline(in, &line);
	CHECK(r == 1);
	CHECK_STR(line.s, "second line");
	r = in_getline(in, &line);
	CHECK(r == 1);
	CHECK_STR(line.s, "third");
	CHECK(!in_had_final_newline(in));
	CHECK(in_lineno(in) == 3);
	CHECK(in_getline(in, &line) == 0);
	in_close(in);

	/* a 50 MB line, gzip-compressed, then a short one */
	{
		size_t big = 50u << 20, glen;
		char *data = malloc(big + 3);
		unsigned char *gd;

		memset(data, 'x', big);
		memcpy(data + big, "\ny", 2);
		write_file("big.txt", data, big + 2);
		gd = gz(data, big + 2, &glen);
		write_file("big.gz", gd, glen);
		free(gd);
		in = in_open(path("big.gz"));
		CHECK(in_getline(in, &line) == 1);
		CHECK(line.len == big);
		CHECK(in_getline(in, &line) == 1);
		CHECK_STR(line.s, "y");
		in_close(in);
		in = in_open(path("big.txt"));
		CHECK(in_getline(in, &line) == 1);
		CHECK(line.len == big && line.s[big - 1] == 'x');
		in_close(in);
		free(data);
	}

	/* gzip bomb: 200 MB of zeros compresses to ~200 KB (ratio ~1000:1) */
	{
		size_t big = 200u << 20, glen;
		char *data = calloc(1, big);
		unsigned char *gd = gz(data, big, &glen);

		write_file("bomb.gz", gd, glen);
		free(gd);
		free(data);
		CHECK(slurp("bomb.gz", &b) == -1);
	}

	buf_free(&b);
	buf_free(&line);
	{
		char cmd[600];

		snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			printf("note: could not remove %s\n", tmpdir);
	}
	UNIT_END("input");
}
