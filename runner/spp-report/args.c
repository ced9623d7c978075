/* SPDX-License-Identifier: GPL-2.0-or-later */
/* spp-report's options (args.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "tally.h"

/* --name VALUE or --name=VALUE at argv[*i]: 1 with *value set (NULL when
 * the value is missing), 0 when argv[*i] is another option. */
static int option(const char *name, int argc, char **argv, int *i,
		  const char **value)
{
	size_t n = strlen(name);
	const char *arg = argv[*i];

	if (strncmp(arg, name, n) != 0)
		return 0;
	if (arg[n] == '=') {
		*value = arg + n + 1;
		return 1;
	}
	if (arg[n])
		return 0;
	*value = *i + 1 < argc ? argv[++*i] : NULL;
	return 1;
}

/* A whole number from lo to hi. */
static int number(const char *s, unsigned long lo, unsigned long hi,
		  unsigned int *out)
{
	char *end;
	unsigned long v;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return -1;
	*out = (unsigned int)v;
	return 0;
}

int rep_args_parse(struct rep_args *a, int argc, char **argv,
		   struct sbx_error *err)
{
	int i, nfiles = 0, opts = 1;

	memset(a, 0, sizeof(*a));
	a->slowest = 10;
	a->buckets = 48;
	/* the files are gathered at the front of argv + 1, in order */
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i], *v;

		if (!opts || arg[0] != '-' || strcmp(arg, "-") == 0) {
			argv[1 + nfiles++] = argv[i];
		} else if (strcmp(arg, "--") == 0) {
			opts = 0;
		} else if (strcmp(arg, "-h") == 0 ||
			   strcmp(arg, "--help") == 0) {
			a->help = 1;
		} else if (strcmp(arg, "-q") == 0 ||
			   strcmp(arg, "--quiet") == 0) {
			a->quiet = 1;
		} else if (option("--svg", argc, argv, &i, &v)) {
			if (!v || !*v)
				return sbx_fail(err, EINVAL,
						"--svg needs a file");
			a->svg = v;
		} else if (option("--prometheus", argc, argv, &i, &v)) {
			if (!v || !*v)
				return sbx_fail(err, EINVAL,
						"--prometheus needs a file");
			a->prometheus = v;
		} else if (option("--slowest", argc, argv, &i, &v)) {
			if (number(v, 0, REP_SLOWEST_MAX, &a->slowest) < 0)
				return sbx_fail(err, EINVAL,
						"--slowest: not a number from "
						"0 to %d",
						REP_SLOWEST_MAX);
		} else if (option("--buckets", argc, argv, &i, &v)) {
			if (number(v, 2, 1000, &a->buckets) < 0)
				return sbx_fail(err, EINVAL,
						"--buckets: not a number from "
						"2 to 1000");
		} else {
			return sbx_fail(err, EINVAL, "unknown option '%.100s'",
					arg);
		}
	}
	a->files = argv + 1;
	a->nfiles = nfiles;
	return 0;
}
