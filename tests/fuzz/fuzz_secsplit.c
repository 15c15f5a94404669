/* libFuzzer harness: secsplit's heading parser and section rows. Checks the
 * promise that the rows' texts put together give the body back. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "buf.h"
#include "err.h"
#include "secsplit.h"

static Secsplit *ss;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	SsOptions o;

	(void)argc;
	(void)argv;
	setprogname("secsplit");
	memset(&o, 0, sizeof o);
	o.items = 1;
	ss = ss_new(&o);
	if (ss == NULL)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	SsDoc doc;
	SsResult res = SS_RESULT_INIT;
	Buf norm = BUF_INIT, out = BUF_INIT, cat = BUF_INIT;
	size_t i;

	memset(&doc, 0, sizeof doc);
	if (ss_prepare(&doc, &norm, (const char *)data, size, "fuzz") == 0) {
		ss_split(ss, &doc, &res);
		for (i = 0; i < res.n; i++) {
			if (res.row[i].bstart > res.row[i].bend || res.row[i].bend > doc.bodylen)
				abort();
			buf_add(&cat, doc.body + res.row[i].bstart, res.row[i].bend - res.row[i].bstart);
		}
		if (res.n > 0 && (cat.len != doc.bodylen || memcmp(cat.s, doc.body, cat.len) != 0))
			abort();
		ss_format_rows(&doc, &res, &out);
		ss_format_outline(&doc, &res, &out);
		ss_format_check(&doc, &res, &out);
	}
	ss_result_free(&res);
	buf_free(&norm);
	buf_free(&out);
	buf_free(&cat);
	return 0;
}
