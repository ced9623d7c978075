/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tarpit: qmail-spp [rcpt] plugin sleeping TARPIT_DELAY seconds per recipient
 * beyond TARPIT_AFTER (SMTPRCPTCOUNTALL), at most TARPIT_MAX seconds, which
 * ends at least one second before the plugin's timeout (TARPIT_TIMEOUT). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define PROG "tarpit"

#ifdef SPP_ESCAPE /* test-only variant, see tests/plugins/escape.h */
#include "escape.h"
#else
static void escape(void)
{
}
#endif

static void fatal(const char *name, const char *val)
{
	fprintf(stderr,
		PROG ": fatal: %s: not a number from 0 to 3600: %.40s\n", name,
		val);
	printf("E451 " PROG ": configuration error (#4.3.5)\n");
	fflush(stdout);
	exit(100);
}

/* The variable name as a number of 0 to 3600, or def when unset or empty. */
static unsigned long number(const char *name, unsigned long def)
{
	const char *v = getenv(name);
	unsigned long n;
	char *end;

	if (!v || !*v)
		return def;
	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno || end == v || *end || *v == '-' || n > 3600)
		fatal(name, v);
	return n;
}

int main(void)
{
	unsigned long timeout = number("TARPIT_TIMEOUT", 5);
	unsigned long after = number("TARPIT_AFTER", 5);
	unsigned long delay = number("TARPIT_DELAY", 1);
	unsigned long cap = timeout > 1 ? timeout - 1 : 0;
	unsigned long max = number("TARPIT_MAX", cap);
	unsigned long count;
	const char *c = getenv("SMTPRCPTCOUNTALL");
	struct timespec ts;
	char *end;

	escape();
	if (max > cap) {
		fprintf(stderr,
			PROG ": warning: TARPIT_MAX %lu capped to %lu, 1s "
			     "before the timeout\n",
			max, cap);
		max = cap;
	}
	if (!c || !*c)
		return 0; /* not at [rcpt] */
	errno = 0;
	count = strtoul(c, &end, 10);
	if (errno || end == c || *end) {
		fprintf(stderr, PROG ": warning: bad SMTPRCPTCOUNTALL: %.40s\n",
			c);
		return 0;
	}
	if (count <= after || delay == 0 || max == 0)
		return 0;
	/* (count - after) * delay, without overflow */
	ts.tv_sec = (time_t)(count - after > max / delay ?
				     max :
				     (count - after) * delay);
	ts.tv_nsec = 0;
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	return 0;
}
