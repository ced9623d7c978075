/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Filling a struct rep_error (fail.h). */
#include <stdarg.h>
#include <stdio.h>

#include "fail.h"

int rep_fail(struct rep_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}
