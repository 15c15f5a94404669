/* mixed.c: documents that mix UTF-8 with a legacy Chinese encoding (GBK,
 * GB18030 or Big5) line by line, as when a page is pasted together from
 * several sources. Read whole as one encoding, the lines of the other come
 * out wrong: GBK pairs that happen to be valid UTF-8 ("目" C4 BF is "Ŀ")
 * even pass without a U+FFFD. Here each line is decoded on its own: as
 * UTF-8 when it is valid UTF-8 that reads as Chinese text, else in the
 * legacy encoding when that decodes it cleanly into better text. The
 * counts of lines read each way are a documented repair (st->lines_utf8,
 * st->lines_legacy). */
#include "encfix-int.h"
#include "err.h"
#include "utf8.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Where a line of the rebuilt text came from, to map an offset back. */
typedef struct {
	size_t in, out;		/* start in the input, in the rebuilt text */
} LineMap;

typedef struct {
	const unsigned char *p;
	size_t n;
	size_t utf8, other;	/* lines read as UTF-8 with non-ASCII; the others */
	Buf sample;		/* the other lines, for the choice of encoding */
} Survey;

/* Is the line valid UTF-8 with characters past ASCII, reading as text? */
static int
good_utf8_line(const unsigned char *s, size_t n)
{
	size_t nonascii;

	return utf8_valid_prefix(s, n) == n && score_text(s, n, &nonascii) > 0 && nonascii > 0;
}

/* Count the lines of each kind; with sample set, the lines that are not
 * good UTF-8 (and not ASCII) go into sv->sample, up to SAMPLE_MAX bytes. */
static void
survey_lines(Survey *sv, int sample)
{
	const unsigned char *s = sv->p, *end = sv->p + sv->n;

	while (s < end) {
		const unsigned char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);
		size_t v = utf8_valid_prefix(s, len);

		if (v == len && utf8_count(s, len) == len) {
			;	/* ASCII: the same in every encoding */
		} else if (v == len && good_utf8_line(s, len)) {
			sv->utf8++;
		} else {
			sv->other++;
			if (sample && sv->sample.len + len < SAMPLE_MAX) {
				buf_add(&sv->sample, s, len);
				buf_addc(&sv->sample, '\n');
			}
		}
		s += len + (nl != NULL);
	}
}

/* GB18030 or Big5 for the lines that are not UTF-8, by the model; sets
 * *name to what the report calls it. */
static const char *
legacy_encoding(const Survey *sv, const char **name)
{
	Cand c[2] = {
		{F_GB, "GB18030", 0, 0, 0, BUF_INIT, {0, 0}, 0},
		{F_BIG5, "BIG5", 0, 0, 0, BUF_INIT, {0, 0}, 0},
	};
	EncfixStats tmp;
	const unsigned char *s = (const unsigned char *)sv->sample.s;
	int w;

	memset(&tmp, 0, sizeof tmp);
	w = choose(c, 2, 2, s, sv->sample.len, 0, &tmp);
	buf_free(&c[0].dec);
	buf_free(&c[1].dec);
	if (c[w].fam == F_BIG5) {
		*name = "BIG5";
		return "BIG5";
	}
	*name = gb_has_4byte(s, sv->sample.len) ? "GB18030" : "GBK";
	return "GB18030";
}

/* Decode one line strictly with cd, appended to out; 0 when it decoded
 * cleanly (out unchanged otherwise). */
static int
decode_line(iconv_t cd, const unsigned char *s, size_t n, Buf *out)
{
	size_t len0 = out->len;
	char *ip = (char *)s;
	size_t il = n;

	iconv(cd, NULL, NULL, NULL, NULL);
	buf_grow(out, 2 * n + 16);
	while (il > 0) {
		char *op = out->s + out->len;
		size_t ol = out->cap - out->len - 1;
		size_t r = iconv(cd, &ip, &il, &op, &ol);

		out->len = (size_t)(op - out->s);
		if (r != (size_t)-1)
			break;
		if (errno != E2BIG) {
			out->len = len0;
			return -1;
		}
		buf_grow(out, il * 2 + 16);
	}
	return 0;
}

/* Points of a line kept as UTF-8, read as the normalising pass reads it:
 * the valid characters, GB18030 fragments converted, U+FFFD for the rest. */
static long
utf8_reading_points(const unsigned char *s, size_t n)
{
	long pts = 0;
	size_t i = 0;

	while (i < n) {
		uint32_t cp;
		int len;
		char tmp[4];

		if (s[i] < 0x80) {
			pts += score_text(s + i, 1, NULL);
			i++;
		} else if ((len = utf8_decode(s + i, n - i, &cp)) > 0) {
			pts += score_text(s + i, (size_t)len, NULL);
			i += (size_t)len;
		} else if ((cp = gb_fragment(s + i, n - i)) != 0) {
			pts += score_text((unsigned char *)tmp, (size_t)utf8_encode(cp, tmp), NULL);
			i += 2;
		} else {
			pts += score_text((const unsigned char *)"\xef\xbf\xbd", 3, NULL);
			i++;	/* (the pass skips a maximal subpart: near enough) */
		}
	}
	return pts;
}

/* The text with each line decoded its way, into text: in the legacy
 * encoding when that decodes it cleanly and reads better than UTF-8, else
 * kept. lines[] records where each line went; counts the non-ASCII lines
 * of each kind in *utf8 and *legacy. */
static void
rebuild(const unsigned char *p, size_t n, iconv_t cd, Buf *text, LineMap **lines, size_t *nlines,
	size_t *utf8, size_t *legacy)
{
	const unsigned char *s = p, *end = p + n;
	size_t cap = 0;

	buf_grow(text, n + n / 2 + 16);
	while (s < end) {
		const unsigned char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s), before = text->len;

		if (*nlines == cap) {
			cap = cap ? 2 * cap : 64;
			*lines = xrealloc(*lines, cap * sizeof **lines);
		}
		(*lines)[(*nlines)++] = (LineMap){(size_t)(s - p), before};
		if (utf8_count(s, len) == len && utf8_valid_prefix(s, len) == len) {
			buf_add(text, s, len);	/* ASCII */
		} else if (decode_line(cd, s, len, text) == 0 &&
			   score_text((unsigned char *)text->s + before, text->len - before, NULL) +
			   (utf8_valid_prefix(s, len) < len) > utf8_reading_points(s, len)) {
			/* (a tie goes to the legacy reading when the line is not
			 * UTF-8: fragments of the one encoding throughout) */
			(*legacy)++;
		} else {	/* kept for the normalising pass: U+FFFD, fragments */
			text->len = before;
			buf_add(text, s, len);
			(*utf8)++;
		}
		if (nl)
			buf_addc(text, '\n');
		s += len + (nl != NULL);
	}
}

/* The input offset of offset off of the rebuilt text. */
static size_t
map_back(const LineMap *lines, size_t nlines, size_t off)
{
	size_t lo = 0, hi = nlines;

	while (hi - lo > 1) {	/* the last line starting at or before off */
		size_t mid = (lo + hi) / 2;

		if (lines[mid].out <= off)
			lo = mid;
		else
			hi = mid;
	}
	return nlines ? lines[lo].in + (off - lines[lo].out) : off;
}

int
convert_mixed(const EncfixOpts *o, const unsigned char *p, size_t n, size_t base, Buf *out,
	      EncfixStats *st)
{
	Survey sv = {p, n, 0, 0, BUF_INIT};
	Buf text = BUF_INIT;
	LineMap *lines = NULL;
	size_t nlines = 0, utf8 = 0, legacy = 0, out0 = out->len;
	const char *name, *iconv_name;
	iconv_t cd;
	int done = 0;

	survey_lines(&sv, 0);	/* most files are one or the other: no copy */
	if (sv.utf8 == 0 || sv.other == 0)
		return 0;
	sv.utf8 = sv.other = 0;
	survey_lines(&sv, 1);
	iconv_name = legacy_encoding(&sv, &name);
	buf_free(&sv.sample);
	cd = get_cd("UTF-8", iconv_name);
	if (cd == (iconv_t)-1)
		return 0;
	rebuild(p, n, cd, &text, &lines, &nlines, &utf8, &legacy);
	put_cd(cd);
	if (legacy > 0 && utf8 > 0) {
		memset(st, 0, sizeof *st);
		convert_utf8(o, (unsigned char *)text.s, text.len, out, st, 1, 0, 0);
		if (st->invalid)
			st->first_invalid = base + map_back(lines, nlines, st->first_invalid);
		st->lines_utf8 = utf8;
		st->lines_legacy = legacy;
		st->mixed_with = name;
		snprintf(st->encoding, sizeof st->encoding, "%s", utf8 >= legacy ? "UTF-8" : name);
		st->confidence = 0.9;
		st->evidence = "mixed-lines";
		done = 1;
	} else {
		out->len = out0;
	}
	free(lines);
	buf_free(&text);
	return done;
}
