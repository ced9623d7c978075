/* SPDX-License-Identifier: GPL-2.0-or-later */
/* spp-report: sums spp-run's report lines from logs (multilog, stderr,
 * journalctl) into a text report, an SVG plot and Prometheus metrics. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "args.h"
#include "atomic.h"
#include "output.h"
#include "source.h"
#include "tally.h"

#define PROG "spp-report"
#define USAGE                                                    \
	"usage: " PROG " [-q] [--svg FILE] [--prometheus FILE] " \
	"[--slowest N] [--buckets N] [LOG...]\n"

static void fatal(int code, const char *msg)
{
	fprintf(stderr, PROG ": fatal: %s\n", msg);
	exit(code);
}

static void read_logs(const char *const *names, unsigned int n,
		      struct rep_tally *t)
{
	struct sbx_error err = { 0, "" };
	time_t now = time(NULL);

	for (unsigned int i = 0; i < n; i++) {
		int stdin_ = strcmp(names[i], "-") == 0;
		int fd = stdin_ ? 0 : open(names[i], O_RDONLY | O_CLOEXEC);

		if (fd < 0) {
			snprintf(err.msg, sizeof(err.msg),
				 "cannot open %.160s: %s", names[i],
				 strerror(errno));
			fatal(SBX_EXIT_TEMP, err.msg);
		}
		if (rep_source_read(fd, stdin_ ? "standard input" : names[i], i,
				    now, t, &err) < 0)
			fatal(SBX_EXIT_TEMP, err.msg);
		if (!stdin_)
			close(fd);
	}
}

/* Write path atomically with one of the writers. */
static void write_file(const char *path, const struct rep_tally *t,
		       const struct rep_args *a, int svg)
{
	struct sbx_error err = { 0, "" };
	struct rep_atomic out;

	if (rep_atomic_open(&out, path, &err) < 0)
		fatal(SBX_EXIT_TEMP, err.msg);
	if ((svg ? rep_svg_write(out.f, t, a->buckets) :
		   rep_prom_write(out.f, t)) < 0) {
		rep_atomic_abort(&out);
		snprintf(err.msg, sizeof(err.msg), "%.160s: cannot write",
			 path);
		fatal(SBX_EXIT_TEMP, err.msg);
	}
	if (rep_atomic_commit(&out, &err) < 0)
		fatal(SBX_EXIT_TEMP, err.msg);
}

int main(int argc, char **argv)
{
	static const char *const stdin_only[] = { "-" };
	struct sbx_error err = { 0, "" };
	struct rep_args a;
	struct rep_tally *t;
	const char *const *names;
	unsigned int n;

	if (rep_args_parse(&a, argc, argv, &err) < 0) {
		fprintf(stderr, PROG ": usage: %s\n" USAGE, err.msg);
		return SBX_EXIT_PERM;
	}
	if (a.help) {
		fputs(USAGE, stdout);
		return 0;
	}
	names = a.nfiles ? (const char *const *)a.files : stdin_only;
	n = a.nfiles ? (unsigned int)a.nfiles : 1;
	t = rep_tally_new(a.slowest);
	if (!t)
		fatal(SBX_EXIT_TEMP, "out of memory");
	read_logs(names, n, t);
	if (rep_tally_finish(t) < 0)
		fatal(SBX_EXIT_TEMP, "out of memory");
	if (!a.quiet &&
	    (rep_table_write(stdout, t, names, n) < 0 || fflush(stdout) != 0))
		fatal(SBX_EXIT_TEMP, "standard output: cannot write");
	if (a.svg)
		write_file(a.svg, t, &a, 1);
	if (a.prometheus)
		write_file(a.prometheus, t, &a, 0);
	rep_tally_free(t);
	return 0;
}
