/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Named syscall groups for policies, and the calls no policy can allow.
 * Names libseccomp does not know on this architecture are skipped. */
#include <seccomp.h>
#include <string.h>

#include "sbx.h"

#define END NULL

/* Reading and writing descriptors the plugin already holds. */
static const char *const basic_io[] = {
	"read",		 "write",     "readv",	    "writev",
	"pread64",	 "pwrite64",  "preadv",	    "pwritev",
	"preadv2",	 "pwritev2",  "close",	    "close_range",
	"lseek",	 "dup",	      "dup2",	    "dup3",
	"fcntl",	 "pipe",      "pipe2",	    "poll",
	"ppoll",	 "select",    "pselect6",   "epoll_create",
	"epoll_create1", "epoll_ctl", "epoll_wait", "epoll_pwait",
	"epoll_pwait2",	 "eventfd",   "eventfd2",   "sendfile",
	"splice",	 "tee",	      "ioctl",	    "fadvise64",
	"fsync",	 "fdatasync", "flock",	    END,
};

/* The address space: allocation, mapping, protection. */
static const char *const memory[] = {
	"brk",	   "mmap",    "munmap", "mremap",     "mprotect",
	"madvise", "mincore", "msync",	"membarrier", END,
};

/* Path-based file access; what is reachable is decided by the mount view.
 * Not memfd_create: memory that is no file of the view and no part of the
 * address space (RLIMIT_AS) is bounded only by a cgroup; a policy that
 * needs it names it. */
static const char *const file[] = {
	"open",	     "openat",	   "openat2",	 "creat",      "stat",
	"fstat",     "lstat",	   "newfstatat", "statx",      "access",
	"faccessat", "faccessat2", "getdents",	 "getdents64", "getcwd",
	"chdir",     "fchdir",	   "readlink",	 "readlinkat", "statfs",
	"fstatfs",   "truncate",   "ftruncate",	 "rename",     "renameat",
	"renameat2", "mkdir",	   "mkdirat",	 "rmdir",      "link",
	"linkat",    "unlink",	   "unlinkat",	 "symlink",    "symlinkat",
	"chmod",     "fchmod",	   "fchmodat",	 "umask",      "utime",
	"utimes",    "utimensat",  "futimesat",	 "fallocate",  "getxattr",
	"lgetxattr", "fgetxattr",  "listxattr",	 "llistxattr", "flistxattr",
	"chown",     "fchown",	   "lchown",	 "fchownat",   END,
};

/* Creating, running and waiting for processes; identity queries. */
static const char *const process[] = {
	"clone",
	"fork",
	"vfork",
	"execve",
	"execveat",
	"exit",
	"exit_group",
	"wait4",
	"waitid",
	"getpid",
	"getppid",
	"gettid",
	"getpgrp",
	"getpgid",
	"setpgid",
	"getsid",
	"setsid",
	"getuid",
	"geteuid",
	"getgid",
	"getegid",
	"getresuid",
	"getresgid",
	"getgroups",
	"set_tid_address",
	"set_robust_list",
	"get_robust_list",
	"rseq",
	"arch_prctl",
	"prctl",
	"prlimit64",
	"getrlimit",
	"setrlimit",
	"getrusage",
	"times",
	"sysinfo",
	"uname",
	"capget",
	"sched_yield",
	"sched_getaffinity",
	"sched_getparam",
	"sched_getscheduler",
	"getpriority",
	"getcpu",
	"futex",
	"personality",
	END,
};

static const char *const signal[] = {
	"rt_sigaction",	 "rt_sigprocmask",  "rt_sigreturn",
	"rt_sigpending", "rt_sigtimedwait", "rt_sigsuspend",
	"sigaltstack",	 "signalfd",	    "signalfd4",
	"pause",	 "alarm",	    "kill",
	"tkill",	 "tgkill",	    END,
};

static const char *const time_[] = {
	"clock_gettime",
	"clock_getres",
	"clock_nanosleep",
	"nanosleep",
	"gettimeofday",
	"time",
	"getitimer",
	"setitimer",
	"timer_create",
	"timer_settime",
	"timer_gettime",
	"timer_getoverrun",
	"timer_delete",
	"timerfd_create",
	"timerfd_settime",
	"timerfd_gettime",
	END,
};

/* Sockets of the families the policy allows, as client or server. */
static const char *const network[] = {
	"socket",   "socketpair", "connect",	 "bind",	"listen",
	"accept",   "accept4",	  "getsockname", "getpeername", "sendto",
	"recvfrom", "sendmsg",	  "recvmsg",	 "sendmmsg",	"recvmmsg",
	"shutdown", "setsockopt", "getsockopt",	 END,
};

/* What a stub resolver needs to query a DNS server (UDP and TCP). */
static const char *const dns[] = {
	"socket",     "connect",    "sendto",	"recvfrom",    "sendmsg",
	"recvmsg",    "sendmmsg",   "recvmmsg", "getsockname", "getpeername",
	"setsockopt", "getsockopt", "bind",	"shutdown",    "poll",
	"ppoll",      END,
};

static const char *const random_[] = { "getrandom", END };

/* What /bin/sh, perl, python and ordinary C plugins need: every group but
 * none of the identity-changing or administrative calls. */
static const char *const *const default_parts[] = {
	basic_io, memory, file, process, signal, time_, network, random_, NULL,
};

const char *const sbx_denied_syscalls[] = {
	"ptrace",
	"process_vm_readv",
	"process_vm_writev",
	"mount",
	"umount2",
	"pivot_root",
	"chroot",
	"unshare",
	"setns",
	"keyctl",
	"add_key",
	"request_key",
	"bpf",
	"perf_event_open",
	"userfaultfd",
	"io_uring_setup",
	"io_uring_enter",
	"io_uring_register",
	"kexec_load",
	"kexec_file_load",
	"init_module",
	"finit_module",
	"delete_module",
	"open_by_handle_at",
	"name_to_handle_at",
	"pidfd_getfd",
	"open_tree",
	"move_mount",
	"fsopen",
	"fsmount",
	"fspick",
	"fsconfig",
	"mount_setattr",
	"clone3",
	"acct",
	"swapon",
	"swapoff",
	"reboot",
	"syslog",
	"iopl",
	"ioperm",
	"uselib",
	"vhangup",
	"quotactl",
	"lookup_dcookie",
	"fanotify_init",
	"kcmp",
	"process_madvise",
	"modify_ldt",
	"settimeofday",
	"clock_settime",
	"clock_adjtime",
	"adjtimex",
	"nfsservctl",
	"_sysctl",
	"memfd_secret",
	"migrate_pages",
	"move_pages",
	END,
};

const char *const sbx_syscall_groups[] = {
	"basic-io", "memory", "file",	"process", "signal", "time",
	"network",  "dns",    "random", "default", END,
};

/* The default group, flattened once. */
static const char *default_flat[512];

static void flatten_default(void)
{
	size_t n = 0;

	if (default_flat[0])
		return;
	for (size_t i = 0; default_parts[i]; i++)
		for (size_t k = 0; default_parts[i][k]; k++)
			if (n + 1 <
			    sizeof(default_flat) / sizeof(*default_flat))
				default_flat[n++] = default_parts[i][k];
	default_flat[n] = NULL;
}

const char *const *sbx_syscall_group(const char *name)
{
	static const struct {
		const char *name;
		const char *const *list;
	} groups[] = {
		{ "basic-io", basic_io }, { "memory", memory },
		{ "file", file },	  { "process", process },
		{ "signal", signal },	  { "time", time_ },
		{ "network", network },	  { "dns", dns },
		{ "random", random_ },
	};

	if (strcmp(name, "default") == 0) {
		flatten_default();
		return default_flat;
	}
	for (size_t i = 0; i < sizeof(groups) / sizeof(*groups); i++)
		if (strcmp(groups[i].name, name) == 0)
			return groups[i].list;
	return NULL;
}

int sbx_syscall_known(const char *name)
{
	return seccomp_syscall_resolve_name(name) != __NR_SCMP_ERROR;
}

int sbx_syscall_denied(const char *name)
{
	for (size_t i = 0; sbx_denied_syscalls[i]; i++)
		if (strcmp(sbx_denied_syscalls[i], name) == 0)
			return 1;
	return 0;
}
