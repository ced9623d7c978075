/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The sandbox's side of a run: init (pid 1 of the new namespaces) builds
 * the view, drops privileges, forks the plugin, reaps, reports filter hits
 * and how the plugin ended as records to the parent (read by collect.c);
 * the plugin child's last steps before execve. Runs after clone without a
 * new stack: no allocation, nothing of the parent's heap. */
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
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"

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

/* The plugin child: last steps, the filter, then (a prepared run waits
 * here, everything before being the same for every run of this plugin
 * under this policy) the go-ahead, execve. */
static void __attribute__((noreturn))
plugin_main(const struct sbx_plan *pl, int sock)
{
	int hfd = (int)pl->jail->nofile;
	char byte;
	struct rlimit nofile;
	sigset_t none;
	int listener;

	sigemptyset(&none);
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	sigprocmask(SIG_SETMASK, &none, NULL);

	/* stdin stays /dev/null; stdout and stderr become the parent's
	 * pipes; the hand-over socket sits at the number of the file limit
	 * and the go-ahead pipe at the next (the filter lets only these
	 * two be used past it), which the plugin can never use, until
	 * execve closes them. */
	if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 &&
	    nofile.rlim_cur < nofile.rlim_max) {
		nofile.rlim_cur = nofile.rlim_max;
		setrlimit(RLIMIT_NOFILE, &nofile);
	}
	if (dup2(SBX_FD_OUT, 1) < 0 || dup2(SBX_FD_ERR, 2) < 0 ||
	    dup3(sock, hfd, O_CLOEXEC) < 0 ||
	    dup3(SBX_FD_SYNC, hfd + 1, O_CLOEXEC) < 0)
		goto fail;
	sock = hfd;
	if (syscall(SYS_close_range, 3, hfd - 1, 0) < 0 ||
	    syscall(SYS_close_range, hfd + 2, ~0U, 0) < 0)
		goto fail;
	/* No controlling terminal: TIOCSTI would otherwise reach one. */
	if (setsid() < 0)
		goto fail;
	set_rlimits(pl);
	if (chdir(pl->workdir) < 0 && chdir("/") < 0)
		goto fail;
	if (sbx_landlock_scope() < 0)
		goto fail;
	listener = sbx_filter_load(pl->jail);
	if (listener < 0)
		goto fail;
	handoff(sock, SBX_MSG_STARTED, 0, &listener, 1);
	/* the filter allows this read (init, in vfork, could not answer a
	 * notification now); the run's environment is in pl->envp then */
	for (;;) {
		ssize_t n = read(hfd + 1, &byte, 1);

		if (n == 1)
			break;
		if (n == 0 || errno != EINTR)
			_exit(111); /* the run was dropped */
	}
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

/* The plugin ended: how, and what it and the orphans reaped so far used,
 * then init ends (and with it every process left in the namespace). */
static void __attribute__((noreturn)) send_exit(int status)
{
	struct rusage ru;
	struct sbx_msg m;

	memset(&m, 0, sizeof(m));
	m.type = SBX_MSG_EXIT;
	m.status = status;
	if (getrusage(RUSAGE_CHILDREN, &ru) == 0) {
		m.cpu_us = (int64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) *
				   1000000 +
			   ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
		m.maxrss_kb = ru.ru_maxrss;
	}
	while (write(SBX_FD_STATUS, &m, sizeof(m)) < 0 && errno == EINTR)
		;
	_exit(0);
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
				if (pid == child)
					send_exit(status);
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
	prctl(PR_SET_NAME, "spp-plugin");
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

	/* ps and perf tell the sandbox's init from its parent */
	prctl(PR_SET_NAME, "spp-init");
	/* If spp-run dies, the sandbox dies with it. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* A parent that died before that is seen as the end of the sync
	 * pipe: ours, inherited, must not keep it open. */
	close(pl->sync_wr);
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
	if (poll(&pfd, 1, 0) < 0 || (pfd.revents & (POLLHUP | POLLERR)))
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
