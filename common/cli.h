/* cli.h: what every tool's command line shares: --version output and the
 * location of shipped data files. */
#ifndef COMMON_CLI_H
#define COMMON_CLI_H

#ifndef VERSION
#define VERSION "0.0.0"
#endif
#define PACKAGE "lawtext"

/* Print "prog (lawtext) VERSION" on stdout. */
void print_version(void);

/* Path of a shipped data file (e.g. "regions.tsv"). Looked up, in order, in
 * $LAWTEXT_DATA, in ../data beside the running binary (a build tree), and in
 * DATADIR (set at build time, $(PREFIX)/share/lawtext). Returns a static
 * buffer's contents copied into a new string; the first candidate that
 * exists, else the DATADIR candidate (so the error message names it). */
char *data_path(const char *name);

#endif
