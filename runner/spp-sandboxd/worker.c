/* SPDX-License-Identifier: GPL-2.0-or-later */
/* spp-sandboxd's worker: the policy checked against the hook layer's
 * choice, then a forked process makes the run with spp_run_main(), the
 * code spp-run itself runs. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "broker.h"
#include "run-one.h"
#include "spp.h"
#include "verdict.h"

extern char **environ;

static char *join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *p = malloc(n);

	if (p)
		snprintf(p, n, "%s/%s", a, b);
	return p;
}

/* Control files are small; a bigger one is not read (the run is refused). */
#define PLUGINS_MAX (1024 * 1024)

/* Is line a plugin line of HOME/control/smtpplugins, read as qmail's
 * control_readfile() gives it to the hook layer (trailing blanks off,
 * empty and '#' lines skipped)? A client gets only the plugins the admin
 * listed, each under its own policy: never its own program under another
 * plugin's policy. 1, 0, or -1 (unreadable). */
static int listed(const char *home, const char *line)
{
	char *path = join(home, SPP_CONF_DEFAULT), *buf = NULL;
	size_t len = 0, want = strlen(line);
	struct stat st;
	int fd, found = 0;
	ssize_t n;

	if (!path)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	free(path);
	if (fd < 0)
		return -1;
	/* the list says what clients may run: only root or the broker's
	 * own user may have written it (as policy files, pol.c) */
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (st.st_mode & 022) ||
	    (st.st_uid != 0 && st.st_uid != geteuid())) {
		close(fd);
		errno = EACCES;
		return -1;
	}
	/* read to its end (it may grow meanwhile), up to PLUGINS_MAX */
	{
		struct sbx_buf b = { 0 };
		char chunk[8192];
		int bad = 0;

		while (!bad && (n = read(fd, chunk, sizeof(chunk))) > 0)
			bad = b.len + (size_t)n >= PLUGINS_MAX ||
			      sbx_buf_add(&b, chunk, (size_t)n) < 0;
		close(fd);
		if (bad || n < 0 || !b.s) {
			sbx_buf_free(&b);
			/* empty: nothing is listed */
			return bad || n < 0 ? -1 : 0;
		}
		buf = b.s;
		len = b.len;
	}
	buf[len] = '\0';
	for (char *s = buf; s < buf + len && !found;) {
		size_t l = strcspn(s, "\n");
		char *next = s + l + (s[l] ? 1 : 0);

		while (l && (s[l - 1] == ' ' || s[l - 1] == '\t'))
			l--;
		found = l == want && s[0] != '#' && !memcmp(s, line, l);
		s = next;
	}
	free(buf);
	return found;
}

/* The request's plugin line: ':' and the command of a shell line, else
 * the program and its arguments joined by spaces (the hook layer sends
 * the line alone). NULL when out of memory. */
static char *plugin_line(const struct spp_wire_req *r)
{
	size_t n = r->shell ? 2 : 1;
	char *line, *p;

	for (size_t i = 0; i < r->args.n; i++)
		n += strlen(r->args.v[i]) + 1;
	line = p = malloc(n);
	if (!line)
		return NULL;
	if (r->shell)
		*p++ = ':';
	for (size_t i = 0; i < r->args.n; i++) {
		size_t l = strlen(r->args.v[i]);

		if (i)
			*p++ = ' ';
		memcpy(p, r->args.v[i], l);
		p += l;
	}
	*p = '\0';
	return line;
}

int worker_policy(const struct broker_conf *conf, const struct spp_wire_req *r,
		  char **policy, struct sbx_error *err)
{
	char *dir = NULL, *line = NULL, *asked = NULL, esc[200];
	size_t i;
	int rc = -1;

	*policy = NULL;
	for (i = 0; i < conf->nhomes; i++)
		if (strcmp(conf->homes[i], r->home) == 0)
			break;
	if (i == conf->nhomes)
		return sbx_fail(err, EPERM, "qmail home %s is not served",
				sbx_escape(esc, sizeof(esc), r->home,
					   strlen(r->home)));
	dir = join(r->home, SPP_POLICY_DIR_DEFAULT);
	line = plugin_line(r);
	if (!dir || !line) {
		sbx_fail(err, ENOMEM, "out of memory");
		goto out;
	}
	errno = 0;
	switch (listed(r->home, line)) {
	case 1:
		break;
	case 0:
		sbx_fail(err, EPERM, "not a line of %s: %s", SPP_CONF_DEFAULT,
			 sbx_escape(esc, 120, line, strlen(line)));
		goto out;
	default:
		sbx_fail(err, errno ? errno : EFBIG,
			 "%s: cannot read it, or others may write it",
			 SPP_CONF_DEFAULT);
		goto out;
	}
	if (spp_policy_find(dir, r->shell ? line : r->args.v[0], policy) < 0) {
		sbx_fail(err, ENOMEM, "out of memory");
		goto out;
	}
	if (r->policy) {
		asked = r->policy[0] == '/' ? strdup(r->policy) :
					      join(r->home, r->policy);
		if (!asked) {
			sbx_fail(err, ENOMEM, "out of memory");
			goto out;
		}
	}
	/* never more than the policy the hook layer would have chosen */
	if ((asked == NULL) != (*policy == NULL) ||
	    (asked && strcmp(asked, *policy) != 0)) {
		sbx_fail(err, EPERM, "policy %s is not the plugin's (%s)",
			 asked ? sbx_escape(esc, 100, asked, strlen(asked)) :
				 "built-in",
			 *policy ? sbx_escape(esc + 100, 100, *policy,
					      strlen(*policy)) :
				   "built-in");
		free(*policy);
		*policy = NULL;
		goto out;
	}
	rc = 0;
out:
	free(dir);
	free(line);
	free(asked);
	return rc;
}

/* The run's environment: the client's, but how runs are made
 * (SPPSANDBOX_*) is the broker's to say, and no start-up hook (LD_*,
 * GCONV_PATH, BASH_ENV, PERL5OPT, PYTHON*, OPENSSL_CONF...: the list S/U
 * refuse them by): the broker, run by root, runs the plugin as its
 * policy's user, which the client cannot become itself, so a hook from
 * the client would be its code run as that user. */
static char **run_env(const struct broker_conf *conf,
		      const struct spp_wire_req *r)
{
	char **env = calloc(r->env.n + 2, sizeof(*env));
	size_t n = 0;

	if (!env)
		return NULL;
	for (size_t i = 0; i < r->env.n; i++)
		if (strncmp(r->env.v[i], "SPPSANDBOX", 10) != 0 &&
		    !spp_verdict_var_is_hook(r->env.v[i],
					     strcspn(r->env.v[i], "=")))
			env[n++] = r->env.v[i];
	if (conf->cgroup) {
		size_t len =
			strlen(conf->cgroup) + sizeof("SPPSANDBOX_CGROUP=");

		env[n] = malloc(len);
		if (!env[n]) {
			free(env);
			return NULL;
		}
		snprintf(env[n++], len, "SPPSANDBOX_CGROUP=%s", conf->cgroup);
	}
	env[n] = NULL;
	return env;
}

/* spp-run's command line for the request. */
static char **run_argv(const struct spp_wire_req *r, const char *policy,
		       int *argc)
{
	char **argv = calloc(r->args.n + 10, sizeof(*argv));
	int n = 0;

	if (!argv)
		return NULL;
	argv[n++] = "spp-run";
	argv[n++] = "--event";
	argv[n++] = r->event;
	if (r->inherit)
		argv[n++] = "--inherit-env";
	if (policy) {
		argv[n++] = "--policy";
		argv[n++] = (char *)policy;
	}
	if (r->shell)
		argv[n++] = "--shell";
	argv[n++] = "--";
	for (size_t i = 0; i < r->args.n; i++)
		argv[n++] = r->args.v[i];
	argv[n] = NULL;
	*argc = n;
	return argv;
}

/* A worker's first steps, in the broker's image (so no exec;
 * single-threaded, so malloc and stdio are safe after the fork): default
 * signals, gone with the broker, stdin, stdout and stderr as given, no
 * other descriptor but keep, in the qmail home. 0, or -1 after a line to
 * stderr. */
static int worker_enter(const char *home, pid_t broker, int outfd, int logfd,
			int nullfd, const int keep[2])
{
	int from = 3, high[2] = { -1, -1 };
	static const char msg[] = "spp-sandboxd: warning: worker setup "
				  "failed\n";
	sigset_t all;

	prctl(PR_SET_NAME, "spp-worker");
	sigfillset(&all);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	sigprocmask(SIG_UNBLOCK, &all, NULL);
	/* the broker gone (killed), nobody reads the verdict: the worker
	 * goes, and the sandbox with it (its init has the same signal) */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != broker)
		return -1;
	if (dup2(nullfd, 0) < 0 || dup2(outfd, 1) < 0 || dup2(logfd, 2) < 0)
		return -1;
	/* keep[0] at 3, keep[1] at 4: by way of numbers above both */
	for (int i = 0; i < 2 && keep && keep[i] >= 0; i++)
		if ((high[i] = fcntl(keep[i], F_DUPFD_CLOEXEC, 16)) < 0)
			return -1;
	for (int i = 0; i < 2 && high[i] >= 0; i++, from++)
		if (dup2(high[i], from) < 0)
			return -1;
	if (syscall(SYS_close_range, (unsigned int)from, ~0U, 0U) < 0 ||
	    chdir(home) < 0) {
		(void)!write(2, msg, sizeof(msg) - 1);
		return -1;
	}
	return 0;
}

/* spp-run's command line for the request (its environment in environ),
 * or the worker's end. */
static char **worker_argv(const struct broker_conf *conf,
			  const struct spp_wire_req *r, const char *policy,
			  int *argc)
{
	char **argv = run_argv(r, policy, argc), **env = run_env(conf, r);

	if (!argv || !env)
		_exit(WORKER_SETUP_FAILED);
	environ = env;
	return argv;
}

static void worker(const struct broker_conf *conf, const struct spp_wire_req *r,
		   const char *policy, pid_t broker, int outfd, int logfd,
		   int nullfd)
{
	char **argv;
	int argc = 0, status;

	if (worker_enter(r->home, broker, outfd, logfd, nullfd, NULL) < 0)
		_exit(WORKER_SETUP_FAILED);
	argv = worker_argv(conf, r, policy, &argc);
	status = spp_run_main(argc, argv, r->smtpd);
	fflush(stdout);
	fflush(stderr);
	_exit(status);
}

/* fork() with the descriptors the worker needs and a pidfd of it. */
static pid_t worker_fork(int *pidfd, int *nullfd, struct sbx_error *err)
{
	pid_t pid;
	int e;

	*nullfd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (*nullfd < 0)
		return sbx_fail(err, errno, "/dev/null: %s", strerror(errno));
	/* nothing buffered may be written twice */
	fflush(stderr);
	pid = fork();
	if (pid == 0)
		return 0;
	e = errno;
	close(*nullfd);
	if (pid < 0)
		return sbx_fail(err, e, "fork: %s", strerror(e));
	*pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (*pidfd < 0) {
		e = errno;
		kill(pid, SIGKILL);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		return sbx_fail(err, e, "pidfd_open: %s", strerror(e));
	}
	return pid;
}

pid_t worker_start(const struct broker_conf *conf, const struct spp_wire_req *r,
		   const char *policy, int outfd, int logfd, int *pidfd,
		   struct sbx_error *err)
{
	pid_t self = getpid(), pid;
	int nullfd;

	pid = worker_fork(pidfd, &nullfd, err);
	if (pid == 0)
		worker(conf, r, policy, self, outfd, logfd, nullfd);
	return pid;
}

/* A parked worker's wait for its request: sent by worker_hand_over. */
struct park {
	const struct broker_conf *conf;
	int sock; /* 3; the preparation's log is on 2 until the request */
	struct spp_wire_req req; /* the run's, while it runs */
	char **env; /* the run's environment, from req */
	char **park_env; /* the environment sandboxes are prepared in */
};

/* run_env()'s array: its own string (SPPSANDBOX_CGROUP) last */
static void run_env_free(const struct broker_conf *conf, char **env)
{
	size_t n = 0;

	if (!env)
		return;
	while (env[n])
		n++;
	if (conf->cgroup && n)
		free(env[n - 1]);
	free(env);
}

/* Receive the request's descriptors: the request, stdout, stderr. */
static int recv_fds(int sock, int fds[3])
{
	char byte, cbuf[CMSG_SPACE(3 * sizeof(int))];
	struct iovec iov = { &byte, 1 };
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	ssize_t n;

	do
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	c = n == 1 ? CMSG_FIRSTHDR(&mh) : NULL;
	if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS ||
	    c->cmsg_len != CMSG_LEN(3 * sizeof(int)))
		return -1;
	memcpy(fds, CMSG_DATA(c), 3 * sizeof(int));
	return 0;
}

/* Copy what the memfd from holds to to: the preparation's warnings go
 * with the run they belong to. */
static void copy_log(int from, int to)
{
	char chunk[4096];
	ssize_t n;
	off_t off = 0;

	while ((n = pread(from, chunk, sizeof(chunk), off)) > 0) {
		(void)!write(to, chunk, (size_t)n);
		off += n;
	}
}

static int await_request(void *ctx, long *smtpd)
{
	struct park *pk = ctx;
	struct sbx_error err = { 0, "" };
	int fds[3] = { -1, -1, -1 }, rc = -1;
	char *buf = NULL;
	struct stat st;
	char **env;

	fflush(stderr);
	if (recv_fds(pk->sock, fds) < 0)
		return -1; /* dropped by the broker */
	if (fstat(fds[0], &st) < 0 || st.st_size <= 0 ||
	    st.st_size > SPP_WIRE_REQ_MAX ||
	    !(buf = malloc((size_t)st.st_size)) ||
	    pread(fds[0], buf, (size_t)st.st_size, 0) != st.st_size ||
	    spp_wire_req_parse(buf, (size_t)st.st_size, &pk->req, &err) != 1)
		goto out;
	if (!(env = run_env(pk->conf, &pk->req))) {
		spp_wire_req_clear(&pk->req);
		goto out;
	}
	copy_log(2, fds[2]);
	if (dup2(fds[1], 1) < 0 || dup2(fds[2], 2) < 0) {
		run_env_free(pk->conf, env);
		spp_wire_req_clear(&pk->req);
		goto out;
	}
	environ = pk->env = env;
	*smtpd = pk->req.smtpd;
	rc = 0;
out:
	free(buf);
	for (int i = 0; i < 3; i++)
		close(fds[i]);
	return rc;
}

/* The run's output is complete: its exit status to the broker, which
 * replies while this worker tears the sandbox down. */
static void run_done(void *ctx, int status)
{
	struct park *pk = ctx;
	int32_t st = status;

	(void)!send(pk->sock, &st, sizeof(st), MSG_NOSIGNAL);
}

/* After a run: stdout on /dev/null, stderr a new log of the next
 * preparation, the run's request and environment gone. */
static int next_run(void *ctx)
{
	struct park *pk = ctx;
	int null, log, rc = 0;

	fflush(stdout);
	fflush(stderr);
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	log = (int)syscall(SYS_memfd_create, "spp-prep", 1U /* CLOEXEC */);
	if (null < 0 || log < 0 || dup2(null, 1) < 0 || dup2(log, 2) < 0)
		rc = -1;
	if (null >= 0)
		close(null);
	if (log >= 0)
		close(log);
	environ = pk->park_env;
	run_env_free(pk->conf, pk->env);
	pk->env = NULL;
	spp_wire_req_clear(&pk->req);
	return rc;
}

pid_t worker_park(const struct broker_conf *conf, const struct spp_wire_req *r,
		  const char *policy, int netns, int *pidfd, int *sock,
		  struct sbx_error *err)
{
	static const struct spp_parked_ops ops = { await_request, run_done,
						   next_run };
	struct park pk = { conf, 3, { 0 }, NULL, NULL };
	pid_t self = getpid(), pid;
	int pair[2], prep, nullfd, argc = 0;
	char **argv;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0)
		return sbx_fail(err, errno, "socketpair: %s", strerror(errno));
	prep = (int)syscall(SYS_memfd_create, "spp-prep", 1U /* CLOEXEC */);
	if (prep < 0) {
		sbx_fail(err, errno, "memfd: %s", strerror(errno));
		close(pair[0]);
		close(pair[1]);
		return -1;
	}
	pid = worker_fork(pidfd, &nullfd, err);
	if (pid == 0) {
		/* stderr is the preparation's log until the request comes */
		int keep[2] = { pair[1], netns };

		if (worker_enter(r->home, self, nullfd, prep, nullfd, keep) < 0)
			_exit(WORKER_SETUP_FAILED);
		argv = worker_argv(conf, r, policy, &argc);
		pk.park_env = environ;
		spp_run_parked(argc, argv, netns >= 0 ? 4 : -1, &ops, &pk);
		fflush(stdout);
		fflush(stderr);
		/* a request it could not take: the broker refuses it and
		 * the client makes the run itself */
		_exit(WORKER_SETUP_FAILED);
	}
	close(pair[1]);
	close(prep);
	if (pid < 0) {
		close(pair[0]);
		return -1;
	}
	*sock = pair[0];
	return pid;
}

int worker_hand_over(int sock, const struct sbx_buf *req, int outfd, int logfd,
		     struct sbx_error *err)
{
	char cbuf[CMSG_SPACE(3 * sizeof(int))];
	struct iovec iov = { "r", 1 };
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	int fds[3] = { -1, outfd, logfd }, rc = -1;

	fds[0] = (int)syscall(SYS_memfd_create, "spp-req", 1U /* CLOEXEC */);
	if (fds[0] < 0)
		return sbx_fail(err, errno, "memfd: %s", strerror(errno));
	if (pwrite(fds[0], req->s, req->len, 0) != (ssize_t)req->len) {
		sbx_fail(err, errno, "memfd: %s", strerror(errno));
		goto out;
	}
	memset(cbuf, 0, sizeof(cbuf));
	c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(fds));
	memcpy(CMSG_DATA(c), fds, sizeof(fds));
	/* the parked worker's socket: a datagram, never a partial write */
	if (sendmsg(sock, &mh, MSG_NOSIGNAL | MSG_DONTWAIT) != 1) {
		sbx_fail(err, errno, "hand-over: %s", strerror(errno));
		goto out;
	}
	rc = 0;
out:
	close(fds[0]);
	return rc;
}
