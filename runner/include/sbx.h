/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The sandbox runner library: a policy, a jail configured from it, and one
 * sandboxed plugin run with its collected output and resource report. */
#ifndef SBX_H
#define SBX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Error filled by every library call that can fail: an errno-like code and a
 * "what: why" message. Library code never prints and never exits. */
struct sbx_error {
	int code;
	char msg[256];
};

/* Record an error; returns -1 so callers can `return sbx_fail(...)`. */
int sbx_fail(struct sbx_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Exit statuses of every spp-sandbox program, qmail's convention. */
#define SBX_EXIT_OK 0
#define SBX_EXIT_PERM 100 /* the input is wrong (usage, a bad file): fix it */
#define SBX_EXIT_TEMP 111 /* try again: out of memory or descriptors, I/O */
/* The exit status an error's code deserves: SBX_EXIT_TEMP for what says
 * nothing about the input (ENOMEM, EMFILE, ENFILE, EIO, EAGAIN, EINTR),
 * else SBX_EXIT_PERM (a policy file caught being written, EBUSY, too: as
 * it stands it is no policy). */
int sbx_exit_status(int code);

/* What the SMTP client sees when a plugin fails (cannot start, crashes,
 * exits 120, is killed by a limit, the timeout or the filter). */
enum sbx_fail_action {
	SBX_FAIL_DEFER = 0, /* one E451 line: temporary failure (default) */
	SBX_FAIL_CONTINUE, /* no verdict: as if the plugin printed nothing */
	SBX_FAIL_REJECT, /* one E554 line: permanent failure */
};

/* Network view of the sandbox. */
enum sbx_net {
	SBX_NET_NONE = 0, /* fresh network namespace, no interface up */
	SBX_NET_LOOPBACK, /* the host's, to 127.0.0.0/8 and ::1 only */
	SBX_NET_HOST, /* the host's, any address */
};

/* Action for a system call outside the allowlist. */
enum sbx_sysdefault {
	SBX_SYS_KILL = 0, /* kill the sandbox, report the call (default) */
	SBX_SYS_EPERM, /* fail the call with EPERM */
	/* For writing a policy, never in production: let the call run and
	 * report it (each distinct call once per run), so that one run names
	 * every missing call. The always-denied calls stay denied. */
	SBX_SYS_COMPLAIN,
};

/* A path made visible in the sandbox at the same place. */
struct sbx_path {
	char *path;
	int writable;
};

/* A growable list of strings (environment names, syscall names, ...);
 * v is NULL-terminated when not NULL. */
struct sbx_strv {
	char **v;
	size_t n;
};

/* Append a copy of s. Returns 0, or -1 with *err. */
int sbx_strv_add(struct sbx_strv *sv, const char *s, struct sbx_error *err);
int sbx_strv_has(const struct sbx_strv *sv, const char *s);
void sbx_strv_clear(struct sbx_strv *sv);

#define SBX_MAX_PORTS 32

/* A small set of TCP or UDP ports. */
struct sbx_ports {
	uint16_t v[SBX_MAX_PORTS];
	unsigned int n;
};

/* The in-memory policy for one plugin. Owns every string it points to.
 * Sizes in bytes, times in milliseconds; 0 means "unlimited" only where
 * noted. */
/* The most ro and rw paths a policy may add to the view: the library's
 * limit, which the policy language's must not exceed. */
#define SBX_PATHS_MAX 24

struct sbx_policy {
	/* limits */
	uint64_t timeout_ms; /* wall clock (never unlimited) */
	uint64_t cpu_ms; /* RLIMIT_CPU, rounded up to seconds */
	uint64_t memory; /* RLIMIT_AS */
	uint64_t procs; /* RLIMIT_NPROC inside the sandbox's user */
	uint64_t files; /* RLIMIT_NOFILE */
	uint64_t fsize; /* RLIMIT_FSIZE */
	uint64_t stdout_max; /* bytes of stdout kept; more kills the run */
	uint64_t stderr_max; /* bytes of stderr kept; more kills the run */
	uint64_t tmpfs_size; /* size of the private /tmp */

	/* network */
	enum sbx_net net;
	unsigned int families; /* SBX_AF_* bits allowed for socket() */
	/* Destination ports under `network loopback` or `host`; connect and
	 * send to any other port are refused (empty: none at all). */
	struct sbx_ports tcp_ports, udp_ports;

	/* filesystem */
	struct sbx_path *paths; /* extra binds beyond the base view */
	size_t npaths; /* at most SBX_PATHS_MAX */
	char *workdir; /* NULL: the caller's cwd when visible */

	/* identity used when spp-run runs as root (ignored otherwise) */
	uid_t uid;
	gid_t gid;
	/* Besides root, who may own the directories and symbolic links that
	 * ro/rw paths go through: the policy file's owner (pol_parse_file),
	 * the caller for the built-in default. */
	uid_t owner;

	/* system calls */
	struct sbx_strv syscalls; /* allowlist (names) */
	enum sbx_sysdefault sysdefault;

	/* verdicts */
	unsigned int verdicts; /* SPP_CMD_* bits allowed (verdict.h) */
	struct sbx_strv setvars; /* extra names S/U may touch */

	/* environment */
	struct sbx_strv env_pass; /* names, or prefixes ending in '*' */
	int env_set; /* env_pass comes from the policy, not the default */

	/* failure */
	int exit_fails; /* a non-zero exit (not only 120) is a failure */
	enum sbx_fail_action fail;
	char *fail_text; /* NULL: the built-in message */
};

/* Socket families a policy may allow. */
enum sbx_af {
	SBX_AF_UNIX = 1u << 0,
	SBX_AF_INET = 1u << 1,
	SBX_AF_INET6 = 1u << 2,
	SBX_AF_NETLINK = 1u << 3,
};

/* Fill *p with the built-in default policy (strict). Returns 0, or -1 when
 * out of memory. Free with sbx_policy_clear(). */
int sbx_policy_default(struct sbx_policy *p, struct sbx_error *err);
void sbx_policy_clear(struct sbx_policy *p);
/* Add an extra path to the view; copies path. */
int sbx_policy_add_path(struct sbx_policy *p, const char *path, int writable,
			struct sbx_error *err);
/* The verdict line a failed run prints (without newline), or NULL when the
 * action is "continue". Borrowed from *p or static. */
const char *sbx_policy_fail_line(const struct sbx_policy *p);

/* Syscalls that stay denied whatever a policy says, NULL-terminated. */
extern const char *const sbx_denied_syscalls[];
/* Members of a named syscall group ("basic-io", "file", "default", ...;
 * without the '@'), NULL-terminated; NULL when there is no such group. */
const char *const *sbx_syscall_group(const char *name);
/* Names of all groups, NULL-terminated. */
extern const char *const sbx_syscall_groups[];
/* Does libseccomp know this syscall name on the native architecture? */
int sbx_syscall_known(const char *name);
/* Is the name in sbx_denied_syscalls[]? */
int sbx_syscall_denied(const char *name);

/* Why a run ended abnormally. */
enum sbx_kill {
	SBX_KILL_NONE = 0,
	SBX_KILL_TIMEOUT,
	SBX_KILL_CPU,
	SBX_KILL_MEMORY,
	SBX_KILL_OUTPUT,
	SBX_KILL_SIGNAL,
	SBX_KILL_SYSCALL,
};

/* Result of one run. stdout/stderr buffers are owned by the result. */
struct sbx_result {
	int started; /* the plugin's execve succeeded */
	int exited; /* exited normally; exit_code valid */
	int exit_code;
	int term_signal; /* signal that ended it, when !exited */
	enum sbx_kill kill; /* why the sandbox was ended, if it was */
	int syscall_nr; /* for SBX_KILL_SYSCALL; -1 unknown */
	uint32_t syscall_arch; /* AUDIT_ARCH_* of that call */
	pid_t pid; /* the sandbox's pid on the host */
	double wall_ms, cpu_ms;
	long maxrss_kb;
	char *out; /* collected stdout, NUL-terminated */
	size_t out_len;
	char *err; /* collected stderr, NUL-terminated */
	size_t err_len;
	char setup_error[200]; /* why the plugin could not be started */
	/* syscall-default complain: the distinct calls outside the policy
	 * that were let through (or refused, for the always-denied ones) */
	struct sbx_call {
		int nr;
		uint32_t arch; /* AUDIT_ARCH_* */
		int refused; /* errno it failed with; 0: it ran */
	} complained[32];
	unsigned int ncomplained;
	int cgroup; /* the run's own cgroup: 0 none, 1 (v1) or 2 (v2) */
	struct sbx_learned *learned; /* learn mode only; owned */
	struct sbx_diag *diag; /* diagnose mode only; owned */
};

#define SBX_LEARN_PATHS 24

/* What a plugin used, observed in learn mode (sbx_jail_set_learn). */
struct sbx_learned {
	uint64_t syscalls[8]; /* bit nr: the native call nr was made */
	unsigned int families; /* SBX_AF_* of the sockets it created */
	struct sbx_ports tcp_ports, udp_ports; /* destinations it reached */
	int remote; /* a destination outside the loopback */
	char paths[SBX_LEARN_PATHS][200]; /* host directories it used */
	int writable[SBX_LEARN_PATHS]; /* ... and wrote to */
	unsigned int npaths;
};

/* A network destination a plugin did not reach (diagnose mode). */
struct sbx_dest {
	uint16_t family; /* AF_INET or AF_INET6 */
	uint16_t port;
	uint8_t addr[16];
	int type; /* SOCK_STREAM, SOCK_DGRAM, ... */
	int error; /* why: EPERM (refused by the policy), ENETUNREACH */
};

#define SBX_DIAG_PATHS 16
#define SBX_DIAG_DESTS 8

/* What a plugin looked for and did not get, in diagnose mode. */
struct sbx_diag {
	char paths[SBX_DIAG_PATHS][256]; /* the host has them, its view not */
	unsigned int npaths;
	struct sbx_dest dests[SBX_DIAG_DESTS];
	unsigned int ndests;
};

void sbx_result_clear(struct sbx_result *r);
/* Did the run fail (not started, exit 120, crash, killed; under a policy
 * p with `exit-status fail`, any non-zero exit)? p may be NULL. */
int sbx_result_failed(const struct sbx_result *r, const struct sbx_policy *p);
/* The name of system call nr of arch (AUDIT_ARCH_*): "openat", or
 * "i386:N", "x32:N", "ARCH:N" for other ABIs. Always NUL-terminates. */
void sbx_syscall_name(int nr, uint32_t arch, char *buf, size_t len);
/* "timeout", "cpu", "memory", "output", "signal N", "syscall NAME" into
 * buf; empty string when the plugin was not killed. */
void sbx_result_killed(const struct sbx_result *r, char *buf, size_t len);

/* A jail: configured first (no side effects), applied by sbx_jail_run().
 * The same object can run many plugins. */
struct sbx_jail;

/* Build a jail from a policy; compiles the seccomp filters and prepares
 * everything that can be prepared before a run. Borrows *p, which must
 * outlive the jail. Returns NULL and fills *err on failure. */
struct sbx_jail *sbx_jail_new(const struct sbx_policy *p,
			      struct sbx_error *err);
void sbx_jail_free(struct sbx_jail *j);

/* Use the filter compiled ahead of time into path (sbx_filter_save) when
 * it matches the jail's policy, which saves libseccomp's compile (about a
 * millisecond) on every run. Returns 0 when the file was used, 1 when it
 * is absent or stale (the jail compiles on its own), -1 with *err when it
 * is unsafe (not ours, writable by others) or corrupt. */
int sbx_jail_load_filter(struct sbx_jail *j, const char *path,
			 struct sbx_error *err);
/* Compile the policy's filter and write it to path (mode 0644), for
 * spp-policy compile: through a new temporary file (O_EXCL) renamed over
 * path, and only in a directory that nobody but its owner (root or us)
 * can write (EPERM otherwise). Returns 0, or -1 with *err. */
int sbx_filter_save(const struct sbx_policy *p, const char *path,
		    struct sbx_error *err);

struct iovec;
/* Replace the file at path whole with the n buffers of iov (mode): written
 * to a new temporary beside it (O_EXCL), synced, renamed over it, so that
 * a reader sees the old file or the new one, never a part. Refuses a
 * directory that others than its owner (root or us) can write (EPERM).
 * Returns 0, or -1 with *err. */
int sbx_file_replace(const char *path, const struct iovec *iov, int n,
		     mode_t mode, struct sbx_error *err);

/* Where runs get their own cgroup (memory and pids limits that bound
 * everything a run holds): NULL or "" finds one (v2 at the root of the
 * hierarchy when it has the controllers, else v1 memory and pids below the
 * caller's own groups, which root can make), "none" asks for none, a path
 * names a delegated cgroup v2 directory whose children may have memory and
 * pids (runs then fail when it cannot be used). Copies config. Returns 0,
 * or -1 with *err when out of memory. */
int sbx_jail_set_cgroup(struct sbx_jail *j, const char *config,
			struct sbx_error *err);

/* The cgroup a run would get here, for spp-selftest: makes the group a
 * run makes (config as for sbx_jail_set_cgroup(), the default policy's
 * memory and process limits) and removes it again. Returns 0 (none, why
 * in why), 1 or 2 (the version), or -1 with *err when the cgroup config
 * names cannot be used. */
int sbx_cgroup_probe(const char *config, char *why, size_t len,
		     struct sbx_error *err);

/* One more program to make visible read-only where it is, as the plugin
 * itself is (relative: to the cwd): the program of a shell command line
 * that runs /bin/sh as the plugin. NULL for none. Copies path. Returns 0,
 * or -1 with *err when out of memory. */
int sbx_jail_set_also(struct sbx_jail *j, const char *path,
		      struct sbx_error *err);

/* Runs of the jail, made one after the other, share one cgroup: made by
 * the first, emptied by each run's end (its processes gone, its OOM kills
 * counted out), removed by sbx_jail_free(). For a process that makes run
 * after run under one policy (spp-sandboxd's parked workers): a group's
 * making and removal cost about a twentieth of a run. A run that finds
 * the group not yet empty gets one of its own. */
void sbx_jail_keep_cgroup(struct sbx_jail *j);

/* Diagnose mode, for the side-by-side check of a configuration: the run
 * is the policy's own, but init also watches the calls that name a path
 * or a destination, and r->diag says what the plugin looked for and did
 * not get: paths the host has and its view lacks, destinations refused
 * by the policy or unreachable under `network none`. Slower: for
 * checking, not for mail. Returns 0, or -1 with *err. */
int sbx_jail_set_diagnose(struct sbx_jail *j, int on, struct sbx_error *err);

/* Learn mode, for spp-policy learn: the plugin sees the host's filesystem
 * read-only and its network (any destination), every system call goes
 * through init, which lets it run (the always-denied ones still fail with
 * EPERM) and records what was used in r->learned. Call before a run; the
 * filter is rebuilt. Returns 0, or -1 with *err. */
int sbx_jail_set_learn(struct sbx_jail *j, int on, struct sbx_error *err);

/* Run one plugin: argv[0] is the program (relative to the cwd), envp the
 * whole environment it gets (NULL-terminated "NAME=value"; LD_* dropped).
 * Returns 0 when the run took place (even if the plugin failed: see *r),
 * -1 with *err when the sandbox could not be set up at all. *r must be
 * zeroed or cleared by the caller; it is filled in both cases. */
int sbx_jail_run(struct sbx_jail *j, char *const argv[], char *const envp[],
		 struct sbx_result *r, struct sbx_error *err);

/* Runs under a `network none` policy share the network namespace fd
 * instead of a fresh one each (its making and teardown are most of a
 * sandbox's cost): fd must name an empty namespace the caller made for
 * these runs alone (no interface up; the plugins, in user namespaces of
 * their own, cannot change it). Only where Landlock scopes abstract Unix
 * sockets and signals (ABI 6), so that runs sharing it cannot talk, and
 * not in learn or diagnose mode. The calling process enters it now and
 * goes back to its own namespace in sbx_jail_free(). Returns 1 when runs
 * will share it, 0 when they keep namespaces of their own, -1 with *err
 * (nothing changed). Set learn and diagnose modes first. */
int sbx_jail_set_netns(struct sbx_jail *j, int fd, struct sbx_error *err);

/* A run prepared ahead of its request (spp-sandboxd's parked runs): the
 * sandbox's namespaces, view, cgroup and limits made, its init waiting
 * for the go-ahead before it starts the plugin. sbx_jail_run() is
 * sbx_run_prepare(), sbx_run_start() and sbx_run_free() in a row. */
struct sbx_run;

/* Prepare a run of argv (as sbx_jail_run) under j, which must outlive
 * it. Returns the run, or NULL with *err. */
struct sbx_run *sbx_run_prepare(struct sbx_jail *j, char *const argv[],
				struct sbx_error *err);

/* Is the prepared view still what a run prepared now would get: every
 * policy path and the program still lead to the objects bound (a file
 * replaced, a symbolic link pointed elsewhere, a path gone: no)? 1 or 0. */
int sbx_run_fresh(const struct sbx_run *run);

/* Start the prepared run with envp and collect it: returns as
 * sbx_jail_run. Once per run. */
int sbx_run_start(struct sbx_run *run, char *const envp[], struct sbx_result *r,
		  struct sbx_error *err);

/* Free the run; a sandbox never started is killed and reaped. NULL is a
 * no-op. */
void sbx_run_free(struct sbx_run *run);

/* The environment a plugin gets under policy p: every "NAME=value" of
 * extra, then each variable of base whose name the policy passes through
 * (exact names, or prefixes written "PREFIX*") and extra did not set. LD_*
 * never passes. Returns a NULL-terminated array (free with sbx_env_free),
 * or NULL with *err. Strings are copied. */
char **sbx_env_build(const struct sbx_policy *p, char *const extra[],
		     char *const base[], struct sbx_error *err);
void sbx_env_free(char **env);
/* Is kv a NAME=value a command line may give (NAME as the shell knows
 * it: [A-Za-z_][A-Za-z0-9_]*)? */
int sbx_env_valid(const char *kv);

/* A growable byte buffer; s is NUL-terminated once anything was added.
 * sbx_buf_add() appends n bytes of s: returns 0, or -1 with errno ENOMEM
 * (b unchanged). Start from { 0 }; sbx_buf_free() frees and resets. */
struct sbx_buf {
	char *s;
	size_t len, cap;
};
int sbx_buf_add(struct sbx_buf *b, const void *s, size_t n);
int sbx_buf_adds(struct sbx_buf *b, const char *s);
void sbx_buf_free(struct sbx_buf *b);

/* The library never prints: errors come back in struct sbx_error, and
 * the programs write them as log lines. sbx_escape() makes untrusted
 * bytes fit for one: printable ASCII kept, the rest as \xNN; truncated to
 * fit dst (always NUL-terminated). Returns dst. */
char *sbx_escape(char *dst, size_t dstlen, const char *src, size_t srclen);

#endif
