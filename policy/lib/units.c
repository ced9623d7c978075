/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Sizes ("64M") and durations ("250ms") as written in policy files: strict
 * parsers and the matching shortest exact formatters. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "pol.h"

struct unit {
	const char *name;
	uint64_t factor;
};

/* Largest factor first: the formatters pick the first exact one. */
static const struct unit size_units[] = {
	{ "G", 1024ULL * 1024 * 1024 },
	{ "M", 1024ULL * 1024 },
	{ "K", 1024ULL },
	{ "", 1 },
	{ NULL, 0 },
};

static const struct unit time_units[] = {
	{ "m", 60ULL * 1000 },
	{ "s", 1000 },
	{ "ms", 1 },
	{ NULL, 0 },
};

/* Leading decimal digits of s into *v; returns the number of digits, or -1
 * on overflow. No sign, no blanks, no base prefix: strtoull would accept
 * all three, which a policy must not. */
static int digits(const char *s, uint64_t *v)
{
	uint64_t n = 0;
	int i;

	for (i = 0; s[i] >= '0' && s[i] <= '9'; i++) {
		unsigned int d = (unsigned int)(s[i] - '0');

		if (n > (UINT64_MAX - d) / 10)
			return -1;
		n = n * 10 + d;
	}
	*v = n;
	return i;
}

/* ASCII only, whatever the locale. */
static int is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* "bad size '64Q': unknown unit", the value escaped and cut short. */
static int bad(struct sbx_error *err, int code, const char *what, const char *s,
	       const char *why)
{
	char esc[48];

	sbx_escape(esc, sizeof(esc), s, strlen(s));
	return sbx_fail(err, code, "bad %s '%s': %s", what, esc, why);
}

static int parse_unit(const char *what, const struct unit *units, const char *s,
		      uint64_t *out, struct sbx_error *err)
{
	const struct unit *u;
	uint64_t n;
	int nd;

	if (*s == '\0')
		return bad(err, EINVAL, what, s, "empty");
	if (*s == '-')
		return bad(err, EINVAL, what, s, "negative");
	nd = digits(s, &n);
	if (nd < 0)
		return bad(err, ERANGE, what, s, "too large");
	if (nd == 0)
		return bad(err, EINVAL, what, s, "not a number");
	for (u = units; u->name; u++) {
		if (strcmp(s + nd, u->name) != 0)
			continue;
		if (n > UINT64_MAX / u->factor)
			return bad(err, ERANGE, what, s, "too large");
		*out = n * u->factor;
		return 0;
	}
	if (s[nd] == '\0') /* only times have no unitless form */
		return bad(err, EINVAL, what, s, "missing unit (ms, s, m)");
	/* "64M5" and "1.5M" have junk after the number or a known unit;
	 * "64Q", "64MB" and "5min" have a unit we do not know. */
	if (!is_letter(s[nd]))
		return bad(err, EINVAL, what, s, "trailing characters");
	for (u = units; u->name; u++) {
		size_t ul = strlen(u->name);

		if (ul && strncmp(s + nd, u->name, ul) == 0 &&
		    !is_letter(s[nd + ul]))
			return bad(err, EINVAL, what, s, "trailing characters");
	}
	return bad(err, EINVAL, what, s, "unknown unit");
}

int pol_parse_size(const char *s, uint64_t *out, struct sbx_error *err)
{
	return parse_unit("size", size_units, s, out, err);
}

int pol_parse_time(const char *s, uint64_t *ms, struct sbx_error *err)
{
	return parse_unit("time", time_units, s, ms, err);
}

static void format_unit(const struct unit *units, uint64_t v, char *buf,
			size_t len)
{
	const struct unit *u;

	if (len == 0)
		return;
	for (u = units; u->name; u++) {
		if (v != 0 && v % u->factor != 0)
			continue;
		if (v == 0 && u[1].name)
			continue; /* zero in the smallest unit: "0", "0ms" */
		snprintf(buf, len, "%llu%s",
			 (unsigned long long)(v / u->factor), u->name);
		return;
	}
	buf[0] = '\0';
}

void pol_format_size(uint64_t v, char *buf, size_t len)
{
	format_unit(size_units, v, buf, len);
}

void pol_format_time(uint64_t ms, char *buf, size_t len)
{
	format_unit(time_units, ms, buf, len);
}
