/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Summing parsed log lines per plugin and event (see tally.h); the wall
 * time quantiles. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tally.h"

/* Pending notes are few (one per program at most); a log that names
 * more programs than this in notes without reports loses the oldest. */
#define PENDING_MAX 256

struct rep_pending {
	char *program;
	int cannot_start;
	int dropped;
};

/* Grow *v (of *cap elements of size) to hold need; 0 or -1 (ENOMEM). */
static int grow(void *v, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 16;
	void *p;

	if (need <= *cap)
		return 0;
	while (n < need) {
		if (n > SIZE_MAX / 2 / size) {
			errno = ENOMEM;
			return -1;
		}
		n *= 2;
	}
	p = realloc(*(void **)v, n * size);
	if (!p)
		return -1;
	*(void **)v = p;
	*cap = n;
	return 0;
}

static void counts_free(struct rep_count *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(c[i].name);
	free(c);
}

/* Add one to name in the list (appending it when new). */
static int count_one(struct rep_count **c, size_t *n, const char *name)
{
	struct rep_count *p;

	for (size_t i = 0; i < *n; i++)
		if (strcmp((*c)[i].name, name) == 0) {
			(*c)[i].n++;
			return 0;
		}
	/* lists stay short (verdicts, causes): grow one at a time */
	p = realloc(*c, (*n + 1) * sizeof(**c));
	if (!p)
		return -1;
	*c = p;
	p[*n].name = strdup(name);
	if (!p[*n].name)
		return -1;
	p[*n].n = 1;
	(*n)++;
	return 0;
}

struct rep_tally *rep_tally_new(unsigned int nslowest)
{
	struct rep_tally *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->maxslow = nslowest > REP_SLOWEST_MAX ? REP_SLOWEST_MAX : nslowest;
	if (t->maxslow) {
		t->slow = calloc(t->maxslow, sizeof(*t->slow));
		if (!t->slow) {
			free(t);
			return NULL;
		}
	}
	return t;
}

int rep_tally_window(struct rep_tally *t, size_t n)
{
	if (n < 1 || n > REP_WINDOW_MAX || t->lines) {
		errno = EINVAL;
		return -1;
	}
	t->window = n;
	return 0;
}

void rep_tally_free(struct rep_tally *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nseries; i++) {
		struct rep_series *s = &t->series[i];

		free(s->program);
		free(s->event);
		counts_free(s->verdicts, s->nverdicts);
		counts_free(s->causes, s->ncauses);
		free(s->wall_ms);
		free(s->recent);
	}
	for (size_t i = 0; i < t->npending; i++)
		free(t->pending[i].program);
	counts_free(t->bad_whys, t->nbad_whys);
	free(t->pending);
	free(t->series);
	free(t->order);
	free(t->index);
	free(t->run);
	free(t->slow);
	free(t);
}

/* FNV-1a of program, a NUL and event. */
static size_t series_hash(const char *program, const char *event)
{
	uint64_t h = 14695981039346656037ULL;

	for (const char *p = program;; p++) {
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
		if (!*p)
			break;
	}
	for (const char *p = event; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return (size_t)h;
}

/* Put series i into the open-addressed index (entries are i + 1). */
static void index_put(struct rep_tally *t, size_t i)
{
	size_t mask = t->capindex - 1;
	size_t h = series_hash(t->series[i].program, t->series[i].event) & mask;

	while (t->index[h])
		h = (h + 1) & mask;
	t->index[h] = i + 1;
}

/* Keep the index at most half full. */
static int index_grow(struct rep_tally *t)
{
	size_t cap = t->capindex ? t->capindex * 2 : 64;
	size_t *old = t->index;

	if ((t->nseries + 1) * 2 <= t->capindex)
		return 0;
	if (cap > SIZE_MAX / sizeof(*old)) {
		errno = ENOMEM;
		return -1;
	}
	t->index = calloc(cap, sizeof(*t->index));
	if (!t->index) {
		t->index = old;
		return -1;
	}
	t->capindex = cap;
	free(old);
	for (size_t i = 0; i < t->nseries; i++)
		index_put(t, i);
	return 0;
}

/* The series of program under event, made when new; NULL on ENOMEM. */
static struct rep_series *series_get(struct rep_tally *t, const char *program,
				     const char *event, size_t *idx)
{
	struct rep_series *s;
	size_t h;

	if (t->capindex) {
		size_t mask = t->capindex - 1;

		for (h = series_hash(program, event) & mask; t->index[h];
		     h = (h + 1) & mask) {
			s = &t->series[t->index[h] - 1];
			if (strcmp(s->program, program) == 0 &&
			    strcmp(s->event, event) == 0) {
				*idx = t->index[h] - 1;
				return s;
			}
		}
	}
	if (index_grow(t) < 0 || grow(&t->series, &t->capseries, t->nseries + 1,
				      sizeof(*t->series)) < 0)
		return NULL;
	s = &t->series[t->nseries];
	memset(s, 0, sizeof(*s));
	s->program = strdup(program);
	s->event = strdup(event);
	if (!s->program || !s->event) {
		free(s->program);
		free(s->event);
		return NULL;
	}
	*idx = t->nseries++;
	index_put(t, *idx);
	return s;
}

static struct rep_pending *pending_find(struct rep_tally *t,
					const char *program)
{
	for (size_t i = 0; i < t->npending; i++)
		if (strcmp(t->pending[i].program, program) == 0)
			return &t->pending[i];
	return NULL;
}

/* A note says what program's next report means. A flag, not a count:
 * spp-run may say "cannot start" twice before one report. */
static int note_add(struct rep_tally *t, const struct rep_line *l)
{
	struct rep_pending *p = pending_find(t, l->program);

	if (!p) {
		if (t->npending == PENDING_MAX) {
			free(t->pending[0].program);
			memmove(t->pending, t->pending + 1,
				(PENDING_MAX - 1) * sizeof(*t->pending));
			t->npending--;
		} else if (!t->pending) {
			t->pending = calloc(PENDING_MAX, sizeof(*t->pending));
			if (!t->pending)
				return -1;
		}
		p = &t->pending[t->npending];
		p->program = strdup(l->program);
		if (!p->program)
			return -1;
		p->cannot_start = p->dropped = 0;
		t->npending++;
	}
	if (l->note == REP_NOTE_CANNOT_START)
		p->cannot_start = 1;
	else
		p->dropped = 1;
	return 0;
}

/* The failure cause of run l ("" when it did not fail), taking the
 * pending note about its program. */
static void run_cause(struct rep_tally *t, const struct rep_line *l,
		      char *cause, size_t len)
{
	struct rep_pending *p = pending_find(t, l->program);
	int cannot = p && p->cannot_start, dropped = p && p->dropped;

	if (p) {
		free(p->program);
		*p = t->pending[--t->npending];
	}
	if (cannot || (l->end == REP_END_EXIT && l->code == 120))
		snprintf(cause, len, "cannot start");
	else if (dropped && l->end == REP_END_EXIT)
		snprintf(cause, len, "verdict dropped");
	else
		rep_line_cause(l, cause, len);
}

/* Keep l among the slowest runs when it is one. */
static void slow_add(struct rep_tally *t, const struct rep_line *l,
		     unsigned int file, unsigned long lineno)
{
	struct rep_slow *s;
	size_t i;

	if (!t->maxslow || (t->nslow == t->maxslow &&
			    t->slow[t->nslow - 1].wall_ms >= l->wall_ms))
		return;
	if (t->nslow < t->maxslow)
		t->nslow++;
	/* insertion: ties keep the earlier run first */
	for (i = t->nslow - 1; i > 0 && t->slow[i - 1].wall_ms < l->wall_ms;
	     i--)
		t->slow[i] = t->slow[i - 1];
	s = &t->slow[i];
	s->wall_ms = l->wall_ms;
	s->cpu_ms = l->cpu_ms;
	s->pid = l->pid;
	s->file = file;
	s->lineno = lineno;
	memcpy(s->when, l->when, sizeof(s->when));
	memcpy(s->event, l->event, sizeof(s->event));
	memcpy(s->program, l->program, sizeof(s->program));
	memcpy(s->verdict, l->verdict, sizeof(s->verdict));
	rep_line_how(l, s->how, sizeof(s->how));
}

/* Room for run's wall time: every run's, or the window's ring. */
static int wall_room(struct rep_tally *t, struct rep_series *s)
{
	if (!t->window) {
		if (grow(&s->wall_ms, &s->capwall, s->nwall + 1,
			 sizeof(*s->wall_ms)) < 0 ||
		    grow(&t->run, &t->caprun, t->nrun + 1, sizeof(*t->run)) < 0)
			return -1;
		return 0;
	}
	if (!s->recent) {
		s->recent = calloc(t->window, sizeof(*s->recent));
		if (!s->recent)
			return -1;
	}
	return 0;
}

static void wall_add(struct rep_tally *t, struct rep_series *s, size_t idx,
		     const struct rep_line *l)
{
	if (!t->window) {
		s->wall_ms[s->nwall++] = l->wall_ms;
		t->run[t->nrun++] =
			(struct rep_run){ idx, l->stamp, l->time, l->wall_ms };
		return;
	}
	/* the oldest run's time makes room for the newest */
	s->recent[s->nextrecent] = l->wall_ms;
	s->nextrecent = (s->nextrecent + 1) % t->window;
	if (s->nrecent < t->window)
		s->nrecent++;
}

static int run_add(struct rep_tally *t, const struct rep_line *l,
		   unsigned int file, unsigned long lineno)
{
	char cause[REP_SYSCALL_MAX + 16];
	struct rep_series *s;
	size_t idx;

	s = series_get(t, l->program, l->event, &idx);
	if (!s || wall_room(t, s) < 0 ||
	    count_one(&s->verdicts, &s->nverdicts, l->verdict) < 0)
		return -1;
	run_cause(t, l, cause, sizeof(cause));
	if (cause[0]) {
		if (count_one(&s->causes, &s->ncauses, cause) < 0)
			return -1;
		s->failed++;
	}
	if (!s->runs || l->wall_ms > s->wall_max_ms)
		s->wall_max_ms = l->wall_ms;
	if (!t->runs || l->time > t->newest)
		t->newest = l->time;
	s->runs++;
	wall_add(t, s, idx, l);
	s->wall_sum_ms += l->wall_ms;
	s->cpu_sum_ms += l->cpu_ms;
	t->stamps |= 1u << l->stamp;
	slow_add(t, l, file, lineno);
	t->runs++;
	return 0;
}

int rep_tally_add(struct rep_tally *t, const struct rep_line *l,
		  unsigned int file, unsigned long lineno)
{
	switch (l->kind) {
	case REP_LINE_RUN:
		if (run_add(t, l, file, lineno) < 0)
			return -1;
		break;
	case REP_LINE_NOTE:
		if (l->note != REP_NOTE_OTHER && note_add(t, l) < 0)
			return -1;
		t->notes++;
		break;
	case REP_LINE_BAD:
		if (count_one(&t->bad_whys, &t->nbad_whys,
			      l->why ? l->why : "unknown") < 0)
			return -1;
		if (!t->bad) {
			t->first_bad_file = file;
			t->first_bad_lineno = lineno;
		}
		t->bad++;
		break;
	case REP_LINE_OTHER:
		t->other++;
		break;
	}
	t->lines++;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* qsort has no context argument: the series being ordered */
static const struct rep_series *order_base;

static int cmp_series(const void *a, const void *b)
{
	const struct rep_series *x = &order_base[*(const size_t *)a];
	const struct rep_series *y = &order_base[*(const size_t *)b];
	int c = strcmp(x->program, y->program);

	return c ? c : strcmp(x->event, y->event);
}

int rep_tally_finish(struct rep_tally *t)
{
	free(t->order);
	t->order = calloc(t->nseries ? t->nseries : 1, sizeof(*t->order));
	if (!t->order)
		return -1;
	for (size_t i = 0; i < t->nseries; i++) {
		struct rep_series *s = &t->series[i];

		/* windowed: the ring keeps its order (oldest next), the
		 * sorted copy is made anew */
		if (t->window) {
			if (grow(&s->wall_ms, &s->capwall, s->nrecent,
				 sizeof(*s->wall_ms)) < 0)
				return -1;
			if (s->nrecent)
				memcpy(s->wall_ms, s->recent,
				       s->nrecent * sizeof(*s->wall_ms));
			s->nwall = s->nrecent;
		}
		qsort(s->wall_ms, s->nwall, sizeof(double), cmp_double);
		t->order[i] = i;
	}
	order_base = t->series;
	qsort(t->order, t->nseries, sizeof(*t->order), cmp_series);
	return 0;
}

double rep_percentile(const double *sorted, size_t n, double q)
{
	double r;
	size_t rank;

	if (n == 0)
		return 0;
	/* the rank ceil(q * n), less a hair so that 0.99 * 100 (98.99...
	 * or 99.00...01 in binary) is rank 99 */
	r = ceil(q * (double)n - 1e-9);
	rank = r < 1 ? 1 : r > (double)n ? n : (size_t)r;
	return sorted[rank - 1];
}
