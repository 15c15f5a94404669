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
int
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

/* One call of encfix_buffer(), shared by its steps. */
typedef struct {
	const EncfixOpts *o;
	const unsigned char *p;
	size_t n;
	Buf *out;
	EncfixStats *st;
	size_t out0, bom;
	int fam;		/* F_*, 0 while unknown */
	Cand forced;		/* the iconv encoding to decode with */
	int have_dec;		/* dec holds the whole input decoded already */
	Buf dec;
	Inv v;
	char meta[48];
	int meta_fam;
} Job;

/* What a step leaves to do. */
enum { GO_ON, GO_DONE, GO_SCRIPT, GO_FAIL };

/* 1. a forced encoding: known to iconv, and its family. */
static int
step_forced(Job *j)
{
	int fam;

	if (!j->o->from)
		return GO_ON;
	fam = j->fam = family(j->o->from);
	set_enc(j->st, j->o->from, 1.0, "forced");
	if (fam == F_OTHER || fam == F_GB || fam == F_BIG5) {
		iconv_t cd = get_cd("UTF-8", j->o->from);

		if (cd == (iconv_t)-1) {
			j->st->refused = "unknown encoding";
			return GO_FAIL;
		}
		put_cd(cd);
		j->forced.fam = fam;
		j->forced.name = fam == F_GB ? "GB18030" : j->o->from;
	}
	return GO_ON;
}

/* 2. a BOM agreeing with the forced encoding, if any; a forced UTF-16/32
 * without byte order and without BOM takes it from the NUL pattern. */
static void
step_bom(Job *j)
{
	const unsigned char *p = j->p;
	size_t n = j->n;
	int fam = j->fam, upat;

	if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0 && (!fam || fam == F_UTF8)) {
		j->fam = F_UTF8, j->bom = 3;
		set_enc(j->st, "UTF-8", 1.0, "bom");
	} else if (n >= 4 && memcmp(p, "\xff\xfe\0\0", 4) == 0 && (!fam || fam == F_UTF32 || fam == F_UTF32LE)) {
		j->fam = F_UTF32LE, j->bom = 4;
		set_enc(j->st, "UTF-32LE", 1.0, "bom");
	} else if (n >= 4 && memcmp(p, "\0\0\xfe\xff", 4) == 0 && (!fam || fam == F_UTF32 || fam == F_UTF32BE)) {
		j->fam = F_UTF32BE, j->bom = 4;
		set_enc(j->st, "UTF-32BE", 1.0, "bom");
	} else if (n >= 2 && memcmp(p, "\xff\xfe", 2) == 0 && (!fam || fam == F_UTF16 || fam == F_UTF16LE)) {
		j->fam = F_UTF16LE, j->bom = 2;
		set_enc(j->st, "UTF-16LE", 1.0, "bom");
	} else if (n >= 2 && memcmp(p, "\xfe\xff", 2) == 0 && (!fam || fam == F_UTF16 || fam == F_UTF16BE)) {
		j->fam = F_UTF16BE, j->bom = 2;
		set_enc(j->st, "UTF-16BE", 1.0, "bom");
	}
	if (j->fam == F_UTF16 || j->fam == F_UTF32) {
		upat = nul_pattern(p, n);
		if (j->fam == F_UTF16)
			j->fam = upat == U_16BE ? F_UTF16BE : F_UTF16LE;
		else
			j->fam = upat == U_32BE ? F_UTF32BE : F_UTF32LE;
	}
}

/* 3. not text at all (magic bytes), 4. UTF-32/UTF-16 by their NUL bytes,
 * or binary data by its control bytes. */
static int
step_sniff(Job *j)
{
	const unsigned char *p = j->p;
	size_t n = j->n;
	EncfixStats *st = j->st;
	int upat;

	if (!j->bom && !j->o->from) {
		const char *what = sniff_magic(p, n);

		if (what) {
			st->refused = what;
			set_enc(st, "binary", 1.0, "magic");
			return GO_FAIL;
		}
	}
	if (j->fam)
		return GO_ON;
	upat = nul_pattern(p, n);
	if (upat == U_32LE) {
		j->fam = F_UTF32LE, set_enc(st, "UTF-32LE", 0.95, "nul-pattern");
	} else if (upat == U_32BE) {
		j->fam = F_UTF32BE, set_enc(st, "UTF-32BE", 0.95, "nul-pattern");
	} else if ((upat == U_16LE || upat == U_16BE) && utf16_plausible(p, n, upat == U_16BE)) {
		j->fam = upat == U_16LE ? F_UTF16LE : F_UTF16BE;
		set_enc(st, upat == U_16LE ? "UTF-16LE" : "UTF-16BE", 0.95, "nul-pattern");
	} else if (n % 2 == 0 && memchr(p, 0, n < SAMPLE_MAX ? n : SAMPLE_MAX) &&
		   (utf16_points(p, n, 0) > 0 || utf16_points(p, n, 1) > 0)) {
		/* too few NUL bytes for a pattern (short text, or U+xx00
		 * ideographs): the model decides the byte order */
		int be = utf16_points(p, n, 1) > utf16_points(p, n, 0);

		j->fam = be ? F_UTF16BE : F_UTF16LE;
		set_enc(st, be ? "UTF-16BE" : "UTF-16LE", 0.8, "model");
	} else if (looks_binary(p, n)) {
		st->refused = "binary data (control bytes)";
		set_enc(st, "binary", 0.9, "controls");
		return GO_FAIL;
	}
	return GO_ON;
}

/* "UTF-8" or "ASCII" with a confidence from the first non-ASCII bytes. */
static void
set_utf8(EncfixStats *st, const unsigned char *p, size_t n)
{
	int na = 0;

	for (size_t i = 0; i < n && na < 8; i++)
		na += p[i] >= 0x80;
	set_enc(st, na ? "UTF-8" : "ASCII", na ? (na >= 4 ? 1.0 : 0.6 + 0.1 * na) : 1.0, "utf-8");
}

/* A file mixing UTF-8 and legacy lines (mixed.c): its line-by-line
 * conversion replaces the output from start on. */
static int
step_mixed(Job *j, size_t start)
{
	Buf tmp = BUF_INIT;
	EncfixStats st;
	int done = 0;

	if (j->o->from)
		return GO_ON;
	if (convert_mixed(j->o, j->p + j->bom, j->n - j->bom, j->bom, &tmp, &st)) {
		j->out->len = start;
		buf_add(j->out, tmp.s, tmp.len);
		*j->st = st;
		done = 1;
	}
	buf_free(&tmp);
	return done ? GO_DONE : GO_ON;
}

/* 5. UTF-8: normalise at once; most documents stop here. Otherwise the
 * output and the stats are reset and UTF-8 with errors competes with the
 * other candidates. */
static int
step_utf8(Job *j)
{
	const unsigned char *p = j->p;
	size_t n = j->n, start = j->out->len, head = n < 4096 ? n : 4096;

	if (j->fam && j->fam != F_UTF8)
		return GO_ON;
	if (j->o->detect_only && !j->fam) {
		/* validation is enough to know */
		if (utf8_valid_prefix(p, n) == n) {
			set_utf8(j->st, p, n);
			return GO_SCRIPT;
		}
	} else if (!j->fam && utf8_valid_prefix(p, head) + 3 < head) {
		;	/* invalid early on: straight to the candidates */
	} else if (convert_utf8(j->o, p + j->bom, n - j->bom, j->out, j->st, 1, j->bom, !j->fam) == 0) {
		/* anything not UTF-8 in it: maybe lines in another encoding */
		if ((j->st->invalid || j->st->mixed) && step_mixed(j, start) == GO_DONE)
			return GO_DONE;
		if (!j->fam)
			set_utf8(j->st, p, n);
		return GO_DONE;
	}
	j->out->len = start;
	if (j->out->s)
		j->out->s[start] = '\0';
	memset(j->st, 0, sizeof *j->st);
	j->st->bytes = n;
	j->fam = 0;
	return GO_ON;
}

/* The meta charset as a third first-round candidate c[2] when iconv knows
 * it; returns how many candidates go first (2 or 3). */
static int
meta_candidate(Job *j, Cand *c)
{
	if (!meta_charset(j->p, j->n, j->meta, sizeof j->meta))
		return 2;
	j->meta_fam = family(j->meta);
	if (j->meta_fam == F_UTF16 || j->meta_fam == F_UTF32)
		j->meta_fam = 0;
	if (j->meta_fam == F_OTHER) {
		iconv_t cd = get_cd("UTF-8", j->meta);

		if (cd == (iconv_t)-1) {
			j->meta_fam = 0;
			return 2;
		}
		put_cd(cd);
		c[2].name = j->meta;
		return 3;
	}
	return 2;
}

/* The model chooses among GB18030, Big5, the meta charset, UTF-8 with
 * errors and UTF-16 without BOM; the winner becomes j->forced (and its
 * decoding j->dec when the sample was the whole input). */
static void
choose_encoding(Job *j)
{
	Cand c[6] = {
		{F_GB, "GB18030", 0, 0, 0, BUF_INIT, {0, 0}, 0},
		{F_BIG5, "BIG5", 0, 0, 0, BUF_INIT, {0, 0}, 0},
		{F_OTHER, NULL, 0, 0, 0, BUF_INIT, {0, 0}, 0},	/* the meta charset */
		{F_UTF8, "UTF-8", 0, 0, 0, BUF_INIT, {0, 0}, 0},
		{F_UTF16LE, "UTF-16LE", 0, 0, 0, BUF_INIT, {0, 0}, 0},
		{F_UTF16BE, "UTF-16BE", 0, 0, 0, BUF_INIT, {0, 0}, 0},
	};
	int nfirst = meta_candidate(j, c), nc, w;
	EncfixStats *st = j->st;

	if (nfirst == 2)
		memmove(&c[2], &c[3], 3 * sizeof c[0]);
	nc = nfirst + (j->n % 2 == 0 ? 3 : 1);
	w = choose(c, nc, nfirst, j->p, j->n, j->meta_fam, st);
	if (c[w].whole) {	/* decoded already: keep it */
		buf_free(&j->dec);
		j->dec = c[w].dec;
		c[w].dec = (Buf)BUF_INIT;
		j->v = c[w].v;
		j->have_dec = 1;
	}
	j->forced = c[w];
	j->forced.dec = (Buf)BUF_INIT;
	for (int i = 0; i < 6; i++)
		buf_free(&c[i].dec);
	j->fam = j->forced.fam;
	if (j->fam == F_GB)
		snprintf(st->encoding, sizeof st->encoding, "%s", gb_has_4byte(j->p, j->n) ? "GB18030" : "GBK");
	else
		snprintf(st->encoding, sizeof st->encoding, "%s", j->forced.name);
	st->evidence = j->meta_fam && j->meta_fam == j->fam ? "meta" : "model";
}

/* Step 5 failed: the model decides; UTF-8 with errors is normalised here. */
static int
step_model(Job *j)
{
	EncfixStats *st = j->st;

	if (j->fam)
		return GO_ON;
	choose_encoding(j);
	if (!j->o->detect_only && (j->fam == F_UTF8 || j->fam == F_GB || j->fam == F_BIG5) &&
	    step_mixed(j, j->out->len) == GO_DONE)
		return GO_DONE;
	if (j->fam == F_UTF8) {
		double conf = st->confidence;
		char name[48];

		memcpy(name, st->encoding, sizeof name);
		if (j->o->detect_only)
			return GO_SCRIPT;
		convert_utf8(j->o, j->p, j->n, j->out, st, 1, 0, 0);
		set_enc(st, name, conf, "model");
		return GO_DONE;
	}
	return j->o->detect_only ? GO_SCRIPT : GO_ON;
}

/* 6. decode the rest to UTF-8, then the same normalising pass. */
static void
step_decode(Job *j)
{
	EncfixStats *st = j->st;
	double conf = st->confidence;
	const char *ev = st->evidence;
	char name[48];

	if (j->fam == F_UTF16LE || j->fam == F_UTF16BE || j->fam == F_UTF32LE || j->fam == F_UTF32BE) {
		Cand c = {j->fam, NULL, 0, 0, 0, BUF_INIT, {0, 0}, 0};

		decode_as(&c, j->p + j->bom, j->n - j->bom, &j->dec, &j->v, j->bom, 0);
	} else if (!j->have_dec) {
		decode_as(&j->forced, j->p + j->bom, j->n - j->bom, &j->dec, &j->v, j->bom, 0);
	}
	memcpy(name, st->encoding, sizeof name);
	convert_utf8(j->o, (unsigned char *)j->dec.s, j->dec.len, j->out, st, 0, 0, 0);
	set_enc(st, name, conf, ev);
	st->invalid += j->v.invalid;
	if (j->v.invalid)
		st->first_invalid = j->v.first;
}

/* --detect: the script needs the decoded text, converted once more with
 * the encoding found forced; no output. */
static void
detect_script(Job *j)
{
	EncfixStats *st = j->st;
	EncfixOpts q = *j->o;
	Buf tmp = BUF_INIT;
	char name[48];
	double conf = st->confidence;
	const char *ev = st->evidence;

	if (!scr)
		return;
	memcpy(name, st->encoding, sizeof name);
	q.detect_only = 0;
	q.simplified = 0;
	if (!j->o->from) {
		snprintf(j->meta, sizeof j->meta, "%s", !strcmp(name, "ASCII") ? "UTF-8" :
			 !strncmp(name, "GB", 2) ? "GB18030" : name);
		q.from = j->meta;
	}
	encfix_buffer(&q, j->p, j->n, &tmp, st);
	buf_free(&tmp);
	set_enc(st, name, conf, ev);
	st->chars = 0;
}

int
encfix_buffer(const EncfixOpts *o, const unsigned char *p, size_t n, Buf *out, EncfixStats *st)
{
	Job j = {.o = o, .p = p, .n = n, .out = out, .st = st, .out0 = out->len,
		 .forced = {F_OTHER, NULL, 0, 0, 0, BUF_INIT, {0, 0}, 0}, .dec = BUF_INIT};
	int r;

	memset(st, 0, sizeof *st);
	st->bytes = n;
	st->script = "-";
	init_classes();
	if (n == 0) {
		set_enc(st, "-", 0.0, "empty");
		return 0;
	}
	if (step_forced(&j) == GO_FAIL)
		return -1;
	step_bom(&j);
	if (step_sniff(&j) == GO_FAIL)
		return -1;
	if (j.bom && !(o->steps & EF_BOM))
		buf_add(out, "\xef\xbb\xbf", 3);
	r = step_utf8(&j);
	if (r == GO_ON)
		r = step_model(&j);
	if (r == GO_ON && o->detect_only)
		r = GO_SCRIPT;
	if (r == GO_ON)
		step_decode(&j);
	if (r == GO_SCRIPT)
		detect_script(&j);
	buf_free(&j.dec);
	st->bytes = n;
	if (r != GO_SCRIPT)
		st->chars = count_chars(out->s + j.out0, out->len - j.out0);
	st->script = script_of(st);
	return 0;
}
