/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The sums of a log: per plugin and event the runs, verdicts, failures by
 * cause and wall times; the slowest runs; every run for the plot; and how
 * many lines were read of each kind. A windowed tally (a log without end,
 * spp-sandboxd's) keeps no per-run data: bounded memory. */
#ifndef SPP_REPORT_TALLY_H
#define SPP_REPORT_TALLY_H

#include <stddef.h>

#include "logline.h"

/* At most this many slowest runs are kept. */
#define REP_SLOWEST_MAX 1000

/* A name and how often it was seen (verdicts, failure causes). */
struct rep_count {
	char *name;
	unsigned long n;
};

/* One plugin under one event. */
struct rep_series {
	char *program;
	char *event;
	unsigned long runs;
	unsigned long failed;
	struct rep_count *verdicts; /* in the order first seen */
	size_t nverdicts;
	struct rep_count *causes; /* failures only; in the order first seen */
	size_t ncauses;
	double *wall_ms; /* every run's (windowed: the window's); sorted by
			  * rep_tally_finish() */
	size_t nwall;
	size_t capwall;
	double *recent; /* windowed: the last runs' wall times, a ring */
	size_t nrecent;
	size_t nextrecent;
	double wall_max_ms;
	double wall_sum_ms;
	double cpu_sum_ms;
};

/* One run, for the plot over time. */
struct rep_run {
	size_t series;
	enum rep_stamp stamp;
	double time;
	double wall_ms;
};

/* One of the slowest runs. */
struct rep_slow {
	double wall_ms;
	double cpu_ms;
	long pid;
	unsigned int file; /* as passed to rep_tally_add() */
	unsigned long lineno;
	char when[REP_WHEN_MAX];
	char event[REP_EVENT_MAX];
	char program[REP_PROGRAM_MAX];
	char how[REP_SYSCALL_MAX + 16];
	char verdict[REP_VERDICT_MAX];
};

struct rep_tally {
	/* every line is exactly one of runs, notes, bad, other */
	unsigned long lines;
	unsigned long runs;
	unsigned long notes;
	unsigned long bad;
	unsigned long other;
	struct rep_count *bad_whys; /* why lines were bad */
	size_t nbad_whys;
	unsigned int first_bad_file;
	unsigned long first_bad_lineno;
	struct rep_series *series;
	size_t nseries;
	size_t capseries;
	size_t *order; /* series by program, then event: rep_tally_finish() */
	struct rep_run *run; /* none in a windowed tally */
	size_t nrun;
	size_t caprun;
	double newest; /* the latest time of a run */
	size_t window; /* rep_tally_window(); 0: every run kept */
	unsigned int stamps; /* 1 << enum rep_stamp for each run's stamp */
	struct rep_slow *slow; /* slowest first */
	size_t nslow;
	size_t maxslow;
	/* private: series by program and event; programs with a pending
	 * note about their next report */
	size_t *index;
	size_t capindex;
	struct rep_pending *pending;
	size_t npending;
};

/* A tally keeping the nslowest slowest runs (at most REP_SLOWEST_MAX), or
 * NULL when out of memory. */
struct rep_tally *rep_tally_new(unsigned int nslowest);

/*
 * Make t windowed, before its first line: per series only the wall times
 * of the last n runs (1 to REP_WINDOW_MAX) are kept, for the quantiles,
 * and no run for the plot (rep_svg_write() then draws none); counts, sums,
 * the maximum and the slowest runs are kept whole. Its memory then grows
 * with the series, verdicts and causes seen, never with the runs.
 * Returns 0, or -1 with errno EINVAL (n out of range, or lines added).
 */
int rep_tally_window(struct rep_tally *t, size_t n);
#define REP_WINDOW_MAX 65536

/* Free t and all it holds; NULL is a no-op. */
void rep_tally_free(struct rep_tally *t);

/*
 * Count one parsed line, line number lineno of input file number file.
 * A run's failure cause is the one its report line says; a run whose
 * report follows a "cannot start" note for its program, or that exited
 * 120 (qmail-spp's code for a plugin it cannot run), failed to start; one
 * that follows a "verdict was dropped" note failed for that. Returns 0,
 * or -1 with errno ENOMEM (the line is then not counted).
 */
int rep_tally_add(struct rep_tally *t, const struct rep_line *l,
		  unsigned int file, unsigned long lineno);

/* After the last line (windowed: before each output, as often as wanted):
 * sort each series' wall times and fill order. Returns 0, or -1 (ENOMEM). */
int rep_tally_finish(struct rep_tally *t);

/*
 * The q quantile (0 < q <= 1) of n sorted values by the nearest-rank
 * method: the smallest value that at least q of them do not exceed. 0 when
 * n is 0.
 */
double rep_percentile(const double *sorted, size_t n, double q);

#endif
