/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Errors: how the library reports them, and the exit status every
 * program gives for one (qmail's 100 and 111). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "sbx.h"

int sbx_fail(struct sbx_error *err, int code, const char *fmt, ...)
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

int sbx_exit_status(int code)
{
	switch (code) {
	case ENOMEM:
	case EMFILE:
	case ENFILE:
	case EIO:
	case EAGAIN:
	case EINTR:
		return SBX_EXIT_TEMP;
	default:
		return SBX_EXIT_PERM;
	}
}
