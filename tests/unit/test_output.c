/* Unit tests of common/output: the -o DIR output name of an input. */
#include "unit.h"
#include "output.h"

#include <stdlib.h>

static void
name_is(const char *dir, const char *input, const char *ext, const char *want)
{
	char *got = out_path_for(dir, input, ext);

	CHECK_STR(got, want);
	free(got);
}

int
main(void)
{
	name_is("out", "a/b/ID.txt", ".tsv", "out/ID.tsv");
	name_is("out", "ID.txt.gz", ".txt", "out/ID.txt");
	name_is("out", "ID.raw", ".txt", "out/ID.txt");
	name_is("out", "a.b.txt", ".tsv", "out/a.b.tsv");
	name_is("out", "noext", ".tsv", "out/noext.tsv");
	name_is("out", ".hidden", ".tsv", "out/.hidden.tsv");
	name_is("out", "x.gz", ".tsv", "out/x.tsv");
	name_is("out", "-", ".tsv", "out/stdin.tsv");
	name_is("out", NULL, ".txt", "out/stdin.txt");
	name_is("o d", "报告 1.txt", ".tsv", "o d/报告 1.tsv");
	UNIT_END("output");
}
