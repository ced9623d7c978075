/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The hook layer's transport: one plugin run as one spp-run process, its
 * stdout collected through a pipe; or, when a broker is configured, sent
 * to spp-sandboxd over its socket first. The only file that forks and
 * execs. */
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
#include <poll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
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

/* --- spp-sandboxd: the run sent over its socket ---------------------------
 * spp-run --broker's client again, small and libc-only (qmail-smtpd links
 * nothing of spp-sandbox): the fields and bounds of runner/spp-run/wire.h,
 * copied. Any failure sends the run to spp-run, which makes it (never an
 * accept). */
#define BRK_END 0
#define BRK_VERSION 1
#define BRK_HOME 2
#define BRK_EVENT 3
#define BRK_POLICY 4
#define BRK_SHELL 5
#define BRK_INHERIT 6
#define BRK_SMTPD 7
#define BRK_ARG 8
#define BRK_ENV 9
#define BRK_STATUS 32
#define BRK_OUT 33
#define BRK_LOG 34
#define BRK_REFUSE 35
#define BRK_REQ_MAX (256 * 1024)
#define BRK_REPLY_MAX (2 * 1024 * 1024)
#define BRK_ENV_MAX 1024
/* as spp-run: longer than any policy's timeout */
#ifndef BRK_WAIT_MS
#define BRK_WAIT_MS (300 * 1000)
#endif

struct brk_buf {
	char *s;
	size_t len, cap;
};

static int brk_put(struct brk_buf *b, int tag, const char *s, size_t n)
{
	size_t need = b->len + 5 + n;

	if (need > BRK_REQ_MAX)
		return -1;
	if (need > b->cap) {
		size_t ncap = b->cap ? b->cap : 4096;
		char *p;

		while (ncap < need)
			ncap *= 2;
		p = realloc(b->s, ncap);
		if (!p)
			return -1;
		b->s = p;
		b->cap = ncap;
	}
	b->s[b->len++] = (char)tag;
	b->s[b->len++] = (char)(n >> 24);
	b->s[b->len++] = (char)(n >> 16);
	b->s[b->len++] = (char)(n >> 8);
	b->s[b->len++] = (char)n;
	if (n)
		memcpy(b->s + b->len, s, n);
	b->len += n;
	return 0;
}

static int brk_puts(struct brk_buf *b, int tag, const char *s)
{
	return brk_put(b, tag, s, strlen(s));
}

/* $SPPSANDBOX_BROKER, else control/sppbroker's first line; 1 or 0. */
static int brk_socket(char *sock, size_t len)
{
	const char *s = getenv("SPPSANDBOX_BROKER");
	size_t n;
	ssize_t r;
	int fd;

	if (s) {
		n = strlen(s);
		if (!n || n >= len)
			return 0;
		memcpy(sock, s, n + 1);
		return 1;
	}
	fd = open("control/sppbroker", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	r = read(fd, sock, len - 1);
	close(fd);
	if (r <= 0)
		return 0;
	sock[r] = '\0';
	n = strcspn(sock, "\r\n");
	while (n && (sock[n - 1] == ' ' || sock[n - 1] == '\t'))
		n--;
	sock[n] = '\0';
	return n > 0 && n + 1 < len;
}

static long brk_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int brk_wait(int fd, short ev, long deadline)
{
	struct pollfd p = { fd, ev, 0 };

	for (;;) {
		long left = deadline - brk_now_ms();
		int rc;

		if (left <= 0)
			return -1;
		rc = poll(&p, 1, left > 1000000 ? 1000000 : (int)left);
		if (rc > 0)
			return 0;
		if (rc < 0 && errno != EINTR)
			return -1;
	}
}

static int brk_request(struct brk_buf *b, const struct spp_run_req *req)
{
	char home[4096], pid[24];
	size_t n = 0;

	if (!getcwd(home, sizeof(home)))
		return -1;
	snprintf(pid, sizeof(pid), "%ld", (long)getpid());
	if (brk_puts(b, BRK_VERSION, "1") < 0 ||
	    brk_puts(b, BRK_HOME, home) < 0 ||
	    brk_puts(b, BRK_EVENT, req->event) < 0 ||
	    (req->policy && brk_puts(b, BRK_POLICY, req->policy) < 0) ||
	    (req->shell && brk_puts(b, BRK_SHELL, "1") < 0) ||
	    brk_puts(b, BRK_INHERIT, "1") < 0 ||
	    brk_puts(b, BRK_SMTPD, pid) < 0 ||
	    brk_puts(b, BRK_ARG, req->plugin) < 0)
		return -1;
	for (char *const *e = req->envp; e && *e; e++)
		if (++n > BRK_ENV_MAX || brk_puts(b, BRK_ENV, *e) < 0)
			return -1;
	return brk_put(b, BRK_END, "", 0);
}

/* The reply, read to its end (the broker closes after it): its status,
 * its stdout into rep, its log lines to stderr. 0, or -1 (refused,
 * broken, cut short). As wire.c: a field given twice, an unknown one or
 * bytes after the end are garbage (which of two stdouts is the verdict?),
 * and spp-run makes the run. */
static int brk_reply(const char *in, size_t len, struct spp_run_reply *rep)
{
	const char *out = NULL, *log = NULL;
	size_t off = 0, outlen = 0, loglen = 0;
	int status = -1, first = 1, tag;
	unsigned int seen = 0;

	for (;;) {
		const unsigned char *p = (const unsigned char *)in + off;
		size_t n;

		if (len - off < 5)
			return -1;
		n = (size_t)p[1] << 24 | (size_t)p[2] << 16 |
		    (size_t)p[3] << 8 | (size_t)p[4];
		if (n > len - off - 5)
			return -1;
		tag = p[0];
		off += 5;
		if (first && (tag != BRK_VERSION || n != 1 || in[off] != '1'))
			return -1;
		if (first) {
			first = 0;
			off += n;
			continue;
		}
		if (tag == BRK_END) {
			if (n || off != len)
				return -1;
			break;
		}
		if (tag == BRK_REFUSE ||
		    (tag != BRK_STATUS && tag != BRK_OUT && tag != BRK_LOG))
			return -1;
		if (seen & 1U << (tag - BRK_STATUS))
			return -1;
		seen |= 1U << (tag - BRK_STATUS);
		if (tag == BRK_STATUS) {
			status = 0;
			for (size_t i = 0; i < n && status <= 255; i++) {
				if (in[off + i] < '0' || in[off + i] > '9')
					return -1;
				status = status * 10 + (in[off + i] - '0');
			}
			if (!n || status > 255)
				return -1;
		} else if (tag == BRK_OUT) {
			out = in + off;
			outlen = n;
		} else if (tag == BRK_LOG) {
			log = in + off;
			loglen = n;
		}
		off += n;
	}
	if (status < 0 || outlen > SPP_RUN_OUT_MAX)
		return -1;
	rep->out = malloc(outlen + 1);
	if (!rep->out)
		return -1;
	if (outlen)
		memcpy(rep->out, out, outlen);
	rep->out[outlen] = '\0';
	rep->len = outlen;
	rep->status = status;
	/* spp-run's log lines, as it would have written them */
	while (loglen) {
		ssize_t w = write(2, log, loglen);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		log += w;
		loglen -= (size_t)w;
	}
	return 0;
}

/* Only a broker run by root or by our own uid answers for verdicts: a
 * socket another user put at the configured path first could accept every
 * message. Otherwise spp-run makes the run (and says why). */
static int brk_listener_trusted(int fd)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0)
		return 0;
	return cr.uid == 0 || cr.uid == geteuid();
}

static int brk_run(const char *sock, const struct spp_run_req *req,
		   struct spp_run_reply *rep)
{
	struct sockaddr_un sa;
	struct brk_buf b = { NULL, 0, 0 }, in = { NULL, 0, 0 };
	long deadline = brk_now_ms() + BRK_WAIT_MS;
	size_t off = 0;
	int fd = -1, rc = -1;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(sock) >= sizeof(sa.sun_path) || brk_request(&b, req) < 0)
		goto out;
	memcpy(sa.sun_path, sock, strlen(sock) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    !brk_listener_trusted(fd))
		goto out;
	while (off < b.len) {
		ssize_t w = send(fd, b.s + off, b.len - off, MSG_NOSIGNAL);

		if (w < 0 && errno == EAGAIN) {
			if (brk_wait(fd, POLLOUT, deadline) < 0)
				goto out;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		/* refused at once: its reply is there to read */
		if (w < 0)
			break;
		off += (size_t)w;
	}
	for (;;) {
		ssize_t r;

		if (in.len + 16384 > in.cap) {
			size_t ncap = in.cap ? in.cap * 2 : 65536;
			char *p;

			if (ncap > BRK_REPLY_MAX + 16384)
				goto out;
			p = realloc(in.s, ncap);
			if (!p)
				goto out;
			in.s = p;
			in.cap = ncap;
		}
		if (brk_wait(fd, POLLIN, deadline) < 0)
			goto out;
		r = read(fd, in.s + in.len, in.cap - in.len);
		if (r < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (r < 0)
			goto out;
		if (r == 0)
			break;
		in.len += (size_t)r;
	}
	rc = brk_reply(in.s, in.len, rep);
out:
	/* no answer in time: spp-run must not wait for this broker again */
	if (rc < 0 && brk_now_ms() >= deadline)
		rc = -2;
	if (fd >= 0)
		close(fd);
	free(b.s);
	free(in.s);
	return rc;
}

int spp_exec_run(const struct spp_run_req *req, struct spp_run_reply *rep)
{
	char sock[256];
	const char *argv[16];
	size_t n = 0;
	int p[2] = { -1, -1 }, nullfd = -1, status, lost = 0, rc, e;
	pid_t pid, self = getpid();
	int brk = 0;

	memset(rep, 0, sizeof(*rep));
	rep->status = -1;
	/* learn and diagnose runs are spp-run's own */
	if (!req->diagnose && !req->learn && brk_socket(sock, sizeof(sock))) {
		brk = brk_run(sock, req, rep);
		if (brk == 0)
			return 0;
		memset(rep, 0, sizeof(*rep));
		rep->status = -1;
	}
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
	/* a refusal is asked again by spp-run, which logs why; a broker that
	 * did not answer in BRK_WAIT_MS is not waited for twice */
	if (brk == -2)
		argv[n++] = "--no-broker";
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
