/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The tally as Prometheus metrics (output.h), text exposition format
 * 0.0.4: "# HELP", "# TYPE", then one sample per line. */
#include "output.h"

/* A label value: backslash, double quote and newline escaped, as the
 * format requires. */
static void label_value(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '"')
			fputs("\\\"", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

static void family(FILE *f, const char *name, const char *type,
		   const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* name{event="..",plugin=".." and, when key, key="value"} */
static void series_labels(FILE *f, const char *name, const struct rep_series *s,
			  const char *key, const char *value)
{
	fprintf(f, "%s{event=\"", name);
	label_value(f, s->event);
	fputs("\",plugin=\"", f);
	label_value(f, s->program);
	if (key) {
		fprintf(f, "\",%s=\"", key);
		label_value(f, value);
	}
	fputs("\"} ", f);
}

static void runs(FILE *f, const struct rep_tally *t)
{
	family(f, "spp_plugin_runs_total", "counter",
	       "Plugin runs that spp-run reported, by SMTP event and plugin.");
	for (size_t i = 0; i < t->nseries; i++) {
		const struct rep_series *s = &t->series[t->order[i]];

		series_labels(f, "spp_plugin_runs_total", s, NULL, NULL);
		fprintf(f, "%lu\n", s->runs);
	}
}

static void verdicts(FILE *f, const struct rep_tally *t)
{
	family(f, "spp_plugin_verdicts_total", "counter",
	       "Runs by the terminal verdict relayed (- for none).");
	for (size_t i = 0; i < t->nseries; i++) {
		const struct rep_series *s = &t->series[t->order[i]];

		for (size_t j = 0; j < s->nverdicts; j++) {
			series_labels(f, "spp_plugin_verdicts_total", s,
				      "verdict", s->verdicts[j].name);
			fprintf(f, "%lu\n", s->verdicts[j].n);
		}
	}
}

static void failures(FILE *f, const struct rep_tally *t)
{
	family(f, "spp_plugin_failures_total", "counter",
	       "Failed runs by cause (timeout, cpu, memory, output, "
	       "signal N, syscall NAME, cannot start, verdict dropped, "
	       "exit N).");
	for (size_t i = 0; i < t->nseries; i++) {
		const struct rep_series *s = &t->series[t->order[i]];

		for (size_t j = 0; j < s->ncauses; j++) {
			series_labels(f, "spp_plugin_failures_total", s,
				      "cause", s->causes[j].name);
			fprintf(f, "%lu\n", s->causes[j].n);
		}
	}
}

static void wall(FILE *f, const struct rep_tally *t)
{
	static const char *const qs[] = { "0.5", "0.9", "0.99" };
	static const double qv[] = { 0.5, 0.9, 0.99 };

	family(f, "spp_plugin_wall_seconds", "summary",
	       "Wall-clock time of the runs.");
	for (size_t i = 0; i < t->nseries; i++) {
		const struct rep_series *s = &t->series[t->order[i]];

		for (int q = 0; q < 3; q++) {
			series_labels(f, "spp_plugin_wall_seconds", s,
				      "quantile", qs[q]);
			fprintf(f, "%.9g\n",
				rep_percentile(s->wall_ms, s->nwall, qv[q]) /
					1000);
		}
		series_labels(f, "spp_plugin_wall_seconds_sum", s, NULL, NULL);
		fprintf(f, "%.9g\n", s->wall_sum_ms / 1000);
		series_labels(f, "spp_plugin_wall_seconds_count", s, NULL,
			      NULL);
		fprintf(f, "%lu\n", s->runs);
	}
	family(f, "spp_plugin_wall_seconds_max", "gauge",
	       "Longest wall-clock time of a run.");
	for (size_t i = 0; i < t->nseries; i++) {
		const struct rep_series *s = &t->series[t->order[i]];

		series_labels(f, "spp_plugin_wall_seconds_max", s, NULL, NULL);
		fprintf(f, "%.9g\n", s->wall_max_ms / 1000);
	}
	family(f, "spp_plugin_cpu_seconds_total", "counter",
	       "CPU time of the runs.");
	for (size_t i = 0; i < t->nseries; i++) {
		const struct rep_series *s = &t->series[t->order[i]];

		series_labels(f, "spp_plugin_cpu_seconds_total", s, NULL, NULL);
		fprintf(f, "%.9g\n", s->cpu_sum_ms / 1000);
	}
}

static void lines(FILE *f, const struct rep_tally *t)
{
	static const struct {
		const char *name, *help;
	} fam[] = {
		{ "spp_report_lines_total", "Log lines read." },
		{ "spp_report_run_lines_total", "spp report lines read." },
		{ "spp_report_note_lines_total", "spp-run lines read." },
		{ "spp_report_bad_lines_total",
		  "spp lines that did not parse (skipped)." },
		{ "spp_report_other_lines_total",
		  "Other lines read (ignored)." },
	};
	const unsigned long n[] = { t->lines, t->runs, t->notes, t->bad,
				    t->other };

	for (size_t i = 0; i < sizeof(fam) / sizeof(fam[0]); i++) {
		family(f, fam[i].name, "counter", fam[i].help);
		fprintf(f, "%s %lu\n", fam[i].name, n[i]);
	}
	/* only stamps that say a moment (not a clock reading or uptime) */
	if (t->stamps != 1u << REP_STAMP_UTC)
		return;
	family(f, "spp_report_last_run_timestamp_seconds", "gauge",
	       "When the newest run in the log was reported.");
	fprintf(f, "spp_report_last_run_timestamp_seconds %.6f\n", t->newest);
}

int rep_prom_write(FILE *f, const struct rep_tally *t)
{
	runs(f, t);
	verdicts(f, t);
	failures(f, t);
	wall(f, t);
	lines(f, t);
	return ferror(f) ? -1 : 0;
}
