/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for spp-run's command line (runner/spp-run/cli.c): one row per
 * argument vector, with the parse it must give or the usage error. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "tap.h"

#define NROWS(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define MAXARGS 10

/* One sbx_cli_parse() case. args is NULL-terminated and starts after
 * argv[0]. On success: plugin is the index in argv of the program (0 for
 * none, as with --help), env the --env values in order. On failure: msg is
 * the exact error. */
struct cli_row {
	const char *args[MAXARGS];
	int ok;
	const char *policy;
	const char *event;
	const char *env[4];
	int plugin;
	int help;
	const char *msg;
};

#define OK(pol, ev, plug) 1, pol, ev, { NULL }, plug, 0, NULL
#define FAIL(m) 0, NULL, NULL, { NULL }, 0, 0, m
/* --help: no plugin; and --env values given before it */
#define HELP(pol) 1, pol, "-", { NULL }, 0, 1, NULL
#define ENVS(plug, help, ...) 1, NULL, "-", { __VA_ARGS__ }, plug, help, NULL

static const struct cli_row cli_rows[] = {
	/* the plugin alone, and its arguments kept as given */
	{ { "plugins/rbl", NULL }, OK(NULL, "-", 1) },
	{ { "./x", "a", "-b", "--policy", "p", "--", NULL }, OK(NULL, "-", 1) },
	{ { "/bin/true", "", NULL }, OK(NULL, "-", 1) },
	/* a lone "-" is an operand, as for getopt */
	{ { "-", NULL }, OK(NULL, "-", 1) },

	/* --policy in both forms */
	{ { "--policy", "rbl.policy", "plug", NULL },
	  OK("rbl.policy", "-", 3) },
	{ { "--policy=rbl.policy", "plug", NULL }, OK("rbl.policy", "-", 2) },
	{ { "--policy=a=b", "plug", NULL }, OK("a=b", "-", 2) },
	{ { "--policy", "--env", "plug", NULL }, OK("--env", "-", 3) },
	{ { "--policy", "a", "--policy", "b", "plug", NULL },
	  FAIL("--policy given twice") },
	{ { "--policy=a", "--policy=b", "plug", NULL },
	  FAIL("--policy given twice") },
	{ { "--policy", "a", "--policy=a", "plug", NULL },
	  FAIL("--policy given twice") },

	/* --event in both forms, and only the six qmail-spp events */
	{ { "--event", "rcpt", "plug", NULL }, OK(NULL, "rcpt", 3) },
	{ { "--event=helo", "plug", NULL }, OK(NULL, "helo", 2) },
	{ { "--event", "mail", "--event=data", "plug", NULL },
	  OK(NULL, "data", 4) },
	{ { "--event", "RCPT", "plug", NULL }, FAIL("unknown event 'RCPT'") },
	{ { "--event=quit", "plug", NULL }, FAIL("unknown event 'quit'") },
	{ { "--event=ehlo", "plug", NULL }, FAIL("unknown event 'ehlo'") },
	{ { "--event", "-", "plug", NULL }, FAIL("unknown event '-'") },
	{ { "--event=", "plug", NULL }, FAIL("unknown event ''") },
	{ { "--event", "rcpt ", "plug", NULL }, FAIL("unknown event 'rcpt '") },

	/* "--" ends the options */
	{ { "--", "-plugin", NULL }, OK(NULL, "-", 2) },
	{ { "--", "--help", NULL }, OK(NULL, "-", 2) },
	{ { "--", "--", NULL }, OK(NULL, "-", 2) },
	{ { "--policy", "p", "--", "--env", "x", NULL }, OK("p", "-", 4) },
	{ { "--", NULL }, FAIL("no plugin given") },
	{ { "--", "", NULL }, FAIL("no plugin given") },

	/* no plugin */
	{ { NULL }, FAIL("no plugin given") },
	{ { "", NULL }, FAIL("no plugin given") },
	{ { "--policy", "p", NULL }, FAIL("no plugin given") },
	{ { "--event=rcpt", NULL }, FAIL("no plugin given") },

	/* unknown options, and options missing their value */
	{ { "--foo", "plug", NULL }, FAIL("unknown option '--foo'") },
	{ { "-x", "plug", NULL }, FAIL("unknown option '-x'") },
	{ { "-p", "f", "plug", NULL }, FAIL("unknown option '-p'") },
	{ { "--policyfile", "f", "plug", NULL },
	  FAIL("unknown option '--policyfile'") },
	{ { "--envA=1", "plug", NULL }, FAIL("unknown option '--envA=1'") },
	{ { "---", "plug", NULL }, FAIL("unknown option '---'") },
	{ { "--POLICY", "f", "plug", NULL },
	  FAIL("unknown option '--POLICY'") },
	{ { "--policy", NULL }, FAIL("--policy needs a file") },
	{ { "--env", NULL }, FAIL("--env wants NAME=VALUE, not ''") },
	{ { "--event", NULL }, FAIL("unknown event ''") },

	/* --help, whatever follows; errors before it still count */
	{ { "--help", NULL }, HELP(NULL) },
	{ { "-h", NULL }, HELP(NULL) },
	{ { "--help", "--bogus", NULL }, HELP(NULL) },
	{ { "--policy", "p", "--help", "plug", NULL }, HELP("p") },
	{ { "--env", "A=1", "-h", NULL }, ENVS(0, 1, "A=1") },
	{ { "--bogus", "--help", NULL }, FAIL("unknown option '--bogus'") },
	{ { "plug", "--help", NULL }, OK(NULL, "-", 1) },
	{ { "--help=x", "plug", NULL }, FAIL("unknown option '--help=x'") },

	/* --env in both forms, kept in order, values taken verbatim */
	{ { "--env", "A=1", "--env=B_2=x=y", "--env", "c=", "plug", NULL },
	  ENVS(6, 0, "A=1", "B_2=x=y", "c=") },
	{ { "--env=_X9=a b\tc", "plug", NULL }, ENVS(2, 0, "_X9=a b\tc") },
	{ { "--env", "A=1", "--env", "A=2", "plug", NULL },
	  ENVS(5, 0, "A=1", "A=2") },
	{ { "--env", "A", "plug", NULL },
	  FAIL("--env wants NAME=VALUE, not 'A'") },
	{ { "--env=A", "plug", NULL },
	  FAIL("--env wants NAME=VALUE, not 'A'") },
	{ { "--env", "=x", "plug", NULL },
	  FAIL("--env wants NAME=VALUE, not '=x'") },
	{ { "--env=", "plug", NULL }, FAIL("--env wants NAME=VALUE, not ''") },
	{ { "--env", "1A=x", "plug", NULL },
	  FAIL("--env wants NAME=VALUE, not '1A=x'") },
	{ { "--env", "A-B=x", "plug", NULL },
	  FAIL("--env wants NAME=VALUE, not 'A-B=x'") },
	{ { "--env", "A B=x", "plug", NULL },
	  FAIL("--env wants NAME=VALUE, not 'A B=x'") },
	{ { "--env", "A.B=x", "plug", NULL },
	  FAIL("--env wants NAME=VALUE, not 'A.B=x'") },
	{ { "--env", "caf\xc3\xa9=x", "plug", NULL },
	  FAIL("--env wants NAME=VALUE, not 'caf\\xc3\\xa9=x'") },
	{ { "--env", "A=1", "--env", "B", "plug", NULL },
	  FAIL("--env wants NAME=VALUE, not 'B'") },

	/* --shell: exactly one command line */
	{ { "--shell", "plugins/x 'a b'", NULL }, OK(NULL, "-", 2) },
	{ { "--shell", "--", "plugins/x", NULL }, OK(NULL, "-", 3) },
	{ { "--shell", "plugins/x", "a", NULL },
	  FAIL("--shell takes one command line") },
	{ { "--shell", NULL }, FAIL("no plugin given") },
};

/* argv[] for a row: "spp-run", the row's args, NULL; each string copied so
 * the test sees what sbx_cli_parse() borrows. */
static int make_argv(const struct cli_row *row, char **argv)
{
	int argc = 0;

	argv[argc++] = strdup("spp-run");
	for (int i = 0; row->args[i]; i++)
		argv[argc++] = strdup(row->args[i]);
	argv[argc] = NULL;
	for (int i = 0; i < argc; i++)
		ck_assert_ptr_nonnull(argv[i]);
	return argc;
}

static void free_argv(char **argv)
{
	for (int i = 0; argv[i]; i++)
		free(argv[i]);
}

START_TEST(test_sbx_cli_parse_table)
{
	const struct cli_row *row = &cli_rows[_i];
	struct sbx_error err = { 0, "" };
	char *argv[MAXARGS + 2];
	struct sbx_cli c;
	int argc = make_argv(row, argv);
	int rc, n;

	memset(&c, 0xa5, sizeof(c));
	rc = sbx_cli_parse(&c, argc, argv, &err);
	if (!row->ok) {
		ck_assert_msg(rc == -1, "row %d accepted", _i);
		ck_assert_int_eq(err.code, EINVAL);
		ck_assert_str_eq(err.msg, row->msg);
		/* nothing left to free */
		ck_assert_ptr_null(c.env.v);
		ck_assert_uint_eq(c.env.n, 0);
		goto out;
	}
	ck_assert_msg(rc == 0, "row %d: %s", _i, err.msg);
	ck_assert_int_eq(c.help, row->help);
	if (row->policy) {
		ck_assert_ptr_nonnull(c.policy);
		ck_assert_str_eq(c.policy, row->policy);
	} else {
		ck_assert_ptr_null(c.policy);
	}
	ck_assert_str_eq(c.event, row->event);
	for (n = 0; row->env[n]; n++) {
		ck_assert_uint_gt(c.env.n, (size_t)n);
		ck_assert_str_eq(c.env.v[n], row->env[n]);
	}
	ck_assert_uint_eq(c.env.n, (size_t)n);
	if (row->plugin) {
		/* borrowed: the program and its arguments, in place */
		ck_assert_ptr_eq(c.argv, argv + row->plugin);
		ck_assert_ptr_null(c.argv[argc - row->plugin]);
	} else {
		ck_assert_ptr_null(c.argv);
	}
out:
	sbx_cli_clear(&c);
	free_argv(argv);
}
END_TEST

START_TEST(test_sbx_cli_parse_each_event)
{
	static const char *const events[] = { "connection", "helo", "mail",
					      "rcpt",	    "data", "auth",
					      "pass" };

	for (int i = 0; i < NROWS(events); i++) {
		struct sbx_error err = { 0, "" };
		char ev[32], opt[48], prog[] = "plug", self[] = "spp-run",
				      dashes[] = "--event";
		char *argv1[] = { self, dashes, ev, prog, NULL };
		char *argv2[] = { self, opt, prog, NULL };
		struct sbx_cli c;

		snprintf(ev, sizeof(ev), "%s", events[i]);
		snprintf(opt, sizeof(opt), "--event=%s", events[i]);
		ck_assert_int_eq(sbx_cli_parse(&c, 4, argv1, &err), 0);
		ck_assert_str_eq(c.event, events[i]);
		ck_assert_ptr_eq(c.argv, argv1 + 3);
		sbx_cli_clear(&c);
		ck_assert_int_eq(sbx_cli_parse(&c, 3, argv2, &err), 0);
		ck_assert_str_eq(c.event, events[i]);
		ck_assert_ptr_eq(c.argv, argv2 + 2);
		sbx_cli_clear(&c);
	}
}
END_TEST

START_TEST(test_sbx_cli_parse_borrows)
{
	/* --policy and --event point into argv; --env values are copies */
	struct sbx_error err = { 0, "" };
	char self[] = "spp-run", o1[] = "--policy=p.policy", o2[] = "--env",
	     v2[] = "A=1", o3[] = "--event", v3[] = "rcpt", prog[] = "plug";
	char *argv[] = { self, o1, o2, v2, o3, v3, prog, NULL };
	struct sbx_cli c;

	ck_assert_int_eq(sbx_cli_parse(&c, 7, argv, &err), 0);
	ck_assert_ptr_eq(c.policy, o1 + strlen("--policy="));
	ck_assert_ptr_eq(c.event, v3);
	ck_assert_ptr_ne(c.env.v[0], v2);
	v2[0] = 'B';
	ck_assert_str_eq(c.env.v[0], "A=1");
	sbx_cli_clear(&c);
}
END_TEST

START_TEST(test_sbx_cli_parse_argc)
{
	/* argc bounds the parse, not the NULL at the end of argv */
	struct sbx_error err = { 0, "" };
	char self[] = "spp-run", o[] = "--policy", v[] = "p", prog[] = "plug";
	char *argv[] = { self, o, v, prog, NULL };
	struct sbx_cli c;

	ck_assert_int_eq(sbx_cli_parse(&c, 3, argv, &err), -1);
	ck_assert_str_eq(err.msg, "no plugin given");
	ck_assert_int_eq(sbx_cli_parse(&c, 2, argv, &err), -1);
	ck_assert_str_eq(err.msg, "--policy needs a file");
	ck_assert_int_eq(sbx_cli_parse(&c, 1, argv, &err), -1);
	ck_assert_str_eq(err.msg, "no plugin given");
	ck_assert_int_eq(sbx_cli_parse(&c, 4, argv, &err), 0);
	ck_assert_ptr_eq(c.argv, argv + 3);
	sbx_cli_clear(&c);
}
END_TEST

START_TEST(test_sbx_cli_parse_long_value)
{
	/* error messages quote at most 64 bytes of the offending value */
	struct sbx_error err = { 0, "" };
	char self[] = "spp-run", opt[] = "--env", val[300], prog[] = "plug";
	char *argv[] = { self, opt, val, prog, NULL };
	char want[128];
	struct sbx_cli c;

	memset(val, 'A', sizeof(val) - 1);
	val[sizeof(val) - 1] = '\0';
	ck_assert_int_eq(sbx_cli_parse(&c, 4, argv, &err), -1);
	snprintf(want, sizeof(want), "--env wants NAME=VALUE, not '%.64s'",
		 val);
	ck_assert_str_eq(err.msg, want);
	ck_assert_uint_lt(strlen(err.msg), sizeof(err.msg));
}
END_TEST

START_TEST(test_sbx_cli_parse_many_env)
{
	struct sbx_error err = { 0, "" };
	char *argv[2 + 2 * 100 + 1];
	struct sbx_cli c;
	int argc = 0;

	argv[argc++] = strdup("spp-run");
	for (int i = 0; i < 100; i++) {
		char kv[32];

		snprintf(kv, sizeof(kv), "V%d=%d", i, i);
		argv[argc++] = strdup("--env");
		argv[argc++] = strdup(kv);
	}
	argv[argc++] = strdup("plug");
	argv[argc] = NULL;
	ck_assert_int_eq(sbx_cli_parse(&c, argc, argv, &err), 0);
	ck_assert_uint_eq(c.env.n, 100);
	ck_assert_str_eq(c.env.v[0], "V0=0");
	ck_assert_str_eq(c.env.v[99], "V99=99");
	ck_assert_ptr_null(c.env.v[100]);
	sbx_cli_clear(&c);
	free_argv(argv);
}
END_TEST

/* sbx_cli_clear */

/* sbx_cli_shell_program: the program a ':' line names by its path. */
static const struct {
	const char *cmd, *want; /* NULL: none */
} shell_rows[] = {
	{ "plugins/check one \"two words\"", "plugins/check" },
	{ "  plugins/check", "plugins/check" },
	{ "/usr/local/bin/rbl\t-x", "/usr/local/bin/rbl" },
	{ "exec plugins/check", "plugins/check" },
	{ "FOO=1 BAR_2=x plugins/check a", "plugins/check" },
	{ "FOO=1 exec ./check", "./check" },
	{ "check -x", NULL }, /* found through PATH */
	{ "", NULL },
	{ "   ", NULL },
	{ "FOO=1", NULL },
	{ "\"plugins/check\"", NULL },
	{ "plugins/$NAME", NULL },
	{ "plugins/ch*ck", NULL },
	{ "plugins/check;rm", NULL },
	{ "~/check", NULL },
	{ "(plugins/check)", NULL },
	{ "FOO=\"a b\" plugins/check", NULL },
	{ "1FOO=x/y", "1FOO=x/y" }, /* not an assignment: a program */
};

START_TEST(test_sbx_cli_shell_program_table)
{
	char out[64] = "unset";
	int rc = sbx_cli_shell_program(shell_rows[_i].cmd, out, sizeof(out));

	if (shell_rows[_i].want) {
		ck_assert_msg(rc == 1, "'%s': none", shell_rows[_i].cmd);
		ck_assert_str_eq(out, shell_rows[_i].want);
	} else {
		ck_assert_msg(rc == 0, "'%s': '%s'", shell_rows[_i].cmd, out);
	}
}
END_TEST

START_TEST(test_sbx_cli_shell_program_small_buffer)
{
	char out[5];

	ck_assert_int_eq(sbx_cli_shell_program("plugins/x", out, sizeof(out)),
			 0);
}
END_TEST

START_TEST(test_sbx_cli_clear_twice)
{
	struct sbx_error err = { 0, "" };
	char self[] = "spp-run", opt[] = "--env=A=1", prog[] = "plug";
	char *argv[] = { self, opt, prog, NULL };
	struct sbx_cli c;

	ck_assert_int_eq(sbx_cli_parse(&c, 3, argv, &err), 0);
	sbx_cli_clear(&c);
	ck_assert_ptr_null(c.env.v);
	ck_assert_uint_eq(c.env.n, 0);
	sbx_cli_clear(&c);
	/* and after a failed parse, which already cleared */
	ck_assert_int_eq(sbx_cli_parse(&c, 2, argv, &err), -1);
	sbx_cli_clear(&c);
}
END_TEST

static Suite *cli_suite(void)
{
	Suite *s = suite_create("cli");
	TCase *tc;

	tc = tcase_create("sbx_cli_parse");
	tcase_add_loop_test(tc, test_sbx_cli_parse_table, 0, NROWS(cli_rows));
	tcase_add_test(tc, test_sbx_cli_parse_each_event);
	tcase_add_test(tc, test_sbx_cli_parse_borrows);
	tcase_add_test(tc, test_sbx_cli_parse_argc);
	tcase_add_test(tc, test_sbx_cli_parse_long_value);
	tcase_add_test(tc, test_sbx_cli_parse_many_env);
	suite_add_tcase(s, tc);

	tc = tcase_create("sbx_cli_clear");
	tcase_add_test(tc, test_sbx_cli_clear_twice);
	suite_add_tcase(s, tc);

	tc = tcase_create("sbx_cli_shell_program");
	tcase_add_loop_test(tc, test_sbx_cli_shell_program_table, 0,
			    NROWS(shell_rows));
	tcase_add_test(tc, test_sbx_cli_shell_program_small_buffer);
	suite_add_tcase(s, tc);

	return s;
}

int main(void)
{
	return tap_run(cli_suite());
}
