/* Unit tests of common/rules: pcre2 with UTF/UCP, limits, rules files. */
#include "unit.h"
#include "rules.h"
#include "err.h"

#include <stdlib.h>
#include <unistd.h>

int
main(void)
{
	Regex rx;
	Buf err = BUF_INIT;
	char path[256];
	FILE *f;
	RuleSet rs = {0};
	const char *req[] = {"name", NULL};

	setprogname("test_rules");
	CHECK(rx_compile(&rx, "受理(\\d+)件", 0, &err) == 0);
	CHECK(rx_match(&rx, "共受理171件", strlen("共受理171件"), 0) == RX_MATCHED);
	CHECK(rx_ovector(&rx)[2] == strlen("共受理"));
	rx_free(&rx);
	/* \d is Unicode-aware (UCP): full-width digits match */
	CHECK(rx_compile(&rx, "^\\d+$", 0, &err) == 0);
	CHECK(rx_match(&rx, "１２", strlen("１２"), 0) == RX_MATCHED);
	rx_free(&rx);
	/* a syntax error names the offset */
	buf_clear(&err);
	CHECK(rx_compile(&rx, "(abc", 0, &err) == -1);
	CHECK(strstr(err.s, "offset") != NULL);
	/* catastrophic backtracking fails cleanly with RX_LIMIT */
	{
		char s[64];

		CHECK(rx_compile(&rx, "(a+)+$", 0, &err) == 0);
		memset(s, 'a', 40);
		s[40] = '!';
		s[41] = 0;
		CHECK(rx_match(&rx, s, 41, 0) == RX_LIMIT);
		rx_free(&rx);
		CHECK(rx_compile(&rx, "(a|a)*b", PCRE2_NO_START_OPTIMIZE, &err) == 0);
		CHECK(rx_match(&rx, s, 40, 0) == RX_LIMIT);
		rx_free(&rx);
	}
	/* a rules file */
	snprintf(path, sizeof path, "%s/rules-%d.tsv", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
	f = fopen(path, "w");
	fputs("# comment\n\nname\tpattern\nfont\t字体:\\s*\\[\nshare\t^分享:\n", f);
	fclose(f);
	CHECK(rules_load(&rs, path, "pattern", req, 0) == 0);
	CHECK(rs.n == 2);
	CHECK(rs.rule[1].line == 5);
	CHECK_STR(rs.rule[0].field[0], "font");
	CHECK(rx_match(&rs.rule[0].rx, "字体:[ 大 中 小]", strlen("字体:[ 大 中 小]"), 0) == RX_MATCHED);
	rules_free(&rs);
	/* a syntax error is reported with file and line */
	f = fopen(path, "w");
	fputs("name\tpattern\nok\tabc\nbad\t(unclosed\n", f);
	fclose(f);
	fprintf(stderr, "(expected error follows)\n");
	CHECK(rules_load(&rs, path, "pattern", req, 0) == -1);
	rules_free(&rs);
	/* ragged row */
	f = fopen(path, "w");
	fputs("name\tpattern\nonly-one-field\n", f);
	fclose(f);
	CHECK(rules_load(&rs, path, "pattern", req, 0) == -1);
	rules_free(&rs);
	/* missing required column */
	f = fopen(path, "w");
	fputs("pattern\nabc\n", f);
	fclose(f);
	CHECK(rules_load(&rs, path, "pattern", req, 0) == -1);
	rules_free(&rs);
	unlink(path);
	buf_free(&err);
	UNIT_END("rules");
}
