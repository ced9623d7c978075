// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rcptcheck: qmail-spp [rcpt] plugin that rejects unknown recipients at our
 * own domains, looked up in a cdb built by rcptcheck-make (the chkusr idea).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cdb.h>

#define RC_DEFAULT_CDB "control/rcptcheck.cdb"
#define RC_DEFAULT_MAXBAD 10
#define RC_MAX_ADDR 1024

static void say(const char *line)
{
	fputs(line, stdout);
	fputc('\n', stdout);
	fflush(stdout);
}

static void defer(const char *why, const char *arg)
{
	fprintf(stderr, "rcptcheck: warning: %s%s%s\n", why, arg ? ": " : "",
		arg ? arg : "");
	say("E451 recipient check unavailable, try again later (#4.3.0)");
}

/* A counter from the environment; -1 when unset or malformed. */
static long env_count(const char *name)
{
	const char *s = getenv(name);
	char *end;
	long v;

	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < 0)
		return -1;
	return v;
}

/* 1 found, 0 not found, -1 cdb error (errno set). */
static int lookup(struct cdb *db, const char *key)
{
	return cdb_find(db, key, strlen(key));
}

int main(void)
{
	const char *path = getenv("RCPTCHECK_CDB");
	const char *rcpt = getenv("SMTPRCPTTO");
	const char *s;
	char addr[RC_MAX_ADDR + 2];
	char *at;
	struct cdb db;
	long maxbad = RC_DEFAULT_MAXBAD, all, ok;
	size_t i, len;
	int fd, r;

	if (!path || !*path)
		path = RC_DEFAULT_CDB;
	s = getenv("RCPTCHECK_MAXBAD");
	if (s && *s) {
		char *end;

		errno = 0;
		maxbad = strtol(s, &end, 10);
		if (errno || *end || maxbad < 0) {
			defer("bad RCPTCHECK_MAXBAD", s);
			return 100;
		}
	}
	if (!rcpt) {
		defer("SMTPRCPTTO is not set", NULL);
		return 100;
	}
	len = strlen(rcpt);
	if (len > RC_MAX_ADDR)
		return 0; /* qmail-smtpd refuses such addresses itself */
	for (i = 0; i < len; i++)
		addr[i] = (char)tolower((unsigned char)rcpt[i]);
	addr[len] = '\0';
	at = strrchr(addr, '@');
	if (!at || !at[1])
		return 0; /* no domain: local delivery rules decide */

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		defer(strerror(errno), path);
		return 111;
	}
	if (cdb_init(&db, fd) < 0) {
		defer("not a cdb", path);
		return 111;
	}
	/* Full address, then "@domain" (whole domain accepted). */
	r = lookup(&db, addr);
	if (r == 0)
		r = lookup(&db, at);
	if (r > 0)
		return 0;
	/* "domain": ours, so an unknown local part is refused. */
	if (r == 0)
		r = lookup(&db, at + 1);
	if (r < 0) {
		defer("corrupt cdb", path);
		return 111;
	}
	if (r == 0)
		return 0; /* not our domain: rcpthosts decides */

	/*
	 * An unknown recipient. Recipients refused so far in this transaction,
	 * this one included: those that reached the hook minus those accepted.
	 */
	all = env_count("SMTPRCPTCOUNTALL");
	ok = env_count("SMTPRCPTCOUNT");
	if (maxbad > 0 && all >= 0 && ok >= 0 && all - ok >= maxbad) {
		fprintf(stderr,
			"rcptcheck: info: too many unknown recipients\n");
		say("R421 too many unknown recipients (#4.7.1)");
		return 0;
	}
	say("E550 sorry, no mailbox here by that name (#5.1.1)");
	return 0;
}
