/* attach.c: attachments a crawler saves beside the pages (PDF, DOCX, DOC or
 * WPS reports): known by their magic bytes, never by their name, and turned
 * into UTF-8 text by an established converter (pdftotext, unzip for
 * the XML of a DOCX, antiword) run by fork/exec with an argument vector and a time limit, so
 * a hostile file cannot hang the job. A PDF with no text layer (a scan), an
 * encrypted or broken file, and a converter that is not installed are
 * failures with a message naming the cause (or the Debian package), never an
 * empty document. The printed page's chrome is removed by attach_pages()
 * (attach_pages.c). Used by main.c only: the core (encfix_buffer) does no
 * I/O and runs no program. */
#include "attach.h"
#include "attach-int.h"

#include "utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CONVERT_SECONDS 60	/* wall-clock limit of one conversion */
#define CONVERT_OUT_MAX (256u << 20)	/* text beyond this is a broken file */

static int is_docx(const unsigned char *p, size_t n);
static int run_converter(char *const argv[], Buf *out, Buf *errtext, int *status);
static long long now_ms(void);
static void first_line(const Buf *b, Buf *msg);
static int has_text(const Buf *b);
static void docx_text(const char *x, size_t n, Buf *out);

/* A zip archive holding word/document.xml: the name is stored uncompressed
 * in the local header and in the central directory. */
static int
is_docx(const unsigned char *p, size_t n)
{
	static const char name[] = "word/document.xml";

	return n >= 4 && memcmp(p, "PK\x03\x04", 4) == 0 &&
	       memmem(p, n, name, sizeof name - 1) != NULL;
}

int
attach_kind(const unsigned char *p, size_t n)
{
	if (n >= 5 && memcmp(p, "%PDF-", 5) == 0)
		return ATT_PDF;
	if (is_docx(p, n))
		return ATT_DOCX;
	if (n >= 8 && memcmp(p, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) == 0)
		return ATT_DOC;
	return ATT_NONE;
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Run argv[0] with stdout and stderr captured: 0 when it ran (its wait
 * status in *status), -1 on a system failure or the time limit (message
 * in errtext). An exec failure is the child's status 127. */
static int
run_converter(char *const argv[], Buf *out, Buf *errtext, int *status)
{
	int po[2], pe[2];
	pid_t pid;
	long long deadline = now_ms() + CONVERT_SECONDS * 1000LL;
	int open_fds = 2, timed_out = 0;
	struct pollfd pf[2];

	if (pipe(po) < 0)
		return buf_addf(errtext, "pipe: %s", strerror(errno)), -1;
	if (pipe(pe) < 0) {
		close(po[0]), close(po[1]);
		return buf_addf(errtext, "pipe: %s", strerror(errno)), -1;
	}
	pid = fork();
	if (pid < 0) {
		close(po[0]), close(po[1]), close(pe[0]), close(pe[1]);
		return buf_addf(errtext, "fork: %s", strerror(errno)), -1;
	}
	if (pid == 0) {
		struct rlimit cpu = {CONVERT_SECONDS, CONVERT_SECONDS + 1};
		int devnull = open("/dev/null", O_RDONLY);

		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(po[1], 1), dup2(pe[1], 2);
		close(po[0]), close(po[1]), close(pe[0]), close(pe[1]);
		setrlimit(RLIMIT_CPU, &cpu);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(po[1]), close(pe[1]);
	pf[0].fd = po[0], pf[1].fd = pe[0];
	pf[0].events = pf[1].events = POLLIN;
	while (open_fds > 0) {
		long long left = deadline - now_ms();
		char chunk[65536];

		if (left <= 0) {
			timed_out = 1;
			break;
		}
		if (poll(pf, 2, (int)(left > 1000 ? 1000 : left)) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < 2; i++) {
			ssize_t r;

			if (pf[i].fd < 0 || !(pf[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			r = read(pf[i].fd, chunk, sizeof chunk);
			if (r <= 0) {
				if (r < 0 && errno == EINTR)
					continue;
				close(pf[i].fd), pf[i].fd = -1, open_fds--;
				continue;
			}
			if (i == 1 && errtext->len < 4096)
				buf_add(errtext, chunk, (size_t)r);
			else if (i == 0)
				buf_add(out, chunk, (size_t)r);
		}
		if (out->len > CONVERT_OUT_MAX) {
			timed_out = 2;
			break;
		}
	}
	for (int i = 0; i < 2; i++)
		if (pf[i].fd >= 0)
			close(pf[i].fd);
	if (timed_out)
		kill(pid, SIGKILL);
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	if (timed_out) {
		errtext->len = 0;
		buf_addf(errtext, timed_out == 1 ? "%s ran longer than %d s and was stopped"
						 : "%s wrote more than the text limit and was stopped",
			 argv[0], CONVERT_SECONDS);
		return -1;
	}
	return 0;
}

/* The converter's first line saying "Error" (pdftotext also warns about
 * fonts), else its first line; without the trailing newline. */
static void
first_line(const Buf *b, Buf *msg)
{
	size_t i = 0, start = 0, pick = 0, picklen = (size_t)-1;

	for (i = 0; i <= b->len; i++) {
		if (i < b->len && b->s[i] != '\n')
			continue;
		if (picklen == (size_t)-1)
			pick = start, picklen = i - start;
		if (memmem(b->s + start, i - start, "Error", 5)) {
			pick = start, picklen = i - start;
			break;
		}
		start = i + 1;
	}
	if (picklen != (size_t)-1)
		buf_add(msg, b->s + pick, picklen);
}

/* Any character but blanks and form feeds. */
static int
has_text(const Buf *b)
{
	for (size_t i = 0; i < b->len; i++)
		if (b->s[i] != ' ' && b->s[i] != '\n' && b->s[i] != '\f' && b->s[i] != '\t' &&
		    b->s[i] != '\r')
			return 1;
	return 0;
}

size_t
attach_put_entity(const char *s, size_t n, Buf *out)
{
	static const struct {
		const char *name;
		char c;
	} named[] = {{"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&quot;", '"'}, {"&apos;", '\''}};
	char enc[4];

	for (size_t k = 0; k < sizeof named / sizeof named[0]; k++) {
		size_t m = strlen(named[k].name);

		if (n >= m && memcmp(s, named[k].name, m) == 0)
			return buf_addc(out, named[k].c), m;
	}
	if (n >= 4 && s[1] == '#') {
		char *end;
		int hex = s[2] == 'x' || s[2] == 'X';
		unsigned long cp = strtoul(s + 2 + hex, &end, hex ? 16 : 10);
		int k;

		if (end < s + n && *end == ';' && cp > 0 && cp <= 0x10FFFF && (k = utf8_encode((uint32_t)cp, enc)) > 0) {
			buf_add(out, enc, (size_t)k);
			return (size_t)(end - s) + 1;
		}
	}
	buf_addc(out, '&');
	return 1;
}

/* The text of word/document.xml: the runs' <w:t> text, a line a paragraph,
 * tabs and breaks kept, a table row as one line of cells joined by " | "
 * after the table-row mark (as deboiler writes HTML tables). Deleted
 * text (<w:delText>) is not text. A scan of tags, not a validating parser: Word's XML is regular. */
static void
docx_text(const char *x, size_t n, Buf *out)
{
	size_t i = 0;
	int in_t = 0, cells = 0, depth_tc = 0;

	while (i < n) {
		size_t j, a;
		int close;

		if (x[i] != '<') {
			if (!in_t) {
				i++;
				continue;
			}
			if (x[i] == '&')
				i += attach_put_entity(x + i, n - i, out);
			else
				buf_addc(out, x[i++]);
			continue;
		}
		j = i + 1;
		close = j < n && x[j] == '/';
		a = j + close;
		while (j < n && x[j] != '>')
			j++;
#define TAG(name) (j - a >= sizeof name - 1 && memcmp(x + a, name, sizeof name - 1) == 0 && \
		   (a + sizeof name - 1 == j || strchr(" />", x[a + sizeof name - 1])))
		if (TAG("w:t"))
			in_t = !close && x[j - 1] != '/';
		else if (TAG("w:tab") && !close)
			buf_addc(out, depth_tc ? ' ' : '\t');
		else if ((TAG("w:br") || TAG("w:cr")) && !close)
			buf_addc(out, depth_tc ? ' ' : '\n');
		else if (TAG("w:p") && close && !depth_tc)
			buf_addc(out, '\n');
		else if (TAG("w:p") && close && depth_tc)
			buf_addc(out, ' ');
		else if (TAG("w:tr") && !close)
			cells = 0, buf_adds(out, ATTACH_TABLE_ROW);
		else if (TAG("w:tc") && !close) {
			if (cells++)
				buf_adds(out, " | ");
			depth_tc++;
		} else if (TAG("w:tc") && close) {
			while (out->len && out->s[out->len - 1] == ' ')
				out->len--;
			depth_tc -= depth_tc > 0;
		} else if (TAG("w:tr") && close)
			buf_addc(out, '\n');
#undef TAG
		i = j + 1;
	}
}

int
attach_extract(int kind, const char *path, const unsigned char *p, size_t n, Buf *text,
	       Buf *msg)
{
	static const struct {
		const char *prog, *package, *what;
	} conv[] = {
		[ATT_PDF] = {"pdftotext", "poppler-utils", "PDF"},
		[ATT_DOCX] = {"unzip", "unzip", "DOCX"},
		[ATT_DOC] = {"antiword", "antiword", "DOC (OLE2)"},
	};
	char tmpl[] = "/tmp/encfix-attach-XXXXXX";
	const char *file = path;
	char *argv[8];
	Buf err = BUF_INIT;
	int status = 0, rc = -1, tmpfd = -1;

	if (kind <= ATT_NONE || kind > ATT_DOC)
		return buf_adds(msg, "not an attachment"), -1;
	if (!file) {	/* stdin: the converters want a file */
		const char *dir = getenv("TMPDIR");
		Buf t = BUF_INIT;

		buf_addf(&t, "%s/encfix-attach-XXXXXX", dir && *dir ? dir : "/tmp");
		if (t.len < sizeof tmpl)
			memcpy(tmpl, t.s, t.len + 1);
		buf_free(&t);
		tmpfd = mkstemp(tmpl);
		for (size_t done = 0; tmpfd >= 0 && done < n;) {
			ssize_t w = write(tmpfd, p + done, n - done);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				close(tmpfd), unlink(tmpl), tmpfd = -1;
				break;
			}
			done += (size_t)w;
		}
		if (tmpfd < 0) {
			buf_addf(msg, "cannot write a temporary file for the converter: %s",
				 strerror(errno));
			goto out;
		}
		file = tmpl;
	}
	if (kind == ATT_PDF) {
		/* -raw, the content stream's order: measured best (README,
		 * Attachments); -bbox, each word's box, read by layout_lines() */
		argv[0] = "pdftotext", argv[1] = "-raw", argv[2] = "-bbox", argv[3] = "-enc";
		argv[4] = "UTF-8", argv[5] = (char *)file, argv[6] = "-", argv[7] = NULL;
	} else if (kind == ATT_DOCX) {
		/* the zip's word/document.xml, its text read by docx_text() */
		argv[0] = "unzip", argv[1] = "-p", argv[2] = (char *)file;
		argv[3] = "word/document.xml", argv[4] = NULL;
	} else {
		argv[0] = "antiword", argv[1] = "-m", argv[2] = "UTF-8.txt", argv[3] = "-w";
		argv[4] = "0", argv[5] = (char *)file, argv[6] = NULL;
	}
	if (run_converter(argv, text, &err, &status) < 0) {
		buf_add(msg, err.s, err.len);
		goto out;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		buf_addf(msg, "a %s attachment, and its converter %s is not installed "
			 "(Debian package %s)", conv[kind].what, conv[kind].prog, conv[kind].package);
		goto out;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		buf_addf(msg, "a %s attachment that %s cannot read", conv[kind].what, conv[kind].prog);
		if (err.len) {
			buf_adds(msg, ": ");
			first_line(&err, msg);
		} else if (WIFSIGNALED(status)) {
			buf_addf(msg, ": killed by signal %d", WTERMSIG(status));
		} else {
			buf_addf(msg, ": exit status %d", WEXITSTATUS(status));
		}
		goto out;
	}
	if (kind == ATT_DOCX) {
		Buf xml = *text;

		*text = (Buf)BUF_INIT;
		docx_text(xml.s ? xml.s : "", xml.len, text);
		buf_free(&xml);
	}
	if (kind == ATT_PDF ? !memmem(text->s ? text->s : "", text->len, "<word ", 6)
			    : !has_text(text)) {
		buf_addf(msg, kind == ATT_PDF ? "a PDF attachment with no text layer: needs OCR"
					      : "a %s attachment with no text", conv[kind].what);
		goto out;
	}
	rc = 0;
out:
	if (tmpfd >= 0) {
		close(tmpfd);
		unlink(tmpl);
	}
	if (rc < 0)
		text->len = 0;
	buf_free(&err);
	return rc;
}
