/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the plugin's environment (runner/lib/env.c): what passes from
 * --env and from spp-run's own environment, in which order; never LD_*. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbx.h"
#include "tap.h"

#define NROWS(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define MAXV 12

/* One sbx_env_build() case. pass empty: the default policy's env_pass
 * (SMTP* TCP* RELAYCLIENT), or none at all with nopass. extra and base are
 * NULL-terminated lists (empty when left out), or NULL pointers with
 * no_extra/no_base. want: the whole result, in order. */
struct env_row {
	const char *what;
	const char *pass[MAXV];
	int nopass;
	const char *extra[MAXV];
	int no_extra;
	const char *base[MAXV];
	int no_base;
	const char *want[MAXV];
};

static const struct env_row env_rows[] = {
	{ .what = "default policy: extra first, then the passed base ones",
	  .extra = { "FOO=1", "RBLSERVERS=zen.example", NULL },
	  .base = { "PATH=/bin", "TCPREMOTEIP=192.0.2.1", "HOME=/root",
		    "SMTPRCPTTO=u@example.org", "SECRET=hunter2",
		    "RELAYCLIENT=", "SMTPMAILFROM=", "TCPLOCALPORT=25", NULL },
	  .want = { "FOO=1", "RBLSERVERS=zen.example", "TCPREMOTEIP=192.0.2.1",
		    "SMTPRCPTTO=u@example.org", "RELAYCLIENT=", "SMTPMAILFROM=",
		    "TCPLOCALPORT=25", NULL } },
	{ .what = "exact names are exact, prefixes need the '*'",
	  .base = { "RELAYCLIENTS=1", "RELAYCLIENT=x", "RELAYCLIEN=1", "TCP=1",
		    "TC=1", "XTCPREMOTEIP=1", "SMTP=", "smtpx=1", NULL },
	  .want = { "RELAYCLIENT=x", "TCP=1", "SMTP=", NULL } },
	{ .what = "policy names and PREFIX* patterns",
	  .pass = { "FOO", "BAR*", NULL },
	  .base = { "FOO=1", "FOOBAR=2", "FO=3", "BAR=4", "BARX=5", "XBAR=6",
		    "TCPREMOTEIP=7", NULL },
	  .want = { "FOO=1", "BAR=4", "BARX=5", NULL } },
	{ .what = "a bare '*' passes everything but LD_*",
	  .pass = { "*", NULL },
	  .base = { "A=1", "LD_PRELOAD=/tmp/evil.so", "B=2",
		    "LD_LIBRARY_PATH=/tmp", "LD_=x", "ld_preload=x", NULL },
	  .want = { "A=1", "B=2", "ld_preload=x", NULL } },
	{ .what = "LD_* dropped from extra too, even when the policy names it",
	  .pass = { "LD_PRELOAD", "LD_*", NULL },
	  .extra = { "LD_PRELOAD=/tmp/evil.so", "A=1", "LD_AUDIT=/x.so", NULL },
	  .base = { "LD_PRELOAD=/y.so", "LD_DEBUG=all", NULL },
	  .want = { "A=1", NULL } },
	{ .what = "SECRET and the rest absent under an empty env_pass",
	  .nopass = 1,
	  .extra = { "A=1", NULL },
	  .base = { "SECRET=x", "TCPREMOTEIP=1", "RELAYCLIENT=", NULL },
	  .want = { "A=1", NULL } },
	{ .what = "entries without '=' skipped",
	  .pass = { "*", NULL },
	  .extra = { "NOEQ", "A=1", "", NULL },
	  .base = { "SMTPX", "B=2", "", "C", NULL },
	  .want = { "A=1", "B=2", NULL } },
	{ .what = "extra wins over base for the same name",
	  .extra = { "TCPREMOTEIP=198.51.100.7", NULL },
	  .base = { "TCPREMOTEIP=192.0.2.1", "TCPLOCALIP=192.0.2.2", NULL },
	  .want = { "TCPREMOTEIP=198.51.100.7", "TCPLOCALIP=192.0.2.2",
		    NULL } },
	{ .what = "same name means the whole name, not a prefix",
	  .extra = { "TCP=1", NULL },
	  .base = { "TCPX=2", "TCP=3", "TC=4", NULL },
	  .want = { "TCP=1", "TCPX=2", NULL } },
	{ .what = "extra wins even with an empty value",
	  .extra = { "RELAYCLIENT=", NULL },
	  .base = { "RELAYCLIENT=127.", NULL },
	  .want = { "RELAYCLIENT=", NULL } },
	{ .what = "a base name set twice passes once, the first (as getenv)",
	  .base = { "SMTPHELOHOST=a", "SMTPHELOHOST=b", NULL },
	  .want = { "SMTPHELOHOST=a", NULL } },
	{ .what = "values kept verbatim",
	  .extra = { "A=b=c", "E= x\ty ", NULL },
	  .base = { "SMTPRCPTTO=a=b@example.org", NULL },
	  .want = { "A=b=c", "E= x\ty ", "SMTPRCPTTO=a=b@example.org", NULL } },
	{ .what = "no extra",
	  .no_extra = 1,
	  .base = { "TCPREMOTEIP=1", "HOME=/", NULL },
	  .want = { "TCPREMOTEIP=1", NULL } },
	{ .what = "no base",
	  .extra = { "A=1", NULL },
	  .no_base = 1,
	  .want = { "A=1", NULL } },
	{ .what = "neither", .no_extra = 1, .no_base = 1, .want = { NULL } },
	{ .what = "both empty", .want = { NULL } },
};

/* A writable copy of a NULL-terminated list of literals. */
static char **copy_list(const char *const *l)
{
	size_t n = 0;
	char **v;

	while (l[n])
		n++;
	v = calloc(n + 1, sizeof(*v));
	ck_assert_ptr_nonnull(v);
	for (size_t i = 0; i < n; i++) {
		v[i] = strdup(l[i]);
		ck_assert_ptr_nonnull(v[i]);
	}
	return v;
}

static void free_list(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

static void make_policy(struct sbx_policy *p, const struct env_row *row)
{
	struct sbx_error err = { 0, "" };

	ck_assert_int_eq(sbx_policy_default(p, &err), 0);
	if (!row->pass[0] && !row->nopass)
		return;
	sbx_strv_clear(&p->env_pass);
	for (size_t i = 0; row->pass[i]; i++)
		ck_assert_int_eq(sbx_strv_add(&p->env_pass, row->pass[i], &err),
				 0);
}

START_TEST(test_sbx_env_build_table)
{
	const struct env_row *row = &env_rows[_i];
	struct sbx_error err = { 0, "" };
	char **extra = row->no_extra ? NULL : copy_list(row->extra);
	char **base = row->no_base ? NULL : copy_list(row->base);
	struct sbx_policy p;
	char **env;
	size_t n;

	make_policy(&p, row);
	env = sbx_env_build(&p, extra, base, &err);
	ck_assert_msg(env != NULL, "%s: %s", row->what, err.msg);
	for (n = 0; env[n] && row->want[n]; n++)
		ck_assert_msg(strcmp(env[n], row->want[n]) == 0,
			      "%s: [%zu] is \"%s\", want \"%s\"", row->what, n,
			      env[n], row->want[n]);
	ck_assert_msg(env[n] == NULL, "%s: extra entry \"%s\"", row->what,
		      env[n]);
	ck_assert_msg(row->want[n] == NULL, "%s: missing \"%s\"", row->what,
		      row->want[n]);
	sbx_env_free(env);
	sbx_policy_clear(&p);
	free_list(extra);
	free_list(base);
}
END_TEST

START_TEST(test_sbx_env_build_copies)
{
	struct sbx_error err = { 0, "" };
	static const char *const e[] = { "A=1", NULL };
	static const char *const b[] = { "TCPREMOTEIP=192.0.2.1", NULL };
	char **extra = copy_list(e), **base = copy_list(b);
	struct sbx_policy p;
	char **env;

	ck_assert_int_eq(sbx_policy_default(&p, &err), 0);
	env = sbx_env_build(&p, extra, base, &err);
	ck_assert_ptr_nonnull(env);
	ck_assert_ptr_ne(env[0], extra[0]);
	ck_assert_ptr_ne(env[1], base[0]);
	extra[0][0] = 'X';
	base[0][0] = 'X';
	ck_assert_str_eq(env[0], "A=1");
	ck_assert_str_eq(env[1], "TCPREMOTEIP=192.0.2.1");
	/* the inputs are not changed, and outlive the result */
	free_list(extra);
	free_list(base);
	ck_assert_str_eq(env[0], "A=1");
	sbx_env_free(env);
	sbx_policy_clear(&p);
}
END_TEST

START_TEST(test_sbx_env_build_extra_dup)
{
	/* --env A=1 --env A=2: the plugin sees one A, never two */
	struct sbx_error err = { 0, "" };
	static const char *const e[] = { "A=1", "A=2", NULL };
	char **extra = copy_list(e);
	struct sbx_policy p;
	char **env;
	int count = 0;

	ck_assert_int_eq(sbx_policy_default(&p, &err), 0);
	env = sbx_env_build(&p, extra, NULL, &err);
	ck_assert_ptr_nonnull(env);
	for (size_t i = 0; env[i]; i++)
		if (strncmp(env[i], "A=", 2) == 0)
			count++;
	ck_assert_int_eq(count, 1);
	sbx_env_free(env);
	sbx_policy_clear(&p);
	free_list(extra);
}
END_TEST

START_TEST(test_sbx_env_build_large)
{
	/* 2000 base variables, every other one passed */
	struct sbx_error err = { 0, "" };
	char **base = calloc(2001, sizeof(*base));
	struct sbx_policy p;
	char **env;
	size_t n = 0;

	ck_assert_ptr_nonnull(base);
	for (int i = 0; i < 2000; i++) {
		char kv[32];

		snprintf(kv, sizeof(kv), "%s%d=%d", i % 2 ? "X" : "SMTP", i, i);
		base[i] = strdup(kv);
		ck_assert_ptr_nonnull(base[i]);
	}
	ck_assert_int_eq(sbx_policy_default(&p, &err), 0);
	env = sbx_env_build(&p, NULL, base, &err);
	ck_assert_ptr_nonnull(env);
	while (env[n])
		n++;
	ck_assert_uint_eq(n, 1000);
	ck_assert_str_eq(env[0], "SMTP0=0");
	ck_assert_str_eq(env[999], "SMTP1998=1998");
	sbx_env_free(env);
	sbx_policy_clear(&p);
	free_list(base);
}
END_TEST

/* sbx_env_free */

START_TEST(test_sbx_env_free_null)
{
	sbx_env_free(NULL);
}
END_TEST

static Suite *env_suite(void)
{
	Suite *s = suite_create("env");
	TCase *tc;

	tc = tcase_create("sbx_env_build");
	tcase_add_loop_test(tc, test_sbx_env_build_table, 0, NROWS(env_rows));
	tcase_add_test(tc, test_sbx_env_build_copies);
	tcase_add_test(tc, test_sbx_env_build_extra_dup);
	tcase_add_test(tc, test_sbx_env_build_large);
	suite_add_tcase(s, tc);

	tc = tcase_create("sbx_env_free");
	tcase_add_test(tc, test_sbx_env_free_null);
	suite_add_tcase(s, tc);

	return s;
}

int main(void)
{
	return tap_run(env_suite());
}
