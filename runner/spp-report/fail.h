/* SPDX-License-Identifier: GPL-2.0-or-later */
/* spp-report's error: an errno-like code and a "what: why" message,
 * filled by the library parts and printed only by main. */
#ifndef SPP_REPORT_FAIL_H
#define SPP_REPORT_FAIL_H

struct rep_error {
	int code;
	char msg[512];
};

/* Fill err (when not NULL) with code and the formatted message; returns
 * -1, for `return rep_fail(...)`. */
int rep_fail(struct rep_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
