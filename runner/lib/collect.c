/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The parent's side of a run: collect stdout, stderr and init's records
 * under the wall-clock deadline and the output caps, kill the whole sandbox
 * when it must end, reap it, and classify how it ended. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

struct sink {
	int fd;
	struct sbx_buf b;
	size_t max; /* bytes kept; more is an overflow */
	int eof, overflow;
};

double sbx_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Read what is there; returns -1 only when out of memory. */
static int sink_read(struct sink *s)
{
	char tmp[16384];

	while (!s->eof) {
		ssize_t n = read(s->fd, tmp, sizeof(tmp));
		size_t keep;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				s->eof = 1;
			return 0;
		}
		if (n == 0) {
			s->eof = 1;
			return 0;
		}
		keep = (size_t)n;
		if (s->b.len + keep > s->max) {
			s->overflow = 1;
			keep = s->max - s->b.len;
		}
		if (sbx_buf_add(&s->b, tmp, keep) < 0)
			return -1;
	}
	return 0;
}

/* The plugin's end as init reported it. */
struct ended {
	int seen, status;
	int64_t cpu_us, maxrss_kb;
};

static void take_record(const struct sbx_msg *m, struct sbx_result *r,
			struct ended *e)
{
	size_t tl = strnlen(m->text, sizeof(m->text));

	switch (m->type) {
	case SBX_MSG_STARTED:
		r->started = 1;
		break;
	case SBX_MSG_SETUP:
	case SBX_MSG_EXEC: {
		const char *why = m->err ? strerror(m->err) : "failed";
		size_t wl = strlen(why), cap = sizeof(r->setup_error) - 1;

		if (r->setup_error[0])
			break;
		if (tl > cap / 2)
			tl = cap / 2;
		memcpy(r->setup_error, m->text, tl);
		if (tl + 2 + wl > cap)
			wl = cap - tl - 2;
		memcpy(r->setup_error + tl, ": ", 2);
		memcpy(r->setup_error + tl + 2, why, wl);
		r->setup_error[tl + 2 + wl] = '\0';
		break;
	}
	case SBX_MSG_SYSCALL:
		if (r->kill == SBX_KILL_NONE) {
			r->kill = SBX_KILL_SYSCALL;
			r->syscall_nr = m->nr;
			r->syscall_arch = m->arch;
		}
		break;
	case SBX_MSG_EXIT:
		e->seen = 1;
		e->status = m->status;
		e->cpu_us = m->cpu_us;
		e->maxrss_kb = m->maxrss_kb;
		break;
	case SBX_MSG_COMPLAIN:
		if (r->ncomplained <
		    sizeof(r->complained) / sizeof(r->complained[0])) {
			r->complained[r->ncomplained].nr = m->nr;
			r->complained[r->ncomplained].arch = m->arch;
			r->complained[r->ncomplained++].refused = m->err;
		}
		break;
	}
}

static void read_records(int fd, struct sbx_result *r, struct ended *e)
{
	struct sbx_msg m[8];
	ssize_t n;

	for (;;) {
		n = read(fd, m, sizeof(m));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		for (size_t i = 0; i < (size_t)n / sizeof(*m); i++)
			take_record(&m[i], r, e);
	}
}

static void kill_sandbox(int pidfd, struct sbx_result *r, enum sbx_kill why)
{
	if (r->kill == SBX_KILL_NONE)
		r->kill = why;
	syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
}

int sbx_collect(const struct sbx_plan *pl, pid_t pid, int pidfd, int out_rd,
		int err_rd, int status_rd, struct sbx_result *r, int *reaped,
		struct sbx_error *err)
{
	const struct sbx_policy *p = pl->jail->pol;
	struct sink out = { out_rd, { 0 }, p->stdout_max, 0, 0 };
	struct sink er = { err_rd, { 0 }, p->stderr_max, 0, 0 };
	double deadline = pl->t0_ms + (double)p->timeout_ms;
	struct ended e = { 0, 0, 0, 0 };
	int killed = 0, wstatus = 0, early = 0;
	/* learn and diagnose modes read what init noted until it ended */
	int may_end_early = !pl->learned && !pl->diag;
	int status_open = 1;
	struct rusage ru;

	*reaped = 0;
	fcntl(out_rd, F_SETFL, O_NONBLOCK);
	fcntl(err_rd, F_SETFL, O_NONBLOCK);
	fcntl(status_rd, F_SETFL, O_NONBLOCK);
	for (;;) {
		struct pollfd pfd[4] = {
			{ out.eof ? -1 : out_rd, POLLIN, 0 },
			{ er.eof ? -1 : err_rd, POLLIN, 0 },
			{ status_open ? status_rd : -1, POLLIN, 0 },
			{ pidfd, POLLIN, 0 },
		};
		double left = deadline - sbx_now_ms();
		int rc;

		if (left <= 0 && !killed) {
			kill_sandbox(pidfd, r, SBX_KILL_TIMEOUT);
			killed = 1;
		}
		rc = poll(pfd, 4, killed ? -1 : (int)left + 1);
		if (rc < 0 && errno != EINTR)
			break;
		if (sink_read(&out) < 0 || sink_read(&er) < 0) {
			kill_sandbox(pidfd, r, SBX_KILL_OUTPUT);
			killed = 1;
		}
		if ((out.overflow || er.overflow) && !killed) {
			kill_sandbox(pidfd, r, SBX_KILL_OUTPUT);
			killed = 1;
		}
		/* Read first, then stop polling a closed pipe: its POLLHUP
		 * would make every poll return at once. */
		if (pfd[2].revents & POLLIN)
			read_records(status_rd, r, &e);
		if (pfd[2].revents & (POLLHUP | POLLERR))
			status_open = 0;
		if (pfd[3].revents)
			break;
		/* The plugin ended and nothing of it holds its pipes: the run
		 * is over while init still tears the namespaces down (the
		 * caller reaps it, sbx_run_free). */
		if (may_end_early && e.seen && out.eof && er.eof && !killed) {
			early = 1;
			break;
		}
	}
	if (!early) {
		/* init is gone, so is every process of its pid namespace:
		 * the pipes' writers are dead and reading them to the end
		 * is bounded. */
		while (wait4(pid, &wstatus, 0, &ru) < 0) {
			if (errno != EINTR) {
				memset(&ru, 0, sizeof(ru));
				break;
			}
		}
		*reaped = 1;
		fcntl(out_rd, F_SETFL, 0);
		fcntl(err_rd, F_SETFL, 0);
		if (sink_read(&out) < 0 || sink_read(&er) < 0)
			r->kill = r->kill ? r->kill : SBX_KILL_OUTPUT;
		if ((out.overflow || er.overflow) && r->kill == SBX_KILL_NONE)
			r->kill = SBX_KILL_OUTPUT;
		read_records(status_rd, r, &e);
	}

	r->wall_ms = sbx_now_ms() - pl->t0_ms;
	if (e.seen) {
		/* the plugin's and its orphans', init's own setup aside */
		r->cpu_ms = (double)e.cpu_us / 1e3;
		r->maxrss_kb = (long)e.maxrss_kb;
	} else {
		r->cpu_ms =
			(double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) *
				1e3 +
			(double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) /
				1e3;
		r->maxrss_kb = ru.ru_maxrss;
	}
	r->out = out.b.s;
	r->out_len = out.b.len;
	r->err = er.b.s;
	r->err_len = er.b.len;

	if (e.seen) {
		if (WIFEXITED(e.status)) {
			r->exited = 1;
			r->exit_code = WEXITSTATUS(e.status);
		} else if (WIFSIGNALED(e.status)) {
			r->term_signal = WTERMSIG(e.status);
		}
	}
	if (r->kill == SBX_KILL_NONE && e.seen && !r->exited) {
		/* RLIMIT_CPU: SIGXCPU at the soft limit, SIGKILL at the hard */
		if (r->term_signal == SIGXCPU ||
		    (r->term_signal == SIGKILL &&
		     r->cpu_ms + 50 >= (double)p->cpu_ms))
			r->kill = SBX_KILL_CPU;
		else
			r->kill = SBX_KILL_SIGNAL;
	}
	if (!e.seen && r->kill == SBX_KILL_NONE && !r->setup_error[0]) {
		/* init itself ended without a word: never count as success */
		r->kill = SBX_KILL_SIGNAL;
		r->term_signal = WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0;
		if (!r->started)
			memcpy(r->setup_error, "sandbox init failed",
			       sizeof("sandbox init failed"));
	}
	(void)err;
	return 0;
}
