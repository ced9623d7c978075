/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of the sandbox library: the built-in default policy (defaults.c). */
#include <check.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <unistd.h>

#include "internal.h"
#include "tap.h"
#include "sbx.h"
#include "verdict.h"

#define NROWS(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* sbx_policy_default: the values spp-run(8) documents under THE DEFAULT
 * POLICY. */

/* The groups spp-run(8) names for the default allowlist, in order. */
static const char *const default_groups[] = {
	"basic-io", "memory",  "file",	 "process", "signal",
	"time",	    "network", "random", NULL,
};

/* The "default" group is the documented groups, in order. */
START_TEST(test_sbx_syscall_group_default_stable)
{
	const char *const *a = sbx_syscall_group("default");
	const char *const *b = sbx_syscall_group("default");
	size_t n = 0;

	ck_assert_ptr_eq(a, b);
	for (size_t g = 0; default_groups[g]; g++) {
		const char *const *l = sbx_syscall_group(default_groups[g]);

		for (size_t i = 0; l[i]; i++, n++)
			ck_assert_str_eq(a[n], l[i]);
	}
	ck_assert_ptr_null(a[n]);
}
END_TEST

START_TEST(test_sbx_policy_default_limits)
{
	struct sbx_error err = { 0, "" };
	struct sbx_policy p;

	memset(&p, 0xa5, sizeof(p)); /* whatever the caller left there */
	ck_assert_int_eq(sbx_policy_default(&p, &err), 0);
	ck_assert_uint_eq(p.timeout_ms, 5000);
	ck_assert_uint_eq(p.cpu_ms, 2000);
	ck_assert_uint_eq(p.memory, 256u * 1024 * 1024);
	ck_assert_uint_eq(p.procs, 16);
	ck_assert_uint_eq(p.files, 64);
	ck_assert_uint_eq(p.fsize, 16u * 1024 * 1024);
	ck_assert_uint_eq(p.stdout_max, 64u * 1024);
	ck_assert_uint_eq(p.stderr_max, 16u * 1024);
	ck_assert_uint_eq(p.tmpfs_size, 8u * 1024 * 1024);
	sbx_policy_clear(&p);
}
END_TEST

START_TEST(test_sbx_policy_default_identity_net)
{
	struct sbx_error err = { 0, "" };
	struct sbx_policy p;

	ck_assert_int_eq(sbx_policy_default(&p, &err), 0);
	ck_assert_int_eq(p.net, SBX_NET_NONE);
	/* not in spp-run(8) (no effect under network none); pinned so that
	 * a change is deliberate */
	ck_assert_uint_eq(p.families, SBX_AF_UNIX | SBX_AF_INET | SBX_AF_INET6);
	ck_assert_uint_eq(p.uid, 65534);
	ck_assert_uint_eq(p.gid, 65534);
	ck_assert_uint_eq(p.npaths, 0);
	ck_assert_ptr_null(p.paths);
	ck_assert_ptr_null(p.workdir);
	sbx_policy_clear(&p);
}
END_TEST

START_TEST(test_sbx_policy_default_verdicts_fail)
{
	struct sbx_error err = { 0, "" };
	struct sbx_policy p;

	ck_assert_int_eq(sbx_policy_default(&p, &err), 0);
	ck_assert_uint_eq(p.verdicts, SPP_CMD_DEFAULT);
	/* least privilege: nothing that makes qmail-smtpd accept more */
	ck_assert_uint_eq(p.verdicts & (SPP_CMD_A | SPP_CMD_O), 0);
	ck_assert_uint_eq(p.verdicts | SPP_CMD_A | SPP_CMD_O, SPP_CMD_ALL);
	ck_assert_uint_eq(p.setvars.n, 0);
	ck_assert_int_eq(p.fail, SBX_FAIL_DEFER);
	ck_assert_ptr_null(p.fail_text);
	ck_assert_int_eq(p.sysdefault, SBX_SYS_KILL);
	sbx_policy_clear(&p);
}
END_TEST

START_TEST(test_sbx_policy_default_env_pass)
{
	struct sbx_error err = { 0, "" };
	struct sbx_policy p;

	ck_assert_int_eq(sbx_policy_default(&p, &err), 0);
	ck_assert_uint_eq(p.env_pass.n, 3);
	ck_assert_str_eq(p.env_pass.v[0], "SMTP*");
	ck_assert_str_eq(p.env_pass.v[1], "TCP*");
	ck_assert_str_eq(p.env_pass.v[2], "RELAYCLIENT");
	ck_assert_ptr_null(p.env_pass.v[3]);
	sbx_policy_clear(&p);
}
END_TEST

START_TEST(test_sbx_policy_default_syscalls)
{
	struct sbx_error err = { 0, "" };
	struct sbx_policy p;
	size_t k = 0;

	ck_assert_int_eq(sbx_policy_default(&p, &err), 0);
	ck_assert_uint_gt(p.syscalls.n, 0);
	ck_assert_ptr_null(p.syscalls.v[p.syscalls.n]);
	ck_assert(sbx_strv_has(&p.syscalls, "read"));
	ck_assert(sbx_strv_has(&p.syscalls, "write"));
	ck_assert(sbx_strv_has(&p.syscalls, "execve"));
	ck_assert(sbx_strv_has(&p.syscalls, "exit_group"));
	for (size_t i = 0; i < p.syscalls.n; i++)
		ck_assert_msg(!sbx_syscall_denied(p.syscalls.v[i]),
			      "denied %s in the default list", p.syscalls.v[i]);
	/* exactly the documented groups, in their order, without names
	 * libseccomp does not know */
	for (size_t g = 0; default_groups[g]; g++) {
		const char *const *l = sbx_syscall_group(default_groups[g]);

		ck_assert_ptr_nonnull(l);
		for (size_t i = 0; l[i]; i++) {
			/* only names this architecture has */
			if (!sbx_syscall_known(l[i]))
				continue;
			ck_assert_uint_lt(k, p.syscalls.n);
			ck_assert_str_eq(p.syscalls.v[k], l[i]);
			k++;
		}
	}
	ck_assert_uint_eq(k, p.syscalls.n);
	/* not the DNS group: it only repeats network calls */
	sbx_policy_clear(&p);
}
END_TEST

START_TEST(test_sbx_policy_default_null_err)
{
	struct sbx_policy p;

	ck_assert_int_eq(sbx_policy_default(&p, NULL), 0);
	sbx_policy_clear(&p);
}
END_TEST

/* sbx_policy_clear */

START_TEST(test_sbx_policy_clear_everything)
{
	struct sbx_error err = { 0, "" };
	struct sbx_policy p;
	const char *zero = (const char *)&p;

	ck_assert_int_eq(sbx_policy_default(&p, &err), 0);
	ck_assert_int_eq(sbx_policy_add_path(&p, "/srv", 1, &err), 0);
	ck_assert_int_eq(sbx_strv_add(&p.setvars, "GREYLISTED", &err), 0);
	p.workdir = strdup("/var/qmail");
	p.fail_text = strdup("E421 no");
	ck_assert_ptr_nonnull(p.workdir);
	ck_assert_ptr_nonnull(p.fail_text);
	sbx_policy_clear(&p);
	for (size_t i = 0; i < sizeof(p); i++)
		ck_assert_msg(zero[i] == 0, "byte %zu not cleared", i);
	sbx_policy_clear(&p); /* twice */
}
END_TEST

/* sbx_policy_fail_line */
struct fail_row {
	enum sbx_fail_action fail;
	const char *text;
	const char *want; /* NULL: no line */
};

static const struct fail_row fail_rows[] = {
	{ SBX_FAIL_DEFER, NULL,
	  "E451 plugin failed, try again later (#4.3.0)" },
	{ SBX_FAIL_REJECT, NULL,
	  "E554 plugin failed, message refused (#5.3.0)" },
	{ SBX_FAIL_CONTINUE, NULL, NULL },
	{ SBX_FAIL_DEFER, "E421 custom", "E421 custom" },
	{ SBX_FAIL_REJECT, "E553 custom", "E553 custom" },
	{ SBX_FAIL_CONTINUE, "E451 ignored", NULL },
	/* an out-of-range action fails closed, as defer */
	{ (enum sbx_fail_action)42, NULL,
	  "E451 plugin failed, try again later (#4.3.0)" },
};

START_TEST(test_sbx_policy_fail_line_table)
{
	const struct fail_row *row = &fail_rows[_i];
	struct sbx_policy p;
	const char *line;

	memset(&p, 0, sizeof(p));
	p.fail = row->fail;
	p.fail_text = row->text ? strdup(row->text) : NULL;
	line = sbx_policy_fail_line(&p);
	if (!row->want) {
		ck_assert_ptr_null(line);
	} else {
		ck_assert_ptr_nonnull(line);
		ck_assert_str_eq(line, row->want);
	}
	free(p.fail_text);
}
END_TEST

START_TEST(test_sbx_policy_fail_line_default)
{
	struct sbx_error err = { 0, "" };
	struct sbx_policy p;

	ck_assert_int_eq(sbx_policy_default(&p, &err), 0);
	ck_assert_str_eq(sbx_policy_fail_line(&p),
			 "E451 plugin failed, try again later (#4.3.0)");
	sbx_policy_clear(&p);
}
END_TEST

/* sbx_policy_add_path */

struct path_row {
	const char *path;
	int ok;
};

static const struct path_row path_rows[] = {
	{ "/srv/data", 1 }, { "/", 1 },	    { "/var/qmail/control/", 1 },
	{ "srv/data", 0 },  { "./x", 0 },   { "../etc", 0 },
	{ "", 0 },	    { " /srv", 0 }, { "~/x", 0 },
};

START_TEST(test_sbx_policy_add_path_table)
{
	const struct path_row *row = &path_rows[_i];
	struct sbx_error err = { 0, "" };
	struct sbx_policy p;
	char want[128];

	memset(&p, 0, sizeof(p));
	if (row->ok) {
		ck_assert_int_eq(sbx_policy_add_path(&p, row->path, 1, &err),
				 0);
		ck_assert_uint_eq(p.npaths, 1);
		ck_assert_str_eq(p.paths[0].path, row->path);
		ck_assert_int_eq(p.paths[0].writable, 1);
	} else {
		ck_assert_int_eq(sbx_policy_add_path(&p, row->path, 0, &err),
				 -1);
		ck_assert_int_eq(err.code, EINVAL);
		snprintf(want, sizeof(want), "%s: path is not absolute",
			 row->path);
		ck_assert_str_eq(err.msg, want);
		ck_assert_uint_eq(p.npaths, 0);
		ck_assert_ptr_null(p.paths);
	}
	sbx_policy_clear(&p);
}
END_TEST

START_TEST(test_sbx_policy_add_path_copies)
{
	struct sbx_error err = { 0, "" };
	struct sbx_policy p;
	char path[] = "/srv/a";

	memset(&p, 0, sizeof(p));
	ck_assert_int_eq(sbx_policy_add_path(&p, path, 0, &err), 0);
	path[5] = 'b';
	ck_assert_int_eq(sbx_policy_add_path(&p, path, 1, &err), 0);
	ck_assert_int_eq(sbx_policy_add_path(&p, "/srv/c", 0, &err), 0);
	ck_assert_uint_eq(p.npaths, 3);
	ck_assert_str_eq(p.paths[0].path, "/srv/a");
	ck_assert_int_eq(p.paths[0].writable, 0);
	ck_assert_str_eq(p.paths[1].path, "/srv/b");
	ck_assert_int_eq(p.paths[1].writable, 1);
	ck_assert_str_eq(p.paths[2].path, "/srv/c");
	ck_assert_int_eq(p.paths[2].writable, 0);
	/* a refused path leaves the list alone */
	ck_assert_int_eq(sbx_policy_add_path(&p, "rel", 0, &err), -1);
	ck_assert_uint_eq(p.npaths, 3);
	sbx_policy_clear(&p);
}
END_TEST

static Suite *defaults_suite(void)
{
	Suite *s = suite_create("defaults");
	TCase *tc;

	tc = tcase_create("sbx_policy_default");
	tcase_add_test(tc, test_sbx_syscall_group_default_stable);
	tcase_add_test(tc, test_sbx_policy_default_limits);
	tcase_add_test(tc, test_sbx_policy_default_identity_net);
	tcase_add_test(tc, test_sbx_policy_default_verdicts_fail);
	tcase_add_test(tc, test_sbx_policy_default_env_pass);
	tcase_add_test(tc, test_sbx_policy_default_syscalls);
	tcase_add_test(tc, test_sbx_policy_default_null_err);
	suite_add_tcase(s, tc);

	tc = tcase_create("sbx_policy_clear");
	tcase_add_test(tc, test_sbx_policy_clear_everything);
	suite_add_tcase(s, tc);

	tc = tcase_create("sbx_policy_fail_line");
	tcase_add_loop_test(tc, test_sbx_policy_fail_line_table, 0,
			    NROWS(fail_rows));
	tcase_add_test(tc, test_sbx_policy_fail_line_default);
	suite_add_tcase(s, tc);

	tc = tcase_create("sbx_policy_add_path");
	tcase_add_loop_test(tc, test_sbx_policy_add_path_table, 0,
			    NROWS(path_rows));
	tcase_add_test(tc, test_sbx_policy_add_path_copies);
	suite_add_tcase(s, tc);

	return s;
}

int main(void)
{
	tap_seccomp_api();
	return tap_run(defaults_suite());
}
