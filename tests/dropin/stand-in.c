/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Stand-ins for the few qmail library calls the drop-in qmail-spp.c makes
 * (stralloc, env), with qmail's return values: 1 success, 0 failure. */
#include <stdlib.h>
#include <string.h>

#include "env.h"
#include "stralloc.h"

int stralloc_copyb(stralloc *sa, const char *s, unsigned int n)
{
	if (n + 1 > sa->a) {
		char *p = realloc(sa->s, n + 1);

		if (!p)
			return 0;
		sa->s = p;
		sa->a = n + 1;
	}
	memcpy(sa->s, s, n);
	sa->len = n;
	return 1;
}

int stralloc_copys(stralloc *sa, const char *s)
{
	return stralloc_copyb(sa, s, (unsigned int)strlen(s));
}

int stralloc_0(stralloc *sa)
{
	if (sa->len + 1 > sa->a) {
		char *p = realloc(sa->s, sa->len + 1);

		if (!p)
			return 0;
		sa->s = p;
		sa->a = sa->len + 1;
	}
	sa->s[sa->len++] = '\0';
	return 1;
}

int env_put2(char *name, char *value)
{
	return setenv(name, value, 1) == 0;
}

int env_unset(char *name)
{
	return unsetenv(name) == 0;
}
