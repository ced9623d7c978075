/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Run a check suite with TAP output. */
#include <stdlib.h>

#include "tap.h"

int tap_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_set_tap(sr, "-");
	srunner_run_all(sr, CK_SILENT);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
