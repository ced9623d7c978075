/* SPDX-License-Identifier: GPL-2.0-or-later */
/* spp-selftest's host probes. Each one that changes the process (unshare,
 * a seccomp filter, a foreign-ABI system call) runs in a child, which
 * sends the step that failed and its errno back with one write(2) and
 * exits: no malloc and no stdio between fork and _exit. */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#if defined(__has_include)
#if __has_include(<linux/landlock.h>)
#include <linux/landlock.h>
#endif
#endif

#include "probe.h"
#include "sbx.h"

#ifndef LANDLOCK_CREATE_RULESET_VERSION
#define LANDLOCK_CREATE_RULESET_VERSION (1U << 0)
#endif

/* What a child sends back: the step that failed (0: none), its errno, and
 * a value (a system call's result). */
struct child_report {
	int step;
	int err;
	long value;
};

typedef void (*child_fn)(int fd, const void *arg);

static void report(int fd, int step, int err, long value)
{
	struct child_report r = { step, err, value };
	ssize_t n = write(fd, &r, sizeof(r));

	_exit(n == (ssize_t)sizeof(r) ? 0 : 1);
}

/* Run fn in a child and fill *r from its report. Returns 0, or -1 when it
 * sent none: *sig is the signal that ended it (0 when fork failed). */
static int in_child(child_fn fn, const void *arg, struct child_report *r,
		    int *sig)
{
	int p[2], st = 0;
	ssize_t n;
	pid_t pid;

	*sig = 0;
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		close(p[0]);
		fn(p[1], arg);
		_exit(1);
	}
	close(p[1]);
	do
		n = read(p[0], r, sizeof(*r));
	while (n < 0 && errno == EINTR);
	close(p[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (n == (ssize_t)sizeof(*r))
		return 0;
	if (WIFSIGNALED(st))
		*sig = WTERMSIG(st);
	return -1;
}

static int read_long(const char *path, long *v)
{
	char buf[32], *end;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	errno = 0;
	*v = strtol(buf, &end, 10);
	return errno || end == buf ? -1 : 0;
}

static int write_file(const char *path, const char *s)
{
	size_t len = strlen(s);
	ssize_t n;
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	n = write(fd, s, len);
	if (n != (ssize_t)len) {
		int e = n < 0 ? errno : EIO;

		close(fd);
		errno = e;
		return -1;
	}
	return close(fd);
}

/* The steps of the namespace probes, as spp-run takes them. */
enum ns_step {
	NS_OK = 0,
	NS_USER,
	NS_SETGROUPS,
	NS_UIDMAP,
	NS_GIDMAP,
	NS_NET,
	NS_OTHERS,
	NS_PRIVATE,
	NS_MOUNT,
};

static const char *const ns_steps[] = {
	[NS_OK] = "",
	[NS_USER] = "unshare(CLONE_NEWUSER)",
	[NS_SETGROUPS] = "/proc/self/setgroups",
	[NS_UIDMAP] = "/proc/self/uid_map",
	[NS_GIDMAP] = "/proc/self/gid_map",
	[NS_NET] = "unshare(CLONE_NEWNET)",
	[NS_OTHERS] = "unshare(mount, pid, ipc, uts, cgroup namespaces)",
	[NS_PRIVATE] = "mount: / private",
	[NS_MOUNT] = "mount: a tmpfs",
};

struct ns_arg {
	char uid_map[40], gid_map[40]; /* made before fork */
	int net; /* the network namespace only */
};

static void ns_child(int fd, const void *p)
{
	const struct ns_arg *a = p;

	if (unshare(CLONE_NEWUSER) < 0)
		report(fd, NS_USER, errno, 0);
	if (write_file("/proc/self/setgroups", "deny") < 0 && errno != ENOENT)
		report(fd, NS_SETGROUPS, errno, 0);
	if (write_file("/proc/self/uid_map", a->uid_map) < 0)
		report(fd, NS_UIDMAP, errno, 0);
	if (write_file("/proc/self/gid_map", a->gid_map) < 0)
		report(fd, NS_GIDMAP, errno, 0);
	if (a->net) {
		if (unshare(CLONE_NEWNET) < 0)
			report(fd, NS_NET, errno, 0);
		report(fd, NS_OK, 0, 0);
	}
	if (unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS |
		    CLONE_NEWCGROUP) < 0)
		report(fd, NS_OTHERS, errno, 0);
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		report(fd, NS_PRIVATE, errno, 0);
	/* only in this child's own mount namespace */
	if (mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=64k") <
	    0)
		report(fd, NS_MOUNT, errno, 0);
	report(fd, NS_OK, 0, 0);
}

/* Run the namespace child; returns the failed step (NS_OK: none), with
 * its errno in *err; -1 when the child sent nothing. */
static int ns_try(int net, int *err)
{
	struct ns_arg a;
	struct child_report r;
	int sig;

	memset(&a, 0, sizeof(a));
	snprintf(a.uid_map, sizeof(a.uid_map), "0 %u 1", (unsigned)geteuid());
	snprintf(a.gid_map, sizeof(a.gid_map), "0 %u 1", (unsigned)getegid());
	a.net = net;
	if (in_child(ns_child, &a, &r, &sig) < 0) {
		*err = sig ? 0 : errno;
		return -1;
	}
	*err = r.err;
	return r.step;
}

/* Is spp-run's AppArmor profile loaded? */
static int sprun_profile_loaded(void)
{
	char line[512];
	int found = 0;
	FILE *f = fopen("/sys/kernel/security/apparmor/profiles", "re");

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f))
		found = strncmp(line, "spp-run ", 8) == 0;
	fclose(f);
	return found;
}

/* procsys/name as a number; -1 when absent or not one. */
static int read_sysctl(const char *procsys, const char *name, long *v)
{
	char path[512];

	if (snprintf(path, sizeof(path), "%s/%s", procsys, name) >=
	    (int)sizeof(path))
		return -1;
	return read_long(path, v);
}

const char *probe_userns_cause(const char *procsys, uid_t euid)
{
	long v;

	if (read_sysctl(procsys, "user/max_user_namespaces", &v) == 0 && v == 0)
		return "user.max_user_namespaces = 0: nobody may make a user "
		       "namespace (cure: sysctl -w "
		       "user.max_user_namespaces=15000, and the same in "
		       "/etc/sysctl.d/)";
	if (euid != 0 &&
	    read_sysctl(procsys, "kernel/unprivileged_userns_clone", &v) == 0 &&
	    v == 0)
		return "kernel.unprivileged_userns_clone = 0: only root may "
		       "make a user namespace (cure: sysctl -w "
		       "kernel.unprivileged_userns_clone=1, and the same in "
		       "/etc/sysctl.d/)";
	if (euid != 0 &&
	    read_sysctl(procsys, "kernel/apparmor_restrict_unprivileged_userns",
			&v) == 0 &&
	    v == 1)
		return "kernel.apparmor_restrict_unprivileged_userns = 1: "
		       "AppArmor lets only programs whose profile grants "
		       "'userns' use one (cure: the shipped AppArmor profile, "
		       "apparmor_parser -r /etc/apparmor.d/spp-run; it needs "
		       "AppArmor 4, as in Ubuntu 24.04)";
	return "";
}

void probe_userns(struct probe_line *l)
{
	const char *cause;
	int err, step = ns_try(0, &err);

	l->ok = step == NS_OK;
	if (l->ok) {
		snprintf(l->text, sizeof(l->text),
			 "yes (user, mount, pid, ipc, uts and cgroup "
			 "namespaces, an id map, a mount)");
		return;
	}
	cause = probe_userns_cause("/proc/sys", geteuid());
	if (step < 0) {
		snprintf(l->text, sizeof(l->text), "NO: the probe failed: %s",
			 err ? strerror(err) : "killed");
		return;
	}
	if (!*cause && err == ENOSPC)
		cause = "the limit on user namespaces is reached "
			"(user.max_user_namespaces, here or in a parent user "
			"namespace)";
	else if (!*cause && err == EUSERS)
		cause = "user namespaces nested too deep (32 levels)";
	else if (!*cause)
		cause = "no setting explains it (a container's seccomp "
			"profile or a security module may refuse it)";
	snprintf(l->text, sizeof(l->text), "NO: %s: %s; %s%s", ns_steps[step],
		 strerror(err), cause,
		 strstr(cause, "apparmor") && sprun_profile_loaded() ?
			 " (spp-run's profile is loaded: spp-run itself may)" :
			 "");
}

void probe_netns(struct probe_line *l)
{
	int err, step = ns_try(1, &err);

	l->ok = step == NS_OK;
	if (l->ok)
		snprintf(l->text, sizeof(l->text), "yes");
	else if (step > NS_OK && step < NS_NET)
		snprintf(l->text, sizeof(l->text),
			 "NO: needs a user namespace (%s: %s)", ns_steps[step],
			 strerror(err));
	else
		snprintf(l->text, sizeof(l->text), "NO: %s: %s",
			 step < 0 ? "the probe failed" : ns_steps[step],
			 err ? strerror(err) : "killed");
}

static void listener_child(int fd, const void *arg)
{
	struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog prog = { 1, &allow };
	long lfd;

	(void)arg;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		report(fd, 1, errno, 0);
	lfd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
		      SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	if (lfd < 0)
		report(fd, 2, errno, 0);
	report(fd, 0, 0, lfd);
}

void probe_seccomp(struct probe_line *l)
{
	struct seccomp_notif_sizes sz;
	struct child_report r;
	uint32_t action = SECCOMP_RET_USER_NOTIF;
	int sig;

	l->ok = 0;
	if (syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) < 0) {
		snprintf(l->text, sizeof(l->text),
			 "NO: SECCOMP_RET_USER_NOTIF: %s (Linux 5.0 or later "
			 "with CONFIG_SECCOMP_FILTER)",
			 strerror(errno));
		return;
	}
	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sz) < 0) {
		snprintf(l->text, sizeof(l->text),
			 "NO: SECCOMP_GET_NOTIF_SIZES: %s", strerror(errno));
		return;
	}
	if (in_child(listener_child, NULL, &r, &sig) < 0) {
		snprintf(l->text, sizeof(l->text), "NO: the probe failed: %s",
			 sig ? strsignal(sig) : strerror(errno));
		return;
	}
	if (r.step) {
		snprintf(l->text, sizeof(l->text), "NO: %s: %s",
			 r.step == 1 ? "PR_SET_NO_NEW_PRIVS" :
				       "SECCOMP_FILTER_FLAG_NEW_LISTENER",
			 strerror(r.err));
		return;
	}
	l->ok = 1;
	snprintf(l->text, sizeof(l->text),
		 "yes (a filter with a listener; SECCOMP_GET_NOTIF_SIZES: "
		 "notif %u, resp %u, data %u)",
		 (unsigned)sz.seccomp_notif, (unsigned)sz.seccomp_notif_resp,
		 (unsigned)sz.seccomp_data);
}

void probe_landlock(struct probe_line *l)
{
#ifdef SYS_landlock_create_ruleset
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
			   LANDLOCK_CREATE_RULESET_VERSION);

	l->ok = abi > 0;
	if (abi > 0)
		snprintf(l->text, sizeof(l->text),
			 "ABI %ld (spp-run does not need it)", abi);
	else if (errno == ENOSYS)
		snprintf(l->text, sizeof(l->text),
			 "no: not in this kernel (Linux 5.13 or later with "
			 "CONFIG_SECURITY_LANDLOCK; spp-run does not need it)");
	else if (errno == EOPNOTSUPP)
		snprintf(l->text, sizeof(l->text),
			 "no: built in but not enabled (lsm= on the kernel "
			 "command line; spp-run does not need it)");
	else
		snprintf(l->text, sizeof(l->text),
			 "no: landlock_create_ruleset: %s (spp-run does not "
			 "need it)",
			 strerror(errno));
#else
	l->ok = 0;
	snprintf(l->text, sizeof(l->text),
		 "unknown: built without Landlock's system call numbers "
		 "(spp-run does not need it)");
#endif
}

void probe_cgroup(struct probe_line *l, const char *config)
{
	struct sbx_error err = { 0, "" };
	char why[200];
	int v = sbx_cgroup_probe(config, why, sizeof(why), &err);

	l->ok = v > 0;
	if (v < 0)
		snprintf(l->text, sizeof(l->text),
			 "NO: SPPSANDBOX_CGROUP=%.160s cannot be used, every "
			 "run fails: %.200s",
			 config, err.msg);
	else if (v == 2 && config && *config)
		snprintf(l->text, sizeof(l->text),
			 "v2, delegated: SPPSANDBOX_CGROUP=%.200s (memory and "
			 "pids per run)",
			 config);
	else if (v == 2)
		snprintf(l->text, sizeof(l->text),
			 "v2 at /sys/fs/cgroup/spp-sandbox (memory and pids "
			 "per run)");
	else if (v == 1)
		snprintf(l->text, sizeof(l->text),
			 "v1 memory and pids (a group per run)");
	else
		snprintf(l->text, sizeof(l->text),
			 "none: %s (runs are bounded by rlimits only; delegate "
			 "a cgroup v2 subtree and name it in "
			 "SPPSANDBOX_CGROUP, spp-run(8))",
			 why);
}

#if defined(__x86_64__)
/* An x32 system call: getpid with __X32_SYSCALL_BIT (0x40000000). */
static void x32_child(int fd, const void *arg)
{
	(void)arg;
	report(fd, 0, 0, syscall(0x40000000L | SYS_getpid) < 0 ? -errno : 0);
}

/* An i386 system call from 64-bit code: getpid (20) through int 0x80. */
static void i386_child(int fd, const void *arg)
{
	long r;

	(void)arg;
	__asm__ volatile("int $0x80"
			 : "=a"(r)
			 : "a"(20L)
			 : "r8", "r9", "r10", "r11", "memory");
	report(fd, 0, 0, r);
}

static void abi_line(struct probe_line *l, child_fn fn)
{
	struct child_report r;
	int sig;

	l->ok = 0;
	if (in_child(fn, NULL, &r, &sig) < 0) {
		if (sig)
			snprintf(l->text, sizeof(l->text),
				 "refused by the kernel (%s; the filter "
				 "denies it anyway)",
				 strsignal(sig));
		else
			snprintf(l->text, sizeof(l->text),
				 "unknown: the probe failed: %s",
				 strerror(errno));
	} else if (r.value >= 0) {
		l->ok = 1;
		snprintf(l->text, sizeof(l->text),
			 "accepted by the kernel (the filter denies it)");
	} else
		snprintf(l->text, sizeof(l->text),
			 "refused by the kernel (%s; the filter denies it "
			 "anyway)",
			 r.value == -ENOSYS ? "ENOSYS" :
					      strerror((int)-r.value));
}

void probe_x32(struct probe_line *l)
{
	abi_line(l, x32_child);
}

void probe_i386(struct probe_line *l)
{
	abi_line(l, i386_child);
}
#else
void probe_x32(struct probe_line *l)
{
	l->ok = 0;
	snprintf(l->text, sizeof(l->text), "not applicable (not x86-64)");
}

void probe_i386(struct probe_line *l)
{
	probe_x32(l);
}
#endif
