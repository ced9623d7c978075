/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The seccomp API level under valgrind (see tap.h). */
#include <seccomp.h>
#include <stdio.h>

#include "tap.h"

void tap_seccomp_api(void)
{
	unsigned int api = seccomp_api_get();

	if (api >= 5)
		return;
	printf("# libseccomp API level %u (no seccomp(2)?): forcing level 5\n",
	       api);
	fflush(stdout);
	if (seccomp_api_set(5) != 0)
		printf("# seccomp_api_set(5) failed\n");
}
