/* SPDX-License-Identifier: GPL-2.0-or-later */
/* spp-selftest: can plugins be sandboxed here, as this user? One line per
 * kernel feature spp-run needs, then a real run of spp-run; exit 0 only
 * when that run worked. */
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "probe.h"
#include "trial.h"

#define PROG "spp-selftest"
#define USAGE \
	"usage: " PROG " [--spp-run PATH] [--policy FILE] [--tmpdir DIR]\n"

#ifndef SPP_RUN_PATH
#error "SPP_RUN_PATH (where spp-run is installed) must be defined"
#endif

static void usage(const char *msg)
{
	if (msg)
		fprintf(stderr, PROG ": fatal: %s\n", msg);
	fputs(USAGE, msg ? stderr : stdout);
	exit(msg ? SBX_EXIT_PERM : SBX_EXIT_OK);
}

static void line(const char *name, const struct probe_line *l)
{
	printf("%s: %s\n", name, l->text);
}

/* The first line of b starting with prefix, escaped into dst ("" when
 * none). */
static void find_line(const struct sbx_buf *b, const char *prefix, char *dst,
		      size_t len)
{
	const char *s = b->s ? b->s : "";
	size_t plen = strlen(prefix);

	dst[0] = '\0';
	while (*s) {
		size_t n = strcspn(s, "\n");

		if (n >= plen && strncmp(s, prefix, plen) == 0) {
			sbx_escape(dst, len, s, n);
			return;
		}
		s += n + (s[n] == '\n');
	}
}

/* Did the run work: exit 0, the plugin's line relayed, a report line
 * saying so? Fills report with that line (or spp-run's first other log
 * line) for the output. */
static int trial_ok(const struct trial *t, char *report, size_t len)
{
	char want[] = TRIAL_VERDICT "\n";

	find_line(&t->err, "spp: rcpt ./spp-selftest-plugin ", report, len);
	if (t->status != 0 || !t->out.s || strcmp(t->out.s, want) != 0 ||
	    !strstr(report, " exit 0 verdict E ")) {
		char other[400];

		find_line(&t->err, "spp-run:", other, sizeof(other));
		if (other[0])
			snprintf(report, len, "%s", other);
		return 0;
	}
	return 1;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "spp-run", required_argument, NULL, 'r' },
		{ "policy", required_argument, NULL, 'p' },
		{ "tmpdir", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *spprun = SPP_RUN_PATH, *policy = NULL;
	const char *tmpdir = getenv("TMPDIR");
	const char *cgroup = getenv("SPPSANDBOX_CGROUP");
	struct probe_line userns, netns, seccomp, l;
	struct sbx_error err = { 0, "" };
	struct passwd *pw;
	struct utsname u;
	struct trial t;
	char report[600], out[200];
	int c, ok;

	while ((c = getopt_long(argc, argv, "r:p:t:h", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			spprun = optarg;
			break;
		case 'p':
			policy = optarg;
			break;
		case 't':
			tmpdir = optarg;
			break;
		case 'h':
			usage(NULL);
			break;
		default:
			usage("unknown option");
		}
	}
	if (optind != argc)
		usage("no arguments expected");
	if (!tmpdir || !*tmpdir)
		tmpdir = "/tmp";

	pw = getpwuid(geteuid());
	if (uname(&u) < 0)
		memset(&u, 0, sizeof(u));
	printf(PROG ": uid %u (%s), Linux %s %s, spp-run %s\n",
	       (unsigned)geteuid(), pw ? pw->pw_name : "no name", u.release,
	       u.machine, spprun);
	fflush(stdout);

	probe_userns(&userns);
	line("user namespaces", &userns);
	probe_netns(&netns);
	line("network namespaces", &netns);
	probe_seccomp(&seccomp);
	line("seccomp user notification", &seccomp);
	probe_landlock(&l);
	line("landlock", &l);
	probe_cgroup(&l, cgroup);
	line("cgroup", &l);
	probe_x32(&l);
	line("x32 ABI", &l);
	probe_i386(&l);
	line("i386 ABI", &l);
	fflush(stdout);

	if (trial_run(spprun, policy, cgroup, tmpdir, &t, &err) < 0) {
		printf("sandboxed run: FAILED: %s\n", err.msg);
		ok = 0;
	} else {
		ok = trial_ok(&t, report, sizeof(report));
		sbx_escape(out, sizeof(out), t.out.s ? t.out.s : "",
			   strcspn(t.out.s ? t.out.s : "", "\n"));
		if (ok)
			printf("sandboxed run: ok: %s, %s: %s\n", spprun,
			       policy ? policy : "the built-in default policy",
			       report);
		else if (t.timed_out)
			printf("sandboxed run: FAILED: %s did not end in %d "
			       "s\n",
			       spprun, TRIAL_TIMEOUT_S);
		else
			printf("sandboxed run: FAILED: %s %s %d, printed "
			       "\"%s\"; its log: %s\n",
			       spprun, t.sig ? "killed by signal" : "exit",
			       t.sig ? t.sig : t.status, out,
			       report[0] ? report : "nothing");
		trial_free(&t);
	}

	if (ok) {
		printf(PROG ": ok: plugins can run sandboxed here as uid %u\n",
		       (unsigned)geteuid());
		return SBX_EXIT_OK;
	}
	printf(PROG ": FAILED: plugins cannot run sandboxed here as uid %u: "
		    "%s\n",
	       (unsigned)geteuid(),
	       !userns.ok  ? userns.text :
	       !netns.ok   ? netns.text :
	       !seccomp.ok ? seccomp.text :
			     "see the sandboxed run above");
	return SBX_EXIT_TEMP;
}
