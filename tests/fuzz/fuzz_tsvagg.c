/* libFuzzer harness: tsvagg's TSV reader and aggregator, every operation. */
#include <stdint.h>
#include <stdlib.h>
#include "buf.h"
#include "err.h"
#include "output.h"
#include "tsvagg.h"

static const char *const ops[] = {
	"count", "sum:2", "mean:2", "min:2", "max:2", "median:2", "q1:2", "q3:2",
	"stdev:2", "first:2", "last:2", "nunique:2", "unique:2", "collapse:2", "mode:2",
	"iqr:2", "perc90:2", "mad:2", "trimmean0.1:2", "geomean:2", "harmmean:2", "sskew:2",
	"pkurt:2", "pvar:2", "antimode:2", "rand:2", "missing:2",
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setprogname("tsvagg");
	out_init();
	return 0;
}

static void
run(const uint8_t *data, size_t size, int partial, int ignore_bad, int csv)
{
	AggOpts o = {0};
	Buf err = BUF_INIT;
	Agg *a;

	o.group = "1";
	o.ops = ops;
	o.nops = sizeof ops / sizeof ops[0];
	o.partial = partial;
	o.ignore_bad = ignore_bad;
	o.skip_empty = 1;
	o.csv = csv;
	a = agg_new(&o, &err);
	if (a == NULL)
		abort();
	agg_feed_mem(a, "fuzz", (const char *)data, size);
	agg_free(a);	/* emitting would write to stdout; the feed is the parser */
	buf_free(&err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run(data, size, 0, 1, 0);
	run(data, size, 1, 0, 0);
	run(data, size, 0, 0, 1);
	return 0;
}
