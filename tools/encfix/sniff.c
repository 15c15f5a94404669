/* sniff.c: what the first bytes of a document say before any decoding:
 * magic bytes of formats that are never text, the NUL patterns of UTF-16
 * and UTF-32 without BOM, control bytes of binary data, the charset an HTML
 * or XML declaration names, and the families of encoding names. */
#include "encfix-int.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

/* Formats that are never text, by their magic bytes. */
const char *
sniff_magic(const unsigned char *p, size_t n)
{
	static const struct {
		const char *magic;
		size_t len;
		const char *what;
	} m[] = {
		{"%PDF-", 5, "a PDF document"},
		{"\x89PNG\r\n\x1a\n", 8, "a PNG image"},
		{"\xff\xd8\xff", 3, "a JPEG image"},
		{"GIF87a", 6, "a GIF image"},
		{"GIF89a", 6, "a GIF image"},
		{"PK\x03\x04", 4, "a zip archive (or an Office document)"},
		{"PK\x05\x06", 4, "a zip archive"},
		{"\x7f" "ELF", 4, "an ELF executable"},
		{"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8, "an OLE2 (old MS Office) document"},
		{"Rar!\x1a\x07", 6, "a RAR archive"},
		{"7z\xbc\xaf\x27\x1c", 6, "a 7-zip archive"},
		{"\x1f\x8b\x08", 3, "gzip data inside gzip data"},
		{"\xfd" "7zXZ", 5, "xz data"},
		{"\x28\xb5\x2f\xfd", 4, "zstd data"},
		{"BZh91AY&SY", 10, "bzip2 data"},
		{"II*\0", 4, "a TIFF image"},
		{"MM\0*", 4, "a TIFF image"},
		{"OggS", 4, "an Ogg file"},
		{"wOFF", 4, "a WOFF font"},
		{"SQLite format 3", 16, "an SQLite database"},
		{"\0asm", 4, "a WebAssembly module"},
	};

	for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
		if (n >= m[i].len && memcmp(p, m[i].magic, m[i].len) == 0)
			return m[i].what;
	if (n >= 12 && memcmp(p, "RIFF", 4) == 0)
		return "a RIFF file (WAV, AVI or WebP)";
	if (n >= 12 && memcmp(p + 4, "ftyp", 4) == 0)
		return "an MP4/HEIF file";
	if (n >= 10 && memcmp(p, "ID3", 3) == 0 && p[3] < 5)
		return "an MP3 file";
	return NULL;
}

/* NUL patterns of UTF-32 and UTF-16 without BOM in the first bytes: U_NONE,
 * or the U_ code of the pattern. */
int
nul_pattern(const unsigned char *p, size_t n)
{
	size_t m = n < SAMPLE_MAX ? n : SAMPLE_MAX, i, z[4] = {0, 0, 0, 0}, hi2[4] = {0, 0, 0, 0};

	if (!memchr(p, 0, m))
		return U_NONE;
	for (i = 0; i < m; i++) {
		if (p[i] == 0)
			z[i & 3]++;
		else if (p[i] > 0x10)
			hi2[i & 3]++;
	}
	if (n % 4 == 0 && m >= 8) {
		if (z[3] == m / 4 && hi2[2] == 0 && z[0] < m / 4)
			return U_32LE;
		if (z[0] == m / 4 && hi2[1] == 0 && z[3] < m / 4)
			return U_32BE;
	}
	{
		size_t ze = z[0] + z[2], zo = z[1] + z[3];

		/* ASCII characters (newlines at least) of UTF-16 text put their
		 * NUL on one side; only the rare U+xx00 ideograph (一 U+4E00)
		 * puts one on the other. The caller checks the decoding. */
		if (zo >= 2 && ze * 3 <= zo)
			return U_16LE;
		if (ze >= 2 && zo * 3 <= ze)
			return U_16BE;
	}
	return U_NONE;
}

/* Control bytes in the first bytes: text has few, binary data many. */
int
looks_binary(const unsigned char *p, size_t n)
{
	size_t m = n < SAMPLE_MAX ? n : SAMPLE_MAX, i = 0, bad = 0;

	while (i < m) {
		unsigned c;

		if (m - i >= 8) {	/* eight bytes none of which is below 0x20 */
			uint64_t w;

			memcpy(&w, p + i, 8);
			if (!((w - 0x2020202020202020ULL) & ~w & 0x8080808080808080ULL)) {
				i += 8;
				continue;
			}
		}
		c = p[i++];
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b)
			bad++;
	}
	return m >= 16 && bad * 100 > m * 5;
}

/* The charset an HTML <meta> or XML declaration names in the first 4 KiB,
 * lowercased into name; 0 when there is none. */
int
meta_charset(const unsigned char *p, size_t n, char *name, size_t size)
{
	size_t m = n < 4096 ? n : 4096, i, j;

	for (i = 0; i + 8 < m; i++) {
		const char *key = NULL;
		int c0 = p[i] | 0x20;

		if (c0 != 'c' && c0 != 'e')
			continue;
		if (strncasecmp((const char *)p + i, "charset", 7) == 0)
			key = "charset", j = i + 7;
		else if (i + 8 < m && strncasecmp((const char *)p + i, "encoding", 8) == 0)
			key = "encoding", j = i + 8;
		if (!key)
			continue;
		while (j < m && (p[j] == ' ' || p[j] == '\t'))
			j++;
		if (j >= m || p[j] != '=')
			continue;
		j++;
		while (j < m && (p[j] == ' ' || p[j] == '"' || p[j] == '\''))
			j++;
		size_t k = 0;
		while (j < m && k + 1 < size && (isalnum(p[j]) || p[j] == '-' || p[j] == '_' ||
						 p[j] == '.' || p[j] == ':'))
			name[k++] = (char)tolower(p[j++]);
		name[k] = '\0';
		if (k > 0)
			return 1;
	}
	return 0;
}


int
family(const char *name)
{
	char k[48];
	size_t i, j = 0;

	for (i = 0; name[i] && j + 1 < sizeof k; i++)
		if (name[i] != '-' && name[i] != '_')
			k[j++] = (char)toupper((unsigned char)name[i]);
	k[j] = '\0';
	if (!strcmp(k, "UTF8") || !strcmp(k, "ASCII") || !strcmp(k, "USASCII"))
		return F_UTF8;
	if (!strcmp(k, "GB18030") || !strcmp(k, "GBK") || !strcmp(k, "GB2312") || !strcmp(k, "CP936") ||
	    !strcmp(k, "EUCCN") || !strcmp(k, "XGBK") || !strcmp(k, "WINDOWS936") || !strcmp(k, "MS936"))
		return F_GB;
	if (!strcmp(k, "BIG5") || !strcmp(k, "CP950") || !strcmp(k, "XXBIG5") || !strcmp(k, "BIG5HKSCS") ||
	    !strcmp(k, "WINDOWS950"))
		return F_BIG5;
	if (!strcmp(k, "UTF16"))
		return F_UTF16;
	if (!strcmp(k, "UTF16LE"))
		return F_UTF16LE;
	if (!strcmp(k, "UTF16BE"))
		return F_UTF16BE;
	if (!strcmp(k, "UTF32"))
		return F_UTF32;
	if (!strcmp(k, "UTF32LE"))
		return F_UTF32LE;
	if (!strcmp(k, "UTF32BE"))
		return F_UTF32BE;
	return F_OTHER;
}
