/* SPDX-License-Identifier: GPL-2.0-or-later */
/* spp-sandboxd's event loop: one epoll set over the listening socket, a
 * signalfd, the metrics' timerfd, and per connection its socket, its
 * worker's pidfd and a timerfd that caps the run. Every connection is one
 * struct conn, freed in one place. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "broker.h"

/* A client has this long to send its request, and to take its reply. */
#define IO_DEADLINE_S 10
/* Connections at once: runs, and as many again reading or writing. */
#define CONNS_PER_RUN 2

/* What a run may leave in the reply: spp-run's stdout as the hook keeps
 * it, its log lines up to this. */
#define OUT_MAX (1024 * 1024)
#define LOG_MAX (256 * 1024)

enum src_kind {
	SRC_LISTEN,
	SRC_SIGNAL,
	SRC_METRICS,
	SRC_SOCK,
	SRC_PID,
	SRC_TIMER,
	SRC_PARKED, /* a parked worker's pidfd */
	SRC_IDLE, /* the templates' housekeeping timer */
	SRC_DONE, /* a run's worker says its output is complete */
	SRC_REAP, /* a worker tearing its sandbox down after its reply */
};

/* The metrics file is rewritten at most this often, and only when
 * something was counted. */
#define METRICS_EVERY_MS 1000

struct conn;
struct parked;
struct reap;

struct src {
	enum src_kind kind;
	struct conn *c;
	struct parked *pk;
	struct reap *r;
};

/* A worker whose run is over (its reply made) or that was dropped
 * parked, while it tears its sandbox down: never killed (but at the
 * broker's stop, after REAP_TICKS of 10 ms), reaped when it ends. */
#define REAP_TICKS 300
struct reap {
	pid_t pid;
	int pidfd;
	struct src s_pid;
	struct reap *next, *prev;
};

/* Per plugin line (qmail home, event, policy, flags, program and
 * arguments), a worker parked with its run's sandbox prepared: a request
 * for it pays for the hand-over and the run only. Once it replied, the
 * worker prepares its next run's sandbox and is parked again (a worker
 * forked for every run cost a quarter of the CPU a run takes), up to
 * WORKER_RUNS runs; then a new one is forked. A line is parked for from
 * its second request on (a one-off line costs one sandbox, not two). A template not asked for in
 * TEMPLATE_IDLE_S is dropped; the least recently used goes when
 * TEMPLATES_MAX are held. */
#define TEMPLATES_MAX 64
#define TEMPLATE_IDLE_S 60
/* Workers per line: PARK_MIN once it is asked for again (two keep the
 * next request's sandbox ready while one is made: that takes longer than
 * a run), one more for each request that found none parked, up to
 * PARK_MAX (the line's runs at once). A request takes one; the line gets
 * its workers back once that run replied (forking while a run goes on
 * slows it), when none is left at once. */
#define PARK_MIN 2
#define PARK_MAX 8
/* Runs one parked worker makes: a bound on whatever it might keep. */
#define WORKER_RUNS 1000

struct parked {
	pid_t pid; /* 0: none */
	int pidfd, sock;
	unsigned long seq; /* parked in this order: the oldest goes first */
	unsigned int runs; /* made by this worker */
	struct src s_pid;
};

struct tmpl {
	unsigned long gen; /* changes when the slot takes another line */
	char *key; /* NULL: a free slot */
	size_t keylen;
	unsigned int asked; /* requests: a line asked for once parks none */
	struct parked p[PARK_MAX];
	unsigned int out; /* its workers making a run, to come back */
	int netns; /* the line's `network none` runs share it; -1: none */
	time_t used;
};

enum conn_state { READING, RUNNING, WRITING };

struct conn {
	int fd, pidfd, timerfd, outfd, logfd;
	int done; /* a parked worker's: its exit status comes here first */
	unsigned int wruns; /* runs its worker made before this one */
	int taken; /* its worker was t's parked one (it counts in t->out) */
	struct tmpl *t; /* its line's template, while t->gen is tgen */
	unsigned long tgen;
	char *policy; /* the request's, to park the next worker with */
	pid_t pid;
	uid_t uid;
	pid_t peer;
	enum conn_state state;
	int capped; /* killed by the broker's cap */
	int dead; /* freed at the end of the epoll batch */
	struct conn *next_dead;
	int gone; /* the client hung up */
	struct sbx_buf in, out;
	size_t sent;
	struct src s_sock, s_pid, s_timer, s_done;
	struct timespec t0;
	char what[160]; /* event and plugin, for the log */
};

static struct {
	const struct broker_conf *conf;
	int ep, lfd, sfd;
	int mfd, marmed; /* the metrics' timer, and whether it is set */
	unsigned int nconn, nrun;
	int stopping;
	struct conn *dead; /* events of this batch may still name them */
	struct reap *reaping;
	struct reap *reaped; /* freed at the end of the epoll batch */
} B;

static struct src src_listen = { SRC_LISTEN, NULL, NULL, NULL };
static struct src src_signal = { SRC_SIGNAL, NULL, NULL, NULL };
static struct src src_metrics = { SRC_METRICS, NULL, NULL, NULL };
static struct src src_idle = { SRC_IDLE, NULL, NULL, NULL };
static struct tmpl T[TEMPLATES_MAX];
static int idle_fd = -1;
static unsigned long park_seq; /* the order workers were parked in */

static void logline(const char *level, const struct conn *c, const char *fmt,
		    ...) __attribute__((format(printf, 3, 4)));

static void logline(const char *level, const struct conn *c, const char *fmt,
		    ...)
{
	char msg[700];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c)
		fprintf(stderr, "spp-sandboxd: %s: uid %u pid %d: %s\n", level,
			(unsigned int)c->uid, (int)c->peer, msg);
	else
		fprintf(stderr, "spp-sandboxd: %s: %s\n", level, msg);
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) * 1e3 +
	       (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Count an event; the file is written within METRICS_EVERY_MS. */
static void count(enum broker_event ev)
{
	if (B.conf->metrics)
		metrics_event(B.conf->metrics, ev);
}

static void metrics_write_now(void)
{
	struct sbx_error err = { 0, "" };

	if (B.conf->metrics && metrics_write(B.conf->metrics, &err) < 0)
		logline("warning", NULL, "metrics: %s", err.msg);
}

/* Something was counted: write it when the timer says (one write a
 * second at most, none while nothing changes). */
static void metrics_soon(void)
{
	struct itimerspec t = { { 0, 0 },
				{ METRICS_EVERY_MS / 1000,
				  (METRICS_EVERY_MS % 1000) * 1000000L } };

	if (!B.conf->metrics || B.mfd < 0 || B.marmed ||
	    !metrics_dirty(B.conf->metrics))
		return;
	if (timerfd_settime(B.mfd, 0, &t, NULL) == 0)
		B.marmed = 1;
}

static void on_metrics_timer(void)
{
	uint64_t n;

	if (read(B.mfd, &n, sizeof(n)) != (ssize_t)sizeof(n))
		return;
	B.marmed = 0;
	metrics_write_now();
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void unwatch(int *fd)
{
	if (*fd >= 0)
		epoll_ctl(B.ep, EPOLL_CTL_DEL, *fd, NULL);
	close_fd(fd);
}

/* c's worker, taken parked, no longer counts as its template's. */
static void out_release(struct conn *c)
{
	if (c->taken && c->t && c->t->gen == c->tgen && c->t->out)
		c->t->out--;
	c->taken = 0;
}

static void conn_free(struct conn *c)
{
	if (!c || c->dead)
		return;
	out_release(c);
	/* a worker still there is killed and reaped: nothing outlives its
	 * connection */
	if (c->pid > 0) {
		if (c->pidfd >= 0)
			syscall(SYS_pidfd_send_signal, c->pidfd, SIGKILL, NULL,
				0);
		while (waitpid(c->pid, NULL, 0) < 0 && errno == EINTR)
			;
		B.nrun--;
	}
	/* A worker forked a moment ago may still hold copies of these: epoll
	 * forgets a file only when its last copy is closed, so it is told
	 * now (epoll(7), "Q6"), or events would name a freed conn. */
	unwatch(&c->fd);
	unwatch(&c->pidfd);
	unwatch(&c->timerfd);
	unwatch(&c->done);
	close_fd(&c->outfd);
	close_fd(&c->logfd);
	sbx_buf_free(&c->in);
	sbx_buf_free(&c->out);
	free(c->policy);
	c->dead = 1;
	c->next_dead = B.dead;
	B.dead = c;
	B.nconn--;
}

static int ep_add(int fd, unsigned int events, struct src *s)
{
	struct epoll_event ev = { .events = events, .data.ptr = s };

	return epoll_ctl(B.ep, EPOLL_CTL_ADD, fd, &ev);
}

static int ep_mod(int fd, unsigned int events, struct src *s)
{
	struct epoll_event ev = { .events = events, .data.ptr = s };

	return epoll_ctl(B.ep, EPOLL_CTL_MOD, fd, &ev);
}

/* Arm the connection's timer: IO_DEADLINE_S from now (reading or
 * writing), or ms for a run. */
static int arm(struct conn *c, unsigned int ms)
{
	struct itimerspec t = { { 0, 0 }, { 0, 0 } };

	t.it_value.tv_sec = ms / 1000;
	t.it_value.tv_nsec = (long)(ms % 1000) * 1000000;
	return timerfd_settime(c->timerfd, 0, &t, NULL);
}

/* The reply is in c->out: send it as the socket takes it. */
static void start_writing(struct conn *c)
{
	c->state = WRITING;
	c->sent = 0;
	if (c->timerfd < 0) {
		c->timerfd = timerfd_create(CLOCK_MONOTONIC,
					    TFD_NONBLOCK | TFD_CLOEXEC);
		if (c->timerfd >= 0 &&
		    ep_add(c->timerfd, EPOLLIN, &c->s_timer) < 0)
			close_fd(&c->timerfd);
	}
	if (c->timerfd < 0 || arm(c, IO_DEADLINE_S * 1000) < 0 ||
	    ep_mod(c->fd, EPOLLOUT, &c->s_sock) < 0) {
		logline("warning", c, "epoll: %s", strerror(errno));
		conn_free(c);
	}
}

static void refuse(struct conn *c, enum broker_event ev, const char *why)
{
	count(ev);
	sbx_buf_free(&c->out);
	if (spp_wire_puts(&c->out, SPP_WIRE_VERSION, SPP_WIRE_VERSION_1) < 0 ||
	    spp_wire_puts(&c->out, SPP_WIRE_REFUSE, why) < 0 ||
	    spp_wire_put(&c->out, SPP_WIRE_END, "", 0) < 0) {
		conn_free(c);
		return;
	}
	start_writing(c);
}

static int served(uid_t uid)
{
	for (size_t i = 0; i < B.conf->nuids; i++)
		if (B.conf->uids[i] == uid)
			return 1;
	return 0;
}

/* A uid not served is told at once and closed: it never holds one of the
 * connections served uids need (any local user may connect). The reply
 * is small enough for a new socket's buffer; if it does not fit, the
 * client only falls back sooner. */
static void refuse_now(int fd, const struct ucred *cr)
{
	struct sbx_buf b = { 0 };

	count(BROKER_EV_REFUSED_UID);
	logline("warning", NULL, "uid %u pid %d: refused: uid not served",
		(unsigned int)cr->uid, (int)cr->pid);
	if (spp_wire_puts(&b, SPP_WIRE_VERSION, SPP_WIRE_VERSION_1) == 0 &&
	    spp_wire_puts(&b, SPP_WIRE_REFUSE, "uid not served") == 0 &&
	    spp_wire_put(&b, SPP_WIRE_END, "", 0) == 0)
		(void)!send(fd, b.s, b.len, MSG_DONTWAIT | MSG_NOSIGNAL);
	sbx_buf_free(&b);
	close(fd);
}

/* Connections taken per wake-up: a flood of them does not keep the loop
 * from the runs under way (epoll reports the rest again). */
#define ACCEPT_BURST 64

static void on_accept(void)
{
	for (int burst = 0; burst < ACCEPT_BURST; burst++) {
		struct ucred cr;
		socklen_t len = sizeof(cr);
		struct conn *c;
		int fd = accept4(B.lfd, NULL, NULL,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR &&
			    errno != ECONNABORTED)
				logline("warning", NULL, "accept: %s",
					strerror(errno));
			return;
		}
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0) {
			logline("warning", NULL, "a connection dropped: %s",
				strerror(errno));
			close(fd);
			continue;
		}
		if (!served(cr.uid)) {
			refuse_now(fd, &cr);
			continue;
		}
		c = calloc(1, sizeof(*c));
		if (!c) {
			logline("warning", NULL,
				"a connection dropped: out of memory");
			close(fd);
			continue;
		}
		if (B.nconn >= B.conf->max_runs * CONNS_PER_RUN) {
			count(BROKER_EV_DROPPED_CONNS);
			logline("warning", NULL,
				"uid %u: dropped: %u connections open",
				(unsigned int)cr.uid, B.nconn);
			free(c);
			close(fd);
			continue;
		}
		B.nconn++;
		c->fd = fd;
		c->pidfd = c->timerfd = c->outfd = c->logfd = -1;
		c->uid = cr.uid;
		c->peer = cr.pid;
		c->s_sock = (struct src){ SRC_SOCK, c, NULL, NULL };
		c->s_pid = (struct src){ SRC_PID, c, NULL, NULL };
		c->s_timer = (struct src){ SRC_TIMER, c, NULL, NULL };
		c->s_done = (struct src){ SRC_DONE, c, NULL, NULL };
		c->done = -1;
		clock_gettime(CLOCK_MONOTONIC, &c->t0);
		c->timerfd = timerfd_create(CLOCK_MONOTONIC,
					    TFD_NONBLOCK | TFD_CLOEXEC);
		if (c->timerfd < 0 || arm(c, IO_DEADLINE_S * 1000) < 0 ||
		    ep_add(c->timerfd, EPOLLIN, &c->s_timer) < 0 ||
		    ep_add(fd, EPOLLIN, &c->s_sock) < 0) {
			logline("warning", c, "epoll: %s", strerror(errno));
			conn_free(c);
			continue;
		}
		c->state = READING;
	}
}

static int memfd(const char *name)
{
	return (int)syscall(SYS_memfd_create, name, 1U /* MFD_CLOEXEC */);
}

/* Has the process of pidfd ended? Then it is reaped (*si: how) and 1;
 * 0 while it runs (or pidfd is -1). */
static int ended(int pidfd, siginfo_t *si)
{
	memset(si, 0, sizeof(*si));
	return pidfd >= 0 &&
	       waitid(P_PIDFD, (id_t)pidfd, si, WEXITED | WNOHANG) == 0 &&
	       si->si_pid != 0;
}

/* The template's key: the request but for its environment and the
 * pid of qmail-smtpd, NUL-separated. NULL when out of memory. */
static char *template_key(const struct spp_wire_req *r, const char *policy,
			  size_t *len)
{
	struct sbx_buf b = { 0 };
	int bad = sbx_buf_add(&b, r->home, strlen(r->home) + 1) < 0 ||
		  sbx_buf_add(&b, r->event, strlen(r->event) + 1) < 0 ||
		  sbx_buf_add(&b, policy ? policy : "",
			      strlen(policy ? policy : "") + 1) < 0 ||
		  sbx_buf_add(&b, r->shell ? "s" : "-", 2) < 0 ||
		  sbx_buf_add(&b, r->inherit ? "i" : "-", 2) < 0;

	for (size_t i = 0; !bad && i < r->args.n; i++)
		bad = sbx_buf_add(&b, r->args.v[i], strlen(r->args.v[i]) + 1) <
		      0;
	if (bad) {
		sbx_buf_free(&b);
		return NULL;
	}
	*len = b.len;
	return b.s;
}

/* A worker that ends by itself, tearing its sandbox down (its cgroup
 * included: killed, it would leave that behind): reaped when it ends,
 * never killed but at the broker's stop. Takes pidfd. */
static void reap_add(pid_t pid, int pidfd)
{
	struct reap *r = calloc(1, sizeof(*r));

	epoll_ctl(B.ep, EPOLL_CTL_DEL, pidfd, NULL);
	if (r) {
		r->pid = pid;
		r->pidfd = pidfd;
		r->s_pid = (struct src){ SRC_REAP, NULL, NULL, r };
	}
	if (!r || ep_add(pidfd, EPOLLIN, &r->s_pid) < 0) {
		/* cannot be watched: waited for now */
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		close(pidfd);
		free(r);
		return;
	}
	r->next = B.reaping;
	if (r->next)
		r->next->prev = r;
	B.reaping = r;
}

/* Drop a parked worker, if any: its socket closed, it undoes its
 * sandbox and ends. */
static void unpark(struct parked *pk)
{
	if (pk->pid <= 0)
		return;
	close_fd(&pk->sock);
	reap_add(pk->pid, pk->pidfd);
	pk->pid = 0;
	pk->pidfd = -1;
}

static void template_drop(struct tmpl *t)
{
	for (size_t i = 0; i < PARK_MAX; i++)
		unpark(&t->p[i]);
	close_fd(&t->netns);
	free(t->key);
	t->key = NULL;
	t->out = 0;
	t->gen++; /* its workers out are not its own any more */
}

/* The template of key, taking a free or the least recently used slot
 * when it has none; NULL when out of memory (key is freed). */
static struct tmpl *template_get(char *key, size_t len)
{
	struct tmpl *t = NULL;

	for (size_t i = 0; i < TEMPLATES_MAX; i++) {
		if (T[i].key && T[i].keylen == len &&
		    memcmp(T[i].key, key, len) == 0) {
			free(key);
			return &T[i];
		}
		if (!t || (t->key && (!T[i].key || T[i].used < t->used)))
			t = &T[i];
	}
	if (t->key)
		template_drop(t);
	t->key = key;
	t->keylen = len;
	t->gen++;
	t->asked = 0;
	t->netns = -1;
	for (size_t i = 0; i < PARK_MAX; i++) {
		t->p[i].pid = 0;
		t->p[i].pidfd = t->p[i].sock = -1;
		t->p[i].s_pid =
			(struct src){ SRC_PARKED, NULL, &t->p[i], NULL };
	}
	return t;
}

/* An empty network namespace for one plugin line's runs, made by root
 * only (entering it takes CAP_SYS_ADMIN here): the runs of the line then
 * skip the making and teardown of one each (sbx_jail_set_netns says when
 * they may). -1 when none can be had. */
static int line_netns(void)
{
	int self, fd = -1;

	if (geteuid() != 0)
		return -1;
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return -1;
	if (unshare(CLONE_NEWNET) == 0) {
		fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		/* back in the broker's own: nothing but this fails there */
		if (setns(self, CLONE_NEWNET) < 0) {
			logline("warning", NULL, "setns: %s", strerror(errno));
			close_fd(&fd);
		}
	}
	close(self);
	return fd;
}

/* Park workers until the template has want (parked and out; a failure
 * only means a later run is made from the start). */
static void template_park(struct tmpl *t, const struct spp_wire_req *r,
			  const char *policy, unsigned int want)
{
	struct sbx_error err = { 0, "" };
	unsigned int have = t->out;

	if (B.stopping)
		return;
	for (size_t i = 0; i < PARK_MAX; i++)
		have += t->p[i].pid > 0;
	if (have >= want)
		return;
	if (t->netns < 0)
		t->netns = line_netns();
	for (size_t i = 0; i < PARK_MAX && have < want; i++) {
		struct parked *pk = &t->p[i];

		if (pk->pid > 0)
			continue;
		have++;
		pk->pid = worker_park(B.conf, r, policy, t->netns, &pk->pidfd,
				      &pk->sock, &err);
		if (pk->pid < 0) {
			pk->pid = 0;
			logline("warning", NULL, "cannot park a worker: %s",
				err.msg);
			return;
		}
		pk->seq = ++park_seq;
		pk->runs = 0;
		if (ep_add(pk->pidfd, EPOLLIN, &pk->s_pid) < 0) {
			logline("warning", NULL, "epoll: %s", strerror(errno));
			unpark(pk);
			return;
		}
	}
}

/* A parked worker ended before its request: forgotten (the next request
 * parks another). */
static void on_exit_parked(struct parked *pk)
{
	siginfo_t si;

	if (!ended(pk->pidfd, &si))
		return;
	logline("warning", NULL, "a parked worker ended (%s %d)",
		si.si_code == CLD_EXITED ? "exit" : "signal", si.si_status);
	pk->pid = 0;
	unwatch(&pk->pidfd);
	close_fd(&pk->sock);
}

/* Templates not asked for in TEMPLATE_IDLE_S go, with their workers. */
static void on_idle_timer(void)
{
	time_t now = time(NULL);
	uint64_t n;

	if (read(idle_fd, &n, sizeof(n)) != (ssize_t)sizeof(n))
		return;
	for (size_t i = 0; i < TEMPLATES_MAX; i++)
		if (T[i].key && now - T[i].used > TEMPLATE_IDLE_S)
			template_drop(&T[i]);
}

static void templates_drop_all(void)
{
	for (size_t i = 0; i < TEMPLATES_MAX; i++)
		if (T[i].key)
			template_drop(&T[i]);
}

/* Hand the run to the template's oldest parked worker: 0, or -1 (none,
 * or it could not take it: then it is dropped). */
static int run_parked(struct conn *c, struct tmpl *t)
{
	struct sbx_error err = { 0, "" };
	struct parked *pk = NULL;

	for (size_t i = 0; i < PARK_MAX; i++)
		if (t->p[i].pid > 0 && (!pk || t->p[i].seq < pk->seq))
			pk = &t->p[i];
	if (!pk)
		return -1;
	if (worker_hand_over(pk->sock, &c->in, c->outfd, c->logfd, &err) < 0) {
		logline("warning", c, "%s: parked worker: %s", c->what,
			err.msg);
		unpark(pk);
		return -1;
	}
	/* the worker is the run's now */
	epoll_ctl(B.ep, EPOLL_CTL_DEL, pk->pidfd, NULL);
	c->pid = pk->pid;
	c->pidfd = pk->pidfd;
	c->done = pk->sock;
	c->wruns = pk->runs;
	c->t = t;
	c->tgen = t->gen;
	c->taken = 1;
	t->out++;
	pk->pid = 0;
	pk->pidfd = pk->sock = -1;
	if (ep_add(c->done, EPOLLIN, &c->s_done) < 0)
		close_fd(&c->done); /* its exit is enough */
	return 0;
}

/* The request is complete: check it, start its worker. */
static void start_run(struct conn *c, struct spp_wire_req *r)
{
	struct sbx_error err = { 0, "" };
	char *policy = NULL, *key, esc[120], ev[24];
	struct tmpl *t;
	size_t keylen;

	/* both the client's: a newline would forge a log line */
	sbx_escape(ev, sizeof(ev), r->event, strlen(r->event));
	sbx_escape(esc, sizeof(esc), r->args.v[0], strlen(r->args.v[0]));
	snprintf(c->what, sizeof(c->what), "%s %s", ev, esc);
	if (worker_policy(B.conf, r, &policy, &err) < 0) {
		logline("warning", c, "%s: refused: %s", c->what, err.msg);
		refuse(c, BROKER_EV_REFUSED_POLICY, err.msg);
		return;
	}
	if (B.nrun >= B.conf->max_runs) {
		logline("warning", c, "%s: refused: %u runs under way", c->what,
			B.nrun);
		free(policy);
		refuse(c, BROKER_EV_REFUSED_BUSY, "busy");
		return;
	}
	c->outfd = memfd("spp-out");
	c->logfd = memfd("spp-log");
	if (c->outfd < 0 || c->logfd < 0 || arm(c, B.conf->cap_ms) < 0) {
		logline("warning", c, "%s: refused: %s", c->what,
			strerror(errno));
		free(policy);
		refuse(c, BROKER_EV_REFUSED_RESOURCES, "no resources");
		return;
	}
	key = template_key(r, policy, &keylen);
	t = key ? template_get(key, keylen) : NULL;
	if (t) {
		t->used = time(NULL);
		t->asked += t->asked < 2;
	}
	if (!t || run_parked(c, t) < 0)
		c->pid = worker_start(B.conf, r, policy, c->outfd, c->logfd,
				      &c->pidfd, &err);
	/* the next run of a line asked for again is prepared: now when none
	 * is left parked, else once this one replied */
	if (t && (t->asked > 1 || c->taken) && c->pid > 0) {
		size_t parked = 0;

		for (size_t i = 0; i < PARK_MAX; i++)
			parked += t->p[i].pid > 0;
		if (!parked)
			template_park(t, r, policy,
				      t->out + 1 > PARK_MIN ? t->out + 1 :
							      PARK_MIN);
		c->t = t;
		c->tgen = t->gen;
		c->policy = policy;
		policy = NULL;
	}
	free(policy);
	if (c->pid < 0) {
		c->pid = 0;
		logline("warning", c, "%s: refused: %s", c->what, err.msg);
		refuse(c, BROKER_EV_REFUSED_RESOURCES, err.msg);
		return;
	}
	count(BROKER_EV_RUN);
	B.nrun++;
	c->state = RUNNING;
	/* only a hang-up of the client matters now */
	if (ep_mod(c->fd, EPOLLRDHUP, &c->s_sock) < 0 ||
	    ep_add(c->pidfd, EPOLLIN, &c->s_pid) < 0) {
		logline("warning", c, "epoll: %s", strerror(errno));
		conn_free(c);
	}
}

static void on_read(struct conn *c)
{
	struct sbx_error err = { 0, "" };
	struct spp_wire_req r;
	char chunk[16384];
	ssize_t n;
	int p;

	for (;;) {
		n = read(c->fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			/* gone before its request was whole */
			conn_free(c);
			return;
		}
		if (c->in.len + (size_t)n > SPP_WIRE_REQ_MAX ||
		    sbx_buf_add(&c->in, chunk, (size_t)n) < 0) {
			logline("warning", c, "refused: request too big");
			refuse(c, BROKER_EV_REFUSED_REQUEST, "request too big");
			return;
		}
		p = spp_wire_req_parse(c->in.s, c->in.len, &r, &err);
		if (p < 0) {
			logline("warning", c, "refused: garbage: %s", err.msg);
			refuse(c, BROKER_EV_REFUSED_REQUEST, "garbage");
			return;
		}
		if (p > 0) {
			start_run(c, &r);
			spp_wire_req_clear(&r);
			return;
		}
	}
}

/* Up to max bytes of a memfd, from its start. */
static int slurp(int fd, size_t max, struct sbx_buf *b)
{
	char chunk[16384];
	off_t off = 0;

	while ((size_t)off < max) {
		size_t want = max - (size_t)off;
		ssize_t n = pread(fd, chunk,
				  want < sizeof(chunk) ? want : sizeof(chunk),
				  off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -1 : 0;
		if (sbx_buf_add(b, chunk, (size_t)n) < 0)
			return -1;
		off += n;
	}
	return 0;
}

/* The failure verdict of a run the broker had to end (spp-run's fatal
 * path: the built-in default's failure line). */
static int fail_line(struct sbx_buf *out)
{
	struct sbx_policy dflt;
	const char *line;
	int rc = 0;

	if (sbx_policy_default(&dflt, NULL) < 0)
		return sbx_buf_adds(out, "E451 plugin failed, try again later "
					 "(#4.3.0)\n");
	line = sbx_policy_fail_line(&dflt);
	if (line &&
	    (sbx_buf_adds(out, line) < 0 || sbx_buf_adds(out, "\n") < 0))
		rc = -1;
	sbx_policy_clear(&dflt);
	return rc;
}

static void run_over(struct conn *c, const siginfo_t *si);

/* The run replied: its line's template gets its workers back (parked
 * now, not while the run went on). */
static void refill(struct conn *c)
{
	struct sbx_error err = { 0, "" };
	struct spp_wire_req r;
	struct tmpl *t = c->t;

	out_release(c);
	c->t = NULL;
	if (!t || t->gen != c->tgen || !t->key ||
	    spp_wire_req_parse(c->in.s, c->in.len, &r, &err) != 1)
		return;
	template_park(t, &r, c->policy, PARK_MIN);
	spp_wire_req_clear(&r);
}

static void on_exit_worker(struct conn *c)
{
	siginfo_t si;

	if (!ended(c->pidfd, &si))
		return;
	c->pid = 0;
	B.nrun--;
	unwatch(&c->pidfd);
	unwatch(&c->done);
	run_over(c, &si);
}

static void reap_free(struct reap *r)
{
	unwatch(&r->pidfd);
	if (r->prev)
		r->prev->next = r->next;
	else
		B.reaping = r->next;
	if (r->next)
		r->next->prev = r->prev;
	r->next = B.reaped;
	B.reaped = r;
}

static void on_reap(struct reap *r)
{
	siginfo_t si;

	if (ended(r->pidfd, &si))
		reap_free(r);
}

/* A parked worker whose run replied, tearing that run's sandbox down and
 * preparing the next: parked again in its line's template (still that
 * line's, a place free, fewer than WORKER_RUNS made), else told to end
 * (its socket closed) and reaped when it does. */
static void worker_return(struct conn *c)
{
	struct tmpl *t = c->t && c->t->gen == c->tgen ? c->t : NULL;
	struct parked *pk = NULL;

	out_release(c);
	epoll_ctl(B.ep, EPOLL_CTL_DEL, c->pidfd, NULL);
	if (t && t->key && !B.stopping && c->wruns + 1 < WORKER_RUNS)
		for (size_t i = 0; i < PARK_MAX && !pk; i++)
			if (t->p[i].pid <= 0)
				pk = &t->p[i];
	if (pk && ep_add(c->pidfd, EPOLLIN, &pk->s_pid) == 0) {
		pk->pid = c->pid;
		pk->pidfd = c->pidfd;
		pk->sock = c->done;
		pk->runs = c->wruns + 1;
		pk->seq = ++park_seq;
		c->done = -1;
	} else {
		close_fd(&c->done);
		reap_add(c->pid, c->pidfd);
	}
	c->pid = 0;
	c->pidfd = -1;
}

/* A parked worker's run is over: its exit status came before its exit.
 * The reply goes now, the worker back to its template. */
static void on_done(struct conn *c)
{
	siginfo_t si;
	int32_t st;
	ssize_t n;

	if (c->state != RUNNING || c->pid <= 0)
		return;
	n = recv(c->done, &st, sizeof(st), MSG_DONTWAIT);
	epoll_ctl(B.ep, EPOLL_CTL_DEL, c->done, NULL);
	if (n != (ssize_t)sizeof(st) || c->gone || c->capped) {
		close_fd(&c->done);
		return; /* its exit says how it went */
	}
	worker_return(c);
	B.nrun--;
	memset(&si, 0, sizeof(si));
	si.si_code = CLD_EXITED;
	si.si_status = st;
	run_over(c, &si);
}

/* The run ended (si: how its worker did): the reply. */
static void run_over(struct conn *c, const siginfo_t *si)
{
	struct sbx_buf out = { 0 }, log = { 0 };
	char st[16];
	int status, rc, killed = 0;

	if (c->gone) {
		count(BROKER_EV_KILLED_GONE);
		conn_free(c);
		return;
	}
	if (si->si_code == CLD_EXITED && si->si_status == WORKER_SETUP_FAILED) {
		logline("warning", c, "%s: refused: the worker failed",
			c->what);
		refuse(c, BROKER_EV_REFUSED_RESOURCES, "the worker failed");
		return;
	}
	if (si->si_code == CLD_EXITED && !c->capped &&
	    lseek(c->outfd, 0, SEEK_END) > OUT_MAX) {
		/* more than the hook layer keeps: it would fail the run */
		status = SBX_EXIT_TEMP;
		rc = slurp(c->logfd, LOG_MAX, &log) < 0 || fail_line(&out) < 0;
		logline("warning", c,
			"%s: more than %d bytes on stdout: failed", c->what,
			OUT_MAX);
	} else if (si->si_code == CLD_EXITED && !c->capped) {
		status = si->si_status;
		rc = slurp(c->outfd, OUT_MAX, &out) < 0 ||
		     slurp(c->logfd, LOG_MAX, &log) < 0;
	} else {
		/* killed: by the cap, or crashed. The run failed: the
		 * failure verdict, never an accept. */
		status = SBX_EXIT_TEMP;
		rc = slurp(c->logfd, LOG_MAX, &log) < 0 || fail_line(&out) < 0;
		logline("warning", c, "%s: the run was killed (%s)", c->what,
			c->capped ? "over the broker's cap" : "worker crashed");
		count(c->capped ? BROKER_EV_KILLED_CAP :
				  BROKER_EV_KILLED_CRASH);
		killed = 1;
	}
	/* the run's report line (the same the client logs) into the
	 * metrics; a killed run has none, and a note of its left pending
	 * would be taken for the next run's */
	if (!rc && !killed && B.conf->metrics && log.len &&
	    metrics_log(B.conf->metrics, log.s, log.len) < 0)
		logline("warning", c, "%s: metrics: out of memory", c->what);
	snprintf(st, sizeof(st), "%d", status);
	sbx_buf_free(&c->out);
	if (rc ||
	    spp_wire_puts(&c->out, SPP_WIRE_VERSION, SPP_WIRE_VERSION_1) < 0 ||
	    spp_wire_puts(&c->out, SPP_WIRE_STATUS, st) < 0 ||
	    spp_wire_put(&c->out, SPP_WIRE_OUT, out.s ? out.s : "", out.len) <
		    0 ||
	    spp_wire_put(&c->out, SPP_WIRE_LOG, log.s ? log.s : "", log.len) <
		    0 ||
	    spp_wire_put(&c->out, SPP_WIRE_END, "", 0) < 0) {
		sbx_buf_free(&out);
		sbx_buf_free(&log);
		logline("warning", c, "%s: out of memory", c->what);
		conn_free(c);
		return;
	}
	sbx_buf_free(&out);
	sbx_buf_free(&log);
	close_fd(&c->outfd);
	close_fd(&c->logfd);
	if (B.conf->verbose)
		logline("info", c, "%s: exit %d in %.1fms", c->what, status,
			ms_since(&c->t0));
	start_writing(c);
	/* the reply goes first (the rest, if any, when the socket takes
	 * it), then the line's next worker is forked */
	if (!c->dead && c->state == WRITING) {
		ssize_t n = send(c->fd, c->out.s, c->out.len,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n > 0)
			c->sent = (size_t)n;
	}
	if (!c->dead)
		refill(c);
}

static void on_write(struct conn *c)
{
	while (c->sent < c->out.len) {
		ssize_t n = send(c->fd, c->out.s + c->sent,
				 c->out.len - c->sent, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n < 0)
			break;
		c->sent += (size_t)n;
	}
	conn_free(c);
}

static void on_sock(struct conn *c, unsigned int ev)
{
	switch (c->state) {
	case READING:
		on_read(c);
		break;
	case RUNNING:
		/* the client (spp-run, qmail-smtpd) is gone: so is its run */
		if (ev & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
			c->gone = 1;
			epoll_ctl(B.ep, EPOLL_CTL_DEL, c->fd, NULL);
			syscall(SYS_pidfd_send_signal, c->pidfd, SIGKILL, NULL,
				0);
		}
		break;
	case WRITING:
		on_write(c);
		break;
	}
}

static void on_timer(struct conn *c)
{
	uint64_t n;

	if (read(c->timerfd, &n, sizeof(n)) != (ssize_t)sizeof(n))
		return;
	if (c->state != RUNNING) {
		count(BROKER_EV_DROPPED_SLOW);
		logline("warning", c, "dropped: no %s in %d s",
			c->state == READING ? "request" : "reply taken",
			IO_DEADLINE_S);
		conn_free(c);
		return;
	}
	/* the run: over the broker's cap */
	c->capped = 1;
	if (c->pidfd >= 0)
		syscall(SYS_pidfd_send_signal, c->pidfd, SIGKILL, NULL, 0);
}

static void on_signal(void)
{
	struct signalfd_siginfo si;

	while (read(B.sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (B.stopping)
			continue;
		B.stopping = 1;
		logline("info", NULL,
			"signal %u: no new runs; finishing %u under way",
			si.ssi_signo, B.nrun);
		epoll_ctl(B.ep, EPOLL_CTL_DEL, B.lfd, NULL);
		close_fd(&B.lfd);
		unlink(B.conf->socket);
		templates_drop_all();
	}
}

int broker_listen(const struct broker_conf *conf, struct sbx_error *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t n = strlen(conf->socket);
	struct stat sb;
	int fd, e;

	if (n >= sizeof(sa.sun_path))
		return sbx_fail(err, ENAMETOOLONG, "%s: path too long",
				conf->socket);
	memcpy(sa.sun_path, conf->socket, n + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return sbx_fail(err, errno, "socket: %s", strerror(errno));
	/* a socket left by a dead broker is replaced; a live one's, or any
	 * other file, is not */
	if (lstat(conf->socket, &sb) == 0) {
		if (!S_ISSOCK(sb.st_mode) ||
		    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 ||
		    errno == EAGAIN) {
			close(fd);
			return sbx_fail(err, EEXIST, "%s: in use",
					conf->socket);
		}
		unlink(conf->socket);
		close(fd);
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			    0);
		if (fd < 0)
			return sbx_fail(err, errno, "socket: %s",
					strerror(errno));
	}
	/* who may be served is SO_PEERCRED's to say, not the mode's */
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    chmod(conf->socket, 0666) < 0 || listen(fd, 512) < 0) {
		e = errno;
		close(fd);
		return sbx_fail(err, e, "%s: %s", conf->socket, strerror(e));
	}
	return fd;
}

int broker_serve(const struct broker_conf *conf, int lfd, struct sbx_error *err)
{
	struct epoll_event evs[64];
	sigset_t set;

	B.conf = conf;
	B.lfd = lfd;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return sbx_fail(err, errno, "sigprocmask: %s", strerror(errno));
	B.sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	B.ep = epoll_create1(EPOLL_CLOEXEC);
	B.mfd = -1;
	if (B.sfd < 0 || B.ep < 0 || ep_add(B.sfd, EPOLLIN, &src_signal) < 0 ||
	    ep_add(lfd, EPOLLIN, &src_listen) < 0)
		return sbx_fail(err, errno, "epoll: %s", strerror(errno));
	if (conf->metrics) {
		B.mfd = timerfd_create(CLOCK_MONOTONIC,
				       TFD_NONBLOCK | TFD_CLOEXEC);
		if (B.mfd < 0 || ep_add(B.mfd, EPOLLIN, &src_metrics) < 0)
			return sbx_fail(err, errno, "metrics timer: %s",
					strerror(errno));
	}
	/* the templates' housekeeping, every TEMPLATE_IDLE_S / 4 */
	{
		struct itimerspec every = { { TEMPLATE_IDLE_S / 4, 0 },
					    { TEMPLATE_IDLE_S / 4, 0 } };

		idle_fd = timerfd_create(CLOCK_MONOTONIC,
					 TFD_NONBLOCK | TFD_CLOEXEC);
		if (idle_fd < 0 ||
		    timerfd_settime(idle_fd, 0, &every, NULL) < 0 ||
		    ep_add(idle_fd, EPOLLIN, &src_idle) < 0)
			return sbx_fail(err, errno, "idle timer: %s",
					strerror(errno));
	}
	while (!B.stopping || B.nconn) {
		int n = epoll_wait(B.ep, evs, 64, -1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return sbx_fail(err, errno, "epoll_wait: %s",
					strerror(errno));
		for (int i = 0; i < n; i++) {
			struct src *s = evs[i].data.ptr;

			if (s->c && s->c->dead)
				continue;
			switch (s->kind) {
			case SRC_LISTEN:
				if (!B.stopping)
					on_accept();
				break;
			case SRC_SIGNAL:
				on_signal();
				break;
			case SRC_METRICS:
				on_metrics_timer();
				break;
			case SRC_SOCK:
				on_sock(s->c, evs[i].events);
				break;
			case SRC_PID:
				on_exit_worker(s->c);
				break;
			case SRC_TIMER:
				on_timer(s->c);
				break;
			case SRC_PARKED:
				on_exit_parked(s->pk);
				break;
			case SRC_IDLE:
				on_idle_timer();
				break;
			case SRC_DONE:
				on_done(s->c);
				break;
			case SRC_REAP:
				on_reap(s->r);
				break;
			}
		}
		while (B.dead) {
			struct conn *c = B.dead;

			B.dead = c->next_dead;
			free(c);
		}
		while (B.reaped) {
			struct reap *r = B.reaped;

			B.reaped = r->next;
			free(r);
		}
		metrics_soon();
	}
	/* the last counts, whatever the timer says */
	if (conf->metrics && metrics_dirty(conf->metrics))
		metrics_write_now();
	templates_drop_all();
	/* workers tearing their sandboxes down: a moment each, a few
	 * seconds in all (one stuck making its sandbox is killed) */
	for (int tick = 0; B.reaping; tick++) {
		struct reap *r = B.reaping;
		siginfo_t si;

		if (tick == REAP_TICKS)
			for (struct reap *k = B.reaping; k; k = k->next)
				syscall(SYS_pidfd_send_signal, k->pidfd,
					SIGKILL, NULL, 0);
		if (!ended(r->pidfd, &si) && tick < REAP_TICKS) {
			usleep(10000);
			continue;
		}
		if (tick >= REAP_TICKS)
			while (waitpid(r->pid, NULL, 0) < 0 && errno == EINTR)
				;
		B.reaping = r->next;
		close(r->pidfd);
		free(r);
	}
	close_fd(&idle_fd);
	close_fd(&B.mfd);
	close(B.ep);
	close(B.sfd);
	return 0;
}
