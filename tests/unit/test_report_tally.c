/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for spp-report's sums (runner/spp-report/tally.c): the
 * nearest-rank percentile, failure causes with the notes before a report,
 * line totals, the slowest runs, the order of the series; the windowed
 * tally's bounds. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tally.h"
#include "tap.h"

#define NROWS(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define NOW ((time_t)1735776000)

struct pct_row {
	size_t n; /* values 1, 2, ..., n */
	double q;
	double want;
};

static const struct pct_row pct_rows[] = {
	{ 0, 0.5, 0 },	     { 1, 0.5, 1 },	   { 1, 0.99, 1 },
	{ 2, 0.5, 1 },	     { 2, 0.51, 2 },	   { 10, 0.5, 5 },
	{ 10, 0.9, 9 },	     { 10, 0.99, 10 },	   { 100, 0.5, 50 },
	{ 100, 0.9, 90 },    { 100, 0.99, 99 },	   { 100, 1, 100 },
	{ 1000, 0.99, 990 }, { 1000, 0.999, 999 }, { 10000, 0.99, 9900 },
	{ 7, 0.5, 4 },	     { 7, 0.9, 7 },	   { 3, 0.01, 1 },
};

START_TEST(test_rep_percentile_rank)
{
	const struct pct_row *r = &pct_rows[_i];
	double *v = malloc((r->n ? r->n : 1) * sizeof(*v));

	ck_assert_ptr_nonnull(v);
	for (size_t i = 0; i < r->n; i++)
		v[i] = (double)(i + 1);
	ck_assert_msg(rep_percentile(v, r->n, r->q) == r->want,
		      "n %zu q %g: %g, want %g", r->n, r->q,
		      rep_percentile(v, r->n, r->q), r->want);
	free(v);
}
END_TEST

START_TEST(test_rep_percentile_repeated)
{
	/* 98 fast runs and 2 timeouts: p99 is a timeout, p90 is not */
	double v[100];

	for (int i = 0; i < 100; i++)
		v[i] = i < 98 ? 2.0 : 5000.0;
	ck_assert(rep_percentile(v, 100, 0.9) == 2.0);
	ck_assert(rep_percentile(v, 100, 0.99) == 5000.0);
	ck_assert(rep_percentile(v, 100, 0.98) == 2.0);
}
END_TEST

/* Feed lines to t, one file; fails the test on ENOMEM. */
static void feed(struct rep_tally *t, const char *const *lines, int n)
{
	for (int i = 0; i < n; i++) {
		struct rep_line l;

		rep_line_parse(lines[i], strlen(lines[i]), NOW, &l);
		ck_assert_int_eq(rep_tally_add(t, &l, 0, (unsigned long)i + 1),
				 0);
	}
	ck_assert_int_eq(rep_tally_finish(t), 0);
}

static const struct rep_series *find(const struct rep_tally *t,
				     const char *program, const char *event)
{
	for (size_t i = 0; i < t->nseries; i++)
		if (!strcmp(t->series[i].program, program) &&
		    !strcmp(t->series[i].event, event))
			return &t->series[i];
	return NULL;
}

static unsigned long count_of(const struct rep_count *c, size_t n,
			      const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(c[i].name, name))
			return c[i].n;
	return 0;
}

#define R(p, how, v, wall)                                                 \
	"spp: rcpt " p " pid 1 " how " verdict " v " wall " wall "ms cpu " \
	"1.0ms"

START_TEST(test_rep_tally_add_causes)
{
	static const char *const lines[] = {
		R("a", "exit 0", "E", "1.0"),
		R("a", "exit 0", "-", "2.0"),
		R("a", "killed timeout", "E", "50.0"),
		R("a", "killed syscall ptrace", "E", "3.0"),
		R("a", "killed signal 11", "E", "3.0"),
		R("a", "exit 3", "-", "3.0"),
		/* said twice before one report: one cannot start */
		"spp-run: warning: a: cannot start: the shell could not run it",
		"spp-run: warning: a: cannot start: no",
		R("a", "exit 127", "E", "0.5"),
		/* exit 120 alone: qmail-spp's "cannot run" */
		R("a", "exit 120", "E", "0.0"),
		"spp-run: warning: a: dropped verdict 'A': not allowed",
		"spp-run: warning: a: its verdict was dropped: failing",
		R("a", "exit 0", "E", "1.0"),
		/* the note was used up: a plain run */
		R("a", "exit 0", "E", "1.0"),
		/* a note for b does not touch a */
		"spp-run: warning: b: cannot start: no",
		R("a", "exit 0", "E", "1.0"),
		R("b", "exit 120", "E", "0.0"),
	};
	struct rep_tally *t = rep_tally_new(3);
	const struct rep_series *a, *b;

	ck_assert_ptr_nonnull(t);
	feed(t, lines, NROWS(lines));
	a = find(t, "a", "rcpt");
	b = find(t, "b", "rcpt");
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(a->runs, 11);
	ck_assert_uint_eq(a->failed, 7);
	ck_assert_uint_eq(count_of(a->causes, a->ncauses, "timeout"), 1);
	ck_assert_uint_eq(count_of(a->causes, a->ncauses, "syscall ptrace"), 1);
	ck_assert_uint_eq(count_of(a->causes, a->ncauses, "signal 11"), 1);
	ck_assert_uint_eq(count_of(a->causes, a->ncauses, "exit 3"), 1);
	ck_assert_uint_eq(count_of(a->causes, a->ncauses, "cannot start"), 2);
	ck_assert_uint_eq(count_of(a->causes, a->ncauses, "verdict dropped"),
			  1);
	ck_assert_uint_eq(count_of(a->verdicts, a->nverdicts, "E"), 9);
	ck_assert_uint_eq(count_of(a->verdicts, a->nverdicts, "-"), 2);
	ck_assert_uint_eq(b->failed, 1);
	ck_assert_uint_eq(count_of(b->causes, b->ncauses, "cannot start"), 1);
	/* every line once */
	ck_assert_uint_eq(t->lines, NROWS(lines));
	ck_assert_uint_eq(t->runs + t->notes + t->bad + t->other, t->lines);
	ck_assert_uint_eq(t->runs, 12);
	ck_assert_uint_eq(t->notes, 5);
	/* the slowest three, slowest first, ties in log order */
	ck_assert_uint_eq(t->nslow, 3);
	ck_assert(t->slow[0].wall_ms == 50.0);
	ck_assert_str_eq(t->slow[0].how, "killed timeout");
	ck_assert_uint_eq(t->slow[1].lineno, 4);
	ck_assert_uint_eq(t->slow[2].lineno, 5);
	rep_tally_free(t);
}
END_TEST

START_TEST(test_rep_tally_add_totals)
{
	static const char *const lines[] = {
		"@4000000065d0a8e00b71b000 tcpserver: status: 1/20",
		"@4000000065d0a8e00b71b000 " R("z", "exit 0", "E", "2.0"),
		"@4000000065d0a8e10b71b000 spp: rcpt z pid",
		"@4000000065d0a8e10b71b000 spp: junk",
		"plugins/z: hello",
		"@40000000zz spp: rcpt z",
		"spp-run: diagnose: z: network",
		R("y", "exit 0", "A", "4.0"),
	};
	struct rep_tally *t = rep_tally_new(10);

	ck_assert_ptr_nonnull(t);
	feed(t, lines, NROWS(lines));
	ck_assert_uint_eq(t->lines, 8);
	ck_assert_uint_eq(t->runs, 2);
	ck_assert_uint_eq(t->bad, 3);
	ck_assert_uint_eq(t->notes, 1);
	ck_assert_uint_eq(t->other, 2);
	ck_assert_uint_eq(t->first_bad_lineno, 3);
	ck_assert_uint_eq(t->nbad_whys, 3);
	/* one run stamped, one not: no common time axis */
	ck_assert_uint_eq(t->stamps,
			  1u << REP_STAMP_UTC | 1u << REP_STAMP_NONE);
	/* series by program name: y before z */
	ck_assert_uint_eq(t->nseries, 2);
	ck_assert_str_eq(t->series[t->order[0]].program, "y");
	ck_assert_str_eq(t->series[t->order[1]].program, "z");
	ck_assert_str_eq(t->slow[1].when, "2024-02-17T12:38:46.192000Z");
	rep_tally_free(t);
}
END_TEST

START_TEST(test_rep_tally_add_many_series)
{
	/* enough series to grow the index several times */
	struct rep_tally *t = rep_tally_new(0);
	char line[200];

	ck_assert_ptr_nonnull(t);
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < 500; i++) {
			struct rep_line l;

			snprintf(line, sizeof(line),
				 "spp: %s p%d pid 1 exit 0 verdict E wall "
				 "%d.0ms cpu 1ms",
				 i % 2 ? "rcpt" : "mail", i / 2, i);
			rep_line_parse(line, strlen(line), NOW, &l);
			ck_assert_int_eq(rep_tally_add(t, &l, 0, 1), 0);
		}
	ck_assert_int_eq(rep_tally_finish(t), 0);
	ck_assert_uint_eq(t->nseries, 500);
	ck_assert_uint_eq(t->nslow, 0);
	for (size_t i = 0; i < t->nseries; i++) {
		ck_assert_uint_eq(t->series[i].runs, 2);
		/* sorted by rep_tally_finish */
		ck_assert(t->series[i].wall_ms[0] <= t->series[i].wall_ms[1]);
	}
	rep_tally_free(t);
	rep_tally_free(NULL);
}
END_TEST

START_TEST(test_rep_tally_window_bounded)
{
	/* spp-sandboxd's tally: 100,000 runs keep no per-run data, the
	 * quantiles come from the last runs, counts and the maximum from all */
	struct rep_tally *t = rep_tally_new(0);
	char line[200];
	size_t cap = 0;

	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(rep_tally_window(t, 100), 0);
	for (int i = 1; i <= 100000; i++) {
		struct rep_line l;

		/* 1 ms to 100 ms, except one slow run early on */
		snprintf(line, sizeof(line),
			 "spp: rcpt p pid 1 exit 0 verdict %s wall %d.0ms "
			 "cpu 1ms",
			 i % 4 ? "E" : "N", i == 10 ? 9000 : i % 100 + 1);
		rep_line_parse(line, strlen(line), NOW, &l);
		ck_assert_int_eq(rep_tally_add(t, &l, 0, (unsigned long)i), 0);
		if (i == 1000) {
			ck_assert_int_eq(rep_tally_finish(t), 0);
			cap = t->series[0].capwall;
		}
	}
	ck_assert_int_eq(rep_tally_finish(t), 0);
	ck_assert_uint_eq(t->runs, 100000);
	ck_assert_uint_eq(t->nrun, 0);
	ck_assert_ptr_null(t->run);
	ck_assert_uint_eq(t->nseries, 1);
	ck_assert_uint_eq(t->series[0].runs, 100000);
	ck_assert_uint_eq(t->series[0].nwall, 100);
	ck_assert_uint_eq(t->series[0].capwall, cap);
	ck_assert_uint_eq(t->series[0].nverdicts, 2);
	ck_assert_uint_eq(t->series[0].verdicts[0].n, 75000);
	/* the last 100 runs: 1 to 100 ms each once */
	ck_assert(t->series[0].wall_ms[0] == 1.0);
	ck_assert(rep_percentile(t->series[0].wall_ms, 100, 0.99) == 99.0);
	ck_assert(t->series[0].wall_max_ms == 9000.0);
	rep_tally_free(t);
}
END_TEST

START_TEST(test_rep_tally_window_refused)
{
	struct rep_tally *t = rep_tally_new(0);
	struct rep_line l;
	const char *line =
		"spp: rcpt p pid 1 exit 0 verdict E wall 1ms cpu 1ms";

	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(rep_tally_window(t, 0), -1);
	ck_assert_int_eq(rep_tally_window(t, REP_WINDOW_MAX + 1), -1);
	rep_line_parse(line, strlen(line), NOW, &l);
	ck_assert_int_eq(rep_tally_add(t, &l, 0, 1), 0);
	/* too late: a line was counted */
	ck_assert_int_eq(rep_tally_window(t, 10), -1);
	rep_tally_free(t);
}
END_TEST

static Suite *tally_suite(void)
{
	Suite *s = suite_create("tally");
	TCase *tc;

	tc = tcase_create("rep_percentile");
	tcase_add_loop_test(tc, test_rep_percentile_rank, 0, NROWS(pct_rows));
	tcase_add_test(tc, test_rep_percentile_repeated);
	suite_add_tcase(s, tc);
	tc = tcase_create("rep_tally_add");
	tcase_add_test(tc, test_rep_tally_add_causes);
	tcase_add_test(tc, test_rep_tally_add_totals);
	tcase_add_test(tc, test_rep_tally_add_many_series);
	suite_add_tcase(s, tc);
	tc = tcase_create("rep_tally_window");
	tcase_add_test(tc, test_rep_tally_window_bounded);
	tcase_add_test(tc, test_rep_tally_window_refused);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tap_run(tally_suite());
}
