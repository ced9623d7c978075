/* SPDX-License-Identifier: GPL-2.0-or-later */
/* spp-run's side of spp-sandboxd: the request written, the reply read
 * within SPP_BROKER_WAIT_MS and relayed; any failure is the caller's
 * cue to make the run itself. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "broker-client.h"
#include "wire.h"

extern char **environ;

#define CONTROL_FILE "control/sppbroker"

int spp_broker_socket(const struct sbx_cli *cli, char *sock, size_t len)
{
	const char *s = cli->broker;
	char line[256];
	size_t n;
	FILE *f;

	if (cli->no_broker || cli->learn || cli->diagnose || cli->env.n)
		return 0;
	if (!s)
		s = getenv("SPPSANDBOX_BROKER");
	if (s) {
		n = strlen(s);
		if (!n || n >= len)
			return 0;
		memcpy(sock, s, n + 1);
		return 1;
	}
	f = fopen(CONTROL_FILE, "re");
	if (!f)
		return 0;
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	n = strcspn(line, "\r\n");
	while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
		n--;
	if (!n || n >= len)
		return 0;
	memcpy(sock, line, n);
	sock[n] = '\0';
	return 1;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait for fd to be ready for ev until the deadline. 0, or -1. */
static int wait_fd(int fd, short ev, long deadline, struct sbx_error *err)
{
	struct pollfd p = { fd, ev, 0 };

	for (;;) {
		long left = deadline - now_ms();
		int rc;

		if (left <= 0)
			return sbx_fail(err, ETIMEDOUT, "no reply in time");
		rc = poll(&p, 1, left > INT_MAX ? INT_MAX : (int)left);
		if (rc > 0)
			return 0;
		if (rc < 0 && errno != EINTR)
			return sbx_fail(err, errno, "poll: %s",
					strerror(errno));
	}
}

static int build(struct sbx_buf *b, const struct sbx_cli *cli, long smtpd,
		 struct sbx_error *err)
{
	char home[SPP_WIRE_PATH_MAX], pid[24];
	size_t n = 0;

	if (!getcwd(home, sizeof(home)))
		return sbx_fail(err, errno, "getcwd: %s", strerror(errno));
	snprintf(pid, sizeof(pid), "%ld", smtpd > 0 ? smtpd : 0);
	if (spp_wire_puts(b, SPP_WIRE_VERSION, SPP_WIRE_VERSION_1) < 0 ||
	    spp_wire_puts(b, SPP_WIRE_HOME, home) < 0 ||
	    spp_wire_puts(b, SPP_WIRE_EVENT, cli->event) < 0 ||
	    (cli->policy &&
	     spp_wire_puts(b, SPP_WIRE_POLICY, cli->policy) < 0) ||
	    (cli->shell && spp_wire_puts(b, SPP_WIRE_SHELL, "1") < 0) ||
	    (cli->inherit_env && spp_wire_puts(b, SPP_WIRE_INHERIT, "1") < 0) ||
	    spp_wire_puts(b, SPP_WIRE_SMTPD, pid) < 0)
		return sbx_fail(err, ENOMEM, "out of memory");
	for (char **a = cli->argv; *a; a++, n++)
		if (n >= SPP_WIRE_ARGS_MAX ||
		    spp_wire_puts(b, SPP_WIRE_ARG, *a) < 0)
			return sbx_fail(err, E2BIG, "too many arguments");
	n = 0;
	for (char **e = environ; *e; e++, n++)
		if (n >= SPP_WIRE_ENV_MAX ||
		    spp_wire_puts(b, SPP_WIRE_ENV, *e) < 0)
			return sbx_fail(err, E2BIG, "environment too big");
	if (spp_wire_put(b, SPP_WIRE_END, "", 0) < 0)
		return sbx_fail(err, ENOMEM, "out of memory");
	if (b->len > SPP_WIRE_REQ_MAX)
		return sbx_fail(err, E2BIG, "request too big");
	return 0;
}

static int exchange(int fd, const struct sbx_buf *req,
		    struct spp_wire_reply *rep, struct sbx_error *err)
{
	struct sbx_buf in = { 0 };
	long deadline = now_ms() + SPP_BROKER_WAIT_MS;
	size_t off = 0;
	char chunk[16384];
	int rc = -1;

	while (off < req->len) {
		ssize_t w =
			send(fd, req->s + off, req->len - off, MSG_NOSIGNAL);

		if (w < 0 && errno == EAGAIN) {
			if (wait_fd(fd, POLLOUT, deadline, err) < 0)
				goto out;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		/* a broker that refuses at once says why, then closes */
		if (w < 0 && (errno == EPIPE || errno == ECONNRESET))
			break;
		if (w < 0) {
			sbx_fail(err, errno, "send: %s", strerror(errno));
			goto out;
		}
		off += (size_t)w;
	}
	for (;;) {
		ssize_t r;
		int p;

		if (wait_fd(fd, POLLIN, deadline, err) < 0)
			goto out;
		r = read(fd, chunk, sizeof(chunk));
		if (r < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (r < 0) {
			sbx_fail(err, errno, "read: %s", strerror(errno));
			goto out;
		}
		if (r == 0) {
			sbx_fail(err, EPIPE, "it went away before it replied");
			goto out;
		}
		if (in.len + (size_t)r > SPP_WIRE_REPLY_MAX ||
		    sbx_buf_add(&in, chunk, (size_t)r) < 0) {
			sbx_fail(err, EFBIG, "reply too big");
			goto out;
		}
		p = spp_wire_reply_parse(in.s, in.len, rep, err);
		if (p < 0)
			goto out;
		if (p > 0)
			break;
	}
	rc = 0;
out:
	sbx_buf_free(&in);
	return rc;
}

/* Whoever made the socket answers for every verdict: only root or our own
 * uid may (a socket another user put at the configured path first could
 * accept every message). */
static int listener_trusted(int fd, struct sbx_error *err)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0)
		return sbx_fail(err, errno, "SO_PEERCRED: %s", strerror(errno));
	if (cr.uid != 0 && cr.uid != geteuid())
		return sbx_fail(err, EPERM,
				"its listener runs as uid %u, neither root nor "
				"ours",
				(unsigned)cr.uid);
	return 0;
}

int spp_broker_run(const char *sock, const struct sbx_cli *cli, long smtpd,
		   int *status, struct sbx_error *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct spp_wire_reply rep = { .status = -1 };
	struct sbx_buf req = { 0 };
	int fd = -1, rc = -1;

	if (strlen(sock) >= sizeof(sa.sun_path))
		return sbx_fail(err, ENAMETOOLONG, "socket path too long");
	memcpy(sa.sun_path, sock, strlen(sock) + 1);
	if (build(&req, cli, smtpd, err) < 0)
		goto out;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		sbx_fail(err, errno, "socket: %s", strerror(errno));
		goto out;
	}
	/* a full backlog is EAGAIN: not waited for, the run is made here */
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		sbx_fail(err, errno, "connect: %s", strerror(errno));
		goto out;
	}
	if (listener_trusted(fd, err) < 0)
		goto out;
	if (exchange(fd, &req, &rep, err) < 0)
		goto out;
	if (rep.refused[0]) {
		sbx_fail(err, EPERM, "refused: %s", rep.refused);
		goto out;
	}
	if (rep.out.len)
		fwrite(rep.out.s, 1, rep.out.len, stdout);
	fflush(stdout);
	if (rep.log.len)
		fwrite(rep.log.s, 1, rep.log.len, stderr);
	*status = rep.status;
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	spp_wire_reply_clear(&rep);
	sbx_buf_free(&req);
	return rc;
}
