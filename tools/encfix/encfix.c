/* encfix.c: encoding detection, conversion to UTF-8 and normalisation of one
 * document held in memory (see encfix.h): the steps of encfix_buffer() in
 * order (forced encoding, BOM, refusal of binary data, UTF-16/32 by NUL
 * bytes, UTF-8, the model, decoding, normalising), --keep and cleanup. The
 * other files of this folder hold each step's work (encfix-int.h).
 *
 * The path of the common case, valid UTF-8, never touches iconv: one pass
 * validates, normalises and gathers the evidence the later steps need
 * (invalid sequences, rare characters that betray mojibake, script). Other
 * encodings are decoded to UTF-8 first (iconv, or the UTF-16/32 decoders)
 * and then go through the same pass.
 *
 * GB18030 versus Big5 (and UTF-8 with errors, UTF-16 without BOM) is decided
 * by a small language model (detect.c). */
#include "encfix-int.h"
#include "utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char *const steps_list[] = {
	"bom", "eol", "controls", "fullwidth", "zerowidth", "trailing", "indent",
	"blank", "mojibake", NULL
};
const char *const encfix_step_names =
	"bom,eol,controls,fullwidth,zerowidth,trailing,indent,blank,mojibake";

void
encfix_cleanup(void)
{
	close_cds();
	free_classes();
	free_t2s();
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

static void
set_enc(EncfixStats *st, const char *name, double conf, const char *evidence)
{
	snprintf(st->encoding, sizeof st->encoding, "%s", name);
	st->confidence = conf;
	st->evidence = evidence;
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
