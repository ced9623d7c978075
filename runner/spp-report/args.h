/* SPDX-License-Identifier: GPL-2.0-or-later */
/* spp-report's command line, parsed apart from main so it can be tested. */
#ifndef SPP_REPORT_ARGS_H
#define SPP_REPORT_ARGS_H

#include "sbx.h"

struct rep_args {
	const char *svg; /* --svg FILE, or NULL */
	const char *prometheus; /* --prometheus FILE, or NULL */
	unsigned int slowest; /* --slowest N, default 10 */
	unsigned int buckets; /* --buckets N, default 48 */
	int quiet; /* -q, --quiet: no text report */
	int help; /* -h, --help */
	char **files; /* the logs ("-": standard input); borrowed from argv */
	int nfiles; /* 0: standard input */
};

/* Parse argv (options and files mixed, "--" ends the options, "-" is
 * standard input) into *a; the files are moved to the front of argv + 1,
 * in order, and a->files points there. Returns 0, or -1 with err (EINVAL)
 * on a usage error. */
int rep_args_parse(struct rep_args *a, int argc, char **argv,
		   struct sbx_error *err);

#endif
