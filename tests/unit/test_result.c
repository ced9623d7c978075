/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of the sandbox library: how a run ended and when it failed (result.c). */
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

static Suite *result_suite(void)
{
	Suite *s = suite_create("result");
	TCase *tc;

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

	return s;
}

int main(void)
{
	return tap_run(result_suite());
}
