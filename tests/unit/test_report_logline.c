/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for spp-report's line parser (runner/spp-report/logline.c):
 * every report line form, every stamp, notes, bad and other lines; one
 * row per case. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logline.h"
#include "tap.h"

#define NROWS(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* 2025-01-02 00:00:00 UTC: the "now" of stamps without a year */
#define NOW ((time_t)1735776000)

#define TAIL " exit 0 verdict E wall 3.1ms cpu 1.2ms"

/* One report line and what it says. Fields left out are not checked,
 * except kind. */
struct run_row {
	const char *line;
	const char *event;
	const char *program;
	long pid;
	enum rep_end end;
	int code;
	const char *syscall;
	const char *verdict;
	double wall;
	double cpu;
	long maxrss; /* 0: not checked */
	const char *cgroup;
	long smtpd; /* 0: not checked */
	const char *client;
};

static const struct run_row run_rows[] = {
	{ "spp: rcpt plugins/rbl pid 4711 exit 0 verdict E wall 3.1ms cpu "
	  "1.2ms maxrss 1.1M cgroup v2 smtpd 4700 client 192.0.2.7",
	  "rcpt", "plugins/rbl", 4711, REP_END_EXIT, 0, NULL, "E", 3.1, 1.2,
	  1126, "v2", 4700, "192.0.2.7" },
	{ "spp: - ./x pid 42 killed syscall ptrace verdict E wall 0.9ms cpu "
	  "0.3ms maxrss 812K cgroup v2 smtpd 41 client -",
	  "-", "./x", 42, REP_END_SYSCALL, 0, "ptrace", "E", 0.9, 0.3, 812,
	  "v2", 41, "-" },
	/* the first spp-run: no cgroup, smtpd, client */
	{ "spp: helo plugins/helo pid 7 exit 3 verdict - wall 12ms cpu 0.5ms "
	  "maxrss 900K",
	  "helo", "plugins/helo", 7, REP_END_EXIT, 3, NULL, "-", 12, 0.5, 900,
	  "", -1, "" },
	{ "spp: mail p pid 7 exit 0 verdict A wall 1.0ms cpu 0.5ms maxrss 2M "
	  "cgroup none",
	  "mail", "p", 7, REP_END_EXIT, 0, NULL, "A", 1, 0.5, 2048, "none", -1,
	  "" },
	{ "spp: mail p pid 7" TAIL, "mail", "p", 7, REP_END_EXIT, 0, NULL, "E",
	  3.1, 1.2, -1, "", -1, "" },
	{ "spp: data p pid 9 killed timeout verdict E wall 5000.2ms cpu 0.1ms",
	  "data", "p", 9, REP_END_TIMEOUT, 0, NULL, "E", 5000.2, 0.1, 0, NULL,
	  0, NULL },
	{ "spp: data p pid 9 killed cpu verdict E wall 1.0ms cpu 1000.0ms",
	  "data", "p", 9, REP_END_CPU, 0, NULL, "E", 1, 1000, 0, NULL, 0,
	  NULL },
	{ "spp: data p pid 9 killed memory verdict - wall 1.0ms cpu 1.0ms",
	  "data", "p", 9, REP_END_MEMORY, 0, NULL, "-", 1, 1, 0, NULL, 0,
	  NULL },
	{ "spp: data p pid 9 killed output verdict E wall 1.0ms cpu 1.0ms",
	  "data", "p", 9, REP_END_OUTPUT, 0, NULL, "E", 1, 1, 0, NULL, 0,
	  NULL },
	{ "spp: data p pid 9 killed signal 11 verdict E wall 1.0ms cpu 1.0ms",
	  "data", "p", 9, REP_END_SIGNAL, 11, NULL, "E", 1, 1, 0, NULL, 0,
	  NULL },
	{ "spp: data p pid 9 killed syscall i386:11 verdict E wall 1ms cpu 1ms",
	  "data", "p", 9, REP_END_SYSCALL, 0, "i386:11", "E", 1, 1, 0, NULL, 0,
	  NULL },
	{ "spp: data p pid 9 killed syscall x32:5 verdict LM wall 1ms cpu 1ms",
	  "data", "p", 9, REP_END_SYSCALL, 0, "x32:5", "LM", 1, 1, 0, NULL, 0,
	  NULL },
	/* could not start: pid 0, exit 120 */
	{ "spp: rcpt /nonexistent pid 0 exit 120 verdict E wall 0.0ms cpu "
	  "0.0ms maxrss 0K cgroup none smtpd 5 client -",
	  "rcpt", "/nonexistent", 0, REP_END_EXIT, 120, NULL, "E", 0, 0, 0,
	  "none", 5, "-" },
	/* a ':' line of smtpplugins: the whole command, " pid " and all */
	{ "spp: rcpt /usr/bin/plug -x pid 3 --y pid 12 exit 0 verdict A wall "
	  "1.0ms cpu 0.5ms",
	  "rcpt", "/usr/bin/plug -x pid 3 --y", 12, REP_END_EXIT, 0, NULL, "A",
	  1, 0.5, 0, NULL, 0, NULL },
	{ "spp: rcpt /p/a&b<c>\"d'\\x5c pid 12" TAIL, "rcpt",
	  "/p/a&b<c>\"d'\\x5c", 12, REP_END_EXIT, 0, NULL, "E", 3.1, 1.2, 0,
	  NULL, 0, NULL },
	{ "spp: rcpt p pid 12" TAIL " client 192.0.2.1 odd", "rcpt", "p", 12,
	  REP_END_EXIT, 0, NULL, "E", 3.1, 1.2, 0, NULL, 0, "192.0.2.1 odd" },
};

static void check_run(const struct run_row *r, const struct rep_line *l)
{
	ck_assert_int_eq(l->kind, REP_LINE_RUN);
	ck_assert_str_eq(l->event, r->event);
	ck_assert_str_eq(l->program, r->program);
	ck_assert_int_eq(l->pid, r->pid);
	ck_assert_int_eq(l->end, r->end);
	ck_assert_int_eq(l->code, r->code);
	if (r->syscall)
		ck_assert_str_eq(l->syscall, r->syscall);
	ck_assert_str_eq(l->verdict, r->verdict);
	ck_assert_double_eq_tol(l->wall_ms, r->wall, 1e-9);
	ck_assert_double_eq_tol(l->cpu_ms, r->cpu, 1e-9);
	if (r->maxrss)
		ck_assert_int_eq(l->maxrss_kb, r->maxrss);
	if (r->cgroup)
		ck_assert_str_eq(l->cgroup, r->cgroup);
	if (r->smtpd)
		ck_assert_int_eq(l->smtpd, r->smtpd);
	if (r->client)
		ck_assert_str_eq(l->client, r->client);
}

START_TEST(test_rep_line_parse_run)
{
	const struct run_row *r = &run_rows[_i];
	struct rep_line l;

	ck_assert_int_eq(rep_line_parse(r->line, strlen(r->line), NOW, &l),
			 REP_LINE_RUN);
	check_run(r, &l);
	ck_assert_int_eq(l.stamp, REP_STAMP_NONE);
	ck_assert_str_eq(l.when, "");
}
END_TEST

/* One stamp before the same report line. */
struct stamp_row {
	const char *prefix;
	enum rep_stamp stamp;
	double time;
	const char *when;
};

static const struct stamp_row stamp_rows[] = {
	/* multilog: TAI64N */
	{ "@4000000065d0a8e00b71b000 ", REP_STAMP_UTC, 1708173526.192,
	  "2024-02-17T12:38:46.192000Z" },
	/* tai64nlocal */
	{ "2024-12-02 07:13:00.123456789 ", REP_STAMP_LOCAL,
	  1733123580.123456789, "2024-12-02 07:13:00.123456789" },
	/* journalctl -o short: no year, the latest before now */
	{ "Dec 02 07:13:00 mx qmail-smtpd[812]: ", REP_STAMP_LOCAL, 1733123580,
	  "Dec 02 07:13:00" },
	{ "Jan 01 23:59:59 mx qmail-smtpd[812]: ", REP_STAMP_LOCAL, 1735775999,
	  "Jan 01 23:59:59" },
	/* a classic syslog file: day padded with a space, ident without pid */
	{ "Dec  2 07:13:00 mx smtpd: ", REP_STAMP_LOCAL, 1733123580,
	  "Dec  2 07:13:00" },
	/* short-precise */
	{ "Dec 02 07:13:00.250000 mx qmail-smtpd[812]: ", REP_STAMP_LOCAL,
	  1733123580.25, "Dec 02 07:13:00.250000" },
	/* short-iso, both offset spellings */
	{ "2024-12-02T08:13:00+0100 mx qmail-smtpd[812]: ", REP_STAMP_UTC,
	  1733123580, "2024-12-02T08:13:00+0100" },
	{ "2024-12-02T02:13:00-05:00 mx qmail-smtpd[812]: ", REP_STAMP_UTC,
	  1733123580, "2024-12-02T02:13:00-05:00" },
	/* short-iso-precise, RFC 3339 syslog */
	{ "2024-12-02T07:13:00.500000Z mx qmail-smtpd[812]: ", REP_STAMP_UTC,
	  1733123580.5, "2024-12-02T07:13:00.500000Z" },
	/* short-full */
	{ "Mon 2024-12-02 07:13:00 UTC mx qmail-smtpd[812]: ", REP_STAMP_UTC,
	  1733123580, "Mon 2024-12-02 07:13:00 UTC" },
	{ "Mon 2024-12-02 08:13:00 CET mx qmail-smtpd[812]: ", REP_STAMP_LOCAL,
	  1733127180, "Mon 2024-12-02 08:13:00 CET" },
	/* short-unix, short-monotonic */
	{ "1733123580.125000 mx qmail-smtpd[812]: ", REP_STAMP_UTC,
	  1733123580.125, "1733123580.125000" },
	{ "[ 1234.567890] mx qmail-smtpd[812]: ", REP_STAMP_MONOTONIC,
	  1234.56789, "[ 1234.567890]" },
};

START_TEST(test_rep_line_parse_stamp)
{
	const struct stamp_row *r = &stamp_rows[_i];
	char line[512];
	struct rep_line l;

	snprintf(line, sizeof(line), "%s%s", r->prefix, run_rows[0].line);
	ck_assert_int_eq(rep_line_parse(line, strlen(line), NOW, &l),
			 REP_LINE_RUN);
	check_run(&run_rows[0], &l);
	ck_assert_int_eq(l.stamp, r->stamp);
	ck_assert_double_eq_tol(l.time, r->time, 1e-6);
	ck_assert_str_eq(l.when, r->when);
}
END_TEST

/* Lines that are not report lines: notes, bad, other. */
struct kind_row {
	const char *what;
	const char *line;
	enum rep_kind kind;
	enum rep_note note;
	const char *program; /* notes */
	const char *why; /* bad */
};

static const struct kind_row kind_rows[] = {
	{ "cannot start note",
	  "spp-run: warning: /x y: cannot start: /x: No such file or directory",
	  REP_LINE_NOTE, REP_NOTE_CANNOT_START, "/x y", NULL },
	{ "dropped note under multilog",
	  "@4000000065d0a8e00b71b000 spp-run: warning: plugins/a: its "
	  "verdict was dropped: failing",
	  REP_LINE_NOTE, REP_NOTE_DROPPED, "plugins/a", NULL },
	{ "other warning",
	  "spp-run: warning: p: dropped verdict 'A': command A not allowed",
	  REP_LINE_NOTE, REP_NOTE_OTHER, "", NULL },
	{ "diagnosis", "spp-run: diagnose: p: environment: not passed: X",
	  REP_LINE_NOTE, REP_NOTE_OTHER, "", NULL },
	{ "cut short", "spp: rcpt x pid 1 exit 0 verdict E wall 3.1",
	  REP_LINE_BAD, 0, NULL, "bad wall time" },
	{ "garbage", "spp: garbage", REP_LINE_BAD, 0, NULL, "bad event" },
	{ "no pid", "spp: rcpt plugins/x exit 0", REP_LINE_BAD, 0, NULL,
	  "no pid field" },
	{ "unknown kill", "spp: rcpt p pid 1 killed bored verdict E",
	  REP_LINE_BAD, 0, NULL, "unknown kill reason" },
	{ "negative exit", "spp: rcpt p pid 1 exit -1 verdict E", REP_LINE_BAD,
	  0, NULL, "bad exit code" },
	{ "exit 256", "spp: rcpt p pid 1 exit 256 verdict E", REP_LINE_BAD, 0,
	  NULL, "bad exit code" },
	{ "no ms", "spp: rcpt p pid 1 exit 0 verdict E wall 3.1 cpu 1ms",
	  REP_LINE_BAD, 0, NULL, "bad wall time" },
	{ "exponent", "spp: rcpt p pid 1 exit 0 verdict E wall 1e3ms cpu 1ms",
	  REP_LINE_BAD, 0, NULL, "bad wall time" },
	{ "wall of 16 digits",
	  "spp: rcpt p pid 1 exit 0 verdict E wall 1234567890123456ms cpu 1ms",
	  REP_LINE_BAD, 0, NULL, "bad wall time" },
	{ "maxrss beyond a long",
	  "spp: rcpt p pid 1" TAIL " maxrss 999999999999999G", REP_LINE_BAD, 0,
	  NULL, "bad maxrss" },
	{ "pid beyond an int", "spp: rcpt p pid 2147483648" TAIL, REP_LINE_BAD,
	  0, NULL, "bad pid" },
	{ "short-full, a zone of odd bytes",
	  "Mon 2024-12-02 08:13:00 C<T mx q[1]: spp: rcpt p pid 1" TAIL,
	  REP_LINE_OTHER, 0, NULL, NULL },
	{ "lower-case verdict", "spp: rcpt p pid 1 exit 0 verdict e wall 1ms",
	  REP_LINE_BAD, 0, NULL, "bad verdict" },
	{ "text after cpu", "spp: rcpt p pid 1" TAIL " extra", REP_LINE_BAD, 0,
	  NULL, "unexpected text at the end" },
	{ "bad maxrss", "spp: rcpt p pid 1" TAIL " maxrss 12", REP_LINE_BAD, 0,
	  NULL, "bad maxrss" },
	{ "tab", "spp: rcpt p\tq pid 1" TAIL, REP_LINE_BAD, 0, NULL,
	  "not printable ASCII (spp-run escapes)" },
	{ "non-ASCII", "spp: rcpt p\xc3\xa9 pid 1" TAIL, REP_LINE_BAD, 0, NULL,
	  "not printable ASCII (spp-run escapes)" },
	{ "carriage return", "spp: rcpt p pid 1" TAIL "\r", REP_LINE_BAD, 0,
	  NULL, "not printable ASCII (spp-run escapes)" },
	{ "broken multilog stamp", "@40000000zzzz spp: rcpt p pid 1" TAIL,
	  REP_LINE_BAD, 0, NULL, "bad multilog stamp" },
	{ "journald, cut short", "Dec 02 07:13:00 mx smtpd[1]: spp: rcpt p",
	  REP_LINE_BAD, 0, NULL, "no pid field" },
	{ "empty", "", REP_LINE_OTHER, 0, NULL, NULL },
	{ "plain text", "tcpserver: status: 1/20", REP_LINE_OTHER, 0, NULL,
	  NULL },
	{ "multilog, other", "@4000000065d0a8e00b71b000 tcpserver: pid 1",
	  REP_LINE_OTHER, 0, NULL, NULL },
	/* a plugin's stderr as spp-run relays it, prefixed with its name */
	{ "relayed stderr", "plugins/x: spp: rcpt p pid 1" TAIL, REP_LINE_OTHER,
	  0, NULL, NULL },
	{ "journald, other program",
	  "Dec 02 07:13:00 mx kernel: spp: rcpt p pid 1" TAIL, REP_LINE_RUN, 0,
	  NULL, NULL },
	{ "journald boot marker", "-- Boot 0123456789abcdef --", REP_LINE_OTHER,
	  0, NULL, NULL },
	{ "spp without space", "spp:rcpt p pid 1" TAIL, REP_LINE_OTHER, 0, NULL,
	  NULL },
	{ "a bare number", "12345 spp: rcpt p pid 1" TAIL, REP_LINE_OTHER, 0,
	  NULL, NULL },
};

START_TEST(test_rep_line_parse_kind)
{
	const struct kind_row *r = &kind_rows[_i];
	struct rep_line l;

	ck_assert_msg(rep_line_parse(r->line, strlen(r->line), NOW, &l) ==
			      r->kind,
		      "%s: kind %d, want %d", r->what, l.kind, r->kind);
	if (r->kind == REP_LINE_NOTE) {
		ck_assert_int_eq(l.note, r->note);
		ck_assert_str_eq(l.program, r->program);
	}
	if (r->why)
		ck_assert_str_eq(l.why, r->why);
}
END_TEST

START_TEST(test_rep_line_parse_nul)
{
	static const char line[] = "spp: rcpt p\0q pid 1" TAIL;
	struct rep_line l;

	ck_assert_int_eq(rep_line_parse(line, sizeof(line) - 1, NOW, &l),
			 REP_LINE_BAD);
	ck_assert_str_eq(l.why, "not printable ASCII (spp-run escapes)");
}
END_TEST

START_TEST(test_rep_line_parse_too_long)
{
	size_t n = REP_LINE_MAX + 100;
	char *line = malloc(n);
	struct rep_line l;
	int len;

	ck_assert_ptr_nonnull(line);
	/* a valid report line cut at REP_LINE_MAX is still bad */
	len = snprintf(line, n, "spp: rcpt p pid 1" TAIL " client ");
	memset(line + len, 'x', n - (size_t)len);
	ck_assert_int_eq(rep_line_parse(line, n, NOW, &l), REP_LINE_BAD);
	/* the client field is too long first */
	ck_assert_str_eq(l.why, "bad client");
	/* and a long line of other text is other */
	memset(line, 'y', n);
	ck_assert_int_eq(rep_line_parse(line, n, NOW, &l), REP_LINE_OTHER);
	free(line);
}
END_TEST

START_TEST(test_rep_line_cause_all)
{
	static const struct {
		const char *tail, *cause, *how;
	} rows[] = {
		{ "exit 0", "", "exit 0" },
		{ "exit 3", "exit 3", "exit 3" },
		{ "killed timeout", "timeout", "killed timeout" },
		{ "killed cpu", "cpu", "killed cpu" },
		{ "killed memory", "memory", "killed memory" },
		{ "killed output", "output", "killed output" },
		{ "killed signal 9", "signal 9", "killed signal 9" },
		{ "killed syscall ptrace", "syscall ptrace",
		  "killed syscall ptrace" },
	};
	char line[200], cause[80], how[80];
	struct rep_line l;

	for (int i = 0; i < NROWS(rows); i++) {
		snprintf(line, sizeof(line),
			 "spp: rcpt p pid 1 %s verdict E wall 1ms cpu 1ms",
			 rows[i].tail);
		ck_assert_int_eq(rep_line_parse(line, strlen(line), NOW, &l),
				 REP_LINE_RUN);
		ck_assert_str_eq(rep_line_cause(&l, cause, sizeof(cause)),
				 rows[i].cause);
		ck_assert_str_eq(rep_line_how(&l, how, sizeof(how)),
				 rows[i].how);
	}
}
END_TEST

START_TEST(test_rep_days_from_civil_known)
{
	ck_assert_int_eq(rep_days_from_civil(1970, 1, 1), 0);
	ck_assert_int_eq(rep_days_from_civil(1969, 12, 31), -1);
	ck_assert_int_eq(rep_days_from_civil(2000, 3, 1), 11017);
	ck_assert_int_eq(rep_days_from_civil(2024, 2, 29), 19782);
	ck_assert_int_eq(rep_days_from_civil(2100, 3, 1), 47541);
}
END_TEST

static Suite *logline_suite(void)
{
	Suite *s = suite_create("logline");
	TCase *tc;

	tc = tcase_create("rep_line_parse");
	tcase_add_loop_test(tc, test_rep_line_parse_run, 0, NROWS(run_rows));
	tcase_add_loop_test(tc, test_rep_line_parse_stamp, 0,
			    NROWS(stamp_rows));
	tcase_add_loop_test(tc, test_rep_line_parse_kind, 0, NROWS(kind_rows));
	tcase_add_test(tc, test_rep_line_parse_nul);
	tcase_add_test(tc, test_rep_line_parse_too_long);
	suite_add_tcase(s, tc);
	tc = tcase_create("rep_line_cause");
	tcase_add_test(tc, test_rep_line_cause_all);
	suite_add_tcase(s, tc);
	tc = tcase_create("rep_days_from_civil");
	tcase_add_test(tc, test_rep_days_from_civil_known);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tap_run(logline_suite());
}
