/* cli.h: what every tool's command line shares: --version output and the
 * location of shipped data files. */
#ifndef COMMON_CLI_H
#define COMMON_CLI_H

#ifndef VERSION
#define VERSION "0.0.0"
/* The error cases of a getopt_long loop (optstring starting with ':', opterr
 * = 0), one wording in every tool: c == ':' is a missing argument, anything
 * else an unknown option. Prints "prog: unknown option '--bogus'" or
 * "prog: option '-o' needs an argument", then "Try 'prog --help' for more
 * information.", and exits 2. Call as: default: cli_bad_option(c, argv); */
void cli_bad_option(int c, char **argv) __attribute__((noreturn));

#endif
#define PACKAGE "lawtext"

/* First thing in every tool's main: sets progname from argv[0], and tells
 * malloc to keep the memory it frees. The tools work file after file; by
 * default glibc gives the top of the heap back to the kernel whenever more
 * than 128 KiB of it is free, and takes it again (zeroed pages, page
 * faults) for the next file: over 20,000 small files that was a tenth of
 * the pipeline's CPU time. */
void tool_init(const char *argv0);

/* Print "prog (lawtext) VERSION" on stdout. */
void print_version(void);

/* Path of a shipped data file (e.g. "regions.tsv"). Looked up, in order, in
 * $LAWTEXT_DATA, in ../data beside the running binary (a build tree), in
 * ../share/lawtext beside it (installed under any PREFIX, even one other
 * than the build's), and in DATADIR (set at build time,
 * $(PREFIX)/share/lawtext). Returns a static
 * buffer's contents copied into a new string; the first candidate that
 * exists, else the DATADIR candidate (so the error message names it). */
char *data_path(const char *name);

/* The error cases of a getopt_long loop (optstring starting with ':', opterr
 * = 0), one wording in every tool: c == ':' is a missing argument, anything
 * else an unknown option. Prints "prog: unknown option '--bogus'" or
 * "prog: option '-o' needs an argument", then "Try 'prog --help' for more
 * information.", and exits 2. Call as: default: cli_bad_option(c, argv); */
void cli_bad_option(int c, char **argv) __attribute__((noreturn));

#endif
