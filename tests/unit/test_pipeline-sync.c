/* Unit tests of pipeline-sync's library (tools/pipeline-sync/): document
 * ids of awkward and dotted names, ids unique whatever the names, the batch
 * of an id, stale batch files. */
#include "sync.h"
#include "err.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>

static void
test_doc_id(void)
{
	char *id;

	CHECK_STR(id = doc_id("report.txt"), "report"); free(id);
	CHECK_STR(id = doc_id("report.v2.txt"), "report.v2"); free(id);
	CHECK_STR(id = doc_id("sub/report.txt.gz"), "sub__report"); free(id);
	/* common/doc's extensions, as every tool: x.tsv is x; x.tar keeps its own */
	CHECK_STR(id = doc_id("x.tsv"), "x"); free(id);
	CHECK_STR(id = doc_id("sub/a.PDF.gz"), "sub__a"); free(id);
	CHECK_STR(id = doc_id("x.tar"), "x.tar"); free(id);
	CHECK_STR(id = doc_id("a.HTML"), "a"); free(id);
	id = doc_id("a b.txt");
	CHECK(strncmp(id, "a_b-", 4) == 0 && strlen(id) == 12);
	free(id);
	id = doc_id("-x.txt");
	CHECK(id[0] != '-' && id[0] != '.');
	free(id);
}

static void
add(Docs *docs, const char *rel)
{
	Doc *d;

	if (docs->n == docs->cap) {
		docs->cap = docs->cap ? 2 * docs->cap : 8;
		docs->d = xrealloc(docs->d, docs->cap * sizeof *docs->d);
	}
	d = &docs->d[docs->n++];
	memset(d, 0, sizeof *d);
	d->rel = xstrdup(rel);
}

static void
test_unique(void)
{
	Docs docs = {0};
	size_t i;
	char *hashed;

	add(&docs, "a.txt");
	add(&docs, "a.txt.gz");
	add(&docs, "report.txt");
	add(&docs, "report.v2.txt");
	assign_ids(&docs);
	/* a.txt's hashed id as a file name of its own */
	for (i = 0; i < docs.n; i++)
		if (strcmp(docs.d[i].rel, "a.txt") == 0)
			break;
	CHECK(i < docs.n);
	hashed = xstrdup(docs.d[i].id);
	for (i = 0; i < docs.n; i++)
		free(docs.d[i].id);
	{
		char *name = malloc(strlen(hashed) + 5);

		strcpy(name, hashed);
		strcat(name, ".txt");
		add(&docs, name);
		free(name);
	}
	assign_ids(&docs);
	CHECK(docs.n == 5);
	for (i = 1; i < docs.n; i++)
		CHECK(strcmp(docs.d[i - 1].id, docs.d[i].id) < 0);
	CHECK(find_doc(&docs, "report") != NULL);
	CHECK(find_doc(&docs, "report.v2") != NULL);
	for (i = 0; i < docs.n; i++) {
		free(docs.d[i].id);
		free(docs.d[i].rel);
	}
	free(docs.d);
	free(hashed);
}

static void
test_batches(void)
{
	CHECK(batch_of("report", 4) == batch_of("report", 4));
	CHECK(batch_of("report", 4) < 4);
	CHECK(batch_of("anything", 1) == 0);
	CHECK(stale_batch_file("batch-4-1.done", 8));
	CHECK(!stale_batch_file("batch-8-1.done", 8));
	CHECK(stale_batch_file("batch-9.list", 8));
	CHECK(!stale_batch_file("batch-7.list", 8));
	CHECK(!stale_batch_file("tables.done", 8));
}

int
main(void)
{
	setprogname("test_pipeline-sync");
	test_doc_id();
	test_unique();
	test_batches();
	UNIT_END("pipeline-sync");
}
