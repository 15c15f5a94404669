#include "cli.h"
#include "err.h"

#include <getopt.h>
#include <limits.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef DATADIR
#define DATADIR "/usr/local/share/lawtext"
#endif

void
tool_init(const char *argv0)
{
	setprogname(argv0);
#ifdef __GLIBC__
	/* keep up to 64 MiB free at the top of the heap; blocks of 32 MiB and
	 * more still come from mmap (a 100 MB line is given back at once) */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_TOP_PAD, 1 << 20);
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
#endif
}

void
print_version(void)
{
	printf("%s (%s) %s\n", progname, PACKAGE, VERSION);
}

static char *
join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = xmalloc(n);

	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

char *
data_path(const char *name)
{
	const char *env = getenv("LAWTEXT_DATA");
	char exe[PATH_MAX];
	ssize_t n;
	char *p;

	if (env && *env) {
		p = join(env, name);
		if (access(p, R_OK) == 0)
			return p;
		free(p);
	}
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			/* bin/tool -> ../data ; build/san/bin/tool -> ../../../data
			 * (build trees); PREFIX/bin/tool -> ../share/lawtext (an
			 * installed copy, wherever PREFIX was) */
			const char *rel[] = {"/../data", "/../../../data", "/../share/" PACKAGE, NULL};
			int i;

			for (i = 0; rel[i]; i++) {
				char dir[PATH_MAX + 32];

				snprintf(dir, sizeof dir, "%s%s", exe, rel[i]);
				p = join(dir, name);
				if (access(p, R_OK) == 0)
					return p;
				free(p);
			}
		}
	}
	return join(DATADIR, name);
}

void
cli_bad_option(int c, char **argv)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "?";
	size_t n = strcspn(arg, "=");	/* --opt=value: name the option alone */

	if (c == ':') {
		if (optopt > 0 && optopt < 256)
			usage_error("option '-%c' needs an argument", optopt);
		usage_error("option '%.*s' needs an argument", (int)n, arg);
	}
	if (optopt > 0 && optopt < 256)
		usage_error("unknown option '-%c'", optopt);
	usage_error("unknown option '%.*s'", (int)n, arg);
}
