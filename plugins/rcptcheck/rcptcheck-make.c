// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rcptcheck-make: build the cdb of rcptcheck from a text file, one address,
 * @domain or domain per line, replacing the old cdb atomically (tmp + rename).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cdb.h>

#define RM_MAX_LINE 1024

static char tmp[4096];

__attribute__((format(printf, 2, 3))) static int fatal(int code,
						       const char *fmt, ...)
{
	va_list ap;

	fputs("rcptcheck-make: fatal: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (tmp[0])
		unlink(tmp);
	return code;
}

/* Trim, lowercase, check one line; 0 skip, 1 key, -1 bad. */
static int parse_line(char *line, char **key, const char **why)
{
	char *p = line, *e;
	size_t n = strlen(line);

	while (n && (line[n - 1] == '\n' || line[n - 1] == ' ' ||
		     line[n - 1] == '\t'))
		line[--n] = '\0';
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p || *p == '#')
		return 0;
	for (e = p; *e; e++) {
		unsigned char c = (unsigned char)*e;

		if (c <= ' ' || c == 0x7f) {
			*why = "blank or control character in entry";
			return -1;
		}
		*e = (char)tolower(c);
	}
	e = strchr(p, '@');
	if (e && (strchr(e + 1, '@') || !e[1])) {
		*why = "bad address";
		return -1;
	}
	*key = p;
	return 1;
}

/* After an error: let tinycdb free its buffers (the temporary file is
 * removed anyway); returns code. */
static int unmake(struct cdb_make *cm, int code)
{
	cdb_make_finish(cm);
	return code;
}

int main(int argc, char **argv)
{
	const char *out, *in = "-";
	char line[RM_MAX_LINE + 2];
	struct cdb_make cm;
	FILE *f = stdin;
	unsigned long lineno = 0;
	int fd;

	if (argc < 2 || argc > 3 || argv[1][0] == '-') {
		fputs("usage: rcptcheck-make OUT.cdb [IN]\n", stderr);
		return 100;
	}
	out = argv[1];
	if (argc == 3 && strcmp(argv[2], "-") != 0) {
		in = argv[2];
		f = fopen(in, "re");
		if (!f)
			return fatal(111, "%s: %s", in, strerror(errno));
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", out) >= sizeof(tmp)) {
		tmp[0] = '\0';
		return fatal(100, "%s: path too long", out);
	}
	fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		int e = errno;

		tmp[0] = '\0';
		return fatal(111, "%s: %s", out, strerror(e));
	}
	if (cdb_make_start(&cm, fd) < 0)
		return fatal(111, "%s: %s", tmp, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		const char *why = NULL;
		char *key;
		int r;

		lineno++;
		if (!strchr(line, '\n') && !feof(f))
			return unmake(&cm, fatal(100, "%s:%lu: line too long",
						 in, lineno));
		r = parse_line(line, &key, &why);
		if (r < 0)
			return unmake(&cm, fatal(100, "%s:%lu: %s", in, lineno,
						 why));
		if (r == 0)
			continue;
		/* Duplicates are harmless: keep the first. */
		if (cdb_make_put(&cm, key, strlen(key), "", 0, CDB_PUT_INSERT) <
		    0)
			return unmake(&cm, fatal(111, "%s: %s", tmp,
						 strerror(errno)));
	}
	if (ferror(f))
		return unmake(&cm, fatal(111, "%s: read error", in));
	if (cdb_make_finish(&cm) < 0 || fsync(fd) < 0 || close(fd) < 0)
		return fatal(111, "%s: %s", tmp, strerror(errno));
	if (rename(tmp, out) < 0)
		return fatal(111, "%s: %s", out, strerror(errno));
	return 0;
}
