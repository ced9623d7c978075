/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading one log, line by line, into a tally. */
#ifndef SPP_REPORT_SOURCE_H
#define SPP_REPORT_SOURCE_H

#include <time.h>

#include "sbx.h"
#include "tally.h"

/*
 * Read fd to its end, parsing each line (rep_line_parse with now) into t
 * as input file number file. Lines of any length and any bytes are read:
 * a line longer than REP_LINE_MAX is judged by its start; a last line
 * without a newline counts. name is for messages only. Returns 0, or -1
 * with err (read error: its errno; ENOMEM). Borrows fd.
 */
int rep_source_read(int fd, const char *name, unsigned int file, time_t now,
		    struct rep_tally *t, struct sbx_error *err);

#endif
