/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A file replaced whole or not at all: written to a new temporary file in
 * its directory, synced, then renamed over it (what node_exporter's
 * textfile collector and a web server reading the SVG need). */
#ifndef SPP_REPORT_ATOMIC_H
#define SPP_REPORT_ATOMIC_H

#include <stdio.h>

#include "sbx.h"

struct rep_atomic {
	FILE *f; /* write here between open and commit */
	char *path;
	char *tmp;
};

/*
 * Create a temporary file for path beside it (".NAME.tmp.PID.N", made with
 * O_EXCL, mode 0644 whatever the umask, so the collector's user can read
 * it; hidden and without NAME's suffix, so the collector skips it) and
 * open a->f on it. Returns 0, or -1 with err.
 */
int rep_atomic_open(struct rep_atomic *a, const char *path,
		    struct sbx_error *err);

/* Flush, fsync and close a->f, rename the temporary file to the path and
 * fsync the directory. On failure the temporary file is removed. Returns
 * 0, or -1 with err. Frees what a holds either way. */
int rep_atomic_commit(struct rep_atomic *a, struct sbx_error *err);

/* Drop the temporary file (after a failed write); a may be unopened
 * (zeroed). */
void rep_atomic_abort(struct rep_atomic *a);

#endif
