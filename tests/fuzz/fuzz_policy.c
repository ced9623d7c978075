/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target for the policy parser: whatever it accepts must dump to
 * text that parses back to the same policy; whatever it refuses, cleanly. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pol.h"
#include "sbx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* abort() rather than assert(): the check must survive -DNDEBUG. */
#define CHECK(cond)              \
	do {                     \
		if (!(cond))     \
			abort(); \
	} while (0)

static int is_zero(const void *p, size_t n)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < n; i++)
		if (c[i])
			return 0;
	return 1;
}

/* A refused policy leaves *p empty and one NUL-terminated message. */
static void check_refused(const struct sbx_policy *p,
			  const struct sbx_error *err)
{
	CHECK(is_zero(p, sizeof(*p)));
	CHECK(err->code != 0);
	CHECK(memchr(err->msg, '\0', sizeof(err->msg)) != NULL);
	CHECK(err->msg[0] != '\0');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sbx_policy p, q;
	struct sbx_error err = { 0, "" };
	char *text = NULL, *again = NULL;
	size_t len = 0, len2 = 0;

	if (pol_parse_buf("fuzz", (const char *)data, size, &p, &err) < 0) {
		check_refused(&p, &err);
		return 0;
	}
	/* Out of memory is the only way a dump may fail. */
	if (pol_dump(&p, &text, &len) < 0) {
		sbx_policy_clear(&p);
		return 0;
	}
	CHECK(strlen(text) == len);
	err.code = 0;
	if (pol_parse_buf("dump", text, len, &q, &err) < 0) {
		/* Only memory may run out; anything else is a dump the
		 * parser does not take back. */
		if (err.code != ENOMEM) {
			fprintf(stderr, "dump refused: %s\n%s", err.msg, text);
			abort();
		}
		goto out;
	}
	if (pol_dump(&q, &again, &len2) == 0) {
		if (len2 != len || memcmp(again, text, len) != 0) {
			fprintf(stderr, "dump changed:\n%s--\n%s", text, again);
			abort();
		}
		free(again);
	}
	sbx_policy_clear(&q);
out:
	free(text);
	sbx_policy_clear(&p);
	return 0;
}
