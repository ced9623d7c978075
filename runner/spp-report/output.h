/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What spp-report writes from a finished tally: the text report, the SVG
 * plot and the Prometheus metrics. Each writes to a stream the caller
 * owns and returns 0, or -1 when the stream has an error. */
#ifndef SPP_REPORT_OUTPUT_H
#define SPP_REPORT_OUTPUT_H

#include <stdio.h>

#include "tally.h"

/* Plugins drawn in the plot, the most runs first; the rest are counted. */
#define REP_SVG_PLUGINS 8

/*
 * The text report: the line totals, one row per plugin and event (runs,
 * failures, wall time p50/p90/p99/max), the verdicts and failures by
 * cause, the slowest runs. files names the inputs by their number in
 * rep_tally_add (nfiles of them).
 */
int rep_table_write(FILE *f, const struct rep_tally *t,
		    const char *const *files, unsigned int nfiles);

/*
 * An SVG plot of runs and p99 wall time per plugin in buckets buckets
 * (2 to 1000): over time when every run has a stamp of the same kind, else
 * over the runs in log order. Plugin names are escaped for XML.
 */
int rep_svg_write(FILE *f, const struct rep_tally *t, unsigned int buckets);

/*
 * The tally in the Prometheus text exposition format (0.0.4): counters of
 * runs, verdicts, failures by cause and CPU time per plugin and event, a
 * summary of wall time (p50, p90, p99) and its maximum, and counters of the
 * lines read by kind. Label values are escaped as the format says.
 */
int rep_prom_write(FILE *f, const struct rep_tally *t);

#endif
