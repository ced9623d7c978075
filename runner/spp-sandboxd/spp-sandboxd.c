/* SPDX-License-Identifier: GPL-2.0-or-later */
/* spp-sandboxd: a broker that makes plugin runs for spp-run, with spp-run's
 * own code, for the uids it serves. Foreground, logs on stderr.
 * Exit 0 after SIGTERM; 100 on a usage error; 111 when it cannot serve. */
#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "broker.h"

#ifndef QMAIL_HOME
#define QMAIL_HOME "/var/qmail"
#endif

static void usage(void)
{
	fprintf(stderr,
		"usage: spp-sandboxd -s SOCKET -u USER [-u USER]... "
		"[-q QMAILHOME]... [-c RUNS] [-t SECONDS] [-g CGROUP] [-m FILE] "
		"[-v]\n");
}

static void fatal(int status, const char *msg)
{
	fprintf(stderr, "spp-sandboxd: fatal: %s\n", msg);
	exit(status);
}

static unsigned long number(const char *s, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (!*s || *end || errno || v == 0 || v > max) {
		usage();
		fatal(SBX_EXIT_PERM, "a bad number");
	}
	return v;
}

static uid_t user(const char *s)
{
	struct passwd *pw;
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s && !*end && !errno && v < 0xffffffffUL)
		return (uid_t)v;
	pw = getpwnam(s);
	if (!pw) {
		usage();
		fatal(SBX_EXIT_PERM, "-u: no such user");
	}
	return pw->pw_uid;
}

int main(int argc, char **argv)
{
	struct broker_conf conf = { .max_runs = 64, .cap_ms = 120 * 1000 };
	struct sbx_error err = { 0, "" };
	char esc[300];
	const char *metrics = NULL;
	int opt, lfd, rc;

	signal(SIGPIPE, SIG_IGN);
	while ((opt = getopt(argc, argv, "s:u:q:c:t:g:m:v")) != -1) {
		switch (opt) {
		case 's':
			conf.socket = optarg;
			break;
		case 'u':
			if (conf.nuids == BROKER_UIDS_MAX)
				fatal(SBX_EXIT_PERM, "too many -u");
			conf.uids[conf.nuids++] = user(optarg);
			break;
		case 'q':
			if (optarg[0] != '/')
				fatal(SBX_EXIT_PERM, "-q wants an absolute "
						     "path");
			if (conf.nhomes == BROKER_HOMES_MAX)
				fatal(SBX_EXIT_PERM, "too many -q");
			conf.homes[conf.nhomes++] = optarg;
			break;
		case 'c':
			conf.max_runs = (unsigned int)number(optarg, 4096);
			break;
		case 't':
			/* below spp-run's SPP_BROKER_WAIT_MS (300 s) */
			conf.cap_ms = (unsigned int)number(optarg, 290) * 1000;
			break;
		case 'g':
			conf.cgroup = optarg;
			break;
		case 'm':
			if (!optarg[0])
				fatal(SBX_EXIT_PERM, "-m wants a file");
			metrics = optarg;
			break;
		case 'v':
			conf.verbose = 1;
			break;
		default:
			usage();
			return SBX_EXIT_PERM;
		}
	}
	if (optind != argc || !conf.socket || !conf.nuids) {
		usage();
		return SBX_EXIT_PERM;
	}
	if (!conf.nhomes)
		conf.homes[conf.nhomes++] = QMAIL_HOME;
	lfd = broker_listen(&conf, &err);
	if (lfd < 0)
		fatal(sbx_exit_status(err.code),
		      sbx_escape(esc, sizeof(esc), err.msg, strlen(err.msg)));
	/* the file written once now (not before the socket is ours: a
	 * live broker's file is not zeroed); a path it cannot be written
	 * to is found at the start, not by a dashboard gone blank */
	if (metrics && (!(conf.metrics = metrics_new(metrics, &err)) ||
			metrics_write(conf.metrics, &err) < 0)) {
		unlink(conf.socket);
		fatal(sbx_exit_status(err.code),
		      sbx_escape(esc, sizeof(esc), err.msg, strlen(err.msg)));
	}
	fprintf(stderr, "spp-sandboxd: info: listening on %s\n",
		sbx_escape(esc, sizeof(esc), conf.socket, strlen(conf.socket)));
	rc = broker_serve(&conf, lfd, &err);
	metrics_free(conf.metrics);
	if (rc < 0)
		fatal(SBX_EXIT_TEMP,
		      sbx_escape(esc, sizeof(esc), err.msg, strlen(err.msg)));
	fprintf(stderr, "spp-sandboxd: info: stopped\n");
	return 0;
}
