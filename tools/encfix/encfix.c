/* encfix.c: encoding detection, conversion to UTF-8 and normalisation of one
 * document held in memory (see encfix.h).
 *
 * The path of the common case, valid UTF-8, never touches iconv: one pass
 * validates, normalises and gathers the evidence the later steps need
 * (invalid sequences, rare characters that betray mojibake, script). Other
 * encodings are decoded to UTF-8 first (iconv, or the UTF-16/32 decoders
 * below) and then go through the same pass.
 *
 * GB18030 versus Big5 (and UTF-8 with errors, UTF-16 without BOM) is decided
 * by a small language model: each candidate decodes a sample and scores it
 * by how common its characters are in Chinese text (tools/encfix/hanzi-top.h,
 * then the "frequently used" blocks of GB2312 and Big5); invalid sequences,
 * private-use, kana, box drawing and other characters that never occur in
 * these pages cost points. */
#include "encfix.h"
#include "err.h"
#include "utf8.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hanzi-top.h"

/* Character classes of the model (BMP only; see cls_of()). */
enum { CL_NEUTRAL, CL_TOP, CL_COMMON, CL_RARE, CL_PUNCT, CL_BAD };
/* Points per class, in half points. */
static const int cl_points[] = {0, 6, 2, -3, 1, -6};
#define PTS_INVALID (-16)

#define SAMPLE_MAX (64 * 1024)	/* bytes decoded per candidate for the model */
#define SCORE_MAX_INVALID 64	/* a candidate this bad is not decoded further */

/* Flags of the decoders: the sample cut the input; scoring only. */
enum { D_CUT = 1, D_SCORING = 2 };

typedef struct {
	size_t invalid;
	size_t first;
} Inv;

/* Evidence gathered by the normalising pass. */
typedef struct {
	size_t mb;		/* valid multi-byte characters */
	size_t cjk, rare;	/* CJK ideographs, and those outside the common sets */
	size_t latin;		/* U+00C0-U+00FF (UTF-8 lead bytes read as Latin-1) */
	size_t c1;		/* U+0080-U+009F */
} Gate;

typedef struct {
	const EncfixOpts *o;
	EncfixStats *st;
	Buf *out;
	Gate g;
	int track;		/* record invalid sequences in st (input offsets) */
	size_t base;		/* offset of p[0] in the input */
} Norm;

static uint8_t *cls;		/* 65536 classes */
static uint32_t *t2s_bmp;	/* 65536: simplified form, 0 = none */
static uint32_t (*t2s_supp)[2];	/* sorted pairs for keys past the BMP */
static size_t t2s_nsupp;
static uint8_t *scr;		/* 65536: 1 only traditional, 2 only simplified */

static const char *const steps_list[] = {
	"bom", "eol", "controls", "fullwidth", "zerowidth", "trailing", "indent",
	"blank", "mojibake", NULL
};
const char *const encfix_step_names =
	"bom,eol,controls,fullwidth,zerowidth,trailing,indent,blank,mojibake";

static void normalise(Norm *x, const unsigned char *p, size_t n);

/* iconv descriptors stay open for the process: opening one loads a gconv
 * module, which costs more than converting a page. */
static struct {
	char to[48], from[48];
	iconv_t cd;
} cds[16];
static int ncds;

static iconv_t
get_cd(const char *to, const char *from)
{
	iconv_t cd;
	int i;

	for (i = 0; i < ncds; i++)
		if (!strcmp(cds[i].to, to) && !strcmp(cds[i].from, from))
			return cds[i].cd;
	cd = iconv_open(to, from);
	if (cd != (iconv_t)-1 && ncds < (int)(sizeof cds / sizeof cds[0]) &&
	    strlen(to) < sizeof cds[0].to && strlen(from) < sizeof cds[0].from) {
		snprintf(cds[ncds].to, sizeof cds[0].to, "%s", to);
		snprintf(cds[ncds].from, sizeof cds[0].from, "%s", from);
		cds[ncds++].cd = cd;
	}
	return cd;
}

/* Release a descriptor get_cd() did not keep. */
static void
put_cd(iconv_t cd)
{
	for (int i = 0; i < ncds; i++)
		if (cds[i].cd == cd)
			return;
	if (cd != (iconv_t)-1)
		iconv_close(cd);
}

/* ---------------------------------------------------------------- tables */

static void
set_range(uint32_t lo, uint32_t hi, int c)
{
	for (uint32_t i = lo; i <= hi; i++)
		cls[i] = (uint8_t)c;
}

/* Mark as common every character the given double-byte range decodes to. */
static void
mark_common(const char *enc, int lead_lo, int lead_hi, int trail_lo1, int trail_hi1,
	    int trail_lo2, int trail_hi2)
{
	iconv_t cd = iconv_open("UTF-8", enc);

	if (cd == (iconv_t)-1)
		return;
	for (int a = lead_lo; a <= lead_hi; a++) {
		for (int b = trail_lo1; b <= trail_hi2; b++) {
			unsigned char in[2] = {(unsigned char)a, (unsigned char)b};
			unsigned char outb[8];
			char *ip = (char *)in, *op = (char *)outb;
			size_t il = 2, ol = sizeof outb;
			uint32_t cp;

			if (b > trail_hi1 && b < trail_lo2)
				continue;
			iconv(cd, NULL, NULL, NULL, NULL);
			if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 || il != 0)
				continue;
			if (utf8_decode(outb, (size_t)(op - (char *)outb), &cp) > 0 && cp < 0x10000 &&
			    cls[cp] == CL_RARE)
				cls[cp] = CL_COMMON;
		}
	}
	iconv_close(cd);
}

static void
init_classes(void)
{
	size_t i;

	if (cls)
		return;
	cls = xcalloc(65536, 1);
	set_range(0x00, 0x1F, CL_BAD);
	cls['\t'] = cls['\n'] = cls['\r'] = CL_NEUTRAL;
	set_range(0x7F, 0x9F, CL_BAD);
	set_range(0xA0, 0xBF, CL_PUNCT);
	set_range(0xC0, 0x24F, CL_BAD);		/* Latin letters: mojibake, not Chinese */
	cls[0xD7] = cls[0xF7] = CL_PUNCT;	/* × ÷ */
	set_range(0x370, 0x52F, CL_BAD);	/* Greek, Cyrillic */
	set_range(0x1100, 0x11FF, CL_BAD);	/* Hangul jamo */
	set_range(0x2010, 0x206F, CL_PUNCT);
	set_range(0x2100, 0x21FF, CL_PUNCT);	/* letterlike, numbers, arrows */
	set_range(0x2460, 0x24FF, CL_PUNCT);	/* ① ⑴ ⒈ */
	set_range(0x2500, 0x259F, CL_BAD);	/* box drawing, blocks */
	set_range(0x25A0, 0x26FF, CL_PUNCT);	/* ■ □ ▲ ● ★ */
	set_range(0x3000, 0x303F, CL_PUNCT);
	set_range(0x3040, 0x31BF, CL_BAD);	/* kana, bopomofo, Hangul compat */
	set_range(0x3400, 0x4DBF, CL_RARE);
	set_range(0x4E00, 0x9FFF, CL_RARE);
	set_range(0xA000, 0xD7FF, CL_BAD);	/* Yi, Hangul syllables, ... */
	set_range(0xE000, 0xF8FF, CL_BAD);	/* private use: unmapped vendor codes */
	set_range(0xF900, 0xFAFF, CL_RARE);
	set_range(0xFE30, 0xFE4F, CL_PUNCT);
	set_range(0xFF01, 0xFF5E, CL_PUNCT);
	set_range(0xFF61, 0xFF9F, CL_BAD);	/* half-width katakana */
	set_range(0xFFE0, 0xFFE6, CL_PUNCT);
	cls[0xFFFD] = CL_BAD;
	/* GB2312 level 1 (B0A1-D7F9) and Big5 frequently used (A440-C67E). */
	mark_common("GB18030", 0xB0, 0xD7, 0xA1, 0xFE, 0xA1, 0xFE);
	mark_common("BIG5", 0xA4, 0xC6, 0x40, 0x7E, 0xA1, 0xFE);
	for (i = 0; i < sizeof hanzi_top / sizeof hanzi_top[0]; i++)
		cls[hanzi_top[i]] = CL_TOP;
	for (i = 0; i < sizeof hanzi_top_trad / sizeof hanzi_top_trad[0]; i++)
		cls[hanzi_top_trad[i]] = CL_TOP;
}

static int
cls_of(uint32_t cp)
{
	if (cp < 0x10000)
		return cls[cp];
	if ((cp >= 0x20000 && cp <= 0x3FFFF))
		return CL_RARE;
	return CL_BAD;
}

static int
cmp_pair(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

int
encfix_load_t2s(const char *path, Buf *err)
{
	FILE *f = fopen(path, "r");
	char line[256];
	unsigned long lineno = 0;
	size_t cap = 0;

	if (!f) {
		buf_addf(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	free(t2s_bmp);
	free(t2s_supp);
	free(scr);
	t2s_bmp = xcalloc(65536, sizeof *t2s_bmp);
	scr = xcalloc(65536, 1);
	t2s_supp = NULL;
	t2s_nsupp = 0;
	while (fgets(line, sizeof line, f)) {
		const unsigned char *s = (const unsigned char *)line;
		size_t len = strlen(line);
		uint32_t t, v;
		int a, b;

		lineno++;
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		a = utf8_decode(s, len, &t);
		if (a < 0 || (size_t)a >= len || s[a] != '\t' ||
		    (b = utf8_decode(s + a + 1, len - (size_t)a - 1, &v)) < 0 ||
		    (size_t)(a + 1 + b) != len) {
			buf_addf(err, "%s:%lu: expected TRADITIONAL<TAB>SIMPLIFIED", path, lineno);
			fclose(f);
			return -1;
		}
		if (t < 0x10000) {
			t2s_bmp[t] = v;
		} else {
			if (t2s_nsupp == cap) {
				cap = cap ? 2 * cap : 256;
				t2s_supp = xrealloc(t2s_supp, cap * sizeof *t2s_supp);
			}
			t2s_supp[t2s_nsupp][0] = t;
			t2s_supp[t2s_nsupp][1] = v;
			t2s_nsupp++;
		}
	}
	if (ferror(f)) {
		buf_addf(err, "%s: read error", path);
		fclose(f);
		return -1;
	}
	fclose(f);
	if (t2s_nsupp)
		qsort(t2s_supp, t2s_nsupp, sizeof *t2s_supp, cmp_pair);
	/* Script evidence: keys are traditional-only, values that are not keys
	 * simplified-only (characters both scripts share map to themselves and
	 * are not in the table). */
	for (uint32_t c = 0; c < 65536; c++) {
		if (t2s_bmp[c]) {
			scr[c] = 1;
			if (t2s_bmp[c] < 0x10000 && !t2s_bmp[t2s_bmp[c]])
				scr[t2s_bmp[c]] = 2;
		}
	}
	return 0;
}

int
encfix_have_t2s(void)
{
	return t2s_bmp != NULL;
}

static uint32_t
t2s_map(uint32_t cp)
{
	if (cp < 0x10000)
		return t2s_bmp[cp] ? t2s_bmp[cp] : cp;
	if (t2s_nsupp) {
		uint32_t key[2] = {cp, 0};
		uint32_t (*hit)[2] = bsearch(key, t2s_supp, t2s_nsupp, sizeof *t2s_supp, cmp_pair);

		if (hit)
			return (*hit)[1];
	}
	return cp;
}

void
encfix_cleanup(void)
{
	for (int i = 0; i < ncds; i++)
		iconv_close(cds[i].cd);
	ncds = 0;
	free(cls);
	free(t2s_bmp);
	free(t2s_supp);
	free(scr);
	cls = NULL;
	t2s_bmp = NULL;
	t2s_supp = NULL;
	scr = NULL;
	t2s_nsupp = 0;
}

int
encfix_parse_keep(const char *list, unsigned *steps, char *bad, size_t badlen)
{
	const char *s = list;

	while (*s) {
		size_t len = strcspn(s, ",");
		int i, found = 0;

		for (i = 0; steps_list[i]; i++) {
			if (strlen(steps_list[i]) == len && strncmp(s, steps_list[i], len) == 0) {
				*steps &= ~(1u << i);
				found = 1;
			}
		}
		if (len == 3 && strncmp(s, "all", 3) == 0) {
			*steps &= ~(unsigned)EF_DEFAULT;
			found = 1;
		}
		if (!found && len > 0) {
			snprintf(bad, badlen, "%.*s", (int)len, s);
			return -1;
		}
		s += len;
		if (*s == ',')
			s++;
	}
	return 0;
}

/* ---------------------------------------------------------------- sniffing */

/* Formats that are never text, by their magic bytes. */
static const char *
sniff_magic(const unsigned char *p, size_t n)
{
	static const struct {
		const char *magic;
		size_t len;
		const char *what;
	} m[] = {
		{"%PDF-", 5, "a PDF document"},
		{"\x89PNG\r\n\x1a\n", 8, "a PNG image"},
		{"\xff\xd8\xff", 3, "a JPEG image"},
		{"GIF87a", 6, "a GIF image"},
		{"GIF89a", 6, "a GIF image"},
		{"PK\x03\x04", 4, "a zip archive (or an Office document)"},
		{"PK\x05\x06", 4, "a zip archive"},
		{"\x7f" "ELF", 4, "an ELF executable"},
		{"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8, "an OLE2 (old MS Office) document"},
		{"Rar!\x1a\x07", 6, "a RAR archive"},
		{"7z\xbc\xaf\x27\x1c", 6, "a 7-zip archive"},
		{"\x1f\x8b\x08", 3, "gzip data inside gzip data"},
		{"\xfd" "7zXZ", 5, "xz data"},
		{"\x28\xb5\x2f\xfd", 4, "zstd data"},
		{"BZh91AY&SY", 10, "bzip2 data"},
		{"II*\0", 4, "a TIFF image"},
		{"MM\0*", 4, "a TIFF image"},
		{"OggS", 4, "an Ogg file"},
		{"wOFF", 4, "a WOFF font"},
		{"SQLite format 3", 16, "an SQLite database"},
		{"\0asm", 4, "a WebAssembly module"},
	};

	for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
		if (n >= m[i].len && memcmp(p, m[i].magic, m[i].len) == 0)
			return m[i].what;
	if (n >= 12 && memcmp(p, "RIFF", 4) == 0)
		return "a RIFF file (WAV, AVI or WebP)";
	if (n >= 12 && memcmp(p + 4, "ftyp", 4) == 0)
		return "an MP4/HEIF file";
	if (n >= 10 && memcmp(p, "ID3", 3) == 0 && p[3] < 5)
		return "an MP3 file";
	return NULL;
}

/* NUL patterns of UTF-32 and UTF-16 without BOM in the first bytes: 0 none,
 * else the ENC_ code below. */
enum { U_NONE, U_16LE, U_16BE, U_32LE, U_32BE };

static int
nul_pattern(const unsigned char *p, size_t n)
{
	size_t m = n < SAMPLE_MAX ? n : SAMPLE_MAX, i, z[4] = {0, 0, 0, 0}, hi2[4] = {0, 0, 0, 0};

	if (!memchr(p, 0, m))
		return U_NONE;
	for (i = 0; i < m; i++) {
		if (p[i] == 0)
			z[i & 3]++;
		else if (p[i] > 0x10)
			hi2[i & 3]++;
	}
	if (n % 4 == 0 && m >= 8) {
		if (z[3] == m / 4 && hi2[2] == 0 && z[0] < m / 4)
			return U_32LE;
		if (z[0] == m / 4 && hi2[1] == 0 && z[3] < m / 4)
			return U_32BE;
	}
	{
		size_t ze = z[0] + z[2], zo = z[1] + z[3];

		/* ASCII characters (newlines at least) of UTF-16 text put their
		 * NUL on one side; only the rare U+xx00 ideograph (一 U+4E00)
		 * puts one on the other. The caller checks the decoding. */
		if (zo >= 2 && ze * 3 <= zo)
			return U_16LE;
		if (ze >= 2 && zo * 3 <= ze)
			return U_16BE;
	}
	return U_NONE;
}

/* Control bytes in the first bytes: text has few, binary data many. */
static int
looks_binary(const unsigned char *p, size_t n)
{
	size_t m = n < SAMPLE_MAX ? n : SAMPLE_MAX, i = 0, bad = 0;

	while (i < m) {
		unsigned c;

		if (m - i >= 8) {	/* eight bytes none of which is below 0x20 */
			uint64_t w;

			memcpy(&w, p + i, 8);
			if (!((w - 0x2020202020202020ULL) & ~w & 0x8080808080808080ULL)) {
				i += 8;
				continue;
			}
		}
		c = p[i++];
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b)
			bad++;
	}
	return m >= 16 && bad * 100 > m * 5;
}

/* The charset an HTML <meta> or XML declaration names in the first 4 KiB,
 * lowercased into name; 0 when there is none. */
static int
meta_charset(const unsigned char *p, size_t n, char *name, size_t size)
{
	size_t m = n < 4096 ? n : 4096, i, j;

	for (i = 0; i + 8 < m; i++) {
		const char *key = NULL;
		int c0 = p[i] | 0x20;

		if (c0 != 'c' && c0 != 'e')
			continue;
		if (strncasecmp((const char *)p + i, "charset", 7) == 0)
			key = "charset", j = i + 7;
		else if (i + 8 < m && strncasecmp((const char *)p + i, "encoding", 8) == 0)
			key = "encoding", j = i + 8;
		if (!key)
			continue;
		while (j < m && (p[j] == ' ' || p[j] == '\t'))
			j++;
		if (j >= m || p[j] != '=')
			continue;
		j++;
		while (j < m && (p[j] == ' ' || p[j] == '"' || p[j] == '\''))
			j++;
		size_t k = 0;
		while (j < m && k + 1 < size && (isalnum(p[j]) || p[j] == '-' || p[j] == '_' ||
						 p[j] == '.' || p[j] == ':'))
			name[k++] = (char)tolower(p[j++]);
		name[k] = '\0';
		if (k > 0)
			return 1;
	}
	return 0;
}

/* Families of encoding names. */
enum { F_OTHER, F_UTF8, F_GB, F_BIG5, F_UTF16, F_UTF16LE, F_UTF16BE, F_UTF32, F_UTF32LE, F_UTF32BE };

static int
family(const char *name)
{
	char k[48];
	size_t i, j = 0;

	for (i = 0; name[i] && j + 1 < sizeof k; i++)
		if (name[i] != '-' && name[i] != '_')
			k[j++] = (char)toupper((unsigned char)name[i]);
	k[j] = '\0';
	if (!strcmp(k, "UTF8") || !strcmp(k, "ASCII") || !strcmp(k, "USASCII"))
		return F_UTF8;
	if (!strcmp(k, "GB18030") || !strcmp(k, "GBK") || !strcmp(k, "GB2312") || !strcmp(k, "CP936") ||
	    !strcmp(k, "EUCCN") || !strcmp(k, "XGBK") || !strcmp(k, "WINDOWS936") || !strcmp(k, "MS936"))
		return F_GB;
	if (!strcmp(k, "BIG5") || !strcmp(k, "CP950") || !strcmp(k, "XXBIG5") || !strcmp(k, "BIG5HKSCS") ||
	    !strcmp(k, "WINDOWS950"))
		return F_BIG5;
	if (!strcmp(k, "UTF16"))
		return F_UTF16;
	if (!strcmp(k, "UTF16LE"))
		return F_UTF16LE;
	if (!strcmp(k, "UTF16BE"))
		return F_UTF16BE;
	if (!strcmp(k, "UTF32"))
		return F_UTF32;
	if (!strcmp(k, "UTF32LE"))
		return F_UTF32LE;
	if (!strcmp(k, "UTF32BE"))
		return F_UTF32BE;
	return F_OTHER;
}

/* ---------------------------------------------------------------- decoders */

static void
inv_add(Inv *v, size_t off)
{
	if (v->invalid++ == 0)
		v->first = off;
}

static void
put_fffd(Buf *b)
{
	buf_add(b, "\xef\xbf\xbd", 3);
}

/* Decode p[0..n) with iconv (cd: to UTF-8) into out. Every invalid or
 * unmappable sequence becomes U+FFFD and is counted in v (offsets + base).
 * sampling: an incomplete sequence at the end is not counted (the sample
 * cut it). alt: a second decoder tried on a pair the first cannot map. */
static void
iconv_decode(iconv_t cd, iconv_t alt, const unsigned char *p, size_t n, Buf *out, Inv *v,
	     size_t base, int sampling)
{
	char *ip = (char *)p;
	size_t il = n;

	iconv(cd, NULL, NULL, NULL, NULL);
	buf_grow(out, n + n / 2 + 16);
	while (il > 0) {
		char *op = out->s + out->len;
		size_t ol = out->cap - out->len - 1;
		size_t r = iconv(cd, &ip, &il, &op, &ol);

		out->len = (size_t)(op - out->s);
		out->s[out->len] = '\0';
		if (r != (size_t)-1)
			break;
		if (errno == E2BIG) {
			buf_grow(out, il + il / 2 + 64);
			continue;
		}
		const unsigned char *u = (const unsigned char *)ip;
		size_t off = base + (size_t)(u - p), skip = 1;

		if (errno == EINVAL) {	/* incomplete sequence at the end */
			if (!(sampling & D_CUT)) {
				inv_add(v, off);
				put_fffd(out);
			}
			break;
		}
		/* EILSEQ: a lead byte followed by a plausible trail byte is taken
		 * as one unmappable pair (one U+FFFD); otherwise one byte, so an
		 * ASCII character after a stray lead byte survives. */
		if (u[0] >= 0x81 && il >= 2 && u[1] >= 0x40 && u[1] != 0x7F && u[1] != 0xFF)
			skip = 2;
		if ((sampling & D_SCORING) && v->invalid >= SCORE_MAX_INVALID) {
			inv_add(v, off);
			break;
		}
		if (alt != (iconv_t)-1 && skip == 2) {
			char *aip = ip, tmp[16], *aop = tmp;
			size_t ail = 2, aol = sizeof tmp;

			iconv(alt, NULL, NULL, NULL, NULL);
			if (iconv(alt, &aip, &ail, &aop, &aol) != (size_t)-1 && ail == 0) {
				buf_add(out, tmp, (size_t)(aop - tmp));
				ip += 2;
				il -= 2;
				continue;
			}
		}
		inv_add(v, off);
		put_fffd(out);
		ip += skip;
		il -= skip;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	if (!(sampling & D_CUT)) {
		char *op, tail[16];
		size_t ol = sizeof tail;

		op = tail;
		iconv(cd, NULL, NULL, &op, &ol);
		buf_add(out, tail, (size_t)(op - tail));
	}
}

static void
put_cp(Buf *b, uint32_t cp)
{
	char tmp[4];

	buf_add(b, tmp, (size_t)utf8_encode(cp, tmp));
}

/* UTF-16 (be: big-endian) to UTF-8; lone surrogates and an odd last byte
 * become U+FFFD. */
static void
utf16_decode(const unsigned char *p, size_t n, int be, Buf *out, Inv *v, size_t base, int sampling)
{
	size_t i;

	buf_grow(out, n + n / 2 + 16);
	for (i = 0; i + 1 < n; i += 2) {
		uint32_t u = be ? (uint32_t)p[i] << 8 | p[i + 1] : (uint32_t)p[i + 1] << 8 | p[i];

		if (u >= 0xD800 && u <= 0xDBFF && i + 3 < n) {
			uint32_t w = be ? (uint32_t)p[i + 2] << 8 | p[i + 3] : (uint32_t)p[i + 3] << 8 | p[i + 2];

			if (w >= 0xDC00 && w <= 0xDFFF) {
				put_cp(out, 0x10000 + ((u - 0xD800) << 10) + (w - 0xDC00));
				i += 2;
				continue;
			}
		}
		if (u >= 0xD800 && u <= 0xDFFF) {
			if ((sampling & D_CUT) && i + 3 >= n)
				break;
			inv_add(v, base + i);
			put_fffd(out);
			continue;
		}
		if (u < 0x80)
			buf_addc(out, (int)u);
		else
			put_cp(out, u);
	}
	if (i < n && !(sampling & D_CUT)) {
		inv_add(v, base + i);
		put_fffd(out);
	}
}

static void
utf32_decode(const unsigned char *p, size_t n, int be, Buf *out, Inv *v, size_t base, int sampling)
{
	size_t i;

	buf_grow(out, n + 16);
	for (i = 0; i + 3 < n; i += 4) {
		uint32_t u = be ? (uint32_t)p[i] << 24 | (uint32_t)p[i + 1] << 16 | (uint32_t)p[i + 2] << 8 | p[i + 3]
				: (uint32_t)p[i + 3] << 24 | (uint32_t)p[i + 2] << 16 | (uint32_t)p[i + 1] << 8 | p[i];

		if (u > 0x10FFFF || (u >= 0xD800 && u <= 0xDFFF)) {
			inv_add(v, base + i);
			put_fffd(out);
		} else {
			put_cp(out, u);
		}
	}
	if (i < n && !(sampling & D_CUT)) {
		inv_add(v, base + i);
		put_fffd(out);
	}
}

#define IS_CONT(b) (((b) & 0xC0) == 0x80)

/* ---------------------------------------------------------------- model */

/* Points of a UTF-8 text (with U+FFFD for what did not decode), and how
 * many characters past ASCII it has. */
static long
score_text(const unsigned char *s, size_t n, size_t *nonascii)
{
	long pts = 0;
	size_t i = 0, na = 0;

	while (i < n) {
		uint32_t cp;
		int len;

		if (s[i] < 0x80) {
			if (s[i] < 0x20 && s[i] != '\n' && s[i] != '\r' && s[i] != '\t')
				pts += cl_points[CL_BAD];
			i++;
			continue;
		}
		na++;
		if (s[i] >= 0xE1 && s[i] <= 0xEC && i + 2 < n && IS_CONT(s[i + 1]) && IS_CONT(s[i + 2])) {
			cp = (s[i] & 0x0Fu) << 12 | (uint32_t)(s[i + 1] & 0x3F) << 6 | (s[i + 2] & 0x3F);
			pts += cl_points[cls[cp]];
			i += 3;
			continue;
		}
		len = utf8_decode(s + i, n - i, &cp);
		if (len < 0) {
			pts += PTS_INVALID;
			i++;
			continue;
		}
		pts += cp == 0xFFFD ? PTS_INVALID : cl_points[cls_of(cp)];
		i += (size_t)len;
	}
	if (nonascii)
		*nonascii = na;
	return pts;
}

/* Points of the sample decoded as UTF-16 (1 for text without a character
 * past ASCII). */
static long
utf16_points(const unsigned char *p, size_t n, int be)
{
	size_t m = n < SAMPLE_MAX ? n : SAMPLE_MAX, na;
	Buf b = BUF_INIT;
	Inv v = {0, 0};
	long pts;

	utf16_decode(p, m, be, &b, &v, 0, m < n ? D_CUT : 0);
	pts = score_text((unsigned char *)b.s, b.len, &na) + (long)v.invalid * PTS_INVALID;
	buf_free(&b);
	return na == 0 && v.invalid == 0 ? 1 : pts;
}

static int
utf16_plausible(const unsigned char *p, size_t n, int be)
{
	return utf16_points(p, n, be) > 0;
}

/* ---------------------------------------------------------------- mojibake */

/* Windows-1252 characters 0x80-0x9F (0 where undefined). */
static const uint16_t cp1252[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
	0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

static int
latin_byte(uint32_t cp)
{
	if (cp >= 0x80 && cp <= 0xFF)
		return (int)cp;
	for (int i = 0; i < 32; i++)
		if (cp1252[i] && cp1252[i] == cp)
			return 0x80 + i;
	return -1;
}

/* Length of the longest prefix of s that is complete, valid UTF-8, and
 * whether the rest is only an unfinished sequence. */
static size_t
utf8_ok_prefix(const unsigned char *s, size_t n, int *partial_tail)
{
	size_t v = utf8_valid_prefix(s, n);

	*partial_tail = 0;
	if (v < n && n - v < 4 && s[v] >= 0xC2 && s[v] <= 0xF4) {
		size_t need = s[v] < 0xE0 ? 2 : s[v] < 0xF0 ? 3 : 4, k;

		for (k = 1; k < n - v; k++)
			if ((s[v + k] & 0xC0) != 0x80)
				break;
		if (k == n - v && n - v < need)
			*partial_tail = 1;
	}
	return v;
}

static int
ends_fffd(const Buf *b)
{
	return b->len >= 3 && memcmp(b->s + b->len - 3, "\xef\xbf\xbd", 3) == 0;
}

/* Try to undo one run of non-ASCII characters r[0..n) that may be UTF-8
 * bytes read as Latin-1/Windows-1252 or as GBK. Appends the repair to dst and
 * returns 1 (2 when the repair ended in U+FFFD for a character cut short),
 * or returns 0 (nothing appended).
 *
 * A GBK decoder that met a byte it could not pair (a UTF-8 lead byte before
 * an ASCII character) put U+FFFD there and lost that byte: the run after it
 * starts inside a UTF-8 character (up to three continuation bytes, dropped
 * here: the U+FFFD before stands for them), and the run before it ends with
 * an unfinished character (one U+FFFD for both). */
static int
repair_run(const unsigned char *r, size_t n, int try_latin, int try_gbk, iconv_t to_gb, Buf *dst)
{
	Buf bytes = BUF_INIT;
	int ok = 0, partial;
	size_t i, v;

	if (try_latin) {
		for (i = 0; i < n;) {
			uint32_t cp;
			int len = utf8_decode(r + i, n - i, &cp), b;

			if (len < 0 || (b = latin_byte(cp)) < 0)
				break;
			buf_addc(&bytes, b);
			i += (size_t)len;
		}
		if (i == n && bytes.len >= 2 && utf8_valid((unsigned char *)bytes.s, bytes.len) &&
		    utf8_count((unsigned char *)bytes.s, bytes.len) < bytes.len) {
			buf_add(dst, bytes.s, bytes.len);
			ok = 1;
		}
	}
	if (!ok && try_gbk && to_gb != (iconv_t)-1) {
		char *ip = (char *)r, *op;
		size_t il = n, ol;

		buf_clear(&bytes);
		buf_grow(&bytes, 4 * n + 8);
		op = bytes.s;
		ol = bytes.cap - 1;
		iconv(to_gb, NULL, NULL, NULL, NULL);
		if (iconv(to_gb, &ip, &il, &op, &ol) != (size_t)-1 && il == 0) {
			const unsigned char *b = (unsigned char *)bytes.s;
			size_t lead = 0;

			bytes.len = (size_t)(op - bytes.s);
			while (lead < 3 && lead < bytes.len && IS_CONT(b[lead]))
				lead++;
			v = utf8_ok_prefix(b + lead, bytes.len - lead, &partial);
			if (v > 0 && (lead + v == bytes.len || partial)) {
				size_t na_old, na_new;
				long old = score_text(r, n, &na_old);
				long new = score_text(b + lead, v, &na_new);

				/* Clearly better: at least two characters, mostly
				 * common ones, and well above what was there. */
				if ((na_new >= 2 || (na_new == 1 && na_old >= 2 && (lead || partial))) &&
				    new >= (long)na_new * 3 && new > old + 4) {
					if (lead && !ends_fffd(dst))
						put_fffd(dst);
					buf_add(dst, b + lead, v);
					ok = 1;
					if (lead + v < bytes.len) {
						put_fffd(dst);
						ok = 2;
					}
				}
			}
		}
	}
	buf_free(&bytes);
	return ok;
}

/* Copy p[0..n) to dst with every repairable run repaired; returns how many. */
static size_t
repair_mojibake(const unsigned char *p, size_t n, int try_latin, int try_gbk, Buf *dst)
{
	iconv_t to_gb = try_gbk ? get_cd("GB18030", "UTF-8") : (iconv_t)-1;
	size_t i = 0, fixed = 0;

	buf_grow(dst, n + 16);
	while (i < n) {
		size_t j = i;
		uint32_t cp;
		int len;

		if (p[i] < 0x80) {
			buf_addc(dst, p[i]);
			i++;
			continue;
		}
		/* a run of valid non-ASCII characters other than U+FFFD */
		while (j < n && p[j] >= 0x80 && (len = utf8_decode(p + j, n - j, &cp)) > 0 && cp != 0xFFFD)
			j += (size_t)len;
		if (j == i) {	/* an invalid byte or U+FFFD: copy it */
			len = utf8_decode(p + i, n - i, &cp);
			len = len < 0 ? 1 : len;
			buf_add(dst, p + i, (size_t)len);
			i += (size_t)len;
			continue;
		}
		if (j - i >= 4 && (len = repair_run(p + i, j - i, try_latin, try_gbk, to_gb, dst)) > 0) {
			fixed++;
			/* the U+FFFD the decoder left for the lost byte */
			if (len == 2 && j + 3 <= n && memcmp(p + j, "\xef\xbf\xbd", 3) == 0)
				j += 3;
		} else {
			buf_add(dst, p + i, j - i);
		}
		i = j;
	}
	put_cd(to_gb);
	return fixed;
}

/* ---------------------------------------------------------------- normalise */

/* The BMP character a GB18030 double-byte pair decodes to, 0 if none. */
static uint32_t
gb_pair(unsigned char a, unsigned char b)
{
	iconv_t cd = get_cd("UTF-8", "GB18030");
	unsigned char in[2] = {a, b}, outb[8];
	char *ip = (char *)in, *op = (char *)outb;
	size_t il = 2, ol = sizeof outb;
	uint32_t cp;

	if (cd == (iconv_t)-1)
		return 0;
	iconv(cd, NULL, NULL, NULL, NULL);
	if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 || il != 0 ||
	    utf8_decode(outb, (size_t)(op - (char *)outb), &cp) <= 0 || cp >= 0x10000)
		return 0;
	return cp;
}

/* Length of the maximal invalid subpart at s (Unicode's "U+FFFD substitution
 * of maximal subparts"): the lead byte and the continuation bytes that could
 * still have been part of a valid sequence. */
static size_t
bad_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t need, k;
	unsigned lo = 0x80, hi = 0xBF;

	if (c < 0xC2 || c > 0xF4)
		return 1;
	need = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
	if (c == 0xE0) lo = 0xA0;
	if (c == 0xED) hi = 0x9F;
	if (c == 0xF0) lo = 0x90;
	if (c == 0xF4) hi = 0x8F;
	for (k = 1; k < need && k < n; k++) {
		if (s[k] < lo || s[k] > hi)
			break;
		lo = 0x80, hi = 0xBF;
	}
	return k;
}

/* Evidence, normalisation and (--simplified) script conversion in one pass
 * over UTF-8 p[0..n) (invalid sequences allowed: they become U+FFFD). */
static void
normalise(Norm *x, const unsigned char *p, size_t n)
{
	const unsigned steps = x->o->steps;
	const int indent = steps & EF_INDENT, trailing = steps & EF_TRAILING;
	const int controls = steps & EF_CONTROLS, fullwidth = steps & EF_FULLWIDTH;
	const int zerowidth = steps & EF_ZEROWIDTH, eol = steps & EF_EOL, nbsp = steps & EF_NBSP;
	const int simp = x->o->simplified && t2s_bmp;
	const unsigned char *s = p, *end = p + n;
	Buf *out = x->out;
	EncfixStats *st = x->st;
	Gate *g = &x->g;
	char *ob;
	size_t k, lastns;
	size_t n_mb = 0, n_cjk = 0, n_rare = 0, n_script[4] = {0, 0, 0, 0};
	int atstart = 1;

	buf_grow(out, n + 32);
	ob = out->s;
	k = lastns = out->len;

/* Room for the rest of the input plus one expansion. */
#define ENSURE() do { \
	if (out->cap - k < (size_t)(end - s) + 32) { \
		out->len = k; \
		buf_grow(out, (size_t)(end - s) + 64); \
		ob = out->s; \
	} \
} while (0)
/* A three-byte character at src (code point cp), simplified when asked. */
#define PUT_BMP(cp, src) do { \
	if (simp && t2s_bmp[cp]) { \
		char tmp_[4]; \
		int len_ = utf8_encode(t2s_bmp[cp], tmp_); \
		ENSURE(); \
		memcpy(ob + k, tmp_, (size_t)len_); \
		k += (size_t)len_; \
		st->simplified++; \
	} else { \
		memcpy(ob + k, (src), 3); \
		k += 3; \
	} \
} while (0)
#define PUT_BLANK(ch) do { \
	if (!(atstart && indent)) \
		ob[k++] = (ch); \
} while (0)

	while (s < end) {
		unsigned c = *s;

		if (c >= 0x21 && c < 0x7F) {
			/* printable ASCII but space, eight bytes at a time */
			for (;;) {
				uint64_t w;

				if (end - s >= 8) {
					memcpy(&w, s, 8);
					if (!(((w - 0x2121212121212121ULL) | w | (w + 0x0101010101010101ULL)) &
					      0x8080808080808080ULL)) {
						memcpy(ob + k, s, 8);
						k += 8;
						s += 8;
						continue;
					}
				}
				if (s < end && *s >= 0x21 && *s < 0x7F) {
					ob[k++] = (char)*s++;
					continue;
				}
				break;
			}
			lastns = k;
			atstart = 0;
			continue;
		}
		if (c < 0x80) {
			s++;
			if (c == ' ' || c == '\t') {
				PUT_BLANK((char)c);
			} else if (c == '\n' || (c == '\r' && eol)) {
				if (c == '\r' && s < end && *s == '\n')
					continue;	/* CRLF: the LF ends the line */
				if (trailing)
					k = lastns;
				ob[k++] = '\n';
				lastns = k;
				atstart = 1;
			} else if (controls && c != '\r') {
				st->controls++;
			} else {	/* a kept control, or CR when line ends are kept */
				ob[k++] = (char)c;
				lastns = k;
				atstart = 0;
			}
			continue;
		}
		/* multi-byte */
		if (c >= 0xE0 && c <= 0xEF && end - s >= 3 && IS_CONT(s[1]) && IS_CONT(s[2]) &&
		    (c != 0xE0 || s[1] >= 0xA0) && (c != 0xED || s[1] < 0xA0)) {
			uint32_t cp = (c & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);

			n_mb++;
			if (cp >= 0x3400 && cp <= 0x9FFF) {
				/* counted without branches in locals (the output's
				 * char stores would otherwise force them to memory) */
				n_cjk++;
				n_rare += cls[cp] == CL_RARE;
				if (scr)
					n_script[scr[cp] & 3]++;
				PUT_BMP(cp, s);
				lastns = k;
				atstart = 0;
				s += 3;
				continue;
			}
			s += 3;
			if (cp == 0x3000) {
				if (fullwidth) {
					st->folded++;
					PUT_BLANK(' ');
				} else if (!(atstart && indent)) {
					memcpy(ob + k, s - 3, 3);
					k += 3;
				}
				continue;
			}
			if (fullwidth && cp >= 0xFF01 && cp <= 0xFF5E) {
				st->folded++;
				ob[k++] = (char)(cp - 0xFEE0);
			} else if (zerowidth && ((cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF)) {
				st->zerowidth++;
				continue;
			} else {
				if (cp >= 0xF900 && cp <= 0xFAFF)
					g->cjk++, g->rare++;
				PUT_BMP(cp, s - 3);
			}
			lastns = k;
			atstart = 0;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF && end - s >= 2 && IS_CONT(s[1])) {
			uint32_t cp = (c & 0x1F) << 6 | (s[1] & 0x3F);

			g->mb++;
			s += 2;
			if (cp <= 0x9F) {
				g->c1++;
				if (controls) {
					st->controls++;
					continue;
				}
			} else if (cp == 0xA0) {
				if (nbsp) {
					PUT_BLANK(' ');
				} else if (!(atstart && indent)) {
					ob[k++] = (char)c;
					ob[k++] = (char)s[-1];
				}
				continue;
			} else if (cp == 0xAD && zerowidth) {
				st->zerowidth++;
				continue;
			} else if (cp >= 0xC0) {
				g->latin++;
			}
			ob[k++] = (char)c;
			ob[k++] = (char)s[-1];
			lastns = k;
			atstart = 0;
			continue;
		}
		if (c >= 0xF0 && c <= 0xF4 && end - s >= 4 && IS_CONT(s[1]) && IS_CONT(s[2]) &&
		    IS_CONT(s[3]) && (c != 0xF0 || s[1] >= 0x90) && (c != 0xF4 || s[1] < 0x90)) {
			uint32_t cp = (c & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 |
				      (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
			uint32_t m = simp ? t2s_map(cp) : cp;

			g->mb++;
			if (m != cp) {
				char tmp[4];
				int len = utf8_encode(m, tmp);

				ENSURE();
				memcpy(ob + k, tmp, (size_t)len);
				k += (size_t)len;
				st->simplified++;
			} else {
				memcpy(ob + k, s, 4);
				k += 4;
			}
			s += 4;
			lastns = k;
			atstart = 0;
			continue;
		}
		/* Not UTF-8. In UTF-8 input, a GB18030 pair that decodes to a
		 * common character is a fragment in the other encoding: convert
		 * it (counted in st->mixed). */
		if (x->track && end - s >= 2 && c >= 0x81 && c <= 0xFE && s[1] >= 0x40 && s[1] != 0x7F &&
		    s[1] != 0xFF && bad_len(s, (size_t)(end - s)) == 1) {
			uint32_t cp = gb_pair(s[0], s[1]);

			if (cp && (cls[cp] == CL_TOP || cls[cp] == CL_COMMON || (cls[cp] == CL_PUNCT && cp >= 0x2000))) {
				int len;

				ENSURE();
				if (fullwidth && cp >= 0xFF01 && cp <= 0xFF5E)
					cp -= 0xFEE0;
				else if (fullwidth && cp == 0x3000)
					cp = ' ';
				len = utf8_encode(simp && t2s_bmp[cp] ? t2s_bmp[cp] : cp, ob + k);
				k += (size_t)len;
				st->mixed++;
				s += 2;
				lastns = k;
				atstart = 0;
				continue;
			}
		}
		/* invalid: one U+FFFD per maximal subpart */
		{
			size_t bl = bad_len(s, (size_t)(end - s));

			if (x->track) {
				if (st->invalid++ == 0)
					st->first_invalid = x->base + (size_t)(s - p);
			}
			s += bl;
			ENSURE();
			memcpy(ob + k, "\xef\xbf\xbd", 3);
			k += 3;
			lastns = k;
			atstart = 0;
		}
	}
	if (trailing)
		k = lastns;
	out->len = k;
	out->s[k] = '\0';
	g->mb += n_mb;
	g->cjk += n_cjk;
	g->rare += n_rare;
	st->trad += n_script[1];
	st->simp += n_script[2];
#undef ENSURE
#undef PUT_BMP
#undef PUT_BLANK
}

/* Blank lines (EF_BLANK) and the final newline, on out[from..]. */
static void
finish_lines(Buf *out, size_t from, unsigned steps)
{
	char *s = out->s + from;
	size_t n = out->len - from, i, j, runs = 0, bad = 0;

	if (steps & EF_BLANK) {
		/* no blank lines at the start or the end */
		for (i = 0; i < n && s[i] == '\n'; i++)
			;
		memmove(s, s + i, n - i);
		n -= i;
		while (n > 0 && s[n - 1] == '\n')
			n--;
		/* "blank line between every line" padding: every line break is
		 * exactly two newlines, in three lines or more */
		for (i = 0; i < n && !bad; i = j) {
			const char *nl = memchr(s + i, '\n', n - i);

			if (!nl)
				break;
			for (i = j = (size_t)(nl - s); j < n && s[j] == '\n'; j++)
				;
			runs++;
			if (j - i != 2)
				bad++;	/* not padding: no need to look further */
		}
		if (runs >= 2 && bad == 0) {
			for (i = j = 0; i < n; i++) {
				if (s[i] == '\n' && i + 1 < n && s[i + 1] == '\n')
					continue;
				s[j++] = s[i];
			}
			n = j;
		}
	}
	out->len = from + n;
	if (n > 0 && s[n - 1] != '\n')
		buf_addc(out, '\n');
	out->s[out->len] = '\0';
}

/* ---------------------------------------------------------------- detection */

typedef struct {
	int fam;		/* F_UTF8, F_GB, F_BIG5, F_UTF16LE, F_UTF16BE, F_OTHER */
	const char *name;	/* iconv name for F_GB, F_BIG5, F_OTHER */
	long score;
	size_t nonascii, invalid;
	Buf dec;		/* the decoded sample */
	Inv v;
	int whole;		/* dec holds the whole input, without error */
} Cand;

static void
decode_as(const Cand *c, const unsigned char *p, size_t n, Buf *out, Inv *v, size_t base,
	  int sampling)
{
	switch (c->fam) {
	case F_UTF16LE:
	case F_UTF16BE:
		utf16_decode(p, n, c->fam == F_UTF16BE, out, v, base, sampling);
		return;
	case F_UTF32LE:
	case F_UTF32BE:
		utf32_decode(p, n, c->fam == F_UTF32BE, out, v, base, sampling);
		return;
	case F_UTF8: {
		/* only used for scoring: invalid bytes are scored as they are */
		buf_add(out, p, n);
		return;
	}
	default: {
		iconv_t cd = get_cd("UTF-8", c->name);
		iconv_t alt = c->fam == F_BIG5 && !(sampling & D_SCORING) ? get_cd("UTF-8", "BIG5-HKSCS")
									   : (iconv_t)-1;

		if (cd == (iconv_t)-1) {
			inv_add(v, base);
			put_fffd(out);
			return;
		}
		iconv_decode(cd, alt, p, n, out, v, base, sampling);
		put_cd(cd);
		put_cd(alt);
	}
	}
}

/* Does a GB18030 byte stream use four-byte sequences (beyond GBK)? */
static int
gb_has_4byte(const unsigned char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		if (p[i] < 0x81 || p[i] == 0xFF) {
			i++;
		} else if (i + 3 < n && p[i + 1] >= 0x30 && p[i + 1] <= 0x39 && p[i + 2] >= 0x81 &&
			   p[i + 2] <= 0xFE && p[i + 3] >= 0x30 && p[i + 3] <= 0x39) {
			return 1;
		} else {
			i += 2;
		}
	}
	return 0;
}

static double
margin_confidence(long best, long second)
{
	double m = (double)(best - second);
	double c = 1.0 - 0.5 * exp(-m / 12.0);

	return c < 0.5 ? 0.5 : c > 0.99 ? 0.99 : c;
}

static void
set_enc(EncfixStats *st, const char *name, double conf, const char *evidence)
{
	snprintf(st->encoding, sizeof st->encoding, "%s", name);
	st->confidence = conf;
	st->evidence = evidence;
}

static void
score_cand(Cand *c, const unsigned char *p, size_t n, int meta_fam)
{
	size_t m = n < SAMPLE_MAX ? n : SAMPLE_MAX;

	buf_clear(&c->dec);
	c->v = (Inv){0, 0};
	decode_as(c, p, m, &c->dec, &c->v, 0, D_SCORING | (m < n ? D_CUT : 0));
	if (!c->dec.s)
		buf_grow(&c->dec, 1);
	c->score = score_text((unsigned char *)c->dec.s, c->dec.len, &c->nonascii);
	c->invalid = c->v.invalid;
	c->whole = m == n && c->v.invalid == 0 && c->fam != F_UTF8;
	c->score += (long)c->v.invalid * PTS_INVALID;
	if (meta_fam && c->fam == meta_fam) {
		long bonus = (long)c->nonascii / 4;

		c->score += bonus < 8 ? 8 : bonus;
	}
}

/* Choose among the candidates by the model (meta: the declared family gets a
 * bonus). The first nfirst are scored first; the others only when none of
 * those decodes cleanly into plausible text. Returns the winner's index. */
static int
choose(Cand *c, int nc, int nfirst, const unsigned char *p, size_t n, int meta_fam, EncfixStats *st)
{
	int best = 0, second = -1, scored = nfirst, i;

	for (i = 0; i < nfirst; i++)
		score_cand(&c[i], p, n, meta_fam);
	for (i = 1; i < nfirst; i++)
		if (c[i].score > c[best].score)
			best = i;
	if (c[best].invalid || c[best].score < 2 * (long)c[best].nonascii) {
		for (i = nfirst; i < nc; i++)
			score_cand(&c[i], p, n, meta_fam);
		scored = nc;
	}
	for (i = 1; i < scored; i++)
		if (c[i].score > c[best].score)
			best = i;
	/* A decoding with errors or implausible text does not win over UTF-8
	 * (with U+FFFD and fragments): UTF-8 is the default for what no
	 * encoding explains. */
	if (c[best].fam != F_UTF8 && (c[best].invalid * 20 > c[best].nonascii ||
				      c[best].score < (long)c[best].nonascii)) {
		for (i = 0; i < scored; i++)
			if (c[i].fam == F_UTF8)
				best = i;
	}
	for (i = 0; i < scored; i++)
		if (i != best && (second < 0 || c[i].score > c[second].score))
			second = i;
	st->confidence = second < 0 ? 0.9 : margin_confidence(c[best].score, c[second].score);
	if (c[best].nonascii && c[best].invalid)
		st->confidence *= 1.0 - (double)c[best].invalid / (double)c[best].nonascii;
	if (c[best].score <= 0 && st->confidence > 0.5)
		st->confidence = 0.5;
	return best;
}

/* Script from the counts of characters only one script has. */
static const char *
script_of(const EncfixStats *st)
{
	if (!scr || st->trad + st->simp == 0)
		return "-";
	if (st->trad >= 4 * st->simp)
		return "traditional";
	if (st->simp >= 4 * st->trad)
		return "simplified";
	return "mixed";
}

/* Normalise decoded UTF-8 text d[0..dn), with the mojibake pass when the
 * evidence asks for it. */
static int
convert_utf8(const EncfixOpts *o, const unsigned char *d, size_t dn, Buf *out, EncfixStats *st,
	     int track, size_t base, int attempt)
{
	size_t out0 = out->len;
	Norm x = {o, st, out, {0, 0, 0, 0, 0}, track, base};

	normalise(&x, d, dn);
	/* Not UTF-8 after all unless the valid characters far outnumber the
	 * rest (a UTF-8 page with a stray GBK fragment): the caller starts again. */
	if (attempt && (st->invalid || st->mixed) && x.g.mb < 4 * (st->invalid + st->mixed))
		return -1;
	if (o->steps & EF_MOJIBAKE) {
		int latin = x.g.latin >= 1;
		int gbk = x.g.rare >= 2 && x.g.rare * 4 >= x.g.cjk;

		if (latin || gbk) {
			Buf fixed = BUF_INIT;
			size_t nfix = repair_mojibake(d, dn, latin, gbk, &fixed);

			if (nfix) {
				size_t inv = st->invalid, first = st->first_invalid, mixed = st->mixed;
				Norm y = {o, st, out, {0, 0, 0, 0, 0}, 0, 0};

				out->len = out0;
				st->repaired = nfix;
				st->controls = st->folded = st->zerowidth = st->simplified = 0;
				st->trad = st->simp = 0;
				normalise(&y, (unsigned char *)fixed.s, fixed.len);
				st->invalid = inv, st->first_invalid = first, st->mixed = mixed;
			}
			buf_free(&fixed);
		}
	}
	finish_lines(out, out0, o->steps);
	return 0;
}

static size_t
count_chars(const char *s, size_t n)
{
	size_t i = 0, cont = 0;

	/* continuation bytes (10xxxxxx), eight at a time: bit 7 set, bit 6 not */
	for (; i + 8 <= n; i += 8) {
		uint64_t w;

		memcpy(&w, s + i, 8);
		w = (w & ~(w << 1) & 0x8080808080808080ULL) >> 7;
		cont += (size_t)((w * 0x0101010101010101ULL) >> 56);	/* sum of the 0/1 bytes */
	}
	for (; i < n; i++)
		cont += ((unsigned char)s[i] & 0xC0) == 0x80;
	return n - cont;
}

int
encfix_buffer(const EncfixOpts *o, const unsigned char *p, size_t n, Buf *out, EncfixStats *st)
{
	size_t out0 = out->len, bom = 0;
	int fam = 0, upat;
	char meta[48];
	int meta_fam = 0;
	Cand forced = {F_OTHER, NULL, 0, 0, 0, BUF_INIT, {0, 0}, 0};
	int have_dec = 0;
	Buf dec = BUF_INIT;
	Inv v = {0, 0};

	memset(st, 0, sizeof *st);
	st->bytes = n;
	st->script = "-";
	init_classes();

	if (n == 0) {
		set_enc(st, "-", 0.0, "empty");
		return 0;
	}
	/* 1. forced, 2. BOM */
	if (o->from) {
		fam = family(o->from);
		set_enc(st, o->from, 1.0, "forced");
		if (fam == F_OTHER || fam == F_GB || fam == F_BIG5) {
			iconv_t cd = get_cd("UTF-8", o->from);

			if (cd == (iconv_t)-1) {
				st->refused = "unknown encoding";
				return -1;
			}
			put_cd(cd);
			forced.fam = fam;
			forced.name = fam == F_GB ? "GB18030" : o->from;
		}
	}
	if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0 && (!fam || fam == F_UTF8)) {
		fam = F_UTF8, bom = 3;
		set_enc(st, "UTF-8", 1.0, "bom");
	} else if (n >= 4 && memcmp(p, "\xff\xfe\0\0", 4) == 0 && (!fam || fam == F_UTF32 || fam == F_UTF32LE)) {
		fam = F_UTF32LE, bom = 4;
		set_enc(st, "UTF-32LE", 1.0, "bom");
	} else if (n >= 4 && memcmp(p, "\0\0\xfe\xff", 4) == 0 && (!fam || fam == F_UTF32 || fam == F_UTF32BE)) {
		fam = F_UTF32BE, bom = 4;
		set_enc(st, "UTF-32BE", 1.0, "bom");
	} else if (n >= 2 && memcmp(p, "\xff\xfe", 2) == 0 && (!fam || fam == F_UTF16 || fam == F_UTF16LE)) {
		fam = F_UTF16LE, bom = 2;
		set_enc(st, "UTF-16LE", 1.0, "bom");
	} else if (n >= 2 && memcmp(p, "\xfe\xff", 2) == 0 && (!fam || fam == F_UTF16 || fam == F_UTF16BE)) {
		fam = F_UTF16BE, bom = 2;
		set_enc(st, "UTF-16BE", 1.0, "bom");
	}
	if (fam == F_UTF16 || fam == F_UTF32) {	/* forced without byte order, no BOM */
		upat = nul_pattern(p, n);
		if (fam == F_UTF16)
			fam = upat == U_16BE ? F_UTF16BE : F_UTF16LE;
		else
			fam = upat == U_32BE ? F_UTF32BE : F_UTF32LE;
	}
	/* 3. not text at all */
	if (!bom && !o->from) {
		const char *what = sniff_magic(p, n);

		if (what) {
			st->refused = what;
			set_enc(st, "binary", 1.0, "magic");
			return -1;
		}
	}
	/* 4. UTF-32/UTF-16 by their NUL bytes */
	if (!fam) {
		upat = nul_pattern(p, n);
		if (upat == U_32LE)
			fam = F_UTF32LE, set_enc(st, "UTF-32LE", 0.95, "nul-pattern");
		else if (upat == U_32BE)
			fam = F_UTF32BE, set_enc(st, "UTF-32BE", 0.95, "nul-pattern");
		else if ((upat == U_16LE || upat == U_16BE) && utf16_plausible(p, n, upat == U_16BE))
			fam = upat == U_16LE ? F_UTF16LE : F_UTF16BE,
			set_enc(st, upat == U_16LE ? "UTF-16LE" : "UTF-16BE", 0.95, "nul-pattern");
		else if (n % 2 == 0 && memchr(p, 0, n < SAMPLE_MAX ? n : SAMPLE_MAX) &&
			 (utf16_points(p, n, 0) > 0 || utf16_points(p, n, 1) > 0)) {
			/* too few NUL bytes for a pattern (short text, or U+xx00
			 * ideographs): the model decides the byte order */
			int be = utf16_points(p, n, 1) > utf16_points(p, n, 0);

			fam = be ? F_UTF16BE : F_UTF16LE;
			set_enc(st, be ? "UTF-16BE" : "UTF-16LE", 0.8, "model");
		} else if (looks_binary(p, n)) {
			st->refused = "binary data (control bytes)";
			set_enc(st, "binary", 0.9, "controls");
			return -1;
		}
	}
	if (bom && !(o->steps & EF_BOM))
		buf_add(out, "\xef\xbb\xbf", 3);

	/* 5. UTF-8: normalise at once; most documents stop here */
	if (!fam || fam == F_UTF8) {
		size_t start = out->len;

		if (o->detect_only && !fam) {
			/* validation is enough to know */
			size_t vp = utf8_valid_prefix(p, n);

			if (vp == n) {
				int na = 0;

				for (size_t i = 0; i < n && na < 8; i++)
					na += p[i] >= 0x80;
				set_enc(st, na ? "UTF-8" : "ASCII", na ? (na >= 4 ? 1.0 : 0.6 + 0.1 * na) : 1.0,
					"utf-8");
				goto script_only;
			}
		} else if (!fam && utf8_valid_prefix(p, n < 4096 ? n : 4096) + 3 < (n < 4096 ? n : 4096)) {
			;	/* invalid early on: straight to the candidates */
		} else {
			if (convert_utf8(o, p + bom, n - bom, out, st, 1, bom, !fam) == 0) {
				if (!fam) {
					int na = 0;

					for (size_t i = 0; i < n && na < 8; i++)
						na += p[i] >= 0x80;
					set_enc(st, na ? "UTF-8" : "ASCII",
						na ? (na >= 4 ? 1.0 : 0.6 + 0.1 * na) : 1.0, "utf-8");
				}
				goto done;
			}
		}
		/* not valid UTF-8: UTF-8 with errors competes with the others */
		out->len = start;
		if (out->s)
			out->s[start] = '\0';
		memset(st, 0, sizeof *st);
		st->bytes = n;
		fam = 0;
	}
	if (!fam) {
		Cand c[6] = {
			{F_GB, "GB18030", 0, 0, 0, BUF_INIT, {0, 0}, 0},
			{F_BIG5, "BIG5", 0, 0, 0, BUF_INIT, {0, 0}, 0},
			{F_OTHER, NULL, 0, 0, 0, BUF_INIT, {0, 0}, 0},	/* the meta charset */
			{F_UTF8, "UTF-8", 0, 0, 0, BUF_INIT, {0, 0}, 0},
			{F_UTF16LE, "UTF-16LE", 0, 0, 0, BUF_INIT, {0, 0}, 0},
			{F_UTF16BE, "UTF-16BE", 0, 0, 0, BUF_INIT, {0, 0}, 0},
		};
		int nfirst = 2, nc, w;

		if (meta_charset(p, n, meta, sizeof meta)) {
			meta_fam = family(meta);
			if (meta_fam == F_UTF16 || meta_fam == F_UTF32)
				meta_fam = 0;
			if (meta_fam == F_OTHER) {
				iconv_t cd = get_cd("UTF-8", meta);

				if (cd != (iconv_t)-1) {
					put_cd(cd);
					c[2].name = meta;
					nfirst = 3;
				} else {
					meta_fam = 0;
				}
			}
		}
		if (nfirst == 2)
			memmove(&c[2], &c[3], 3 * sizeof c[0]);
		nc = nfirst + (n % 2 == 0 ? 3 : 1);
		w = choose(c, nc, nfirst, p, n, meta_fam, st);
		if (c[w].whole) {	/* decoded already: keep it */
			buf_free(&dec);
			dec = c[w].dec;
			c[w].dec = (Buf)BUF_INIT;
			v = c[w].v;
			have_dec = 1;
		}
		forced = c[w];
		forced.dec = (Buf)BUF_INIT;
		for (int i = 0; i < 6; i++)
			buf_free(&c[i].dec);
		fam = forced.fam;
		if (fam == F_GB)
			snprintf(st->encoding, sizeof st->encoding, "%s", gb_has_4byte(p, n) ? "GB18030" : "GBK");
		else
			snprintf(st->encoding, sizeof st->encoding, "%s", forced.name);
		st->evidence = meta_fam && meta_fam == fam ? "meta" : "model";
		if (fam == F_UTF8) {
			double conf = st->confidence;
			char name[48];

			memcpy(name, st->encoding, sizeof name);
			if (o->detect_only)
				goto script_only;
			convert_utf8(o, p, n, out, st, 1, 0, 0);
			set_enc(st, name, conf, "model");
			goto done;
		}
	}
	if (o->detect_only)
		goto script_only;
	/* 6. decode the rest to UTF-8, then the same normalising pass */
	if (fam == F_UTF16LE || fam == F_UTF16BE || fam == F_UTF32LE || fam == F_UTF32BE) {
		Cand c = {fam, NULL, 0, 0, 0, BUF_INIT, {0, 0}, 0};

		decode_as(&c, p + bom, n - bom, &dec, &v, bom, 0);
	} else if (!have_dec) {
		decode_as(&forced, p + bom, n - bom, &dec, &v, bom, 0);
	}
	{
		double conf = st->confidence;
		char name[48];
		const char *ev = st->evidence;

		memcpy(name, st->encoding, sizeof name);
		convert_utf8(o, (unsigned char *)dec.s, dec.len, out, st, 0, 0, 0);
		set_enc(st, name, conf, ev);
		st->invalid += v.invalid;
		if (v.invalid)
			st->first_invalid = v.first;
	}
done:
	buf_free(&dec);
	st->bytes = n;
	st->chars = count_chars(out->s + out0, out->len - out0);
	st->script = script_of(st);
	return 0;
script_only:
	/* --detect: the script needs the decoded text; no output */
	if (scr) {
		EncfixOpts q = *o;
		Buf tmp = BUF_INIT;
		char name[48];
		double conf = st->confidence;
		const char *ev = st->evidence;

		memcpy(name, st->encoding, sizeof name);
		q.detect_only = 0;
		q.simplified = 0;
		if (!o->from) {
			snprintf(meta, sizeof meta, "%s", !strcmp(name, "ASCII") ? "UTF-8" :
				 !strncmp(name, "GB", 2) ? "GB18030" : name);
			q.from = meta;
		}
		encfix_buffer(&q, p, n, &tmp, st);
		buf_free(&tmp);
		set_enc(st, name, conf, ev);
		st->chars = 0;
	}
	buf_free(&dec);
	st->bytes = n;
	st->script = script_of(st);
	return 0;
}
