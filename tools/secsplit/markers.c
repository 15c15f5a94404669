/* markers.c: secsplit's numbering recognition: Chinese and Arabic
 * numbers (一 … 九十九, 1-3 digits, years) and the markers that open a
 * heading (一、 (一) 1. (1) 第一章/节/条/部分), as candidates for split.c. */
#include "secsplit_int.h"

#include <string.h>

static size_t ar_number(const char *s, size_t n, int *val);
static size_t ar_year(const char *s, size_t n, int *val);
static int is_digit_cp(uint32_t cp);

int
ss_cn_digit(uint32_t cp)
{
	switch (cp) {
	case 0x3007: case 0x96F6: return 0;	/* 〇 零 */
	case 0x4E00: return 1;
	case 0x4E8C: return 2;
	case 0x4E09: return 3;
	case 0x56DB: return 4;
	case 0x4E94: return 5;
	case 0x516D: return 6;
	case 0x4E03: return 7;
	case 0x516B: return 8;
	case 0x4E5D: return 9;
	case 0x5341: return 10;	/* 十 */
	default: return -1;
	}
}

/* A Chinese number 一 … 九十九 at s; returns its bytes (0 when none). */
size_t
ss_cn_number(const char *s, size_t n, int *val)
{
	int d[4], nd = 0, v;
	size_t p = 0, l;

	while (p < n && nd < 4) {
		int x = ss_cn_digit(cp_at(s + p, n - p, &l));

		if (x < 0)
			break;
		d[nd++] = x;
		p += l;
	}
	if (nd == 0)
		return 0;
	if (nd == 1)
		v = d[0];
	else if (nd == 2 && d[0] == 10 && d[1] >= 1 && d[1] <= 9)
		v = 10 + d[1];				/* 十一 */
	else if (nd == 2 && d[1] == 10 && d[0] >= 2 && d[0] <= 9)
		v = d[0] * 10;				/* 二十 */
	else if (nd == 3 && d[1] == 10 && d[0] >= 2 && d[0] <= 9 && d[2] >= 1 && d[2] <= 9)
		v = d[0] * 10 + d[2];			/* 二十一 */
	else
		return 0;
	if (v < 1)
		return 0;
	*val = v;
	return p;
}

/* 1-3 ASCII or full-width digits. */
static size_t
ar_number(const char *s, size_t n, int *val)
{
	size_t p = 0, l;
	int v = 0, nd = 0;

	while (p < n) {
		uint32_t cp = cp_at(s + p, n - p, &l);

		if (cp >= '0' && cp <= '9')
			v = v * 10 + (int)(cp - '0');
		else if (cp >= 0xFF10 && cp <= 0xFF19)
			v = v * 10 + (int)(cp - 0xFF10);
		else
			break;
		if (++nd > 3)
			return 0;
		p += l;
	}
	if (nd == 0 || v < 1)
		return 0;
	*val = v;
	return p;
}

/* Exactly four digits (a year), ASCII or full-width. */
static size_t
ar_year(const char *s, size_t n, int *val)
{
	size_t p = 0, l;
	int v = 0, nd = 0;

	while (p < n && nd < 5) {
		uint32_t cp = cp_at(s + p, n - p, &l);

		if (cp >= '0' && cp <= '9')
			v = v * 10 + (int)(cp - '0');
		else if (cp >= 0xFF10 && cp <= 0xFF19)
			v = v * 10 + (int)(cp - 0xFF10);
		else
			break;
		nd++;
		p += l;
	}
	if (nd != 4)
		return 0;
	*val = v;
	return p;
}

static int
is_digit_cp(uint32_t cp)
{
	return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19);
}

/* A numbering marker at the start of s[0..n) (blanks already skipped). */
int
ss_parse_marker(const char *s, size_t n, Cand *cd)
{
	size_t p, l, k;
	uint32_t cp = cp_at(s, n, &l), nx;
	int v;

	if (cp == '(' || cp == 0xFF08) {		/* (一) (1) */
		int cn;

		p = l;
		if ((k = ss_cn_number(s + p, n - p, &v)) > 0)
			cn = 1;
		else if ((k = ar_number(s + p, n - p, &v)) > 0)
			cn = 0;
		else
			return 0;
		p += k;
		cp = cp_at(s + p, n - p, &l);
		if (cp != ')' && cp != 0xFF09)
			return 0;
		p += l;
		/* "(一)、" is seen too: the 、 belongs to the marker */
		if (cp_at(s + p, n - p, &l) == 0x3001)
			p += l;
		cd->fam = cn ? F_CNPAREN : F_ARPAREN;
		cd->num = v;
		cd->markerlen = p;
		return 1;
	}
	if (cp == 0x7B2C) {		/* 第一章 第一节 第一条 第一部分 */
		p = l;
		if ((k = ss_cn_number(s + p, n - p, &v)) == 0 &&
		    (k = ar_number(s + p, n - p, &v)) == 0)
			return 0;
		p += k;
		cp = cp_at(s + p, n - p, &l);
		if (cp == 0x90E8 && cp_at(s + p + l, n - p - l, &k) == 0x5206) {
			/* 第一部分, maybe with a colon or 、 */
			p += l + k;
			cp = cp_at(s + p, n - p, &l);
			if (cp == 0xFF1A || cp == ':' || cp == 0x3001)
				p += l;
			cd->fam = F_BUFEN;
			cd->num = v;
			cd->markerlen = p;
			return 1;
		}
		if (cp == 0x7AE0)
			cd->fam = F_ZHANG;
		else if (cp == 0x8282 || cp == 0x7BC0)		/* 节 節 */
			cd->fam = F_JIE;
		else if (cp == 0x6761 || cp == 0x689D)		/* 条 條 */
			cd->fam = F_TIAO;
		else
			return 0;
		p += l;
		/* a title follows after a blank, or the line ends: not 第一条防线 */
		if (p < n && !is_blank(cp_at(s + p, n - p, &l)))
			return 0;
		cd->num = v;
		cd->markerlen = p;
		return 1;
	}
	if ((k = ss_cn_number(s, n, &v)) > 0) {		/* 一、 */
		p = k;
		cp = cp_at(s + p, n - p, &l);
		if (cp != 0x3001 && cp != '.' && cp != 0xFF0E)
			return 0;
		p += l;
		/* 三、四月份 一、二等奖: a list of numbers, not a marker */
		{
			int w;
			size_t kk = ss_cn_number(s + p, n - p, &w);

			if (kk > 0) {
				nx = cp_at(s + p + kk, n - p - kk, &l);
				if (nx == 0x3001 || nx == 0x6708 || nx == 0x5B63 ||
				    nx == 0x5E74 || nx == 0x65E5 || nx == 0x662F ||
				    nx == 0x7B49 || nx == 0x4E2A)
					return 0;
			}
		}
		cd->fam = F_CNDUN;
		cd->num = v;
		cd->markerlen = p;
		return 1;
	}
	if ((k = ar_number(s, n, &v)) > 0) {		/* 1. 1、 */
		p = k;
		cp = cp_at(s + p, n - p, &l);
		if (cp != '.' && cp != 0xFF0E && cp != 0x3001)
			return 0;
		p += l;
		/* 1.5万 3.15 1、2号: numbers, not markers; but 2.2024年… and
		 * 5.3月份… are headings that start with a date */
		nx = cp_at(s + p, n - p, &l);
		if (nx == '%' || nx == 0xFF05)
			return 0;
		if (is_digit_cp(nx)) {
			int y;
			size_t k2 = ar_year(s + p, n - p, &y);

			int mo;
			size_t k3 = ar_number(s + p, n - p, &mo);

			if (!(k2 > 0 && cp_at(s + p + k2, n - p - k2, &l) == 0x5E74) &&
			    !(k3 > 0 && mo <= 12 && cp_at(s + p + k3, n - p - k3, &l) == 0x6708))
				return 0;
			/* 3、4月份 is March and April */
			if (k3 > 0 && mo == v + 1 && cp_at(s + p + k3, n - p - k3, &l) == 0x6708)
				return 0;
		}
		cd->fam = F_ARDOT;
		cd->num = v;
		cd->markerlen = p;
		return 1;
	}
	return 0;
}
