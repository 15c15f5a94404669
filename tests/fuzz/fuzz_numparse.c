/* libFuzzer harness: common/numparse at every position of the input. */
#include <stdint.h>
#include <stdlib.h>
#include "numparse.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	size_t i, cue;
	const char *norm;
	int pow10;
	Num num;

	if (size > 4096)	/* every position is parsed: keep inputs short */
		return 0;
	for (i = 0; i < size; i++) {
		size_t n = num_parse(s + i, size - i, &num);

		if (n > size - i)
			abort();
		(void)num_starts(s + i, size - i);
		if (num_qual_before(s, i, &cue) && cue > i)
			abort();
		if (num_qual_after(s + i, size - i, &cue) && cue > size - i)
			abort();
		if (num_unit(s + i, size - i, &norm, &pow10) > size - i)
			abort();
	}
	return 0;
}
