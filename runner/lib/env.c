/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The plugin's environment: what the caller gives plus what the policy
 * lets through from the caller's own environment; never LD_*. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sbx.h"

static int loader_var(const char *kv)
{
	return strncmp(kv, "LD_", 3) == 0;
}

static size_t name_len(const char *kv)
{
	const char *eq = strchr(kv, '=');

	return eq ? (size_t)(eq - kv) : strlen(kv);
}

static int passes(const struct sbx_policy *p, const char *kv)
{
	size_t n = name_len(kv);

	for (size_t i = 0; i < p->env_pass.n; i++) {
		const char *pat = p->env_pass.v[i];
		size_t pl = strlen(pat);

		if (pl && pat[pl - 1] == '*') {
			if (n >= pl - 1 && strncmp(kv, pat, pl - 1) == 0)
				return 1;
		} else if (pl == n && strncmp(kv, pat, n) == 0) {
			return 1;
		}
	}
	return 0;
}

/* Is NAME of kv already set in env[0..n)? */
static int has_name(char *const *env, size_t n, const char *kv)
{
	size_t len = name_len(kv);

	for (size_t i = 0; i < n; i++)
		if (name_len(env[i]) == len && strncmp(env[i], kv, len) == 0)
			return 1;
	return 0;
}

/* Does a later entry of the NULL-terminated v set the same name? */
static int later(char *const *v, const char *kv)
{
	size_t n = 0;

	while (v[n])
		n++;
	return has_name(v, n, kv);
}

int sbx_env_valid(const char *kv)
{
	const char *eq = strchr(kv, '=');

	if (!eq || eq == kv)
		return 0;
	for (const char *s = kv; s < eq; s++)
		if (!(*s == '_' || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= 'a' && *s <= 'z') ||
		      (s > kv && *s >= '0' && *s <= '9')))
			return 0;
	return 1;
}

char **sbx_env_build(const struct sbx_policy *p, char *const extra[],
		     char *const base[], struct sbx_error *err)
{
	size_t total = 1, n = 0;
	char **env;

	for (size_t i = 0; extra && extra[i]; i++)
		total++;
	for (size_t i = 0; base && base[i]; i++)
		total++;
	env = calloc(total, sizeof(*env));
	if (!env) {
		sbx_fail(err, ENOMEM, "environment: out of memory");
		return NULL;
	}
	for (int pass = 0; pass < 2; pass++) {
		char *const *src = pass == 0 ? extra : base;

		for (size_t i = 0; src && src[i]; i++) {
			const char *kv = src[i];

			/* first seen wins, except that a later --env of the
			 * same name overrides an earlier one */
			if (!strchr(kv, '=') || loader_var(kv) ||
			    has_name(env, n, kv) ||
			    (pass == 0 && later(src + i + 1, kv)) ||
			    (pass == 1 && !passes(p, kv)))
				continue;
			env[n] = strdup(kv);
			if (!env[n]) {
				sbx_env_free(env);
				sbx_fail(err, ENOMEM,
					 "environment: out of memory");
				return NULL;
			}
			n++;
		}
	}
	return env;
}

void sbx_env_free(char **env)
{
	if (!env)
		return;
	for (size_t i = 0; env[i]; i++)
		free(env[i]);
	free(env);
}
