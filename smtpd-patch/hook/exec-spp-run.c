/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The hook layer's transport: one plugin run as one spp-run process, its
 * stdout collected through a pipe. The only file that forks and execs. */
/* pipe2(); the project's config.h defines it, qmail's build does not. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spp.h"

/* Exit code of the child when execve(spp-run) fails; spp-run itself exits
 * only 0, 100 or 111. */
#define EXEC_FAILED 127

int (*spp_transport)(const struct spp_run_req *req,
		     struct spp_run_reply *rep) = spp_exec_run;

/* Close every descriptor from 3 up: the SMTP connection, qmail's control
 * files, our own pipe ends. Runs between fork and execve: system calls
 * only. close_range(2) needs Linux 5.9; older kernels take the loop. */
static void close_from_3(void)
{
	long max;

#ifdef SYS_close_range
	if (syscall(SYS_close_range, 3U, ~0U, 0U) == 0)
		return;
#endif
	max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > 65536)
		max = 65536;
	for (long fd = 3; fd < max; fd++)
		close((int)fd);
}

/* The child: stdin /dev/null, stdout the pipe, stderr as it is. Both
 * descriptors are first copied above 2 so that neither can be clobbered by
 * the other's dup2 when qmail-smtpd runs with 0 or 1 closed. */
static void child(pid_t parent, int wfd, int nullfd, const char *path,
		  char *const argv[], char *const envp[])
{
	int out = fcntl(wfd, F_DUPFD, 3);
	int in = fcntl(nullfd, F_DUPFD, 3);

	/* When qmail-smtpd dies (the client is gone, or it was killed),
	 * nobody will read the verdict: spp-run goes too, and with it the
	 * sandbox (its init has the same death signal). The signal survives
	 * execve; the check catches a parent that died before the prctl. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(EXEC_FAILED);
	if (out < 0 || in < 0 || dup2(out, 1) < 0 || dup2(in, 0) < 0)
		_exit(EXEC_FAILED);
	close_from_3();
	execve(path, argv, envp);
	_exit(EXEC_FAILED);
}

static int fail(struct spp_run_reply *rep, const char *what, int e)
{
	snprintf(rep->why, sizeof(rep->why), "%s: %s", what, strerror(e));
	return -1;
}

/* Read the pipe to its end. Output past SPP_RUN_OUT_MAX, or past what
 * memory allows, is read and thrown away, so that spp-run never blocks on
 * a full pipe: *lost says why it was lost (0 when it was not). Returns -1
 * only on a read error. */
static int collect(int fd, struct spp_run_reply *rep, int *lost)
{
	size_t cap = 0;
	char junk[4096];

	*lost = 0;
	for (;;) {
		char *dst = junk;
		size_t room = sizeof(junk);
		ssize_t n;

		if (!*lost && rep->len + sizeof(junk) + 1 > cap) {
			size_t ncap = cap ? cap * 2 : 2 * sizeof(junk);
			char *p = realloc(rep->out, ncap);

			if (p) {
				rep->out = p;
				cap = ncap;
			} else {
				*lost = ENOMEM;
			}
		}
		if (!*lost) {
			dst = rep->out + rep->len;
			room = cap - rep->len - 1;
		}
		n = read(fd, dst, room);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		if (!*lost) {
			rep->len += (size_t)n;
			if (rep->len > SPP_RUN_OUT_MAX)
				*lost = EFBIG;
		}
	}
	if (rep->out)
		rep->out[rep->len] = '\0';
	return 0;
}

int spp_exec_run(const struct spp_run_req *req, struct spp_run_reply *rep)
{
	const char *argv[16];
	size_t n = 0;
	int p[2] = { -1, -1 }, nullfd = -1, status, lost = 0, rc, e;
	pid_t pid, self = getpid();

	memset(rep, 0, sizeof(*rep));
	rep->status = -1;
	argv[n++] = req->spprun;
	argv[n++] = "--inherit-env";
	argv[n++] = "--event";
	argv[n++] = req->event;
	if (req->policy) {
		argv[n++] = "--policy";
		argv[n++] = req->policy;
	}
	/* a ':' line: spp-run runs /bin/sh -c with it, shows the program it
	 * names and fails when the shell cannot run it */
	if (req->shell)
		argv[n++] = "--shell";
	if (req->diagnose)
		argv[n++] = "--diagnose";
	if (req->learn) {
		argv[n++] = "--learn";
		argv[n++] = req->learn;
	}
	argv[n++] = "--";
	argv[n++] = req->plugin;
	argv[n] = NULL;

	if (pipe2(p, O_CLOEXEC) < 0)
		return fail(rep, "pipe", errno);
	nullfd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (nullfd < 0) {
		e = errno;
		close(p[0]);
		close(p[1]);
		return fail(rep, "/dev/null", e);
	}
	pid = fork();
	if (pid < 0) {
		e = errno;
		close(p[0]);
		close(p[1]);
		close(nullfd);
		return fail(rep, "fork", e);
	}
	if (pid == 0)
		child(self, p[1], nullfd, req->spprun, (char *const *)argv,
		      req->envp);
	close(p[1]);
	close(nullfd);
	rc = collect(p[0], rep, &lost);
	e = errno;
	close(p[0]);
	/* A read error leaves spp-run writing into a pipe nobody reads. */
	if (rc < 0)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			free(rep->out);
			rep->out = NULL;
			rep->len = 0;
			return fail(rep, "waitpid", errno);
		}
	}
	if (rc < 0 || lost || !WIFEXITED(status)) {
		free(rep->out);
		rep->out = NULL;
		rep->len = 0;
		if (rc < 0)
			return fail(rep, "reading spp-run's output", e);
		if (lost == ENOMEM)
			return fail(rep, "spp-run's output", ENOMEM);
		if (lost)
			snprintf(rep->why, sizeof(rep->why),
				 "spp-run printed more than %d bytes",
				 SPP_RUN_OUT_MAX);
		else
			snprintf(rep->why, sizeof(rep->why),
				 "spp-run killed by signal %d",
				 WTERMSIG(status));
		return -1;
	}
	rep->status = WEXITSTATUS(status);
	if (!rep->out) {
		rep->out = calloc(1, 1);
		if (!rep->out)
			return fail(rep, "spp-run's output", ENOMEM);
	}
	if (rep->status == EXEC_FAILED)
		snprintf(rep->why, sizeof(rep->why), "cannot execute %s",
			 req->spprun);
	return 0;
}
