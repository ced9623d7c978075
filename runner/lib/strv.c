/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Growable, NULL-terminated lists of strings. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sbx.h"

int sbx_strv_add(struct sbx_strv *sv, const char *s, struct sbx_error *err)
{
	char **v;
	char *copy;

	if (sv->n >= 65536)
		return sbx_fail(err, E2BIG, "list: too many entries");
	copy = strdup(s);
	if (!copy)
		return sbx_fail(err, ENOMEM, "list: out of memory");
	v = realloc(sv->v, (sv->n + 2) * sizeof(*v));
	if (!v) {
		free(copy);
		return sbx_fail(err, ENOMEM, "list: out of memory");
	}
	v[sv->n++] = copy;
	v[sv->n] = NULL;
	sv->v = v;
	return 0;
}

int sbx_strv_has(const struct sbx_strv *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return 1;
	return 0;
}

void sbx_strv_clear(struct sbx_strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = 0;
}
