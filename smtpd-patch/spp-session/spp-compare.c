/* SPDX-License-Identifier: GPL-2.0-or-later */
/* spp-session --compare: each plugin run twice, as qmail-spp 0.42 runs it
 * (no sandbox: the same environment, working directory and user) and
 * through spp-run --diagnose under its policy. The session goes on with
 * 0.42's decision; every decision that differs is shown, with what the
 * sandboxed run looked for and did not get. */
/* memfd_create(), memmem(); the project's config.h defines it already */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sbx.h"
#include "spp-compare.h"

/* A plugin run bare gets as long as this; 0.42 had no limit at all. */
#define BARE_TIMEOUT_MS 60000
#define OUT_MAX (1024 * 1024)

static struct {
	const char *command; /* the SMTP command being decided */
	unsigned int runs, differ;
} cmp;

void compare_set_command(const char *command)
{
	cmp.command = command;
}

unsigned int compare_runs(void)
{
	return cmp.runs;
}

unsigned int compare_differences(void)
{
	return cmp.differ;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Text is kept in sbx_buf; when out of memory the run is reported as
 * not made. */

/* The plugin as qmail-spp 0.42 runs it: execv of the path (or /bin/sh
 * -c for a ':' line), stdin closed, stdout a pipe, stderr ours. Fills out
 * (NUL-terminated) and how it ended; -1 when it could not be run. */
static int run_bare(const struct spp_run_req *req, struct sbx_buf *out,
		    char *how, size_t howlen)
{
	char *shell_argv[] = { "/bin/sh", "-c", (char *)req->plugin, NULL };
	char *plain_argv[] = { (char *)req->plugin, NULL };
	double deadline = now_ms() + BARE_TIMEOUT_MS;
	int p[2], status, killed = 0;
	char buf[4096];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		close(0);
		if (dup2(p[1], 1) < 0)
			_exit(120);
		execve(req->shell ? "/bin/sh" : req->plugin,
		       req->shell ? shell_argv : plain_argv, req->envp);
		_exit(120);
	}
	close(p[1]);
	for (;;) {
		struct pollfd pfd = { p[0], POLLIN, 0 };
		double left = deadline - now_ms();
		ssize_t n;

		if (left <= 0) {
			kill(pid, SIGKILL);
			killed = 1;
			break;
		}
		if (poll(&pfd, 1, (int)left + 1) <= 0)
			continue;
		n = read(p[0], buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (out->len < OUT_MAX && sbx_buf_add(out, buf, (size_t)n) < 0)
			break;
	}
	close(p[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!out->s && sbx_buf_add(out, "", 0) < 0)
		return -1;
	if (killed)
		snprintf(how, howlen, "still running after %ds, killed",
			 BARE_TIMEOUT_MS / 1000);
	else if (WIFSIGNALED(status))
		snprintf(how, howlen, "crashed (signal %d)", WTERMSIG(status));
	else
		snprintf(how, howlen, "exit %d", WEXITSTATUS(status));
	return 0;
}

/* The command lines as qmail-spp reads them: empty lines skipped, a
 * trailing CR dropped, nothing after the first terminal command. The
 * same reading for both runs, so that only decisions differ. */
static void decisions(const char *s, size_t len, struct sbx_buf *out)
{
	const char *end = s + len;

	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);

		if (n && s[n - 1] == '\r')
			n--;
		if (n) {
			if (sbx_buf_add(out, s, n) < 0 ||
			    sbx_buf_add(out, "\n", 1))
				return;
			if (strchr("ANODER", s[0]))
				return;
		}
		s = nl ? nl + 1 : end;
	}
}

/* One side of a difference: its decision lines, or "no decision". */
static void show(const char *who, const struct sbx_buf *d, const char *how)
{
	const char *s = d->s && d->len ? d->s : NULL;

	printf("#   %s (%s):%s", who, how, s ? "\n" : " no decision\n");
	for (; s && *s;) {
		const char *nl = strchr(s, '\n');
		int n = nl ? (int)(nl - s) : (int)strlen(s);

		printf("#     %.*s\n", n, s);
		s += n + (nl ? 1 : 0);
	}
}

/* spp-run's stderr, captured: the report line back to our stderr, how
 * the run ended into how, and its diagnose lines as the reasons of a
 * difference into why. */
static void explain(const char *err, struct sbx_buf *why, char *how,
		    size_t howlen)
{
	const char *s = err;

	while (s && *s) {
		const char *nl = strchr(s, '\n');
		int n = nl ? (int)(nl - s) : (int)strlen(s);
		const char *d = memmem(s, (size_t)n, "diagnose: ", 10);
		/* a verdict its policy forbids explains a difference too */
		const char *dv = memmem(s, (size_t)n, ": dropped verdict ", 18);
		const char *k = memmem(s, (size_t)n, " killed ", 8);
		const char *w = NULL;

		if (strncmp(s, "spp: ", 5) == 0 && k) {
			const char *v = memmem(s, (size_t)n, " verdict ", 9);

			snprintf(how, howlen, "%.*s", v ? (int)(v - k - 1) : 0,
				 k + 1);
		}
		/* "spp-run: diagnose: PROG: why" */
		if (d)
			w = memmem(d + 10, (size_t)(n - (d - s) - 10), ": ", 2);
		/* "spp-run: warning: PROG: dropped verdict 'O': why" */
		if (dv)
			w = dv;
		if (w) {
			w += 2;
			if (sbx_buf_add(why, "#   why: ", 9) < 0 ||
			    sbx_buf_add(why, w, (size_t)(n - (w - s))) < 0 ||
			    sbx_buf_add(why, "\n", 1) < 0)
				return;
		}
		if (!d)
			fprintf(stderr, "%.*s\n", n, s);
		s += n + (nl ? 1 : 0);
	}
}

/* Read what spp-run wrote into the capture file, from the start. */
static int read_capture(int fd, struct sbx_buf *err)
{
	char buf[4096];
	ssize_t n;

	if (lseek(fd, 0, SEEK_SET) < 0)
		return -1;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (err->len < OUT_MAX && sbx_buf_add(err, buf, (size_t)n) < 0)
			return -1;
	return err->s || sbx_buf_add(err, "", 0) == 0 ? 0 : -1;
}

int compare_transport(const struct spp_run_req *req, struct spp_run_reply *rep)
{
	struct spp_run_req sreq = *req;
	struct sbx_buf bare = { 0 }, err = { 0 }, bd = { 0 }, sd = { 0 };
	struct sbx_buf why = { 0 };
	char bhow[64], show_how[200] = "", fails[160];
	int cap = -1, saved = -1, rc = -1, differs;

	memset(rep, 0, sizeof(*rep));
	rep->status = -1;
	if (run_bare(req, &bare, bhow, sizeof(bhow)) < 0) {
		snprintf(rep->why, sizeof(rep->why), "cannot run %s bare",
			 req->plugin);
		goto out;
	}
	/* spp-run writes its stderr into the capture, which we read */
	fflush(stderr);
	cap = memfd_create("spp-compare", MFD_CLOEXEC);
	saved = fcntl(2, F_DUPFD_CLOEXEC, 3);
	if (cap < 0 || saved < 0 || dup2(cap, 2) < 0) {
		snprintf(rep->why, sizeof(rep->why), "capture: %s",
			 strerror(errno));
		goto out;
	}
	sreq.diagnose = 1;
	rc = spp_exec_run(&sreq, rep);
	dup2(saved, 2);
	if (read_capture(cap, &err) < 0) {
		rc = -1;
		goto out;
	}
	cmp.runs++;
	decisions(bare.s, bare.len, &bd);
	if (rc == 0)
		decisions(rep->out, rep->len, &sd);
	differs = rc < 0 || strcmp(bd.s ? bd.s : "", sd.s ? sd.s : "") != 0;
	if (rc == 0)
		snprintf(show_how, sizeof(show_how), "exit %d", rep->status);
	else
		snprintf(show_how, sizeof(show_how), "%s", rep->why);
	if (differs) {
		cmp.differ++;
		printf("# differs: %s %s%s%s\n", req->event, req->plugin,
		       cmp.command ? " at " : "",
		       cmp.command ? cmp.command : "");
	}
	explain(err.s, &why, show_how, sizeof(show_how));
	if (differs) {
		show("qmail-spp 0.42", &bd, bhow);
		show("sandboxed", &sd, show_how);
		if (why.s)
			fputs(why.s, stdout);
	}
	/* the session goes on as under qmail-spp 0.42 */
	free(rep->out);
	rep->out = NULL;
	rep->status = 0;
	rep->why[0] = '\0';
	if (strncmp(bhow, "exit 120", 8) == 0 || bhow[0] != 'e') {
		snprintf(fails, sizeof(fails),
			 "E451 qmail-spp failure: %s: child crashed (#4.3.0)\n",
			 req->plugin);
		free(bare.s);
		bare.s = strdup(fails);
		bare.len = bare.s ? strlen(bare.s) : 0;
	}
	rep->out = bare.s;
	rep->len = bare.len;
	bare.s = NULL;
	rc = rep->out ? 0 : -1;
out:
	if (saved >= 0)
		close(saved);
	if (cap >= 0)
		close(cap);
	free(bare.s);
	free(err.s);
	free(bd.s);
	free(sd.s);
	free(why.s);
	return rc;
}
