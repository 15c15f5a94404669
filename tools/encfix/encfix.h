/* encfix.h: the core of encfix: detect the encoding of one document held in
 * memory, convert it to UTF-8 and normalise it. No I/O except reading the
 * traditional->simplified table in encfix_load_t2s(); a libFuzzer harness
 * calls encfix_buffer() on a memory buffer. */
#ifndef ENCFIX_H
#define ENCFIX_H

#include <stddef.h>
#include "buf.h"

/* Normalisation steps (EF_DEFAULT is what encfix does without --keep). */
enum {
	EF_BOM       = 1 << 0,	/* remove the BOM */
	EF_EOL       = 1 << 1,	/* CRLF and lone CR to LF */
	EF_CONTROLS  = 1 << 2,	/* remove NUL, C0 (but tab), DEL and C1 controls */
	EF_FULLWIDTH = 1 << 3,	/* U+FF01-U+FF5E to ASCII, U+3000 to space */
	EF_ZEROWIDTH = 1 << 4,	/* remove U+200B-D, U+2060, inner U+FEFF, U+00AD */
	EF_TRAILING  = 1 << 5,	/* remove blanks at the end of a line */
	EF_INDENT    = 1 << 6,	/* remove blanks at the start of a line */
	EF_BLANK     = 1 << 7,	/* blank lines: none at start/end, undo "blank line
				   between every line" padding */
	EF_MOJIBAKE  = 1 << 8,	/* undo UTF-8 read as GBK or Latin-1 */
	EF_NBSP      = 1 << 9,	/* U+00A0 to space (off by default) */
	EF_DEFAULT   = EF_BOM | EF_EOL | EF_CONTROLS | EF_FULLWIDTH | EF_ZEROWIDTH |
		       EF_TRAILING | EF_INDENT | EF_BLANK | EF_MOJIBAKE,
};

typedef struct {
	unsigned steps;		/* EF_* */
	const char *from;	/* forced encoding (an iconv name), NULL: detect */
	int simplified;		/* traditional -> simplified (needs encfix_load_t2s) */
	int detect_only;	/* encfix_buffer() stops after detection */
} EncfixOpts;

typedef struct {
	char encoding[48];	/* "UTF-8", "GB18030", "GBK", "BIG5", "UTF-16LE", ... */
	double confidence;	/* 0..1 */
	const char *evidence;	/* "bom", "utf-8", "nul-pattern", "model", "meta", "forced", "empty",
				   "mixed-lines" */
	const char *script;	/* "simplified", "traditional", "mixed", "-" */
	size_t bytes;		/* input bytes */
	size_t chars;		/* output characters (code points) */
	size_t invalid;		/* sequences replaced by U+FFFD */
	size_t first_invalid;	/* byte offset of the first one (valid when invalid > 0) */
	size_t controls;	/* control characters removed */
	size_t repaired;	/* mojibake runs repaired */
	size_t mixed;		/* GB18030 characters found inside UTF-8 text */
	size_t lines_utf8;	/* a file mixing encodings by line (mixed_with set): */
	size_t lines_legacy;	/* lines read as UTF-8, lines decoded as mixed_with */
	const char *mixed_with;	/* NULL, or "GBK", "GB18030", "BIG5" */
	size_t folded;		/* full-width forms and U+3000 folded */
	size_t zerowidth;	/* zero-width characters removed */
	size_t simplified;	/* characters changed by the t2s table */
	size_t trad, simp;	/* characters only traditional / only simplified */
	const char *refused;	/* not NULL: not converted; the reason ("PDF document") */
} EncfixStats;

/* Load the traditional -> simplified table (data/t2s.tsv: "# comment" lines,
 * then TRAD<TAB>SIMP lines). 0 ok; -1 with a message in err. Without it
 * --simplified cannot work and the script is reported from what is known. */
int encfix_load_t2s(const char *path, Buf *err);
int encfix_have_t2s(void);

/* Detect, convert and normalise p[0..n). The UTF-8 result is appended to out
 * (nothing when refused or detect_only). Returns 0, or -1 when the input was
 * refused (st->refused says why) or the forced encoding is unknown. */
int encfix_buffer(const EncfixOpts *o, const unsigned char *p, size_t n, Buf *out,
		  EncfixStats *st);

/* Parse a --keep list ("fullwidth,indent") and clear those steps from *steps.
 * 0 ok, -1 on an unknown name (copied to bad, at most badlen bytes). */
int encfix_parse_keep(const char *list, unsigned *steps, char *bad, size_t badlen);
extern const char *const encfix_step_names;	/* for --help */

void encfix_cleanup(void);	/* free the tables (for leak checkers) */

#endif
