/* libFuzzer harness: deboiler's line classification, metadata and joining. */
#include <stdint.h>
#include <stdlib.h>
#include "buf.h"
#include "cli.h"
#include "err.h"
#include "deboiler.h"

static Deboiler *db;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char *p;

	(void)argc;
	(void)argv;
	setprogname("deboiler");
	db = db_new();
	p = data_path("deboiler.rules");
	if (db_load_rules(db, p) < 0)
		abort();
	free(p);
	p = data_path("regions.tsv");
	if (db_load_regions(db, p) < 0)
		abort();
	free(p);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	DbDoc d;
	Buf out = BUF_INIT;

	db_doc_init(&d);
	if (db_process(db, "fuzz", (const char *)data, size, &d) == 0) {
		db_format(&d, &out);
		db_format_meta(&d, &out);
	}
	db_doc_free(&d);
	buf_free(&out);
	return 0;
}
