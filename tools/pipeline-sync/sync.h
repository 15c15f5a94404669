/* sync.h: what the parts of pipeline-sync share: the documents found under
 * IN, the run's paths and state, and the functions of each part:
 *   ids.c      document ids of raw paths
 *   scan.c     the walk over IN
 *   state.c    files under OUT/.state and OUT/.raw (signatures, links,
 *              removed documents, leftovers), small file helpers
 *   batches.c  which batch a document belongs to, and the batch files
 *   main.c     the command line */
#ifndef PIPELINE_SYNC_H
#define PIPELINE_SYNC_H

#include "buf.h"

#include <stdint.h>
#include <sys/types.h>

/* The state's layout: an OUT made by another one is redone. */
#define LAYOUT "pending-1"
/* Ids longer than this (bytes) are shortened and get a hash: file names
 * ID.ext must stay under the 255-byte limit. */
#define ID_MAX_PLAIN 200
/* Characters kept of a name that needs a hash. */
#define ID_MAX_HASHED 80
/* Margin for coarse file times when choosing the links Make compares. */
#define STAMP_MARGIN_NS 2000000000LL

extern const char *const stage_dirs[];
extern const char *const stage_ext[];
#define NSTAGES 5

/* A test hook: PIPELINE_SYNC_KILL_AT=N kills the process at its Nth
 * change to OUT (state.c). */
void step(void);

typedef struct {
	char *id;
	char *rel;		/* path below IN */
	char *full;		/* IN's absolute path + "/" + rel */
	char *sig;		/* size, mtime_ns, ctime_ns, inode, full, rel (escaped), tab-separated */
	int fresh;		/* link made anew this run */
} Doc;

typedef struct {
	Doc *d;
	size_t n, cap;
} Docs;

/* A sorted array of strings, for bsearch (old signatures, links, ...). */
typedef struct {
	char **s;
	char **val;		/* optional: a value per key */
	size_t n, cap;
} StrSet;

typedef struct {
	const char *in, *out;
	unsigned nbatches;
	int quiet;
	int follow_outside;	/* follow links to files outside IN */
} Opts;

/* What the walk over IN needs and finds beside the documents. */
typedef struct {
	dev_t outdev;		/* OUT, skipped when it lies inside IN */
	ino_t outino;
	const char *inreal;	/* IN with its links resolved */
	int follow_outside, quiet;
	Buf problems;		/* rows of .state/sync-problems.tsv */
	StrSet unread;		/* paths below IN that could not be read */
	size_t nretry;		/* problems of severity retry */
} Scan;

/* The paths of one run, and what it found. */
typedef struct {
	const Opts *opt;
	char *state;		/* OUT/.state */
	char *rawdir;		/* OUT/.raw */
	Docs docs;		/* sorted by id */
	StrSet oldsig;		/* id -> signature, of the last run */
	Buf sigbuf;		/* (oldsig's memory) */
	StrSet pending;		/* links-pending.txt of the last run */
	Buf pendbuf;		/* (pending's memory) */
	int have_pending;
	StrSet links;		/* the names in OUT/.raw */
	Buf linkbuf;		/* (links' memory) */
	size_t nfresh, nremoved;
} Run;

/* ids.c */
char *doc_id(const char *rel);
void assign_ids(Docs *docs);
const Doc *find_doc(const Docs *docs, const char *id);
uint32_t crc32_of(const char *s);
int cmp_str(const void *a, const void *b);

/* scan.c */
char *abspath(const char *p);
int walk(const char *absdir, const char *reldir, Scan *sc, Docs *docs);
void scan_problem(Scan *sc, const char *rel, const char *severity, const char *msg);

/* state.c */
void keep_unread(Run *r, const Scan *sc);
void fix_future_stamps(const Run *r);
void mark_fresh(Run *r);
int note_pending(Run *r);
void update_links(Run *r);
void drop_gone(Run *r);
void remove_leftovers(Run *r);
int reset_layout(const char *out, const char *state);
int write_state(const Run *r, const char *name, const Buf *b);
int slurp(const char *path, Buf *b);
int write_if_changed(const char *path, const Buf *b);
void strset_add(StrSet *ss, char *s, char *val);
void strset_sort(StrSet *ss);
long strset_find(const StrSet *ss, const char *s);
void strset_free(StrSet *ss);
void load_lines(StrSet *ss, const Buf *b, int split_tab);
int rm_rf(const char *path);
int mkdirs(const char *path);
char *pathcat(const char *a, const char *b, const char *c);

/* batches.c */
unsigned batch_of(const char *id, unsigned nbatches);
int stale_batch_file(const char *name, unsigned nbatches);
int write_batches(const Run *r);

#endif
