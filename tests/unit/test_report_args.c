/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for spp-report's command line (runner/spp-report/args.c):
 * one row per argument list. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "tap.h"

#define NROWS(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define MAXARGS 8

struct args_row {
	const char *argv[MAXARGS]; /* after argv[0]; the rest NULL */
	const char *error; /* NULL: parses */
	const char *svg, *prom;
	unsigned int slowest, buckets;
	int quiet, help;
	const char *files[MAXARGS];
};

static const struct args_row rows[] = {
	{ .slowest = 10, .buckets = 48 },
	{ .argv = { "a.log", "-", "b.log" },
	  .slowest = 10,
	  .buckets = 48,
	  .files = { "a.log", "-", "b.log" } },
	{ .argv = { "--svg", "p.svg", "x", "--prometheus=m.prom", "-q" },
	  .svg = "p.svg",
	  .prom = "m.prom",
	  .slowest = 10,
	  .buckets = 48,
	  .quiet = 1,
	  .files = { "x" } },
	{ .argv = { "--slowest", "0", "--buckets=2", "--", "-q", "--svg" },
	  .slowest = 0,
	  .buckets = 2,
	  .files = { "-q", "--svg" } },
	{ .argv = { "--slowest=1000", "--buckets", "1000", "--help" },
	  .slowest = 1000,
	  .buckets = 1000,
	  .help = 1 },
	{ .argv = { "--svg" }, .error = "--svg needs a file" },
	{ .argv = { "--svg=" }, .error = "--svg needs a file" },
	{ .argv = { "--prometheus" }, .error = "--prometheus needs a file" },
	{ .argv = { "--slowest", "1001" },
	  .error = "--slowest: not a number from 0 to 1000" },
	{ .argv = { "--slowest", "-1" },
	  .error = "--slowest: not a number from 0 to 1000" },
	{ .argv = { "--slowest", "5x" },
	  .error = "--slowest: not a number from 0 to 1000" },
	{ .argv = { "--buckets", "1" },
	  .error = "--buckets: not a number from 2 to 1000" },
	{ .argv = { "--svgx", "f" }, .error = "unknown option '--svgx'" },
	{ .argv = { "-x" }, .error = "unknown option '-x'" },
};

START_TEST(test_rep_args_parse_row)
{
	const struct args_row *r = &rows[_i];
	struct sbx_error err = { 0, "" };
	char *argv[MAXARGS + 1] = { "spp-report" };
	struct rep_args a;
	int argc = 1, rc, n = 0;

	for (int i = 0; r->argv[i]; i++)
		argv[argc++] = (char *)r->argv[i];
	rc = rep_args_parse(&a, argc, argv, &err);
	if (r->error) {
		ck_assert_int_eq(rc, -1);
		ck_assert_str_eq(err.msg, r->error);
		return;
	}
	ck_assert_int_eq(rc, 0);
	if (r->svg)
		ck_assert_str_eq(a.svg, r->svg);
	else
		ck_assert_ptr_null(a.svg);
	if (r->prom)
		ck_assert_str_eq(a.prometheus, r->prom);
	else
		ck_assert_ptr_null(a.prometheus);
	ck_assert_uint_eq(a.slowest, r->slowest);
	ck_assert_uint_eq(a.buckets, r->buckets);
	ck_assert_int_eq(a.quiet, r->quiet);
	ck_assert_int_eq(a.help, r->help);
	while (r->files[n])
		n++;
	ck_assert_int_eq(a.nfiles, n);
	for (int i = 0; i < n; i++)
		ck_assert_str_eq(a.files[i], r->files[i]);
}
END_TEST

static Suite *args_suite(void)
{
	Suite *s = suite_create("args");
	TCase *tc = tcase_create("rep_args_parse");

	tcase_add_loop_test(tc, test_rep_args_parse_row, 0, NROWS(rows));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tap_run(args_suite());
}
