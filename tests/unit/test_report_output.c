/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for spp-report's writers (runner/spp-report/prom.c, svg.c,
 * table.c) on small tallies: label and XML escaping, the samples, the
 * empty log. The whole format is checked by tests/suites/report.test. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "tap.h"

#define NROWS(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define NOW ((time_t)1735776000)

/* A finished tally of lines. */
static struct rep_tally *tally_of(const char *const *lines, int n)
{
	struct rep_tally *t = rep_tally_new(5);

	ck_assert_ptr_nonnull(t);
	for (int i = 0; i < n; i++) {
		struct rep_line l;

		rep_line_parse(lines[i], strlen(lines[i]), NOW, &l);
		ck_assert_int_eq(rep_tally_add(t, &l, 0, (unsigned long)i + 1),
				 0);
	}
	ck_assert_int_eq(rep_tally_finish(t), 0);
	return t;
}

enum writer { PROM, SVG, TABLE };

/* What a writer writes for t, newly allocated. */
static char *written(const struct rep_tally *t, enum writer w)
{
	static const char *const files[] = { "log" };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	if (w == PROM)
		ck_assert_int_eq(rep_prom_write(f, t), 0);
	else if (w == SVG)
		ck_assert_int_eq(rep_svg_write(f, t, 10), 0);
	else
		ck_assert_int_eq(rep_table_write(f, t, files, 1), 0);
	ck_assert_int_eq(fclose(f), 0);
	return buf;
}

#define ODD "/p/a\"b\\x5cc <&>'"
#define ODD_LABEL "/p/a\\\"b\\\\x5cc <&>'"
#define ODD_XML "/p/a&quot;b\\x5cc &lt;&amp;&gt;&apos;"

static const char *const odd_lines[] = {
	"spp: rcpt " ODD " pid 1 exit 0 verdict E wall 2.0ms cpu 1.0ms",
	"spp: rcpt " ODD " pid 2 killed syscall ptrace verdict E wall 50.0ms "
	"cpu 3.0ms",
	"tcpserver: end 1 status 0",
};

START_TEST(test_rep_prom_write_escaped)
{
	static const char *const want[] = {
		"# TYPE spp_plugin_runs_total counter\n",
		"\nspp_plugin_runs_total{event=\"rcpt\",plugin=\"" ODD_LABEL
		"\"} 2\n",
		"\nspp_plugin_verdicts_total{event=\"rcpt\",plugin=\"" ODD_LABEL
		"\",verdict=\"E\"} 2\n",
		"\nspp_plugin_failures_total{event=\"rcpt\",plugin=\"" ODD_LABEL
		"\",cause=\"syscall ptrace\"} 1\n",
		"\n# TYPE spp_plugin_wall_seconds summary\n",
		"\nspp_plugin_wall_seconds{event=\"rcpt\",plugin=\"" ODD_LABEL
		"\",quantile=\"0.5\"} 0.002\n",
		"\nspp_plugin_wall_seconds{event=\"rcpt\",plugin=\"" ODD_LABEL
		"\",quantile=\"0.99\"} 0.05\n",
		"\nspp_plugin_wall_seconds_sum{event=\"rcpt\",plugin=\"" ODD_LABEL
		"\"} 0.052\n",
		"\nspp_plugin_wall_seconds_count{event=\"rcpt\",plugin=\"" ODD_LABEL
		"\"} 2\n",
		"\nspp_plugin_cpu_seconds_total{event=\"rcpt\",plugin=\"" ODD_LABEL
		"\"} 0.004\n",
		"\nspp_report_lines_total 3\n",
		"\nspp_report_run_lines_total 2\n",
		"\nspp_report_bad_lines_total 0\n",
		"\nspp_report_other_lines_total 1\n",
	};
	struct rep_tally *t = tally_of(odd_lines, NROWS(odd_lines));
	char *out = written(t, PROM);

	for (int i = 0; i < NROWS(want); i++)
		ck_assert_msg(strstr(out, want[i]), "missing: %s", want[i]);
	/* no stamps: no time of the last run */
	ck_assert_ptr_null(strstr(out, "timestamp"));
	free(out);
	rep_tally_free(t);
}
END_TEST

START_TEST(test_rep_prom_write_last_run)
{
	static const char *const lines[] = {
		"@4000000065d0a8e00b71b000 spp: rcpt p pid 1 exit 0 verdict E "
		"wall 2.0ms cpu 1.0ms",
		"@4000000065d0a8e10b71b000 spp: rcpt p pid 1 exit 0 verdict E "
		"wall 2.0ms cpu 1.0ms",
	};
	struct rep_tally *t = tally_of(lines, NROWS(lines));
	char *out = written(t, PROM);

	ck_assert_ptr_nonnull(strstr(
		out,
		"\nspp_report_last_run_timestamp_seconds 1708173527.192000\n"));
	free(out);
	rep_tally_free(t);
}
END_TEST

START_TEST(test_rep_prom_write_empty)
{
	struct rep_tally *t = tally_of(NULL, 0);
	char *out = written(t, PROM);

	ck_assert_ptr_nonnull(strstr(out, "\nspp_report_lines_total 0\n"));
	ck_assert_ptr_null(strstr(out, "{"));
	free(out);
	rep_tally_free(t);
}
END_TEST

START_TEST(test_rep_svg_write_escaped)
{
	struct rep_tally *t = tally_of(odd_lines, NROWS(odd_lines));
	char *out = written(t, SVG);

	ck_assert_ptr_nonnull(strstr(out, ">" ODD_XML " (2 runs)</text>"));
	ck_assert_ptr_null(strstr(out, "<&>"));
	ck_assert_ptr_nonnull(strstr(out, "runs in log order"));
	ck_assert_ptr_nonnull(strstr(out, "</svg>\n"));
	free(out);
	rep_tally_free(t);
}
END_TEST

START_TEST(test_rep_svg_write_many_plugins)
{
	/* 10 plugins: the 8 with the most runs drawn, 2 counted */
	char lines[10 * 11][120];
	const char *ptr[10 * 11];
	int n = 0;
	struct rep_tally *t;
	char *out;

	for (int p = 0; p < 10; p++)
		for (int r = 0; r <= p + 1; r++, n++) {
			snprintf(lines[n], sizeof(lines[n]),
				 "spp: rcpt plug%d pid 1 exit 0 verdict E wall "
				 "%d.0ms cpu 1.0ms",
				 p, r + 1);
			ptr[n] = lines[n];
		}
	t = tally_of(ptr, n);
	out = written(t, SVG);
	ck_assert_ptr_nonnull(strstr(out, ">plug9 (11 runs)</text>"));
	ck_assert_ptr_nonnull(strstr(out, ">plug2 (4 runs)</text>"));
	ck_assert_ptr_null(strstr(out, ">plug1 ("));
	ck_assert_ptr_nonnull(
		strstr(out, ">2 more plugins (5 runs) not drawn"));
	free(out);
	rep_tally_free(t);
}
END_TEST

START_TEST(test_rep_table_write_totals)
{
	struct rep_tally *t = tally_of(odd_lines, NROWS(odd_lines));
	char *out = written(t, TABLE);

	ck_assert_ptr_nonnull(strstr(
		out, "lines read 3: spp report lines 2, spp-run notes 0, bad "
		     "spp lines 0, other lines 1\n"));
	ck_assert_ptr_nonnull(strstr(out, "syscall ptrace"));
	ck_assert_ptr_nonnull(strstr(out, "killed syscall ptrace"));
	free(out);
	rep_tally_free(t);
}
END_TEST

static Suite *output_suite(void)
{
	Suite *s = suite_create("output");
	TCase *tc;

	tc = tcase_create("rep_prom_write");
	tcase_add_test(tc, test_rep_prom_write_escaped);
	tcase_add_test(tc, test_rep_prom_write_last_run);
	tcase_add_test(tc, test_rep_prom_write_empty);
	suite_add_tcase(s, tc);
	tc = tcase_create("rep_svg_write");
	tcase_add_test(tc, test_rep_svg_write_escaped);
	tcase_add_test(tc, test_rep_svg_write_many_plugins);
	suite_add_tcase(s, tc);
	tc = tcase_create("rep_table_write");
	tcase_add_test(tc, test_rep_table_write_totals);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tap_run(output_suite());
}
