/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The plot (output.h): runs per time bucket and their p99 wall time, one
 * line per plugin, as a standalone SVG document. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "output.h"

#define WIDTH 960
#define LEFT 80
#define RIGHT 30
#define PANEL_H 220
#define TOP1 60 /* runs panel */
#define TOP2 (TOP1 + PANEL_H + 60) /* p99 panel */
#define LEGEND (TOP2 + PANEL_H + 66)
#define ROW 18
#define PLOT_W (WIDTH - LEFT - RIGHT)

/* colour-blind safe (Okabe and Ito) */
static const char *const colours[REP_SVG_PLUGINS] = {
	"#0072b2", "#d55e00", "#009e73", "#cc79a7",
	"#e69f00", "#56b4e9", "#000000", "#f0e442",
};

/* A plugin drawn: its name (borrowed from a series) and its runs. */
struct plot_plugin {
	const char *name;
	unsigned long runs;
};

struct plot {
	struct plot_plugin p[REP_SVG_PLUGINS];
	int np;
	unsigned long more_plugins, more_runs; /* not drawn */
	int *plugin_of; /* series -> drawn plugin or -1 */
	unsigned int nb;
	int by_time;
	enum rep_stamp stamp;
	double x0, x1, width; /* domain and bucket width */
	unsigned long *count; /* [plugin * nb + bucket] */
	double *p99; /* likewise; NAN when no run */
	unsigned long maxcount;
	double minp99, maxp99;
};

/* Text for XML: the five special characters as entities; control and
 * non-ASCII bytes (spp-run escapes them, so only a forged log has them)
 * as '?', since XML 1.0 forbids most controls even as references. */
static void xml_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '&')
			fputs("&amp;", f);
		else if (c == '<')
			fputs("&lt;", f);
		else if (c == '>')
			fputs("&gt;", f);
		else if (c == '"')
			fputs("&quot;", f);
		else if (c == '\'')
			fputs("&apos;", f);
		else if (c < 0x20 || c >= 0x7f)
			fputc('?', f);
		else
			fputc(c, f);
	}
}

/* The drawn plugins: events merged, the most runs first (then by name). */
static int pick_plugins(struct plot *pl, const struct rep_tally *t)
{
	pl->plugin_of = malloc((t->nseries ? t->nseries : 1) * sizeof(int));
	if (!pl->plugin_of)
		return -1;
	/* t->order groups a program's series together */
	for (size_t i = 0; i < t->nseries;) {
		const char *name = t->series[t->order[i]].program;
		unsigned long runs = 0;
		size_t j;
		int k;

		for (j = i; j < t->nseries &&
			    strcmp(t->series[t->order[j]].program, name) == 0;
		     j++)
			runs += t->series[t->order[j]].runs;
		/* into the top list, which is sorted: ties keep name order */
		for (k = pl->np; k > 0 && pl->p[k - 1].runs < runs; k--)
			;
		if (k >= REP_SVG_PLUGINS) {
			pl->more_plugins++;
			pl->more_runs += runs;
			i = j;
			continue;
		}
		if (pl->np == REP_SVG_PLUGINS) {
			/* the last one drops out */
			pl->more_plugins++;
			pl->more_runs += pl->p[REP_SVG_PLUGINS - 1].runs;
		} else {
			pl->np++;
		}
		memmove(&pl->p[k + 1], &pl->p[k],
			(size_t)(pl->np - 1 - k) * sizeof(pl->p[0]));
		pl->p[k].name = name;
		pl->p[k].runs = runs;
		i = j;
	}
	for (size_t i = 0; i < t->nseries; i++) {
		pl->plugin_of[i] = -1;
		for (int k = 0; k < pl->np; k++)
			if (strcmp(t->series[i].program, pl->p[k].name) == 0)
				pl->plugin_of[i] = k;
	}
	return 0;
}

static double run_x(const struct plot *pl, const struct rep_tally *t, size_t i)
{
	return pl->by_time ? t->run[i].time : (double)i;
}

static unsigned int bucket_of(const struct plot *pl, double x)
{
	double b = floor((x - pl->x0) / pl->width);

	return b < 0 ? 0 : b >= pl->nb ? pl->nb - 1 : (unsigned int)b;
}

struct keyed {
	unsigned int key; /* plugin * nb + bucket */
	double wall;
};

static int cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (x->wall > y->wall) - (x->wall < y->wall);
}

/* Counts and p99 per drawn plugin and bucket. */
static int fill(struct plot *pl, const struct rep_tally *t)
{
	size_t cells = (size_t)pl->np * pl->nb, n = 0;
	struct keyed *k = malloc((t->nrun ? t->nrun : 1) * sizeof(*k));
	double *wall = malloc((t->nrun ? t->nrun : 1) * sizeof(*wall));
	int rc = -1;

	pl->count = calloc(cells ? cells : 1, sizeof(*pl->count));
	pl->p99 = malloc((cells ? cells : 1) * sizeof(*pl->p99));
	if (!k || !wall || !pl->count || !pl->p99)
		goto fail;
	for (size_t i = 0; i < cells; i++)
		pl->p99[i] = NAN;
	for (size_t i = 0; i < t->nrun; i++) {
		int p = pl->plugin_of[t->run[i].series];

		if (p < 0)
			continue;
		k[n].key = (unsigned int)p * pl->nb +
			   bucket_of(pl, run_x(pl, t, i));
		k[n++].wall = t->run[i].wall_ms;
	}
	/* by cell, then wall time: each cell's times sorted and together */
	qsort(k, n, sizeof(*k), cmp_keyed);
	for (size_t i = 0; i < n; i++)
		wall[i] = k[i].wall;
	pl->minp99 = INFINITY;
	pl->maxp99 = 0;
	for (size_t i = 0, j; i < n; i = j) {
		double v;

		for (j = i; j < n && k[j].key == k[i].key; j++)
			;
		v = rep_percentile(wall + i, j - i, 0.99);
		pl->count[k[i].key] = j - i;
		pl->p99[k[i].key] = v;
		if (j - i > pl->maxcount)
			pl->maxcount = j - i;
		if (v < pl->minp99)
			pl->minp99 = v;
		if (v > pl->maxp99)
			pl->maxp99 = v;
	}
	rc = 0;
fail:
	free(k);
	free(wall);
	return rc;
}

/* Time on the axis: a date for UTC stamps and clock readings, seconds
 * since boot, or the run's number in the log. */
static void x_label(const struct plot *pl, double x, char *buf, size_t len)
{
	struct tm tm;
	time_t s = (time_t)floor(x);

	if (!pl->by_time) {
		snprintf(buf, len, "run %.0f", x + 1);
	} else if (pl->stamp == REP_STAMP_MONOTONIC) {
		snprintf(buf, len, "%.0f s", x);
	} else if (gmtime_r(&s, &tm)) {
		snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			 tm.tm_hour, tm.tm_min, tm.tm_sec);
	} else {
		snprintf(buf, len, "%.0f", x);
	}
}

static const char *x_title(const struct plot *pl)
{
	if (!pl->by_time)
		return "runs in log order";
	switch (pl->stamp) {
	case REP_STAMP_UTC:
		return "time (UTC)";
	case REP_STAMP_MONOTONIC:
		return "time since boot";
	default:
		return "time (as logged, zone unknown)";
	}
}

static double bucket_mid_px(const struct plot *pl, unsigned int b)
{
	return LEFT + PLOT_W * (b + 0.5) / pl->nb;
}

/* The frame, x ticks and labels of a panel at top. */
static void frame(FILE *f, const struct plot *pl, int top, const char *title)
{
	char label[64];

	fprintf(f,
		"<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
		"fill=\"none\" stroke=\"#888\"/>\n",
		LEFT, top, PLOT_W, PANEL_H);
	fprintf(f,
		"<text x=\"%d\" y=\"%d\" font-size=\"13\" "
		"font-weight=\"bold\">",
		LEFT, top - 8);
	xml_text(f, title);
	fputs("</text>\n", f);
	for (int i = 0; i <= 4; i++) {
		double x = pl->x0 + (pl->x1 - pl->x0) * i / 4;
		double px = LEFT + PLOT_W * i / 4.0;

		x_label(pl, x, label, sizeof(label));
		fprintf(f,
			"<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
			"stroke=\"#888\"/>\n",
			px, top + PANEL_H, px, top + PANEL_H + 4);
		fprintf(f,
			"<text x=\"%.1f\" y=\"%d\" font-size=\"10\" "
			"text-anchor=\"%s\">",
			px, top + PANEL_H + 16,
			i == 0 ? "start" :
			i == 4 ? "end" :
				 "middle");
		xml_text(f, label);
		fputs("</text>\n", f);
	}
}

static void y_tick(FILE *f, double py, const char *label)
{
	fprintf(f,
		"<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
		"stroke=\"#ddd\"/>\n",
		LEFT, py, LEFT + PLOT_W, py);
	fprintf(f,
		"<text x=\"%d\" y=\"%.1f\" font-size=\"10\" "
		"text-anchor=\"end\">%s</text>\n",
		LEFT - 6, py + 3, label);
}

/* A round top for the runs axis: 1, 2 or 5 times a power of ten. */
static double nice_top(double v)
{
	double p = pow(10, floor(log10(v > 1 ? v : 1)));

	for (;;) {
		if (p >= v)
			return p;
		if (2 * p >= v)
			return 2 * p;
		if (5 * p >= v)
			return 5 * p;
		p *= 10;
	}
}

static void runs_panel(FILE *f, const struct plot *pl)
{
	double top = nice_top((double)pl->maxcount);
	char label[32];

	frame(f, pl, TOP1, "runs per bucket");
	for (int i = 0; i <= 4; i++) {
		snprintf(label, sizeof(label), "%g", top * i / 4);
		y_tick(f, TOP1 + PANEL_H - PANEL_H * i / 4.0, label);
	}
	for (int p = 0; p < pl->np; p++) {
		fprintf(f,
			"<polyline fill=\"none\" stroke=\"%s\" "
			"stroke-width=\"1.5\" points=\"",
			colours[p]);
		for (unsigned int b = 0; b < pl->nb; b++)
			fprintf(f, "%s%.1f,%.1f", b ? " " : "",
				bucket_mid_px(pl, b),
				TOP1 + PANEL_H -
					PANEL_H *
						(double)pl->count[p * pl->nb +
								  b] /
						top);
		fputs("\"/>\n", f);
	}
}

/* The y of a p99 of v ms on the axis of decades lo to hi. */
static double p99_px(double v, double lo, double hi)
{
	return TOP2 + PANEL_H -
	       PANEL_H * (log10(v > 0.01 ? v : 0.01) - lo) / (hi - lo);
}

static void p99_panel(FILE *f, const struct plot *pl)
{
	/* logarithmic: a timeout's 1000 ms beside a 2 ms run */
	double lo = floor(log10(pl->minp99 > 0.01 ? pl->minp99 : 0.01));
	double hi = ceil(log10(pl->maxp99 > 0.01 ? pl->maxp99 : 0.01));
	char label[32];

	if (hi <= lo)
		hi = lo + 1;
	frame(f, pl, TOP2, "p99 wall time per bucket (ms, log scale)");
	for (double e = lo; e <= hi; e++) {
		snprintf(label, sizeof(label), "%g", pow(10, e));
		y_tick(f, TOP2 + PANEL_H - PANEL_H * (e - lo) / (hi - lo),
		       label);
	}
	for (int p = 0; p < pl->np; p++) {
		int open = 0;

		/* a line through neighbouring buckets that had runs */
		for (unsigned int b = 0; b < pl->nb; b++) {
			double v = pl->p99[p * pl->nb + b];

			if (isnan(v)) {
				if (open)
					fputs("\"/>\n", f);
				open = 0;
				continue;
			}
			if (!open)
				fprintf(f,
					"<polyline fill=\"none\" stroke=\"%s\" "
					"stroke-width=\"1.5\" points=\"",
					colours[p]);
			fprintf(f, "%s%.1f,%.1f", open ? " " : "",
				bucket_mid_px(pl, b), p99_px(v, lo, hi));
			open = 1;
		}
		if (open)
			fputs("\"/>\n", f);
		/* and a dot on each, so a lone bucket shows */
		for (unsigned int b = 0; b < pl->nb; b++) {
			double v = pl->p99[p * pl->nb + b];

			if (isnan(v))
				continue;
			fprintf(f,
				"<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2\" "
				"fill=\"%s\"/>\n",
				bucket_mid_px(pl, b), p99_px(v, lo, hi),
				colours[p]);
		}
	}
}

static void legend(FILE *f, const struct plot *pl, const struct rep_tally *t)
{
	int y = LEGEND;

	for (int p = 0; p < pl->np; p++, y += ROW) {
		fprintf(f,
			"<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"4\" "
			"fill=\"%s\"/>\n",
			LEFT, y - 5, colours[p]);
		fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"12\">",
			LEFT + 20, y);
		xml_text(f, pl->p[p].name);
		fprintf(f, " (%lu runs)</text>\n", pl->p[p].runs);
	}
	if (pl->more_plugins) {
		fprintf(f,
			"<text x=\"%d\" y=\"%d\" font-size=\"12\">%lu more "
			"plugins (%lu runs) not drawn</text>\n",
			LEFT, y, pl->more_plugins, pl->more_runs);
		y += ROW;
	}
	fprintf(f,
		"<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#555\">%lu "
		"runs from %lu lines (%lu bad); %u buckets of %.3g %s</text>\n",
		LEFT, y + 4, t->runs, t->lines, t->bad, pl->nb, pl->width,
		pl->by_time ? "s" : "runs");
}

int rep_svg_write(FILE *f, const struct rep_tally *t, unsigned int buckets)
{
	struct plot pl;
	int height, rc = -1;

	memset(&pl, 0, sizeof(pl));
	pl.nb = buckets < 2 ? 2 : buckets > 1000 ? 1000 : buckets;
	/* one kind of stamp on every run: a time axis; else log order */
	pl.by_time = t->stamps && !(t->stamps & (t->stamps - 1)) &&
		     !(t->stamps & 1u << REP_STAMP_NONE);
	for (int k = REP_STAMP_NONE; k <= REP_STAMP_MONOTONIC; k++)
		if (t->stamps == 1u << k)
			pl.stamp = (enum rep_stamp)k;
	pl.x0 = INFINITY;
	pl.x1 = -INFINITY;
	for (size_t i = 0; i < t->nrun; i++) {
		double x = run_x(&pl, t, i);

		if (x < pl.x0)
			pl.x0 = x;
		if (x > pl.x1)
			pl.x1 = x;
	}
	if (!t->nrun)
		pl.x0 = pl.x1 = 0;
	/* the last run inside the last bucket */
	pl.width = (pl.x1 - pl.x0) / pl.nb;
	if (pl.width <= 0)
		pl.width = 1;
	else if (!pl.by_time)
		pl.width = ceil((pl.x1 - pl.x0 + 1) / pl.nb);
	if (pick_plugins(&pl, t) < 0 || fill(&pl, t) < 0)
		goto out;
	height = LEGEND + ROW * (pl.np + 2) + 10;
	fprintf(f,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		"height=\"%d\" viewBox=\"0 0 %d %d\" "
		"font-family=\"sans-serif\">\n"
		"<title>spp-report: runs and p99 wall time per plugin</title>\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
		"<text x=\"%d\" y=\"24\" font-size=\"16\">spp plugin runs and "
		"p99 wall time</text>\n",
		WIDTH, height, WIDTH, height, LEFT);
	if (pl.np) {
		runs_panel(f, &pl);
		p99_panel(f, &pl);
		fprintf(f,
			"<text x=\"%d\" y=\"%d\" font-size=\"12\" "
			"text-anchor=\"middle\">%s</text>\n",
			LEFT + PLOT_W / 2, TOP2 + PANEL_H + 34, x_title(&pl));
	}
	legend(f, &pl, t);
	fputs("</svg>\n", f);
	rc = ferror(f) ? -1 : 0;
out:
	free(pl.plugin_of);
	free(pl.count);
	free(pl.p99);
	return rc;
}
