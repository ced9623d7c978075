/* SPDX-License-Identifier: GPL-2.0-or-later */
/* spp-sandboxd's live metrics: each run's log lines summed by spp-report's
 * own parser and tally (windowed: bounded memory), the broker's refusals
 * and kills counted, all written by spp-report's Prometheus writer. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "atomic.h"
#include "broker.h"
#include "logline.h"
#include "output.h"
#include "tally.h"

/* The runs per plugin and event whose wall times make the quantiles. */
#define METRICS_WINDOW 1024

static const struct {
	const char *family, *label, *value;
} events[BROKER_EV_COUNT] = {
	[BROKER_EV_RUN] = { "spp_broker_runs_total", NULL, NULL },
	[BROKER_EV_REFUSED_UID] = { "spp_broker_refused_total", "cause",
				    "uid" },
	[BROKER_EV_REFUSED_REQUEST] = { "spp_broker_refused_total", "cause",
					"request" },
	[BROKER_EV_REFUSED_POLICY] = { "spp_broker_refused_total", "cause",
				       "policy" },
	[BROKER_EV_REFUSED_BUSY] = { "spp_broker_refused_total", "cause",
				     "busy" },
	[BROKER_EV_REFUSED_RESOURCES] = { "spp_broker_refused_total", "cause",
					  "resources" },
	[BROKER_EV_KILLED_CAP] = { "spp_broker_killed_total", "cause", "cap" },
	[BROKER_EV_KILLED_CRASH] = { "spp_broker_killed_total", "cause",
				     "crash" },
	[BROKER_EV_KILLED_GONE] = { "spp_broker_killed_total", "cause",
				    "client gone" },
	[BROKER_EV_DROPPED_CONNS] = { "spp_broker_dropped_total", "cause",
				      "connections" },
	[BROKER_EV_DROPPED_SLOW] = { "spp_broker_dropped_total", "cause",
				     "deadline" },
};

static const struct {
	const char *family, *help;
} families[] = {
	{ "spp_broker_runs_total", "Runs the broker's workers started." },
	{ "spp_broker_refused_total",
	  "Requests refused, by cause (the client makes the run itself)." },
	{ "spp_broker_killed_total",
	  "Runs the broker killed or lost, by cause (failure verdict or no "
	  "reply)." },
	{ "spp_broker_dropped_total",
	  "Connections dropped without a reply, by cause." },
};

struct broker_metrics {
	char *path;
	struct rep_tally *tally;
	unsigned long events[BROKER_EV_COUNT];
	int dirty;
};

struct broker_metrics *metrics_new(const char *path, struct sbx_error *err)
{
	struct broker_metrics *m = calloc(1, sizeof(*m));

	if (!m || !(m->path = strdup(path)) || !(m->tally = rep_tally_new(0)) ||
	    rep_tally_window(m->tally, METRICS_WINDOW) < 0) {
		metrics_free(m);
		sbx_fail(err, ENOMEM, "metrics: out of memory");
		return NULL;
	}
	return m;
}

void metrics_free(struct broker_metrics *m)
{
	if (!m)
		return;
	rep_tally_free(m->tally);
	free(m->path);
	free(m);
}

int metrics_log(struct broker_metrics *m, const char *log, size_t len)
{
	struct timespec now;
	struct rep_line l;
	int rc = 0;

	clock_gettime(CLOCK_REALTIME, &now);
	for (size_t start = 0, i = 0; i <= len; i++) {
		if (i < len && log[i] != '\n')
			continue;
		if (i > start) {
			rep_line_parse(log + start, i - start, now.tv_sec, &l);
			/* the worker's lines have no stamp (multilog adds
			 * them later): the run ended now */
			if (l.stamp == REP_STAMP_NONE) {
				l.stamp = REP_STAMP_UTC;
				l.time = (double)now.tv_sec +
					 (double)now.tv_nsec / 1e9;
			}
			if (rep_tally_add(m->tally, &l, 0, 0) < 0)
				rc = -1;
			m->dirty = 1;
		}
		start = i + 1;
	}
	return rc;
}

void metrics_event(struct broker_metrics *m, enum broker_event ev)
{
	m->events[ev]++;
	m->dirty = 1;
}

int metrics_dirty(const struct broker_metrics *m)
{
	return m->dirty;
}

static void broker_families(FILE *f, const struct broker_metrics *m)
{
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		fprintf(f, "# HELP %s %s\n# TYPE %s counter\n",
			families[i].family, families[i].help,
			families[i].family);
		for (size_t e = 0; e < BROKER_EV_COUNT; e++) {
			if (strcmp(events[e].family, families[i].family) != 0)
				continue;
			if (events[e].label)
				fprintf(f, "%s{%s=\"%s\"} %lu\n",
					events[e].family, events[e].label,
					events[e].value, m->events[e]);
			else
				fprintf(f, "%s %lu\n", events[e].family,
					m->events[e]);
		}
	}
}

int metrics_write(struct broker_metrics *m, struct sbx_error *err)
{
	struct rep_atomic a;

	if (rep_tally_finish(m->tally) < 0)
		return sbx_fail(err, ENOMEM, "metrics: out of memory");
	if (rep_atomic_open(&a, m->path, err) < 0)
		return -1;
	if (rep_prom_write(a.f, m->tally) < 0) {
		rep_atomic_abort(&a);
		return sbx_fail(err, EIO, "%s: write failed", m->path);
	}
	broker_families(a.f, m);
	if (rep_atomic_commit(&a, err) < 0)
		return -1;
	m->dirty = 0;
	return 0;
}
