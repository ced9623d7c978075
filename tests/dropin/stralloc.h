/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Stand-in for qmail's stralloc.h: the calls the drop-in qmail-spp.c
 * makes, for tests/test_dropin without a qmail tree. */
#ifndef STRALLOC_H
#define STRALLOC_H

typedef struct stralloc {
	char *s;
	unsigned int len;
	unsigned int a;
} stralloc;

int stralloc_copys(stralloc *sa, const char *s);
int stralloc_copyb(stralloc *sa, const char *s, unsigned int n);
int stralloc_0(stralloc *sa);

#endif
