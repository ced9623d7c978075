/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One run: the jail object, the clone into new namespaces, the sandbox's
 * init (pid 1: builds the view, drops privileges, forks the plugin, reaps,
 * reports filter hits) and the plugin child's last steps before execve. */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <seccomp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"

struct sbx_jail *sbx_jail_new(const struct sbx_policy *p, struct sbx_error *err)
{
	struct sbx_jail *j = calloc(1, sizeof(*j));
	struct rlimit nofile;

	if (!j) {
		sbx_fail(err, ENOMEM, "jail: out of memory");
		return NULL;
	}
	j->pol = p;
	/* the hand-over descriptor is numbered after the file limit, above
	 * the descriptors init keeps (3 to 6) */
	if (p->files < SBX_FD_FIRST_FREE + 1 || p->files > 1048576) {
		sbx_fail(err, EINVAL, "jail: files limit %llu out of range",
			 (unsigned long long)p->files);
		goto fail;
	}
	if (getrlimit(RLIMIT_NOFILE, &nofile) < 0) {
		sbx_fail(err, errno, "jail: getrlimit: %s", strerror(errno));
		goto fail;
	}
	/* Under a lower hard limit (`ulimit -n 64` with `files 64`) the
	 * hand-over descriptor must still fit: the plugin gets one less. */
	j->nofile = (unsigned int)p->files;
	if (nofile.rlim_max != RLIM_INFINITY && nofile.rlim_max <= j->nofile)
		j->nofile = (unsigned int)nofile.rlim_max - 1;
	/* spp-run's pipes and init's detached mount trees (one per bind)
	 * need descriptors too: below this, some step would fail */
	if (nofile.rlim_max != RLIM_INFINITY &&
	    nofile.rlim_max < SBX_NOFILE_MIN) {
		sbx_fail(err, EMFILE,
			 "jail: the caller's hard file limit (%llu) is below "
			 "the %d a sandbox needs",
			 (unsigned long long)nofile.rlim_max, SBX_NOFILE_MIN);
		goto fail;
	}
	j->host_uid = geteuid();
	j->host_gid = getegid();
	j->privileged = j->host_uid == 0;
	if (j->privileged) {
		if (p->uid == 0 || p->gid == 0) {
			sbx_fail(err, EPERM, "jail: refusing to run as root");
			goto fail;
		}
		j->uid = j->host_uid = p->uid;
		j->gid = j->host_gid = p->gid;
	} else {
		j->uid = j->host_uid;
		j->gid = j->host_gid;
	}
	/* only learn and complain mode look them up: a linear search each */
	if (p->sysdefault == SBX_SYS_COMPLAIN)
		sbx_jail_resolve_denied(j);
	j->nocaps = cap_init();
	if (!j->nocaps) {
		sbx_fail(err, ENOMEM, "jail: out of memory");
		goto fail;
	}
	return j;
fail:
	sbx_jail_free(j);
	return NULL;
}

int sbx_jail_set_learn(struct sbx_jail *j, int on, struct sbx_error *err)
{
	struct sbx_bpf bpf = { NULL, 0 };

	if (on ? sbx_filter_build_learn(j->nofile, &bpf, err) < 0 :
		 sbx_filter_build(j->pol, j->nofile, &bpf, err) < 0)
		return -1;
	sbx_filter_free(j);
	j->bpf = bpf;
	j->learn = on;
	sbx_jail_resolve_denied(j);
	return 0;
}

int sbx_jail_set_diagnose(struct sbx_jail *j, int on, struct sbx_error *err)
{
	struct sbx_bpf bpf = { NULL, 0 };
	const struct sbx_policy *p = j->pol;

	if (on ? sbx_filter_build_diag(p, j->nofile, &bpf, err) < 0 :
		 sbx_filter_build(p, j->nofile, &bpf, err) < 0)
		return -1;
	sbx_filter_free(j);
	j->bpf = bpf;
	j->diagnose = on;
	memset(j->allowed, 0, sizeof(j->allowed));
	for (size_t i = 0; i < p->syscalls.n; i++) {
		int nr = seccomp_syscall_resolve_name(p->syscalls.v[i]);

		if (nr >= 0 && nr < 512 &&
		    !sbx_syscall_denied(p->syscalls.v[i]))
			j->allowed[nr / 64] |= 1ull << (nr % 64);
	}
	return 0;
}

void sbx_jail_resolve_denied(struct sbx_jail *j)
{
	j->ndenied = 0;
	for (size_t i = 0; sbx_denied_syscalls[i]; i++) {
		int nr = seccomp_syscall_resolve_name(sbx_denied_syscalls[i]);

		if (nr >= 0 && j->ndenied < sizeof(j->denied) / sizeof(int))
			j->denied[j->ndenied++] = nr;
	}
}

/* Replace *field with a copy of s (NULL: none). */
static int set_string(char **field, const char *s, struct sbx_error *err)
{
	char *copy = s ? strdup(s) : NULL;

	if (s && !copy)
		return sbx_fail(err, ENOMEM, "jail: out of memory");
	free(*field);
	*field = copy;
	return 0;
}

int sbx_jail_set_cgroup(struct sbx_jail *j, const char *config,
			struct sbx_error *err)
{
	return set_string(&j->cgroup, config, err);
}

int sbx_jail_set_also(struct sbx_jail *j, const char *path,
		      struct sbx_error *err)
{
	return set_string(&j->also, path, err);
}

void sbx_jail_free(struct sbx_jail *j)
{
	if (!j)
		return;
	free(j->cgroup);
	free(j->also);
	sbx_filter_free(j);
	if (j->nocaps)
		cap_free(j->nocaps);
	free(j);
}

void sbx_msg_send(int fd, enum sbx_msg_type type, int status, int err,
		  const char *text)
{
	struct sbx_msg m;
	ssize_t n;

	memset(&m, 0, sizeof(m));
	m.type = type;
	m.status = status;
	m.err = err;
	if (text) {
		size_t len = strlen(text);

		if (len >= sizeof(m.text))
			len = sizeof(m.text) - 1;
		memcpy(m.text, text, len);
	}
	do
		n = write(fd, &m, sizeof(m));
	while (n < 0 && errno == EINTR);
}

/* A setup step failed inside the sandbox: tell the parent, end the run. */
static void __attribute__((noreturn)) die_setup(int fd, const char *what)
{
	sbx_msg_send(fd, SBX_MSG_SETUP, 0, errno, what);
	_exit(111);
}

/* Give init exactly the descriptors it needs, at fixed numbers. */
static int renumber_fds(const struct sbx_plan *pl)
{
	int src[4] = { pl->sync_rd, pl->status_wr, pl->out_wr, pl->err_wr };
	int tmp[4];

	for (int i = 0; i < 4; i++) {
		tmp[i] = fcntl(src[i], F_DUPFD_CLOEXEC, 16);
		if (tmp[i] < 0)
			return -1;
	}
	for (int i = 0; i < 4; i++)
		if (dup3(tmp[i], SBX_FD_SYNC + i, O_CLOEXEC) < 0)
			return -1;
	for (int i = 0; i < 4; i++)
		close(tmp[i]);
	return 0;
}

static void set_rlimits(const struct sbx_plan *pl)
{
	static const struct rlimit zero = { 0, 0 };

	setrlimit(RLIMIT_CPU, &pl->rl_cpu);
	setrlimit(RLIMIT_AS, &pl->rl_as);
	setrlimit(RLIMIT_NPROC, &pl->rl_nproc);
	setrlimit(RLIMIT_NOFILE, &pl->rl_nofile);
	setrlimit(RLIMIT_FSIZE, &pl->rl_fsize);
	/* No core files: they would land nowhere useful and a core pipe
	 * helper runs on the host with the plugin's data. */
	setrlimit(RLIMIT_CORE, &zero);
	setrlimit(RLIMIT_MEMLOCK, &zero);
	setrlimit(RLIMIT_MSGQUEUE, &zero);
}

/* Send the filters' listener descriptors, or an error, to init. */
static void handoff(int sock, enum sbx_msg_type type, int e, const int *fds,
		    int nfds)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct sbx_msg m;
	struct iovec iov = { &m, sizeof(m) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

	memset(&m, 0, sizeof(m));
	m.type = type;
	m.err = e;
	if (nfds) {
		struct cmsghdr *c;

		memset(cbuf, 0, sizeof(cbuf));
		mh.msg_control = cbuf;
		mh.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(nfds * sizeof(int));
		memcpy(CMSG_DATA(c), fds, nfds * sizeof(int));
	}
	while (sendmsg(sock, &mh, MSG_NOSIGNAL) < 0 && errno == EINTR)
		;
}

/* The plugin child: last steps, the filter, execve. */
static void __attribute__((noreturn))
plugin_main(const struct sbx_plan *pl, int sock)
{
	int hfd = (int)pl->jail->nofile;
	struct rlimit nofile;
	sigset_t none;
	int listener;

	sigemptyset(&none);
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	sigprocmask(SIG_SETMASK, &none, NULL);

	/* stdin stays /dev/null; stdout and stderr become the parent's
	 * pipes; the hand-over socket sits at the number of the file limit,
	 * which the plugin can never use, until execve closes it. */
	if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 &&
	    nofile.rlim_cur < nofile.rlim_max) {
		nofile.rlim_cur = nofile.rlim_max;
		setrlimit(RLIMIT_NOFILE, &nofile);
	}
	if (dup2(SBX_FD_OUT, 1) < 0 || dup2(SBX_FD_ERR, 2) < 0 ||
	    dup3(sock, hfd, O_CLOEXEC) < 0)
		goto fail;
	sock = hfd;
	if (syscall(SYS_close_range, 3, hfd - 1, 0) < 0 ||
	    syscall(SYS_close_range, hfd + 1, ~0U, 0) < 0)
		goto fail;
	/* No controlling terminal: TIOCSTI would otherwise reach one. */
	if (setsid() < 0)
		goto fail;
	set_rlimits(pl);
	if (chdir(pl->workdir) < 0 && chdir("/") < 0)
		goto fail;
	listener = sbx_filter_load(pl->jail);
	if (listener < 0)
		goto fail;
	handoff(sock, SBX_MSG_STARTED, 0, &listener, 1);
	/* by the path as written when it leads to the same file here, so
	 * that a script's $0 is what qmail-spp 0.42 gave it */
	if (pl->exec_rel)
		execve(pl->argv[0], pl->argv, pl->envp);
	execve(pl->exec_path, pl->argv, pl->envp);
	handoff(sock, SBX_MSG_EXEC, errno, NULL, 0);
	_exit(127);
fail:
	handoff(sock, SBX_MSG_SETUP, errno, NULL, 0);
	_exit(127);
}

static int recv_handoff(int sock, struct sbx_msg *m, int *fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { m, sizeof(*m) };
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	ssize_t n;

	do
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return (int)n;
	c = CMSG_FIRSTHDR(&mh);
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
	    c->cmsg_len == CMSG_LEN(sizeof(int)))
		memcpy(fd, CMSG_DATA(c), sizeof(int));
	return 1;
}

/* Init's loop: reap everything (orphans are re-parented here), and end the
 * sandbox when the plugin ends or a filter reports a forbidden call. Init
 * exiting makes the kernel kill every other process of the namespace. */
static void __attribute__((noreturn))
init_loop(const struct sbx_plan *pl, pid_t child, int sock, int sigfd)
{
	const struct sbx_policy *pol = pl->jail->pol;
	int listener = -1;
	struct sbx_msg m;
	int started = 0, hup = 0;

	for (;;) {
		struct pollfd pfd[3] = {
			{ sigfd, POLLIN, 0 },
			{ hup ? -1 : sock, POLLIN, 0 },
			{ listener, POLLIN, 0 },
		};
		struct seccomp_notif req;

		if (poll(pfd, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			die_setup(SBX_FD_STATUS, "init poll");
		}
		/* Drain the hand-over socket before looking at exits, so a
		 * plugin that ends at once is still known to have started. */
		while (!hup && (pfd[1].revents || pfd[0].revents)) {
			int fd = -1;
			int rc = recv_handoff(sock, &m, &fd);

			if (rc < 0)
				break; /* EAGAIN: nothing more for now */
			if (rc == 0) {
				hup = 1; /* execve closed the socket */
			} else if (m.type == SBX_MSG_STARTED && fd >= 0) {
				listener = fd;
			} else {
				sbx_msg_send(SBX_FD_STATUS, m.type, 0, m.err,
					     m.type == SBX_MSG_EXEC ? "execve" :
								      "setup");
				_exit(111);
			}
		}
		if (hup && listener >= 0 && !started) {
			started = 1;
			sbx_msg_send(SBX_FD_STATUS, SBX_MSG_STARTED, 0, 0,
				     NULL);
		}
		if (pfd[2].revents & POLLIN) {
			memset(&req, 0, sizeof(req));
			if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
				continue;
			if (pl->jail->learn) {
				sbx_learn_serve(pl, listener, &req);
			} else if (sbx_diag_watches(pl, &req)) {
				sbx_diag_serve(pl, listener, &req);
			} else if (req.data.arch == AUDIT_ARCH_X86_64 &&
				   sbx_netguard_handles(pol, req.data.nr)) {
				sbx_netguard_serve(pl, listener, &req);
			} else if (pol->sysdefault == SBX_SYS_COMPLAIN) {
				sbx_complain_serve(pl, listener, &req);
			} else {
				memset(&m, 0, sizeof(m));
				m.type = SBX_MSG_SYSCALL;
				m.nr = req.data.nr;
				m.arch = req.data.arch;
				while (write(SBX_FD_STATUS, &m, sizeof(m)) <
					       0 &&
				       errno == EINTR)
					;
				_exit(111);
			}
		} else if (pfd[2].revents) {
			listener = -1; /* no process left under the filter */
		}
		if (pfd[0].revents) {
			struct signalfd_siginfo si;
			int status;
			pid_t pid;

			while (read(sigfd, &si, sizeof(si)) < 0 &&
			       errno == EINTR)
				;
			while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
				if (pid == child) {
					sbx_msg_send(SBX_FD_STATUS,
						     SBX_MSG_EXIT, status, 0,
						     NULL);
					_exit(0);
				}
		}
	}
}

struct plugin_args {
	const struct sbx_plan *pl;
	int sock, other;
};

/* The plugin child's stack: it runs in init's memory until execve. */
static char plugin_stack[64 * 1024] __attribute__((aligned(16)));

static int plugin_entry(void *arg)
{
	const struct plugin_args *a = arg;

	close(a->other);
	plugin_main(a->pl, a->sock);
}

void sbx_init_main(const struct sbx_plan *pl)
{
	struct plugin_args args;
	const struct sbx_jail *j = pl->jail;
	const char *what = "init";
	int pair[2], sigfd;
	struct pollfd pfd;
	sigset_t chld;
	char byte;
	pid_t child;

	/* If spp-run dies, the sandbox dies with it. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* Wait until the parent has written our id maps. */
	if (read(pl->sync_rd, &byte, 1) != 1)
		_exit(111);
	/* Become the plugin's user first: files created in the new tmpfs
	 * need an owner mapped in this namespace (else EOVERFLOW). The ids
	 * inside are not the namespace's root, so the capabilities we hold
	 * as its creator survive the change until caps.c drops them. */
	if (sbx_caps_set_ids(j, &what) < 0)
		die_setup(pl->status_wr, what);
	/* The id change cleared the death signal; set it again and make
	 * sure the parent did not go away in between. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	pfd.fd = pl->sync_rd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 0) != 0)
		_exit(111);
	if (sbx_mount_build(pl, &what) < 0)
		die_setup(pl->status_wr, what);
	/* Keep our four pipes at fixed numbers and drop every other host
	 * descriptor, the SMTP connection on 0 and 1 included. */
	if (renumber_fds(pl) < 0 || syscall(SYS_close_range, 0, 2, 0) < 0 ||
	    syscall(SYS_close_range, SBX_FD_FIRST_FREE, ~0U, 0) < 0)
		die_setup(pl->status_wr, "descriptors");
	/* /dev/null on 0, 1, 2 (no O_CLOEXEC: the plugin's stdin) keeps
	 * later descriptors clear of the numbers the plugin child needs. */
	if (open("/dev/null", O_RDWR) != 0 || dup2(0, 1) != 1 ||
	    dup2(0, 2) != 2)
		die_setup(SBX_FD_STATUS, "/dev/null");
	if (sbx_caps_drop_all(j, &what) < 0)
		die_setup(SBX_FD_STATUS, what);
	/* Init gets no seccomp filter (it must wait, reap and read the
	 * listener) but no capabilities, no_new_privs, and, as the plugin
	 * runs under the same uid, no dumpable flag: no /proc/1/mem, no
	 * ptrace (which the filter denies the plugin anyway). */
	if (prctl(PR_SET_DUMPABLE, 0) < 0)
		die_setup(SBX_FD_STATUS, "dumpable");
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &chld, NULL) < 0 ||
	    (sigfd = signalfd(-1, &chld, SFD_CLOEXEC)) < 0)
		die_setup(SBX_FD_STATUS, "signalfd");
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0)
		die_setup(SBX_FD_STATUS, "socketpair");
	args.pl = pl;
	args.sock = pair[1];
	args.other = pair[0];
	/* Sharing init's memory until execve spares copying its page tables
	 * (half a millisecond); init sleeps meanwhile (CLONE_VFORK). */
	child = clone(plugin_entry, plugin_stack + sizeof(plugin_stack),
		      CLONE_VM | CLONE_VFORK | SIGCHLD, &args);
	if (child < 0)
		die_setup(SBX_FD_STATUS, "clone");
	close(pair[1]);
	close(SBX_FD_OUT);
	close(SBX_FD_ERR);
	init_loop(pl, child, pair[0], sigfd);
}

static int prepare(struct sbx_plan *pl, struct sbx_error *err)
{
	const struct sbx_policy *p = pl->jail->pol;
	rlim_t cpu_s = (rlim_t)((p->cpu_ms + 999) / 1000);
	struct rlimit cur;
	struct {
		int res;
		struct rlimit *rl;
		rlim_t want;
	} lim[] = {
		{ RLIMIT_CPU, &pl->rl_cpu, cpu_s ? cpu_s : 1 },
		{ RLIMIT_AS, &pl->rl_as, (rlim_t)p->memory },
		/* +1: init runs under the same uid and counts */
		{ RLIMIT_NPROC, &pl->rl_nproc, (rlim_t)p->procs + 1 },
		{ RLIMIT_NOFILE, &pl->rl_nofile, (rlim_t)pl->jail->nofile },
		{ RLIMIT_FSIZE, &pl->rl_fsize, (rlim_t)p->fsize },
	};

	/* Hard limits can only be lowered (root lacks CAP_SYS_RESOURCE on
	 * some hosts), so never ask for more than the current hard limit. */
	for (size_t i = 0; i < sizeof(lim) / sizeof(*lim); i++) {
		if (getrlimit(lim[i].res, &cur) < 0)
			return sbx_fail(err, errno, "getrlimit: %s",
					strerror(errno));
		if (lim[i].want == 0 || lim[i].want > cur.rlim_max)
			lim[i].want = cur.rlim_max;
		lim[i].rl->rlim_cur = lim[i].want;
		lim[i].rl->rlim_max = lim[i].want;
	}
	/* SIGXCPU at the limit, SIGKILL one second later. */
	if (getrlimit(RLIMIT_CPU, &cur) == 0 &&
	    pl->rl_cpu.rlim_max < cur.rlim_max)
		pl->rl_cpu.rlim_max++;
	return 0;
}

/* Memory init writes and the parent reads after the run. */
static void *shared(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* What init noted in diagnose mode, keeping the paths the host has: the
 * rest the plugin would not have found anywhere. */
static struct sbx_diag *diag_result(const struct sbx_diag *seen)
{
	struct sbx_diag *d = malloc(sizeof(*d));
	struct stat st;

	if (!d)
		return NULL;
	memcpy(d, seen, sizeof(*d));
	d->npaths = 0;
	for (unsigned int i = 0; i < seen->npaths && i < SBX_DIAG_PATHS; i++)
		if (lstat(seen->paths[i], &st) == 0)
			memcpy(d->paths[d->npaths++], seen->paths[i],
			       sizeof(d->paths[0]));
	if (d->ndests > SBX_DIAG_DESTS)
		d->ndests = SBX_DIAG_DESTS;
	return d;
}

/* RLIMIT_NPROC counts every process of a user, the sandboxes' included
 * (a user namespace records its creator's limit for them): with a finite
 * soft limit on qmaild, plugins forking in a few sessions would starve the
 * others. Where the run's cgroup bounds its processes (pids.max) that
 * bound replaces the shared one: the soft limit is raised to the hard one
 * for the clone. Returns 1 when *saved must be put back. */
static int raise_nproc(const struct sbx_plan *pl, struct rlimit *saved)
{
	struct rlimit up;

	if (!pl->cg.version || getrlimit(RLIMIT_NPROC, saved) < 0 ||
	    saved->rlim_cur >= saved->rlim_max)
		return 0;
	up.rlim_cur = up.rlim_max = saved->rlim_max;
	return setrlimit(RLIMIT_NPROC, &up) == 0;
}

int sbx_jail_run(struct sbx_jail *j, char *const argv[], char *const envp[],
		 struct sbx_result *r, struct sbx_error *err)
{
	int out[2] = { -1, -1 }, errp[2] = { -1, -1 };
	int status[2] = { -1, -1 }, sync[2] = { -1, -1 };
	static unsigned int runs;
	struct sbx_plan *pl;
	struct rlimit nproc;
	char cgname[64];
	int pidfd = -1, rc = -1, nproc_raised, e;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	r->syscall_nr = -1;
	if (!argv || !argv[0])
		return sbx_fail(err, EINVAL, "run: no program");
	/* compiled on first use: a precompiled filter may come first */
	if (!j->bpf.insns && sbx_filter_compile(j, err) < 0)
		return -1;
	pl = calloc(1, sizeof(*pl));
	if (!pl)
		return sbx_fail(err, ENOMEM, "run: out of memory");
	pl->t0_ms = sbx_now_ms();
	/* written by init, read here after the run */
	if ((j->learn && !(pl->learned = shared(sizeof(*pl->learned)))) ||
	    (j->diagnose && !(pl->diag = shared(sizeof(*pl->diag))))) {
		sbx_fail(err, errno, "mmap: %s", strerror(errno));
		goto out;
	}
	pl->jail = j;
	pl->argv = argv;
	pl->envp = envp;
	if (prepare(pl, err) < 0 || sbx_mount_plan(pl, argv[0], err) < 0)
		goto out;
	/* one group per run: a process may run many (the tests, a broker) */
	snprintf(cgname, sizeof(cgname), "run-%d-%u", (int)getpid(), ++runs);
	/* init and the plugin's processes: procs + 1, as RLIMIT_NPROC */
	if (sbx_cgroup_setup(&pl->cg, j->cgroup, cgname, j->pol->memory,
			     j->pol->procs + 1, err) < 0)
		goto out;
	r->cgroup = pl->cg.version;
	if (pipe2(out, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0 ||
	    pipe2(status, O_CLOEXEC) < 0 || pipe2(sync, O_CLOEXEC) < 0) {
		sbx_fail(err, errno, "pipe: %s", strerror(errno));
		goto out;
	}
	pl->sync_rd = sync[0];
	pl->status_wr = status[1];
	pl->out_wr = out[1];
	pl->err_wr = errp[1];

	/* fork-like clone (no new stack) into the new namespaces; the child
	 * only runs code that does not allocate. */
	nproc_raised = raise_nproc(pl, &nproc);
	pid = (pid_t)syscall(SYS_clone,
			     (unsigned long)sbx_ns_clone_flags(j) |
				     CLONE_PIDFD | SIGCHLD,
			     NULL, &pidfd, NULL, 0);
	e = errno;
	if (pid == 0)
		sbx_init_main(pl);
	if (nproc_raised)
		setrlimit(RLIMIT_NPROC, &nproc);
	if (pid < 0) {
		if (e == EAGAIN && getrlimit(RLIMIT_NPROC, &nproc) == 0)
			sbx_fail(err, e,
				 "clone: %s (the caller's RLIMIT_NPROC, %llu, "
				 "is reached: see spp-run(8))",
				 strerror(e),
				 (unsigned long long)nproc.rlim_cur);
		else
			sbx_fail(err, e, "clone: %s%s", strerror(e),
				 e == EPERM || e == ENOSPC ?
					 " (are user namespaces disabled?)" :
					 "");
		goto out;
	}

	r->pid = pid;
	close(out[1]);
	close(errp[1]);
	close(status[1]);
	close(sync[0]);
	out[1] = errp[1] = status[1] = sync[0] = -1;
	if (sbx_ns_write_maps(j, pid, err) < 0 ||
	    (pl->cg.version && sbx_cgroup_attach(&pl->cg, pid, err) < 0)) {
		syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
		waitpid(pid, NULL, 0);
		goto out;
	}
	if (write(sync[1], "x", 1) != 1) {
		sbx_fail(err, errno, "sync: %s", strerror(errno));
		syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
		waitpid(pid, NULL, 0);
		goto out;
	}
	rc = sbx_collect(pl, pid, pidfd, out[0], errp[0], status[0], r, err);
	/* the kernel's OOM killer in the run's group sends a plain SIGKILL */
	if (rc == 0 && r->kill == SBX_KILL_SIGNAL && sbx_cgroup_oom(&pl->cg))
		r->kill = SBX_KILL_MEMORY;
	if (rc == 0 && pl->learned) {
		r->learned = malloc(sizeof(*r->learned));
		if (r->learned)
			memcpy(r->learned, pl->learned, sizeof(*r->learned));
	}
	if (rc == 0 && pl->diag)
		r->diag = diag_result(pl->diag);
out:
	for (int i = 0; i < 2; i++) {
		if (out[i] >= 0)
			close(out[i]);
		if (errp[i] >= 0)
			close(errp[i]);
		if (status[i] >= 0)
			close(status[i]);
		if (sync[i] >= 0)
			close(sync[i]);
	}
	if (pidfd >= 0)
		close(pidfd);
	sbx_cgroup_destroy(&pl->cg);
	if (pl->learned)
		munmap(pl->learned, sizeof(*pl->learned));
	if (pl->diag)
		munmap(pl->diag, sizeof(*pl->diag));
	free(pl);
	return rc;
}
