/* encfix-int.h: what crosses the files of the encfix core (not for main.c,
 * which uses encfix.h only). One section per file: its tables, types and
 * the functions the others call.
 *
 *   encfix.c     the steps of encfix_buffer(): forced, BOM, sniff, UTF-8,
 *                model, decode, normalise; --keep; cleanup
 *   sniff.c      magic bytes, NUL patterns, binary refusal, meta charset,
 *                encoding name families
 *   decode.c     iconv descriptor cache and the decoders to UTF-8
 *   detect.c     character classes, the scoring model, candidate choice
 *   mojibake.c   repair of UTF-8 read as GBK or Latin-1
 *   mixed.c      files mixing UTF-8 and GBK/Big5 lines, decoded by line
 *   normalise.c  the one-pass normaliser and blank-line handling
 *   script.c     traditional -> simplified table, script verdict */
#ifndef ENCFIX_INT_H
#define ENCFIX_INT_H

#include "encfix.h"

#include <iconv.h>
#include <stdint.h>

#define SAMPLE_MAX (64 * 1024)	/* bytes decoded per candidate for the model */
#define SCORE_MAX_INVALID 64	/* a candidate this bad is not decoded further */

#define IS_CONT(b) (((b) & 0xC0) == 0x80)

/* ---------------------------------------------------------------- sniff.c */

/* NUL patterns of UTF-32 and UTF-16 without BOM (nul_pattern()). */
enum { U_NONE, U_16LE, U_16BE, U_32LE, U_32BE };
/* Families of encoding names (family()). */
enum { F_OTHER, F_UTF8, F_GB, F_BIG5, F_UTF16, F_UTF16LE, F_UTF16BE, F_UTF32, F_UTF32LE, F_UTF32BE };

const char *sniff_magic(const unsigned char *p, size_t n);
int nul_pattern(const unsigned char *p, size_t n);
int looks_binary(const unsigned char *p, size_t n);
int meta_charset(const unsigned char *p, size_t n, char *name, size_t size);
int family(const char *name);

/* ---------------------------------------------------------------- decode.c */

/* Flags of the decoders: the sample cut the input; scoring only. */
enum { D_CUT = 1, D_SCORING = 2 };

/* Invalid sequences a decoder met: how many, the offset of the first. */
typedef struct {
	size_t invalid;
	size_t first;
} Inv;

/* A candidate encoding (detection) or the encoding chosen (decoding). */
typedef struct {
	int fam;		/* F_UTF8, F_GB, F_BIG5, F_UTF16LE, F_UTF16BE, F_OTHER */
	const char *name;	/* iconv name for F_GB, F_BIG5, F_OTHER */
	long score;
	size_t nonascii, invalid;
	Buf dec;		/* the decoded sample */
	Inv v;
	int whole;		/* dec holds the whole input, without error */
} Cand;

iconv_t get_cd(const char *to, const char *from);
void put_cd(iconv_t cd);
void close_cds(void);
void inv_add(Inv *v, size_t off);
void put_fffd(Buf *b);
void utf16_decode(const unsigned char *p, size_t n, int be, Buf *out, Inv *v, size_t base,
		  int sampling);
void decode_as(const Cand *c, const unsigned char *p, size_t n, Buf *out, Inv *v, size_t base,
	       int sampling);

/* ---------------------------------------------------------------- detect.c */

/* Character classes of the model (BMP only; see cls_of()). */
enum { CL_NEUTRAL, CL_TOP, CL_COMMON, CL_RARE, CL_PUNCT, CL_BAD };

extern uint8_t *cls;		/* 65536 classes, after init_classes() */

void init_classes(void);
void free_classes(void);
long score_text(const unsigned char *s, size_t n, size_t *nonascii);
long utf16_points(const unsigned char *p, size_t n, int be);
int utf16_plausible(const unsigned char *p, size_t n, int be);
int gb_has_4byte(const unsigned char *p, size_t n);
int choose(Cand *c, int nc, int nfirst, const unsigned char *p, size_t n, int meta_fam,
	   EncfixStats *st);

/* ---------------------------------------------------------------- mojibake.c */

size_t repair_mojibake(const unsigned char *p, size_t n, int try_latin, int try_gbk, Buf *dst);

/* ---------------------------------------------------------------- mixed.c */

/* p[0..n) (at offset base of the input) as UTF-8 and legacy lines: 1 when
 * it mixes them and was converted into out (st filled), 0 otherwise. */
int convert_mixed(const EncfixOpts *o, const unsigned char *p, size_t n, size_t base, Buf *out,
		  EncfixStats *st);

/* ---------------------------------------------------------------- encfix.c */

int convert_utf8(const EncfixOpts *o, const unsigned char *d, size_t dn, Buf *out,
		 EncfixStats *st, int track, size_t base, int attempt);

/* ---------------------------------------------------------------- normalise.c */

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

uint32_t gb_fragment(const unsigned char *s, size_t n);
void normalise(Norm *x, const unsigned char *p, size_t n);
void finish_lines(Buf *out, size_t from, unsigned steps);

/* ---------------------------------------------------------------- script.c */

extern uint32_t *t2s_bmp;	/* 65536: simplified form, 0 = none */
extern uint8_t *scr;		/* 65536: 1 only traditional, 2 only simplified */

uint32_t t2s_map(uint32_t cp);
void free_t2s(void);
const char *script_of(const EncfixStats *st);

#endif
