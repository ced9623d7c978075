/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the runner library's pure parts: errors and string lists
 * (error.c), the default policy (policy.c), results (result.c), syscall
 * groups (syscalls.c), the seccomp filter (filter.c) and sbx_jail_new(). */
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
#include "sbx.h"
#include "verdict.h"

#define NROWS(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* sbx_fail */

START_TEST(test_sbx_fail_fills)
{
	struct sbx_error err = { 0, "" };

	ck_assert_int_eq(sbx_fail(&err, EINVAL, "%s: bad %d", "x", 7), -1);
	ck_assert_int_eq(err.code, EINVAL);
	ck_assert_str_eq(err.msg, "x: bad 7");
	/* a second failure replaces the first */
	ck_assert_int_eq(sbx_fail(&err, ENOMEM, "again"), -1);
	ck_assert_int_eq(err.code, ENOMEM);
	ck_assert_str_eq(err.msg, "again");
}
END_TEST

START_TEST(test_sbx_fail_null_err)
{
	ck_assert_int_eq(sbx_fail(NULL, EINVAL, "ignored %d", 1), -1);
}
END_TEST

START_TEST(test_sbx_fail_truncates)
{
	struct sbx_error err = { 0, "" };
	char big[600];

	memset(big, 'm', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ck_assert_int_eq(sbx_fail(&err, E2BIG, "%s", big), -1);
	ck_assert_uint_eq(strlen(err.msg), sizeof(err.msg) - 1);
	ck_assert_int_eq(err.code, E2BIG);
}
END_TEST

/* sbx_buf: the one growable buffer */

START_TEST(test_sbx_buf_grows_and_terminates)
{
	struct sbx_buf b = { 0 };
	char big[5000];

	memset(big, 'x', sizeof(big));
	ck_assert_int_eq(sbx_buf_add(&b, "", 0), 0);
	ck_assert_str_eq(b.s, "");
	ck_assert_int_eq(sbx_buf_adds(&b, "ab"), 0);
	ck_assert_int_eq(sbx_buf_add(&b, big, sizeof(big)), 0);
	ck_assert_int_eq(sbx_buf_add(&b, "c\0d", 3), 0);
	ck_assert_uint_eq(b.len, 2 + sizeof(big) + 3);
	ck_assert_uint_gt(b.cap, b.len);
	ck_assert_int_eq(b.s[b.len], '\0');
	ck_assert_int_eq(memcmp(b.s + b.len - 3, "c\0d", 3), 0);
	sbx_buf_free(&b);
	ck_assert_ptr_null(b.s);
	ck_assert_uint_eq(b.len, 0);
}
END_TEST

START_TEST(test_sbx_buf_refuses_overflow)
{
	struct sbx_buf b = { 0 };

	ck_assert_int_eq(sbx_buf_adds(&b, "keep"), 0);
	errno = 0;
	ck_assert_int_eq(sbx_buf_add(&b, "x", SIZE_MAX - 2), -1);
	ck_assert_int_eq(errno, ENOMEM);
	ck_assert_str_eq(b.s, "keep");
	ck_assert_uint_eq(b.len, 4);
	sbx_buf_free(&b);
}
END_TEST

/* sbx_exit_status: one error class for every program */

START_TEST(test_sbx_exit_status)
{
	static const int temp[] = { ENOMEM, EMFILE, ENFILE, EIO, EAGAIN, EINTR };
	static const int perm[] = { 0,	    EINVAL, ERANGE, EPERM,
				    ENOENT, EFBIG,  EACCES, EBUSY };

	for (size_t i = 0; i < sizeof(temp) / sizeof(temp[0]); i++)
		ck_assert_int_eq(sbx_exit_status(temp[i]), SBX_EXIT_TEMP);
	for (size_t i = 0; i < sizeof(perm) / sizeof(perm[0]); i++)
		ck_assert_int_eq(sbx_exit_status(perm[i]), SBX_EXIT_PERM);
	ck_assert_int_eq(SBX_EXIT_TEMP, 111);
	ck_assert_int_eq(SBX_EXIT_PERM, 100);
}
END_TEST

/* sbx_escape: one row per case. srclen -1 means strlen(src). */
struct escape_row {
	const char *src;
	int srclen;
	size_t dstlen;
	const char *want;
};

static const struct escape_row escape_rows[] = {
	{ "hello world", -1, 64, "hello world" },
	{ " !~", -1, 64, " !~" },
	{ "a\\b", -1, 64, "a\\x5cb" },
	{ "\\", -1, 64, "\\x5c" },
	{ "line\n", -1, 64, "line\\x0a" },
	{ "\r\t", -1, 64, "\\x0d\\x09" },
	{ "\x1b[2J", -1, 64, "\\x1b[2J" },
	{ "\x7f", -1, 64, "\\x7f" },
	{ "\x80\xff", -1, 64, "\\x80\\xff" },
	{ "caf\xc3\xa9", -1, 64, "caf\\xc3\\xa9" },
	{ "a\0b", 3, 64, "a\\x00b" },
	{ "abc", 2, 64, "ab" },
	{ "", 0, 64, "" },
	{ "abc", 0, 64, "" },
	/* truncation: a character only if it fits with the NUL */
	{ "abcdef", -1, 4, "abc" },
	{ "abc", -1, 4, "abc" },
	{ "abcd", -1, 4, "abc" },
	{ "abc", -1, 1, "" },
	{ "\n", -1, 1, "" },
	/* an escape is never cut in half */
	{ "\n", -1, 4, "" },
	{ "\n", -1, 5, "\\x0a" },
	{ "ab\n", -1, 6, "ab" },
	{ "ab\n", -1, 7, "ab\\x0a" },
	{ "ab\ncd", -1, 8, "ab\\x0ac" },
	{ "\\\\", -1, 8, "\\x5c" },
	{ "\\\\", -1, 9, "\\x5c\\x5c" },
};

START_TEST(test_sbx_escape_table)
{
	const struct escape_row *row = &escape_rows[_i];
	size_t srclen = row->srclen < 0 ? strlen(row->src) :
					  (size_t)row->srclen;
	char buf[80];

	memset(buf, 'Z', sizeof(buf));
	ck_assert_ptr_eq(sbx_escape(buf, row->dstlen, row->src, srclen), buf);
	ck_assert_msg(strcmp(buf, row->want) == 0,
		      "row %d: got \"%s\", want \"%s\"", _i, buf, row->want);
	/* nothing written past dstlen */
	for (size_t k = row->dstlen; k < sizeof(buf); k++)
		ck_assert_msg(buf[k] == 'Z', "row %d: byte %zu written", _i, k);
}
END_TEST

START_TEST(test_sbx_escape_dstlen_0)
{
	char buf[4] = { 'Z', 'Z', 'Z', 'Z' };

	ck_assert_ptr_eq(sbx_escape(buf, 0, "abc", 3), buf);
	ck_assert_int_eq(buf[0], 'Z');
	ck_assert_int_eq(buf[1], 'Z');
}
END_TEST

START_TEST(test_sbx_escape_every_byte)
{
	/* Each byte alone: printable ASCII but backslash kept, the rest
	 * \xNN in lower-case hex. */
	char buf[8], want[8];

	for (int c = 0; c < 256; c++) {
		char s = (char)c;

		if (c >= 0x20 && c < 0x7f && c != '\\')
			snprintf(want, sizeof(want), "%c", c);
		else
			snprintf(want, sizeof(want), "\\x%02x", c);
		sbx_escape(buf, sizeof(buf), &s, 1);
		ck_assert_msg(strcmp(buf, want) == 0, "byte %#x: got \"%s\"", c,
			      buf);
	}
}
END_TEST

/* sbx_strv_add / sbx_strv_has / sbx_strv_clear */

START_TEST(test_sbx_strv_add_copies)
{
	struct sbx_error err = { 0, "" };
	struct sbx_strv sv = { NULL, 0 };
	char name[] = "SMTP*";

	ck_assert_int_eq(sbx_strv_add(&sv, name, &err), 0);
	ck_assert_int_eq(sbx_strv_add(&sv, "TCP*", &err), 0);
	ck_assert_int_eq(sbx_strv_add(&sv, "", &err), 0);
	ck_assert_uint_eq(sv.n, 3);
	ck_assert_ptr_nonnull(sv.v);
	ck_assert_ptr_ne(sv.v[0], name);
	name[0] = 'X';
	ck_assert_str_eq(sv.v[0], "SMTP*");
	ck_assert_str_eq(sv.v[1], "TCP*");
	ck_assert_str_eq(sv.v[2], "");
	/* NULL-terminated, so it can be handed out as an argv/envp */
	ck_assert_ptr_null(sv.v[3]);
	sbx_strv_clear(&sv);
}
END_TEST

START_TEST(test_sbx_strv_add_many)
{
	struct sbx_error err = { 0, "" };
	struct sbx_strv sv = { NULL, 0 };
	char s[16];

	for (int i = 0; i < 1000; i++) {
		snprintf(s, sizeof(s), "n%d", i);
		ck_assert_int_eq(sbx_strv_add(&sv, s, &err), 0);
	}
	ck_assert_uint_eq(sv.n, 1000);
	ck_assert_str_eq(sv.v[0], "n0");
	ck_assert_str_eq(sv.v[999], "n999");
	ck_assert_ptr_null(sv.v[1000]);
	sbx_strv_clear(&sv);
}
END_TEST

START_TEST(test_sbx_strv_add_too_many)
{
	/* The cap is checked before the list is touched, so a fake full
	 * list needs no 65536 allocations. */
	struct sbx_error err = { 0, "" };
	struct sbx_strv sv = { NULL, 65536 };

	ck_assert_int_eq(sbx_strv_add(&sv, "x", &err), -1);
	ck_assert_int_eq(err.code, E2BIG);
	ck_assert_str_eq(err.msg, "list: too many entries");
	ck_assert_uint_eq(sv.n, 65536);
	ck_assert_ptr_null(sv.v);
}
END_TEST

START_TEST(test_sbx_strv_has_table)
{
	struct sbx_error err = { 0, "" };
	struct sbx_strv sv = { NULL, 0 };
	struct sbx_strv empty = { NULL, 0 };

	ck_assert_int_eq(sbx_strv_has(&empty, "read"), 0);
	ck_assert_int_eq(sbx_strv_has(&empty, ""), 0);
	ck_assert_int_eq(sbx_strv_add(&sv, "read", &err), 0);
	ck_assert_int_eq(sbx_strv_add(&sv, "write", &err), 0);
	ck_assert_int_eq(sbx_strv_has(&sv, "read"), 1);
	ck_assert_int_eq(sbx_strv_has(&sv, "write"), 1);
	/* exact, case-sensitive, no prefix matching */
	ck_assert_int_eq(sbx_strv_has(&sv, "READ"), 0);
	ck_assert_int_eq(sbx_strv_has(&sv, "rea"), 0);
	ck_assert_int_eq(sbx_strv_has(&sv, "readv"), 0);
	ck_assert_int_eq(sbx_strv_has(&sv, ""), 0);
	sbx_strv_clear(&sv);
}
END_TEST

START_TEST(test_sbx_strv_clear_reuse)
{
	struct sbx_error err = { 0, "" };
	struct sbx_strv sv = { NULL, 0 };

	sbx_strv_clear(&sv); /* empty list: no-op */
	ck_assert_int_eq(sbx_strv_add(&sv, "a", &err), 0);
	sbx_strv_clear(&sv);
	ck_assert_ptr_null(sv.v);
	ck_assert_uint_eq(sv.n, 0);
	ck_assert_int_eq(sbx_strv_has(&sv, "a"), 0);
	sbx_strv_clear(&sv); /* twice */
	ck_assert_int_eq(sbx_strv_add(&sv, "b", &err), 0);
	ck_assert_uint_eq(sv.n, 1);
	ck_assert_str_eq(sv.v[0], "b");
	sbx_strv_clear(&sv);
}
END_TEST

/* sbx_policy_default: the values spp-run(8) documents under THE DEFAULT
 * POLICY. */

/* The groups spp-run(8) names for the default allowlist, in order. */
static const char *const default_groups[] = {
	"basic-io", "memory",  "file",	 "process", "signal",
	"time",	    "network", "random", NULL,
};

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

/* sbx_result_failed */

struct failed_row {
	int started, exited, exit_code, term_signal;
	enum sbx_kill kill;
	int failed;
};

static const struct failed_row failed_rows[] = {
	/* not started: failed whatever else says */
	{ 0, 0, 0, 0, SBX_KILL_NONE, 1 },
	{ 0, 1, 0, 0, SBX_KILL_NONE, 1 },
	{ 0, 1, 120, 0, SBX_KILL_NONE, 1 },
	/* normal exits: only 120 is a failure for qmail-spp */
	{ 1, 1, 0, 0, SBX_KILL_NONE, 0 },
	{ 1, 1, 1, 0, SBX_KILL_NONE, 0 },
	{ 1, 1, 100, 0, SBX_KILL_NONE, 0 },
	{ 1, 1, 111, 0, SBX_KILL_NONE, 0 },
	{ 1, 1, 119, 0, SBX_KILL_NONE, 0 },
	{ 1, 1, 120, 0, SBX_KILL_NONE, 1 },
	{ 1, 1, 121, 0, SBX_KILL_NONE, 0 },
	{ 1, 1, 255, 0, SBX_KILL_NONE, 0 },
	/* ended by a signal (a crash) */
	{ 1, 0, 0, SIGSEGV, SBX_KILL_NONE, 1 },
	{ 1, 0, 0, SIGKILL, SBX_KILL_SIGNAL, 1 },
	/* killed by the sandbox, even when an exit status came in */
	{ 1, 0, 0, SIGKILL, SBX_KILL_TIMEOUT, 1 },
	{ 1, 1, 0, 0, SBX_KILL_TIMEOUT, 1 },
	{ 1, 1, 0, 0, SBX_KILL_CPU, 1 },
	{ 1, 1, 0, 0, SBX_KILL_MEMORY, 1 },
	{ 1, 1, 0, 0, SBX_KILL_OUTPUT, 1 },
	{ 1, 1, 0, 0, SBX_KILL_SIGNAL, 1 },
	{ 1, 1, 0, 0, SBX_KILL_SYSCALL, 1 },
	{ 0, 0, 0, 0, SBX_KILL_SYSCALL, 1 },
};

START_TEST(test_sbx_result_failed_table)
{
	const struct failed_row *row = &failed_rows[_i];
	struct sbx_result r;

	memset(&r, 0, sizeof(r));
	r.started = row->started;
	r.exited = row->exited;
	r.exit_code = row->exit_code;
	r.term_signal = row->term_signal;
	r.kill = row->kill;
	r.syscall_nr = -1;
	ck_assert_msg(sbx_result_failed(&r, NULL) == row->failed,
		      "row %d: started %d exited %d code %d signal %d kill %d",
		      _i, row->started, row->exited, row->exit_code,
		      row->term_signal, (int)row->kill);
}
END_TEST

/* sbx_result_killed */

struct killed_row {
	enum sbx_kill kill;
	int term_signal;
	const char *want;
};

static const struct killed_row killed_rows[] = {
	{ SBX_KILL_NONE, 0, "" },
	{ SBX_KILL_NONE, SIGKILL, "" },
	{ SBX_KILL_TIMEOUT, SIGKILL, "timeout" },
	{ SBX_KILL_CPU, SIGXCPU, "cpu" },
	{ SBX_KILL_MEMORY, 0, "memory" },
	{ SBX_KILL_OUTPUT, SIGKILL, "output" },
	{ SBX_KILL_SIGNAL, SIGSEGV, "signal 11" },
	{ SBX_KILL_SIGNAL, SIGKILL, "signal 9" },
};

START_TEST(test_sbx_result_killed_table)
{
	const struct killed_row *row = &killed_rows[_i];
	struct sbx_result r;
	char buf[64];

	memset(&r, 0, sizeof(r));
	r.started = 1;
	r.kill = row->kill;
	r.term_signal = row->term_signal;
	r.syscall_nr = -1;
	memset(buf, 'Z', sizeof(buf));
	sbx_result_killed(&r, buf, sizeof(buf));
	ck_assert_str_eq(buf, row->want);
}
END_TEST

/* Format a SYSCALL kill into buf. */
static void killed_syscall(uint32_t arch, int nr, char *buf, size_t len)
{
	struct sbx_result r;

	memset(&r, 0, sizeof(r));
	r.started = 1;
	r.kill = SBX_KILL_SYSCALL;
	r.term_signal = SIGKILL;
	r.syscall_arch = arch;
	r.syscall_nr = nr;
	sbx_result_killed(&r, buf, len);
}

START_TEST(test_sbx_result_killed_syscall_native)
{
	static const char *const names[] = { "ptrace", "mount",	 "bpf", "read",
					     "reboot", "clone3", NULL };
	char buf[64], want[64];

	for (size_t i = 0; names[i]; i++) {
		int nr = seccomp_syscall_resolve_name(names[i]);

		if (nr < 0)
			continue; /* not on this architecture */
		killed_syscall(seccomp_arch_native(), nr, buf, sizeof(buf));
		snprintf(want, sizeof(want), "syscall %s", names[i]);
		ck_assert_str_eq(buf, want);
	}
}
END_TEST

START_TEST(test_sbx_result_killed_syscall_i386)
{
	char buf[64];

	if (seccomp_arch_native() == SCMP_ARCH_X86)
		return; /* i386 is the native form there */
	/* ptrace is 26 on i386: reported by number, not by a native name */
	killed_syscall(SCMP_ARCH_X86, 26, buf, sizeof(buf));
	ck_assert_str_eq(buf, "syscall i386:26");
	killed_syscall(SCMP_ARCH_X86, 0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "syscall i386:0");
}
END_TEST

START_TEST(test_sbx_result_killed_syscall_unknown)
{
	uint32_t native = seccomp_arch_native();
	uint32_t other = native == SCMP_ARCH_AARCH64 ? SCMP_ARCH_X86_64 :
						       SCMP_ARCH_AARCH64;
	char buf[64], want[64];

	/* no name on the native arch: arch token and number */
	killed_syscall(native, 9999, buf, sizeof(buf));
	snprintf(want, sizeof(want), "syscall %#x:9999", native);
	ck_assert_str_eq(buf, want);
	killed_syscall(native, -1, buf, sizeof(buf));
	snprintf(want, sizeof(want), "syscall %#x:-1", native);
	ck_assert_str_eq(buf, want);
	/* x32 numbers (x86_64 with the x32 bit) are never looked up as
	 * native; they are named as x32 calls */
	killed_syscall(native, 0x40000000 | 1, buf, sizeof(buf));
	if (native == SCMP_ARCH_X86_64)
		snprintf(want, sizeof(want), "syscall x32:1");
	else
		snprintf(want, sizeof(want), "syscall %#x:%d", native,
			 0x40000000 | 1);
	ck_assert_str_eq(buf, want);
	/* another architecture's number is not named with native names */
	killed_syscall(other, 117, buf, sizeof(buf));
	snprintf(want, sizeof(want), "syscall %#x:117", other);
	ck_assert_str_eq(buf, want);
}
END_TEST

START_TEST(test_sbx_result_killed_truncates)
{
	struct sbx_result r;
	char buf[8];

	memset(&r, 0, sizeof(r));
	r.kill = SBX_KILL_TIMEOUT;
	memset(buf, 'Z', sizeof(buf));
	sbx_result_killed(&r, buf, 4);
	ck_assert_str_eq(buf, "tim");
	ck_assert_int_eq(buf[4], 'Z');
	r.kill = SBX_KILL_SYSCALL;
	r.syscall_arch = seccomp_arch_native();
	r.syscall_nr = seccomp_syscall_resolve_name("ptrace");
	sbx_result_killed(&r, buf, sizeof(buf));
	ck_assert_str_eq(buf, "syscall");
}
END_TEST

/* sbx_result_clear */

START_TEST(test_sbx_result_clear_frees)
{
	struct sbx_result r;

	memset(&r, 0, sizeof(r));
	r.started = 1;
	r.kill = SBX_KILL_OUTPUT;
	r.syscall_nr = 3;
	r.out = strdup("N\n");
	r.out_len = 2;
	r.err = strdup("oops\n");
	r.err_len = 5;
	snprintf(r.setup_error, sizeof(r.setup_error), "x");
	sbx_result_clear(&r);
	ck_assert_ptr_null(r.out);
	ck_assert_ptr_null(r.err);
	ck_assert_uint_eq(r.out_len, 0);
	ck_assert_int_eq(r.started, 0);
	ck_assert_int_eq(r.kill, SBX_KILL_NONE);
	ck_assert_int_eq(r.syscall_nr, -1);
	ck_assert_str_eq(r.setup_error, "");
	sbx_result_clear(&r); /* twice */
}
END_TEST

/* sbx_syscall_group */

/* Names libseccomp versions that configure accepts (>= 2.5.0) may not know
 * yet; sbx_jail_new() skips unknown names, so on such a system the call is
 * simply not allowed. None of them is unknown with libseccomp 2.5.4. */
static const char *const may_be_unknown[] = {
	"close_range",	 "epoll_pwait2", "faccessat2",
	"openat2",	 "pidfd_getfd",	 "process_madvise",
	"mount_setattr", "memfd_secret", NULL,
};

static int in_list(const char *const *l, const char *name)
{
	for (size_t i = 0; l[i]; i++)
		if (strcmp(l[i], name) == 0)
			return 1;
	return 0;
}

static int ngroups(void)
{
	int n = 0;

	while (sbx_syscall_groups[n])
		n++;
	return n;
}

START_TEST(test_sbx_syscall_group_every_group)
{
	const char *g = sbx_syscall_groups[_i];
	const char *const *l;

	ck_assert_ptr_nonnull(g);
	l = sbx_syscall_group(g);
	ck_assert_msg(l != NULL, "group %s does not resolve", g);
	ck_assert_msg(l[0] != NULL, "group %s is empty", g);
	for (size_t i = 0; l[i]; i++) {
		ck_assert_msg(l[i][0] != '\0', "%s: empty name", g);
		ck_assert_msg(!sbx_syscall_denied(l[i]),
			      "group %s holds always-denied %s", g, l[i]);
		ck_assert_msg(sbx_syscall_known(l[i]) ||
				      in_list(may_be_unknown, l[i]),
			      "group %s: libseccomp does not know %s", g, l[i]);
		for (size_t k = 0; k < i; k++)
			ck_assert_msg(strcmp(l[k], l[i]) != 0,
				      "group %s lists %s twice", g, l[i]);
	}
}
END_TEST

START_TEST(test_sbx_syscall_group_unknown)
{
	static const char *const bad[] = { "",	      "nosuch",	  "@file",
					   "Default", "basic_io", "file ",
					   "all",     "denied",	  NULL };

	for (size_t i = 0; bad[i]; i++)
		ck_assert_msg(sbx_syscall_group(bad[i]) == NULL,
			      "\"%s\" resolves", bad[i]);
}
END_TEST

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

START_TEST(test_sbx_syscall_group_list_terminated)
{
	ck_assert_int_eq(ngroups(), 10);
	ck_assert(in_list(sbx_syscall_groups, "default"));
	ck_assert(in_list(sbx_syscall_groups, "dns"));
}
END_TEST

/* sbx_syscall_known */

START_TEST(test_sbx_syscall_known_table)
{
	ck_assert_int_eq(sbx_syscall_known("read"), 1);
	ck_assert_int_eq(sbx_syscall_known("execve"), 1);
	ck_assert_int_eq(sbx_syscall_known("ptrace"), 1);
	ck_assert_int_eq(sbx_syscall_known("nosuch_call"), 0);
	ck_assert_int_eq(sbx_syscall_known(""), 0);
	ck_assert_int_eq(sbx_syscall_known("READ"), 0);
}
END_TEST

/* sbx_syscall_denied */

/* The list spp-run(8) documents under ALWAYS DENIED SYSTEM CALLS. */
static const char *const documented_denied[] = {
	"ptrace",
	"process_vm_readv",
	"process_vm_writev",
	"mount",
	"umount2",
	"pivot_root",
	"chroot",
	"unshare",
	"setns",
	"keyctl",
	"add_key",
	"request_key",
	"bpf",
	"perf_event_open",
	"userfaultfd",
	"io_uring_setup",
	"io_uring_enter",
	"io_uring_register",
	"kexec_load",
	"kexec_file_load",
	"init_module",
	"finit_module",
	"delete_module",
	"open_by_handle_at",
	"name_to_handle_at",
	"pidfd_getfd",
	"open_tree",
	"move_mount",
	"fsopen",
	"fsmount",
	"fspick",
	"fsconfig",
	"mount_setattr",
	"acct",
	"reboot",
	"swapon",
	"swapoff",
	"syslog",
	"iopl",
	"ioperm",
	"settimeofday",
	"clock_settime",
	"adjtimex",
	"clone3",
	NULL,
};

START_TEST(test_sbx_syscall_denied_documented)
{
	for (size_t i = 0; documented_denied[i]; i++)
		ck_assert_msg(sbx_syscall_denied(documented_denied[i]),
			      "%s not denied", documented_denied[i]);
}
END_TEST

START_TEST(test_sbx_syscall_denied_list)
{
	size_t n = 0;

	for (size_t i = 0; sbx_denied_syscalls[i]; i++, n++) {
		ck_assert_int_eq(sbx_syscall_denied(sbx_denied_syscalls[i]), 1);
		for (size_t k = 0; k < i; k++)
			ck_assert_str_ne(sbx_denied_syscalls[k],
					 sbx_denied_syscalls[i]);
	}
	ck_assert_uint_gt(n, 0);
}
END_TEST

START_TEST(test_sbx_syscall_denied_others)
{
	static const char *const ok[] = { "read",  "execve", "clone",
					  "",	   "PTRACE", "ptrace ",
					  "ptrac", "mount2", "socket",
					  NULL };

	for (size_t i = 0; ok[i]; i++)
		ck_assert_msg(!sbx_syscall_denied(ok[i]), "\"%s\" denied",
			      ok[i]);
}
END_TEST

/* sbx_filter_build: the program libseccomp compiles, run by a small
 * classic-BPF interpreter on hand-made seccomp_data. */

#define ALLOW SCMP_ACT_ALLOW
#define NOTIFY SCMP_ACT_NOTIFY
#define ERRNO(e) SCMP_ACT_ERRNO(e)

static uint32_t bpf_run(const struct sbx_bpf *b, const struct seccomp_data *d)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 };

	for (unsigned int pc = 0; pc < b->len; pc++) {
		const struct sock_filter *f = &b->insns[pc];
		uint32_t k = f->k, src;
		int cond;

		switch (BPF_CLASS(f->code)) {
		case BPF_LD:
			if (f->code == (BPF_LD | BPF_W | BPF_ABS)) {
				if (k % 4 || k + 4 > sizeof(*d))
					ck_abort_msg("BPF: load at %u", k);
				memcpy(&a, (const char *)d + k, 4);
			} else if (f->code == (BPF_LD | BPF_IMM)) {
				a = k;
			} else if (f->code == (BPF_LD | BPF_MEM)) {
				if (k >= BPF_MEMWORDS)
					ck_abort_msg("BPF: mem[%u]", k);
				a = mem[k];
			} else {
				ck_abort_msg("BPF: unsupported %#x", f->code);
			}
			break;
		case BPF_LDX:
			if (f->code == (BPF_LDX | BPF_IMM)) {
				x = k;
			} else if (f->code == (BPF_LDX | BPF_MEM)) {
				if (k >= BPF_MEMWORDS)
					ck_abort_msg("BPF: mem[%u]", k);
				x = mem[k];
			} else {
				ck_abort_msg("BPF: unsupported %#x", f->code);
			}
			break;
		case BPF_ST:
		case BPF_STX:
			if (k >= BPF_MEMWORDS)
				ck_abort_msg("BPF: mem[%u]", k);
			mem[k] = BPF_CLASS(f->code) == BPF_ST ? a : x;
			break;
		case BPF_ALU:
			src = BPF_SRC(f->code) == BPF_X ? x : k;
			switch (BPF_OP(f->code)) {
			case BPF_AND:
				a &= src;
				break;
			case BPF_OR:
				a |= src;
				break;
			case BPF_ADD:
				a += src;
				break;
			case BPF_SUB:
				a -= src;
				break;
			default:
				ck_abort_msg("BPF: unsupported %#x", f->code);
			}
			break;
		case BPF_JMP:
			if (BPF_OP(f->code) == BPF_JA) {
				pc += k;
				break;
			}
			src = BPF_SRC(f->code) == BPF_X ? x : k;
			switch (BPF_OP(f->code)) {
			case BPF_JEQ:
				cond = a == src;
				break;
			case BPF_JGT:
				cond = a > src;
				break;
			case BPF_JGE:
				cond = a >= src;
				break;
			case BPF_JSET:
				cond = (a & src) != 0;
				break;
			default:
				ck_abort_msg("BPF: unsupported %#x", f->code);
				return 0;
			}
			pc += cond ? f->jt : f->jf;
			break;
		case BPF_RET:
			return BPF_RVAL(f->code) == BPF_A ? a : k;
		case BPF_MISC:
			if (BPF_MISCOP(f->code) == BPF_TAX)
				x = a;
			else
				a = x;
			break;
		default:
			ck_abort_msg("BPF: unsupported %#x", f->code);
		}
	}
	ck_abort_msg("BPF: program ran off its end");
	return 0;
}

/* The filter's action for one call of the given arch. */
static uint32_t action_arch(const struct sbx_jail *j, uint32_t arch, int nr,
			    uint64_t a0, uint64_t a1)
{
	struct seccomp_data d;

	memset(&d, 0, sizeof(d));
	d.nr = nr;
	d.arch = arch;
	d.instruction_pointer = 0x1000;
	d.args[0] = a0;
	d.args[1] = a1;
	return bpf_run(&j->bpf, &d);
}

/* The filter's action for a native call by name (must exist here). */
static uint32_t action(const struct sbx_jail *j, const char *name, uint64_t a0,
		       uint64_t a1)
{
	int nr = seccomp_syscall_resolve_name(name);

	ck_assert_msg(nr >= 0, "%s: no such call here", name);
	return action_arch(j, seccomp_arch_native(), nr, a0, a1);
}

/* A policy with just these syscalls (NULL-terminated) and families. */
static void policy_with(struct sbx_policy *p, const char *const *names,
			enum sbx_sysdefault dflt, unsigned int families)
{
	struct sbx_error err = { 0, "" };

	memset(p, 0, sizeof(*p));
	p->sysdefault = dflt;
	p->families = families;
	p->files = 64; /* the hand-over descriptor's number */
	for (size_t i = 0; names && names[i]; i++)
		ck_assert_int_eq(sbx_strv_add(&p->syscalls, names[i], &err), 0);
}

static void compile(struct sbx_jail *j, const struct sbx_policy *p)
{
	struct sbx_error err = { 0, "" };

	memset(j, 0, sizeof(*j));
	j->pol = p;
	ck_assert_msg(sbx_filter_build(p, (unsigned int)p->files, &j->bpf,
				       &err) == 0,
		      "build: %s", err.msg);
	ck_assert_ptr_nonnull(j->bpf.insns);
	ck_assert_uint_gt(j->bpf.len, 0);
	ck_assert_uint_le(j->bpf.len, BPF_MAXINSNS);
}

static void compile_default(struct sbx_jail *j, struct sbx_policy *p)
{
	struct sbx_error err = { 0, "" };

	ck_assert_int_eq(sbx_policy_default(p, &err), 0);
	compile(j, p);
}

static void done(struct sbx_jail *j, struct sbx_policy *p)
{
	sbx_filter_free(j);
	ck_assert_ptr_null(j->bpf.insns);
	sbx_policy_clear(p);
}

START_TEST(test_sbx_filter_build_default_allows)
{
	struct sbx_policy p;
	struct sbx_jail j;

	compile_default(&j, &p);
	for (size_t i = 0; i < p.syscalls.n; i++) {
		const char *name = p.syscalls.v[i];
		/* zero arguments, but a family socket() may use */
		uint64_t a0 = strncmp(name, "socket", 6) ? 0 : AF_UNIX;

		if (seccomp_syscall_resolve_name(name) < 0)
			continue; /* not on this architecture */
		ck_assert_msg(action(&j, name, a0, 0) == ALLOW, "%s: %#x", name,
			      action(&j, name, a0, 0));
	}
	done(&j, &p);
}
END_TEST

START_TEST(test_sbx_filter_build_denied_never_allowed)
{
	/* Listing every always-denied call in a policy allows none of them,
	 * whatever the default action. */
	static const enum sbx_sysdefault modes[] = { SBX_SYS_KILL,
						     SBX_SYS_EPERM };

	for (size_t m = 0; m < 2; m++) {
		struct sbx_policy p;
		struct sbx_jail j;

		policy_with(&p, sbx_denied_syscalls, modes[m], SBX_AF_UNIX);
		compile(&j, &p);
		for (size_t i = 0; sbx_denied_syscalls[i]; i++) {
			const char *name = sbx_denied_syscalls[i];
			uint32_t want = strcmp(name, "clone3") ? NOTIFY :
								 ERRNO(ENOSYS);

			if (seccomp_syscall_resolve_name(name) < 0)
				continue;
			ck_assert_msg(action(&j, name, 0, 0) == want,
				      "mode %zu: %s: %#x", m, name,
				      action(&j, name, 0, 0));
		}
		done(&j, &p);
	}
}
END_TEST

START_TEST(test_sbx_filter_build_default_action)
{
	static const char *const only_read[] = { "read", NULL };
	struct sbx_policy p;
	struct sbx_jail j;

	policy_with(&p, only_read, SBX_SYS_KILL, 0);
	compile(&j, &p);
	ck_assert_uint_eq(action(&j, "read", 0, 0), ALLOW);
	ck_assert_uint_eq(action(&j, "write", 1, 0), NOTIFY);
	ck_assert_uint_eq(action(&j, "sethostname", 0, 0), NOTIFY);
	ck_assert_uint_eq(action(&j, "ptrace", 0, 0), NOTIFY);
	ck_assert_uint_eq(action(&j, "clone3", 0, 0), ERRNO(ENOSYS));
	ck_assert_uint_eq(action_arch(&j, seccomp_arch_native(), 4000, 0, 0),
			  NOTIFY);
	done(&j, &p);

	/* syscall-default eperm: other calls fail softly, denied ones still
	 * end the sandbox */
	policy_with(&p, only_read, SBX_SYS_EPERM, 0);
	compile(&j, &p);
	ck_assert_uint_eq(action(&j, "read", 0, 0), ALLOW);
	ck_assert_uint_eq(action(&j, "write", 1, 0), ERRNO(EPERM));
	ck_assert_uint_eq(action(&j, "sethostname", 0, 0), ERRNO(EPERM));
	ck_assert_uint_eq(action(&j, "ptrace", 0, 0), NOTIFY);
	ck_assert_uint_eq(action(&j, "mount", 0, 0), NOTIFY);
	ck_assert_uint_eq(action(&j, "clone3", 0, 0), ERRNO(ENOSYS));
	done(&j, &p);
}
END_TEST

START_TEST(test_sbx_filter_build_always_allowed)
{
	/* An empty allowlist still lets the child exec the plugin and any
	 * process exit. */
	struct sbx_policy p;
	struct sbx_jail j;

	policy_with(&p, NULL, SBX_SYS_KILL, 0);
	compile(&j, &p);
	ck_assert_uint_eq(action(&j, "execve", 0, 0), ALLOW);
	ck_assert_uint_eq(action(&j, "exit", 0, 0), ALLOW);
	ck_assert_uint_eq(action(&j, "exit_group", 0, 0), ALLOW);
	ck_assert_uint_eq(action(&j, "read", 0, 0), NOTIFY);
	ck_assert_uint_eq(action(&j, "execveat", 0, 0), NOTIFY);
	done(&j, &p);
}
END_TEST

START_TEST(test_sbx_filter_build_sendmsg_handoff)
{
	static const char *const with[] = { "sendmsg", NULL };
	struct sbx_policy p;
	struct sbx_jail j;

	/* not in the policy: only on the hand-over descriptor, numbered
	 * like the file limit, which the plugin can never hold */
	policy_with(&p, NULL, SBX_SYS_KILL, 0);
	compile(&j, &p);
	ck_assert_uint_eq(action(&j, "sendmsg", p.files, 0), ALLOW);
	ck_assert_uint_eq(action(&j, "sendmsg", 0, 0), NOTIFY);
	ck_assert_uint_eq(action(&j, "sendmsg", 3, 0), NOTIFY);
	ck_assert_uint_eq(action(&j, "sendto", p.files, 0), NOTIFY);
	done(&j, &p);

	policy_with(&p, with, SBX_SYS_KILL, 0);
	compile(&j, &p);
	ck_assert_uint_eq(action(&j, "sendmsg", 4, 0), ALLOW);
	ck_assert_uint_eq(action(&j, "sendmsg", p.files, 0), ALLOW);
	done(&j, &p);
}
END_TEST

START_TEST(test_sbx_filter_build_ioctl)
{
	struct sbx_policy p;
	struct sbx_jail j;
	const uint64_t hi = 1ull << 32;

	uint32_t native = seccomp_arch_native();
	int nr = seccomp_syscall_resolve_name("ioctl");

	compile_default(&j, &p);
	/* every 16-bit request (where TIOCSTI and TIOCLINUX differ) */
	for (uint32_t req = 0; req <= 0xffff; req++) {
		uint32_t want = req == TIOCSTI || req == TIOCLINUX ? NOTIFY :
								     ALLOW;

		/* ck_assert only on a mismatch: it is slow in a loop */
		if (action_arch(&j, native, nr, 0, req) != want)
			ck_abort_msg("ioctl %#x: %#x", req,
				     action_arch(&j, native, nr, 0, req));
	}
	/* each one-bit neighbour of the two refused requests */
	for (int b = 0; b < 32; b++) {
		uint32_t m = 1u << b;

		if ((TIOCSTI ^ m) != TIOCLINUX)
			ck_assert_uint_eq(action(&j, "ioctl", 0, TIOCSTI ^ m),
					  ALLOW);
		if ((TIOCLINUX ^ m) != TIOCSTI)
			ck_assert_uint_eq(action(&j, "ioctl", 0, TIOCLINUX ^ m),
					  ALLOW);
	}
	/* the kernel drops the upper 32 bits of the request */
	ck_assert_uint_eq(action(&j, "ioctl", 0, hi | TIOCSTI), NOTIFY);
	ck_assert_uint_eq(action(&j, "ioctl", 7, ~0ull << 32 | TIOCSTI),
			  NOTIFY);
	ck_assert_uint_eq(action(&j, "ioctl", 0, hi | TIOCLINUX), NOTIFY);
	ck_assert_uint_eq(action(&j, "ioctl", 0, TCGETS), ALLOW);
	ck_assert_uint_eq(action(&j, "ioctl", 0, FIONREAD), ALLOW);
	done(&j, &p);
}
END_TEST

START_TEST(test_sbx_filter_build_clone)
{
	static const struct {
		uint64_t flags;
		uint32_t want;
	} rows[] = {
		{ SIGCHLD, ALLOW },
		{ CLONE_VM | CLONE_VFORK | SIGCHLD, ALLOW },
		{ CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
			  CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS |
			  CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID,
		  ALLOW },
		{ CLONE_NEWNS | SIGCHLD, NOTIFY },
		{ CLONE_NEWUTS, NOTIFY },
		{ CLONE_NEWIPC, NOTIFY },
		{ CLONE_NEWUSER | SIGCHLD, NOTIFY },
		{ CLONE_NEWPID, NOTIFY },
		{ CLONE_NEWNET, NOTIFY },
		{ CLONE_NEWCGROUP, NOTIFY },
		{ CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID, NOTIFY },
	};
	struct sbx_policy p;
	struct sbx_jail j;

	compile_default(&j, &p);
	for (int i = 0; i < NROWS(rows); i++)
		ck_assert_msg(
			action(&j, "clone", rows[i].flags, 0) == rows[i].want,
			"clone %#llx: %#x", (unsigned long long)rows[i].flags,
			action(&j, "clone", rows[i].flags, 0));
	if (seccomp_syscall_resolve_name("fork") >= 0)
		ck_assert_uint_eq(action(&j, "fork", 0, 0), ALLOW);
	done(&j, &p);
}
END_TEST

START_TEST(test_sbx_filter_build_personality)
{
	static const struct {
		uint64_t persona;
		uint32_t want;
	} rows[] = {
		{ 0xffffffff, ALLOW }, /* query */
		{ PER_LINUX, ALLOW },
		{ 0xffffffffull | 1ull << 32, ALLOW }, /* read as uint */
		{ 1ull << 32, ALLOW },
		{ READ_IMPLIES_EXEC, NOTIFY },
		{ ADDR_NO_RANDOMIZE, NOTIFY },
		{ PER_LINUX32, NOTIFY },
		{ PER_LINUX | MMAP_PAGE_ZERO, NOTIFY },
		{ 0xfffffffe, NOTIFY },
	};
	struct sbx_policy p;
	struct sbx_jail j;

	compile_default(&j, &p);
	for (int i = 0; i < NROWS(rows); i++)
		ck_assert_msg(action(&j, "personality", rows[i].persona, 0) ==
				      rows[i].want,
			      "personality %#llx: %#x",
			      (unsigned long long)rows[i].persona,
			      action(&j, "personality", rows[i].persona, 0));
	done(&j, &p);
}
END_TEST

/* Allowed families pass; netlink and IPv6 (which resolvers probe) fail
 * softly when not allowed; any other family is an unlisted call. */
#define AF_DEFAULT (SBX_AF_UNIX | SBX_AF_INET | SBX_AF_INET6)
#define EAFNO ERRNO(EAFNOSUPPORT)

static const struct {
	unsigned int families;
	int af;
	uint32_t want; /* syscall-default kill */
	uint32_t want_eperm; /* syscall-default eperm */
} socket_rows[] = {
	{ AF_DEFAULT, AF_UNIX, ALLOW, ALLOW },
	{ AF_DEFAULT, AF_INET, ALLOW, ALLOW },
	{ AF_DEFAULT, AF_INET6, ALLOW, ALLOW },
	{ AF_DEFAULT, AF_NETLINK, EAFNO, EAFNO },
	{ AF_DEFAULT, AF_PACKET, NOTIFY, ERRNO(EPERM) },
	{ AF_DEFAULT, AF_UNSPEC, NOTIFY, ERRNO(EPERM) },
	{ AF_DEFAULT, AF_VSOCK, NOTIFY, ERRNO(EPERM) },
	{ AF_DEFAULT, AF_ALG, NOTIFY, ERRNO(EPERM) },
	{ AF_DEFAULT, AF_MAX + 100, NOTIFY, ERRNO(EPERM) },
	{ AF_DEFAULT | SBX_AF_NETLINK, AF_NETLINK, ALLOW, ALLOW },
	{ SBX_AF_NETLINK, AF_NETLINK, ALLOW, ALLOW },
	{ SBX_AF_NETLINK, AF_UNIX, NOTIFY, ERRNO(EPERM) },
	{ SBX_AF_NETLINK, AF_INET6, EAFNO, EAFNO },
	{ SBX_AF_UNIX, AF_UNIX, ALLOW, ALLOW },
	{ SBX_AF_UNIX, AF_INET, NOTIFY, ERRNO(EPERM) },
	{ SBX_AF_UNIX, AF_INET6, EAFNO, EAFNO },
	{ SBX_AF_UNIX, AF_NETLINK, EAFNO, EAFNO },
	{ SBX_AF_INET, AF_INET, ALLOW, ALLOW },
	{ SBX_AF_INET, AF_INET6, EAFNO, EAFNO },
	{ SBX_AF_INET6, AF_INET6, ALLOW, ALLOW },
	{ SBX_AF_INET6, AF_INET, NOTIFY, ERRNO(EPERM) },
	{ 0, AF_UNIX, NOTIFY, ERRNO(EPERM) },
	{ 0, AF_INET, NOTIFY, ERRNO(EPERM) },
	{ 0, AF_INET6, EAFNO, EAFNO },
	{ 0, AF_NETLINK, EAFNO, EAFNO },
};

START_TEST(test_sbx_filter_build_socket_families)
{
	static const char *const net[] = { "socket", "socketpair", NULL };
	const int i = _i;

	for (int m = 0; m < 2; m++) {
		uint32_t want = m ? socket_rows[i].want_eperm :
				    socket_rows[i].want;
		uint64_t af = (uint64_t)socket_rows[i].af;
		struct sbx_policy p;
		struct sbx_jail j;

		policy_with(&p, net, m ? SBX_SYS_EPERM : SBX_SYS_KILL,
			    socket_rows[i].families);
		compile(&j, &p);
		for (size_t k = 0; net[k]; k++)
			ck_assert_msg(action(&j, net[k], af, 0) == want,
				      "row %d mode %d: %s(%d): %#x", i, m,
				      net[k], socket_rows[i].af,
				      action(&j, net[k], af, 0));
		/* the kernel reads the family as an int */
		ck_assert_uint_eq(action(&j, "socket", 1ull << 32 | af, 0),
				  want);
		done(&j, &p);
	}
}
END_TEST

START_TEST(test_sbx_filter_build_other_abi)
{
	struct sbx_policy p;
	struct sbx_jail j;

	compile_default(&j, &p);
	if (seccomp_arch_native() != SCMP_ARCH_X86) {
		/* i386 through int 0x80: read (3), write (4), exit (1) */
		for (int nr = 0; nr < 460; nr++)
			if (action_arch(&j, AUDIT_ARCH_I386, nr, 0, 0) !=
			    NOTIFY)
				ck_abort_msg("i386 %d: %#x", nr,
					     action_arch(&j, AUDIT_ARCH_I386,
							 nr, 0, 0));
	}
	ck_assert_uint_eq(action_arch(&j,
				      AUDIT_ARCH_AARCH64 ==
						      seccomp_arch_native() ?
					      AUDIT_ARCH_X86_64 :
					      AUDIT_ARCH_AARCH64,
				      0, 0, 0),
			  NOTIFY);
#ifdef __x86_64__
	/* x32: native arch token, syscall number with bit 30 set */
	ck_assert_uint_eq(
		action_arch(&j, AUDIT_ARCH_X86_64,
			    0x40000000 | seccomp_syscall_resolve_name("read"),
			    0, 0),
		NOTIFY);
	ck_assert_uint_eq(
		action_arch(&j, AUDIT_ARCH_X86_64,
			    0x40000000 | seccomp_syscall_resolve_name("execve"),
			    0, 0),
		NOTIFY);
#endif
	done(&j, &p);
}
END_TEST

START_TEST(test_sbx_filter_build_skips_unknown)
{
	/* Unknown and always-denied names in a policy are skipped: the
	 * program is the same as without them. */
	static const char *const extra[] = { "nosuch_call", "",	   "ptrace",
					     "mount",	    "bpf", "READ",
					     NULL };
	struct sbx_error err = { 0, "" };
	struct sbx_policy p, q;
	struct sbx_jail j, k;

	compile_default(&j, &p);
	ck_assert_int_eq(sbx_policy_default(&q, &err), 0);
	for (size_t i = 0; extra[i]; i++)
		ck_assert_int_eq(sbx_strv_add(&q.syscalls, extra[i], &err), 0);
	compile(&k, &q);
	ck_assert_uint_eq(j.bpf.len, k.bpf.len);
	ck_assert_mem_eq(j.bpf.insns, k.bpf.insns,
			 j.bpf.len * sizeof(*j.bpf.insns));
	done(&k, &q);
	done(&j, &p);
}
END_TEST

/* sbx_filter_fingerprint */

/* Fingerprint of the default policy after fn changed it. */
static uint64_t fp_after(void (*fn)(struct sbx_policy *))
{
	struct sbx_error err = { 0, "" };
	struct sbx_policy p;
	uint64_t h;

	ck_assert_int_eq(sbx_policy_default(&p, &err), 0);
	if (fn)
		fn(&p);
	h = sbx_filter_fingerprint(&p);
	sbx_policy_clear(&p);
	return h;
}

/* Changes the filter does not depend on. */
static void ch_limits(struct sbx_policy *p)
{
	p->timeout_ms = 1;
	p->memory = 1;
	p->uid = 1;
	p->verdicts = SPP_CMD_N;
	p->fail = SBX_FAIL_REJECT;
}

static void ch_env(struct sbx_policy *p)
{
	ck_assert_int_eq(sbx_strv_add(&p->env_pass, "X", NULL), 0);
	ck_assert_int_eq(sbx_strv_add(&p->setvars, "Y", NULL), 0);
}

/* Changes it does depend on. */
static void ch_sysdefault(struct sbx_policy *p)
{
	p->sysdefault = SBX_SYS_EPERM;
}

/* the network guard changes which calls the filter lets through */
static void ch_net(struct sbx_policy *p)
{
	p->net = SBX_NET_HOST;
}

static void ch_families(struct sbx_policy *p)
{
	p->families |= SBX_AF_NETLINK;
}

static void ch_add(struct sbx_policy *p)
{
	ck_assert_int_eq(sbx_strv_add(&p->syscalls, "sethostname", NULL), 0);
}

static void ch_drop_last(struct sbx_policy *p)
{
	free(p->syscalls.v[--p->syscalls.n]);
	p->syscalls.v[p->syscalls.n] = NULL;
}

static void ch_rename(struct sbx_policy *p)
{
	/* same bytes, other boundaries: "read","write" -> "readw","rite" */
	char *a = strdup("readw"), *b = strdup("rite");

	ck_assert(strcmp(p->syscalls.v[0], "read") == 0);
	ck_assert(strcmp(p->syscalls.v[1], "write") == 0);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	free(p->syscalls.v[0]);
	free(p->syscalls.v[1]);
	p->syscalls.v[0] = a;
	p->syscalls.v[1] = b;
}

static void ch_swap(struct sbx_policy *p)
{
	char *t = p->syscalls.v[0];

	p->syscalls.v[0] = p->syscalls.v[1];
	p->syscalls.v[1] = t;
}

START_TEST(test_sbx_filter_fingerprint_same)
{
	uint64_t h = fp_after(NULL);

	ck_assert_uint_eq(fp_after(NULL), h);
	ck_assert_uint_eq(fp_after(ch_limits), h);
	ck_assert_uint_eq(fp_after(ch_env), h);
}
END_TEST

START_TEST(test_sbx_filter_fingerprint_differs)
{
	void (*const fns[])(struct sbx_policy *) = {
		ch_sysdefault, ch_net,	  ch_families, ch_add,
		ch_drop_last,  ch_rename, ch_swap,
	};
	uint64_t h = fp_after(NULL);

	for (int i = 0; i < NROWS(fns); i++)
		ck_assert_msg(fp_after(fns[i]) != h, "change %d unnoticed", i);
}
END_TEST

/* sbx_filter_compile */

/* Compile through the jail path and compare with a fresh build. */
static void compile_matches_build(const struct sbx_policy *p)
{
	struct sbx_error err = { 0, "" };
	struct sbx_bpf built = { NULL, 0 };
	struct sbx_jail j;

	memset(&j, 0, sizeof(j));
	j.pol = p;
	ck_assert_msg(sbx_filter_compile(&j, &err) == 0, "compile: %s",
		      err.msg);
	ck_assert_msg(sbx_filter_build(p, (unsigned int)p->files, &built,
				       &err) == 0,
		      "build: %s", err.msg);
	ck_assert_uint_eq(j.bpf.len, built.len);
	ck_assert_mem_eq(j.bpf.insns, built.insns,
			 built.len * sizeof(*built.insns));
	free(built.insns);
	sbx_filter_free(&j);
}

START_TEST(test_sbx_filter_compile_default)
{
	/* This test links the build-time copy (runner/default-filter.c):
	 * it must be the default policy's and match what libseccomp
	 * compiles now. */
	struct sbx_error err = { 0, "" };
	struct sbx_policy p;

	ck_assert_int_eq(sbx_policy_default(&p, &err), 0);
	ck_assert_ptr_nonnull(&sbx_default_filter);
	ck_assert_uint_eq(sbx_default_filter.fingerprint,
			  sbx_filter_fingerprint(&p));
	compile_matches_build(&p);
	sbx_policy_clear(&p);
}
END_TEST

START_TEST(test_sbx_filter_compile_other_policy)
{
	struct sbx_error err = { 0, "" };
	struct sbx_policy p;

	ck_assert_int_eq(sbx_policy_default(&p, &err), 0);
	p.sysdefault = SBX_SYS_EPERM;
	ck_assert_uint_ne(sbx_default_filter.fingerprint,
			  sbx_filter_fingerprint(&p));
	compile_matches_build(&p);
	p.sysdefault = SBX_SYS_KILL;
	p.families = SBX_AF_UNIX;
	compile_matches_build(&p);
	sbx_policy_clear(&p);
}
END_TEST

/* sbx_filter_free */

START_TEST(test_sbx_filter_free_twice)
{
	struct sbx_policy p;
	struct sbx_jail j;

	compile_default(&j, &p);
	sbx_filter_free(&j);
	done(&j, &p); /* frees again */
}
END_TEST

/* sbx_jail_new */

START_TEST(test_sbx_jail_new_default)
{
	struct sbx_error err = { 0, "" };
	struct sbx_policy p;
	struct sbx_jail *j;

	ck_assert_int_eq(sbx_policy_default(&p, &err), 0);
	j = sbx_jail_new(&p, &err);
	ck_assert_msg(j != NULL, "sbx_jail_new: %s", err.msg);
	ck_assert_ptr_eq(j->pol, &p);
	/* the filter is compiled at the first run, or loaded before it */
	ck_assert_ptr_null(j->bpf.insns);
	ck_assert_int_eq(sbx_filter_compile(j, &err), 0);
	ck_assert_ptr_nonnull(j->bpf.insns);
	ck_assert_uint_gt(j->bpf.len, 0);
	ck_assert_ptr_nonnull(j->nocaps);
	if (geteuid() == 0) {
		ck_assert_int_eq(j->privileged, 1);
		ck_assert_uint_eq(j->uid, 65534);
		ck_assert_uint_eq(j->gid, 65534);
	} else {
		ck_assert_int_eq(j->privileged, 0);
		ck_assert_uint_eq(j->uid, geteuid());
		ck_assert_uint_eq(j->gid, getegid());
	}
	sbx_jail_free(j);
	sbx_policy_clear(&p);
}
END_TEST

START_TEST(test_sbx_jail_new_unknown_syscall)
{
	struct sbx_error err = { 0, "" };
	struct sbx_policy p;
	struct sbx_jail *j;

	ck_assert_int_eq(sbx_policy_default(&p, &err), 0);
	ck_assert_int_eq(sbx_strv_add(&p.syscalls, "nosuch_call", &err), 0);
	ck_assert_int_eq(sbx_strv_add(&p.syscalls, "ptrace", &err), 0);
	j = sbx_jail_new(&p, &err);
	ck_assert_msg(j != NULL, "sbx_jail_new: %s", err.msg);
	sbx_jail_free(j);
	sbx_policy_clear(&p);
}
END_TEST

START_TEST(test_sbx_jail_new_eperm_default)
{
	struct sbx_error err = { 0, "" };
	struct sbx_policy p;
	struct sbx_jail *j;

	ck_assert_int_eq(sbx_policy_default(&p, &err), 0);
	p.sysdefault = SBX_SYS_EPERM;
	p.families |= SBX_AF_NETLINK;
	j = sbx_jail_new(&p, &err);
	ck_assert_msg(j != NULL, "sbx_jail_new: %s", err.msg);
	sbx_jail_free(j);
	sbx_policy_clear(&p);
}
END_TEST

START_TEST(test_sbx_jail_new_root_identity)
{
	/* The plugin never runs as root: refused when spp-run is root,
	 * ignored (the caller's own ids are used) otherwise. */
	static const struct {
		uid_t uid;
		gid_t gid;
	} rows[] = { { 0, 65534 }, { 65534, 0 }, { 0, 0 } };

	for (int i = 0; i < NROWS(rows); i++) {
		struct sbx_error err = { 0, "" };
		struct sbx_policy p;
		struct sbx_jail *j;

		ck_assert_int_eq(sbx_policy_default(&p, &err), 0);
		p.uid = rows[i].uid;
		p.gid = rows[i].gid;
		j = sbx_jail_new(&p, &err);
		if (geteuid() == 0) {
			ck_assert_msg(j == NULL, "uid %d gid %d accepted",
				      (int)p.uid, (int)p.gid);
			ck_assert_int_eq(err.code, EPERM);
			ck_assert_str_eq(err.msg,
					 "jail: refusing to run as root");
		} else {
			ck_assert_msg(j != NULL, "sbx_jail_new: %s", err.msg);
			ck_assert_uint_eq(j->uid, geteuid());
			ck_assert_uint_eq(j->gid, getegid());
		}
		sbx_jail_free(j);
		sbx_policy_clear(&p);
	}
}
END_TEST

START_TEST(test_sbx_jail_new_other_identity)
{
	struct sbx_error err = { 0, "" };
	struct sbx_policy p;
	struct sbx_jail *j;

	ck_assert_int_eq(sbx_policy_default(&p, &err), 0);
	p.uid = 1234;
	p.gid = 5678;
	j = sbx_jail_new(&p, &err);
	ck_assert_msg(j != NULL, "sbx_jail_new: %s", err.msg);
	if (geteuid() == 0) {
		ck_assert_uint_eq(j->uid, 1234);
		ck_assert_uint_eq(j->gid, 5678);
		ck_assert_uint_eq(j->host_uid, 1234);
		ck_assert_uint_eq(j->host_gid, 5678);
	}
	sbx_jail_free(j);
	sbx_policy_clear(&p);
}
END_TEST

/* sbx_jail_free */

START_TEST(test_sbx_jail_free_null)
{
	sbx_jail_free(NULL);
}
END_TEST

static Suite *runner_suite(void)
{
	Suite *s = suite_create("runner");
	TCase *tc;

	tc = tcase_create("sbx_fail");
	tcase_add_test(tc, test_sbx_fail_fills);
	tcase_add_test(tc, test_sbx_fail_null_err);
	tcase_add_test(tc, test_sbx_fail_truncates);
	suite_add_tcase(s, tc);

	tc = tcase_create("sbx_buf");
	tcase_add_test(tc, test_sbx_buf_grows_and_terminates);
	tcase_add_test(tc, test_sbx_buf_refuses_overflow);
	tcase_add_test(tc, test_sbx_exit_status);
	suite_add_tcase(s, tc);

	tc = tcase_create("sbx_escape");
	tcase_add_loop_test(tc, test_sbx_escape_table, 0, NROWS(escape_rows));
	tcase_add_test(tc, test_sbx_escape_dstlen_0);
	tcase_add_test(tc, test_sbx_escape_every_byte);
	suite_add_tcase(s, tc);

	tc = tcase_create("sbx_strv_add");
	tcase_add_test(tc, test_sbx_strv_add_copies);
	tcase_add_test(tc, test_sbx_strv_add_many);
	tcase_add_test(tc, test_sbx_strv_add_too_many);
	suite_add_tcase(s, tc);

	tc = tcase_create("sbx_strv_has");
	tcase_add_test(tc, test_sbx_strv_has_table);
	suite_add_tcase(s, tc);

	tc = tcase_create("sbx_strv_clear");
	tcase_add_test(tc, test_sbx_strv_clear_reuse);
	suite_add_tcase(s, tc);

	tc = tcase_create("sbx_policy_default");
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

	tc = tcase_create("sbx_result_failed");
	tcase_add_loop_test(tc, test_sbx_result_failed_table, 0,
			    NROWS(failed_rows));
	suite_add_tcase(s, tc);

	tc = tcase_create("sbx_result_killed");
	tcase_add_loop_test(tc, test_sbx_result_killed_table, 0,
			    NROWS(killed_rows));
	tcase_add_test(tc, test_sbx_result_killed_syscall_native);
	tcase_add_test(tc, test_sbx_result_killed_syscall_i386);
	tcase_add_test(tc, test_sbx_result_killed_syscall_unknown);
	tcase_add_test(tc, test_sbx_result_killed_truncates);
	suite_add_tcase(s, tc);

	tc = tcase_create("sbx_result_clear");
	tcase_add_test(tc, test_sbx_result_clear_frees);
	suite_add_tcase(s, tc);

	tc = tcase_create("sbx_syscall_group");
	tcase_add_loop_test(tc, test_sbx_syscall_group_every_group, 0,
			    ngroups());
	tcase_add_test(tc, test_sbx_syscall_group_unknown);
	tcase_add_test(tc, test_sbx_syscall_group_default_stable);
	tcase_add_test(tc, test_sbx_syscall_group_list_terminated);
	suite_add_tcase(s, tc);

	tc = tcase_create("sbx_syscall_known");
	tcase_add_test(tc, test_sbx_syscall_known_table);
	suite_add_tcase(s, tc);

	tc = tcase_create("sbx_syscall_denied");
	tcase_add_test(tc, test_sbx_syscall_denied_documented);
	tcase_add_test(tc, test_sbx_syscall_denied_list);
	tcase_add_test(tc, test_sbx_syscall_denied_others);
	suite_add_tcase(s, tc);

	/* compiling a filter takes a few ms, more under valgrind */
	tc = tcase_create("sbx_filter_build");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_sbx_filter_build_default_allows);
	tcase_add_test(tc, test_sbx_filter_build_denied_never_allowed);
	tcase_add_test(tc, test_sbx_filter_build_default_action);
	tcase_add_test(tc, test_sbx_filter_build_always_allowed);
	tcase_add_test(tc, test_sbx_filter_build_sendmsg_handoff);
	tcase_add_test(tc, test_sbx_filter_build_ioctl);
	tcase_add_test(tc, test_sbx_filter_build_clone);
	tcase_add_test(tc, test_sbx_filter_build_personality);
	tcase_add_loop_test(tc, test_sbx_filter_build_socket_families, 0,
			    NROWS(socket_rows));
	tcase_add_test(tc, test_sbx_filter_build_other_abi);
	tcase_add_test(tc, test_sbx_filter_build_skips_unknown);
	suite_add_tcase(s, tc);

	tc = tcase_create("sbx_filter_fingerprint");
	tcase_add_test(tc, test_sbx_filter_fingerprint_same);
	tcase_add_test(tc, test_sbx_filter_fingerprint_differs);
	suite_add_tcase(s, tc);

	tc = tcase_create("sbx_filter_compile");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_sbx_filter_compile_default);
	tcase_add_test(tc, test_sbx_filter_compile_other_policy);
	suite_add_tcase(s, tc);

	tc = tcase_create("sbx_filter_free");
	tcase_add_test(tc, test_sbx_filter_free_twice);
	suite_add_tcase(s, tc);

	tc = tcase_create("sbx_jail_new");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_sbx_jail_new_default);
	tcase_add_test(tc, test_sbx_jail_new_unknown_syscall);
	tcase_add_test(tc, test_sbx_jail_new_eperm_default);
	tcase_add_test(tc, test_sbx_jail_new_root_identity);
	tcase_add_test(tc, test_sbx_jail_new_other_identity);
	suite_add_tcase(s, tc);

	tc = tcase_create("sbx_jail_free");
	tcase_add_test(tc, test_sbx_jail_free_null);
	suite_add_tcase(s, tc);

	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(runner_suite());
	unsigned int api = seccomp_api_get();
	int failed;

	/* Valgrind does not implement seccomp(2): libseccomp's probe then
	 * finds no user notification and refuses SCMP_ACT_NOTIFY. These
	 * tests compile filters but never load one, so declare the kernel
	 * features instead (level 5: user notification). */
	if (api < 5) {
		printf("# libseccomp API level %u (no seccomp(2)?): "
		       "forcing level 5\n",
		       api);
		fflush(stdout);
		if (seccomp_api_set(5) != 0)
			printf("# seccomp_api_set(5) failed\n");
	}
	srunner_set_tap(sr, "-");
	srunner_run_all(sr, CK_SILENT);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
