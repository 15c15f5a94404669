/* libFuzzer harness: encfix's detection, conversion and normalisation,
 * and the reading of attachments' converted text. */
#include <stdint.h>
#include <stdlib.h>
#include "buf.h"
#include "cli.h"
#include "err.h"
#include "encfix.h"
#include "attach.h"
#include "utf8.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	Buf err = BUF_INIT;
	char *p;

	(void)argc;
	(void)argv;
	setprogname("encfix");
	p = data_path("t2s.tsv");
	if (encfix_load_t2s(p, &err) < 0)
		abort();
	free(p);
	p = data_path("attach.rules");
	if (attach_load_rules(p) < 0)
		abort();
	free(p);
	buf_free(&err);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	EncfixOpts o = {EF_DEFAULT, NULL, 1, 0};
	EncfixStats st;
	Buf out = BUF_INIT;

	if (encfix_buffer(&o, data, size, &out, &st) == 0) {
		/* whatever came in, what goes out is valid UTF-8 */
		if (!utf8_valid((const unsigned char *)out.s, out.len))
			abort();
	}
	/* a converter's output read as a PDF's word boxes or as DOC text
	 * (attach_layout.c, attach_pages.c): no crash, no hang */
	buf_clear(&out);
	buf_add(&out, data, size);
	attach_pages(size && data[0] & 1 ? ATT_DOC : ATT_PDF, &out);
	buf_free(&out);
	return 0;
}
