/* libFuzzer harness: indtag's number scan, exclusions and rules. */
#include <stdint.h>
#include <stdlib.h>
#include "buf.h"
#include "cli.h"
#include "err.h"
#include "indtag.h"

static Tagger *tg;

static void
check(const Figure *f, const char *text, void *arg)
{
	size_t len = *(size_t *)arg;

	(void)text;
	if (f->off + f->len > len || f->clause_off + f->clause_len > len ||
	    f->noun_off + f->noun_len > len || f->code == NULL || f->unit == NULL)
		abort();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char *p;

	(void)argc;
	(void)argv;
	setprogname("indtag");
	tg = indtag_new();
	p = data_path("indicators.tsv");
	if (indtag_load_taxonomy(tg, p) < 0)
		abort();
	free(p);
	p = data_path("indtag-rules.tsv");
	if (indtag_load_rules(tg, p) < 0)
		abort();
	free(p);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	indtag_text(tg, (const char *)data, size, NULL, 0, check, &size);
	return 0;
}
