/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The text report (output.h): totals, per plugin and event, verdicts,
 * failures, the slowest runs. Columns are separated by at least two
 * spaces, so `awk -F '  +'` splits them even where a name has a space. */
#include <string.h>

#include "output.h"

struct widths {
	int program;
	int event;
};

static struct widths widths_of(const struct rep_tally *t)
{
	struct widths w = { 6, 5 }; /* "plugin", "event" */

	for (size_t i = 0; i < t->nseries; i++) {
		int p = (int)strlen(t->series[i].program);
		int e = (int)strlen(t->series[i].event);

		if (p > w.program)
			w.program = p;
		if (e > w.event)
			w.event = e;
	}
	for (size_t i = 0; i < t->nslow; i++) {
		int p = (int)strlen(t->slow[i].program);

		if (p > w.program)
			w.program = p;
	}
	return w;
}

static void totals(FILE *f, const struct rep_tally *t, const char *const *files,
		   unsigned int nfiles)
{
	fprintf(f,
		"lines read %lu: spp report lines %lu, spp-run notes %lu, "
		"bad spp lines %lu, other lines %lu\n",
		t->lines, t->runs, t->notes, t->bad, t->other);
	if (!t->bad)
		return;
	fprintf(f, "bad spp lines:");
	for (size_t i = 0; i < t->nbad_whys; i++)
		fprintf(f, "%s %lu %s", i ? "," : "", t->bad_whys[i].n,
			t->bad_whys[i].name);
	fprintf(f, " (first: %s:%lu)\n",
		t->first_bad_file < nfiles ? files[t->first_bad_file] : "-",
		t->first_bad_lineno);
}

static void runs(FILE *f, const struct rep_tally *t, struct widths w)
{
	fprintf(f, "\n%-*s  %-*s  %8s  %8s  %9s  %9s  %9s  %9s\n", w.program,
		"plugin", w.event, "event", "runs", "failed", "p50 ms",
		"p90 ms", "p99 ms", "max ms");
	for (size_t i = 0; i < t->nseries; i++) {
		const struct rep_series *s = &t->series[t->order[i]];

		fprintf(f,
			"%-*s  %-*s  %8lu  %8lu  %9.1f  %9.1f  %9.1f  %9.1f\n",
			w.program, s->program, w.event, s->event, s->runs,
			s->failed, rep_percentile(s->wall_ms, s->nwall, 0.5),
			rep_percentile(s->wall_ms, s->nwall, 0.9),
			rep_percentile(s->wall_ms, s->nwall, 0.99),
			rep_percentile(s->wall_ms, s->nwall, 1));
	}
}

/* verdicts (which) or failures by cause, one row per name */
static void counts(FILE *f, const struct rep_tally *t, struct widths w,
		   int failures)
{
	int width = failures ? 16 : 7;
	unsigned long any = 0;

	for (size_t i = 0; failures && i < t->nseries; i++)
		any += t->series[i].failed;
	if (failures && !any) {
		fputs("\nno failed runs\n", f);
		return;
	}
	fprintf(f, "\n%-*s  %-*s  %-*s  %8s\n", w.program, "plugin", w.event,
		"event", width, failures ? "failure" : "verdict", "runs");
	for (size_t i = 0; i < t->nseries; i++) {
		const struct rep_series *s = &t->series[t->order[i]];
		const struct rep_count *c = failures ? s->causes : s->verdicts;
		size_t n = failures ? s->ncauses : s->nverdicts;

		for (size_t j = 0; j < n; j++)
			fprintf(f, "%-*s  %-*s  %-*s  %8lu\n", w.program,
				s->program, w.event, s->event, width, c[j].name,
				c[j].n);
	}
}

static void slowest(FILE *f, const struct rep_tally *t, struct widths w,
		    const char *const *files, unsigned int nfiles)
{
	int when = 4;

	if (!t->nslow)
		return;
	for (size_t i = 0; i < t->nslow; i++)
		if ((int)strlen(t->slow[i].when) > when)
			when = (int)strlen(t->slow[i].when);
	fprintf(f, "\nslowest %zu runs\n", t->nslow);
	fprintf(f, "%9s  %9s  %-*s  %-*s  %-*s  %8s  %-22s  %7s  %s\n",
		"wall ms", "cpu ms", when, "when", w.program, "plugin", w.event,
		"event", "pid", "how", "verdict", "line");
	for (size_t i = 0; i < t->nslow; i++) {
		const struct rep_slow *s = &t->slow[i];

		fprintf(f,
			"%9.1f  %9.1f  %-*s  %-*s  %-*s  %8ld  %-22s  %7s  "
			"%s:%lu\n",
			s->wall_ms, s->cpu_ms, when, s->when[0] ? s->when : "-",
			w.program, s->program, w.event, s->event, s->pid,
			s->how, s->verdict,
			s->file < nfiles ? files[s->file] : "-", s->lineno);
	}
}

int rep_table_write(FILE *f, const struct rep_tally *t,
		    const char *const *files, unsigned int nfiles)
{
	struct widths w = widths_of(t);

	totals(f, t, files, nfiles);
	if (t->nseries) {
		runs(f, t, w);
		counts(f, t, w, 0);
		counts(f, t, w, 1);
		slowest(f, t, w, files, nfiles);
	}
	return ferror(f) ? -1 : 0;
}
