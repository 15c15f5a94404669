/* attach.h: attachments (PDF, DOCX, DOC/WPS) turned into text by external
 * converters (attach.c), and the printed page's chrome removed from that
 * text by rules from data/attach.rules (attach_pages.c). main.c only. */
#ifndef ENCFIX_ATTACH_H
#define ENCFIX_ATTACH_H

#include <stddef.h>
#include "buf.h"

enum { ATT_NONE, ATT_PDF, ATT_DOCX, ATT_DOC };

/* The kind of attachment p[0..n) is by its magic bytes (ATT_NONE: not one). */
int attach_kind(const unsigned char *p, size_t n);

/* Convert the attachment (the file path, or p[0..n) through a temporary
 * file when path is NULL) to UTF-8 text appended to text. 0 ok; -1 with the
 * reason in msg (converter missing, no text layer, the converter's error). */
int attach_extract(int kind, const char *path, const unsigned char *p, size_t n, Buf *text,
		   Buf *msg);

/* Load the page-chrome rules (data/attach.rules). 0 ok, -1 reported. */
int attach_load_rules(const char *path);
void attach_free_rules(void);

/* Rewrite the converter's text in place: page numbers, running headers and
 * footers gone, lines broken at the page width joined, the red head's
 * issuing authority and document number moved to a header (Publisher:,
 * Doc-No:) before the body. kind ATT_PDF: text is pdftotext -bbox's
 * XHTML, read with the words' positions (attach_layout.c). */
void attach_pages(int kind, Buf *text);

#endif
