/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of the sandbox library: errors, exit statuses, the buffer, the escaper and string lists (error.c, text.c, strv.c). */
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

static Suite *text_suite(void)
{
	Suite *s = suite_create("text");
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

	return s;
}

int main(void)
{
	return tap_run(text_suite());
}
