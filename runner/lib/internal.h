/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Internals shared by the runner's files: the jail, the per-run plan handed
 * to the sandbox's init, and the records init sends back. */
#ifndef SBX_INTERNAL_H
#define SBX_INTERNAL_H

#include <limits.h>
#include <linux/filter.h>
#include <stdint.h>
#include <sys/capability.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "sbx.h"

/* cgroup.c: the run's own cgroup, made by the parent before clone. */
struct sbx_cgroup {
	int version; /* 0: none, 1 or 2 */
	char dir[2][PATH_MAX]; /* v2: dir[0]; v1: the memory, pids groups */
	int ndirs;
	char why[160]; /* why there is none */
	/* OOM kills counted before this run (a group used again) */
	unsigned long long oom_base;
};

/* A compiled seccomp program, exported by libseccomp as raw BPF. */
struct sbx_bpf {
	struct sock_filter *insns;
	unsigned short len;
};

struct sbx_jail {
	const struct sbx_policy *pol;
	struct sbx_bpf bpf; /* the seccomp filter, compiled */
	int privileged; /* geteuid() == 0 at jail creation */
	/* The plugin's RLIMIT_NOFILE, and the number of the descriptor that
	 * hands the filter's listener to init (one the plugin can never
	 * hold; the go-ahead comes on the next): the policy's `files`, or
	 * two less than the caller's hard limit when that is lower. */
	unsigned int nofile;
	uid_t uid; /* identity inside; mapped 1:1 to the host */
	gid_t gid;
	uid_t host_uid;
	gid_t host_gid;
	cap_t nocaps; /* the empty set, allocated before any run */
	int learn; /* learn mode (sbx_jail_set_learn) */
	char *cgroup; /* sbx_jail_set_cgroup(); NULL: find one */
	char *also; /* sbx_jail_set_also(): a program to show too */
	int diagnose; /* sbx_jail_set_diagnose() */
	int keep_cgroup; /* sbx_jail_keep_cgroup() */
	struct sbx_cgroup kept; /* the last run's group, for the next */
	/* sbx_jail_set_netns(): runs share the caller's network namespace,
	 * entered from this one (put back by sbx_jail_free) */
	int net_orig;
	uint64_t allowed[8]; /* diagnose: the policy's calls, bit nr */
	int denied[96]; /* numbers of sbx_denied_syscalls, for learn mode */
	size_t ndenied;
};

/* The descriptor numbers init uses after it tidied its table. */
enum {
	SBX_FD_SYNC = 3, /* in init: read end of the parent's sync pipe */
	SBX_FD_STATUS = 4, /* in init: records to the parent */
	SBX_FD_OUT = 5, /* in init: the plugin's stdout pipe */
	SBX_FD_ERR = 6, /* in init: the plugin's stderr pipe */
	SBX_FD_FIRST_FREE = 7,
};

enum sbx_mnt_kind {
	SBX_MNT_BIND, /* a host path */
	SBX_MNT_TMPFS, /* an empty tmpfs (also masks secret directories) */
	SBX_MNT_PROC, /* proc of the sandbox's pid namespace */
};

/* One mount step of the sandbox's view, prepared by the parent and applied
 * by init in order. */
struct sbx_bind {
	enum sbx_mnt_kind kind;
	/* BIND: host path resolved by the parent (no symbolic link in it),
	 * and the object it checked there; init opens it refusing any link
	 * and binds it only if it is still that object. */
	const char *src;
	dev_t dev;
	ino_t ino;
	const char *dst; /* absolute path inside the sandbox */
	/* a policy path as the policy writes it: a prepared run is fresh
	 * while it still leads to dev/ino (sbx_run_fresh) */
	const char *orig;
	int is_dir;
	int writable;
	int is_dev; /* a device node: keep it usable (no nodev) */
	char opts[64]; /* TMPFS: mount options */
};

struct sbx_symlink {
	const char *path;
	char target[256];
};

/* Make the group `name` with memory and pids limits. config: NULL or ""
 * finds one (cgroup v2 at the hierarchy's root when it has the
 * controllers, else v1 below the caller's groups), and when none can be
 * had returns 0 with version 0 and why set; "none" asks for none; a path
 * names a v2 parent that must work (-1 with *err otherwise). */
int sbx_cgroup_setup(struct sbx_cgroup *cg, const char *config,
		     const char *name, uint64_t memory, uint64_t procs,
		     struct sbx_error *err);
/* Move pid (the sandbox's init, before it starts the plugin) in. */
int sbx_cgroup_attach(const struct sbx_cgroup *cg, pid_t pid,
		      struct sbx_error *err);
/* Did the kernel kill a process of the group for its memory? */
int sbx_cgroup_oom(const struct sbx_cgroup *cg);
/* Remove the group (its processes must be gone); safe on version 0. */
void sbx_cgroup_destroy(struct sbx_cgroup *cg);
/* Make the group of a run that ended ready for the next run: 0 when its
 * processes are all gone (a few short retries, as destroy) and its OOM
 * kills so far are counted out, -1 when it is not. */
int sbx_cgroup_recycle(struct sbx_cgroup *cg);

#define SBX_MAX_BINDS 48
/* The smallest hard RLIMIT_NOFILE of a caller that can build a sandbox:
 * spp-run's descriptors, init's four, a detached tree per bind. */
#define SBX_NOFILE_MIN (SBX_FD_FIRST_FREE + SBX_MAX_BINDS + 9)
#define SBX_MAX_LINKS 16

/* Everything init needs, computed before clone so that the sandbox's side
 * never allocates. */
struct sbx_plan {
	const struct sbx_jail *jail;
	char *const *argv;
	char *const *envp;
	char exec_path[4096]; /* absolute, visible inside */
	dev_t exec_dev; /* the program argv[0] led to, and jail->also */
	ino_t exec_ino;
	dev_t also_dev;
	ino_t also_ino;
	int exec_rel; /* execve argv[0] (relative, from workdir) instead */
	char workdir[4096];
	struct sbx_bind binds[SBX_MAX_BINDS];
	size_t nbinds;
	struct sbx_symlink links[SBX_MAX_LINKS];
	size_t nlinks;
	char strings[16384]; /* the binds' paths */
	size_t nstrings;
	const char *roots[SBX_MAX_BINDS]; /* the rw paths, resolved */
	size_t nroots;
	struct rlimit rl_cpu, rl_as, rl_nproc, rl_nofile, rl_fsize;
	int sync_rd, status_wr, out_wr, err_wr; /* before init renumbers */
	int sync_wr; /* the parent's end, which init closes at once */
	double t0_ms; /* when the run began (CLOCK_MONOTONIC) */
	/* envp points into this shared mapping, filled in by the parent
	 * before the go-ahead: a prepared run gets its environment late */
	char *envmap;
	struct sbx_cgroup cg; /* the parent's: init never touches it */
	struct sbx_learned *learned; /* learn mode: shared with init */
	struct sbx_diag *diag; /* diagnose mode: shared with init */
};

/* Records init writes to the status pipe; one write each (< PIPE_BUF). */
enum sbx_msg_type {
	SBX_MSG_SETUP = 1, /* setup failed: text */
	SBX_MSG_EXEC, /* execve failed: err */
	SBX_MSG_STARTED, /* execve succeeded */
	SBX_MSG_SYSCALL, /* filter hit: nr, arch */
	SBX_MSG_EXIT, /* plugin ended: status (wait status) */
	SBX_MSG_COMPLAIN, /* complain mode: nr, arch, err (0: let through) */
};

struct sbx_msg {
	uint32_t type;
	int32_t status;
	int32_t err;
	int32_t nr;
	uint32_t arch;
	/* EXIT: what the sandbox's processes used, init's own setup aside
	 * (getrusage RUSAGE_CHILDREN in init) */
	int64_t cpu_us;
	int64_t maxrss_kb;
	char text[180];
};

/* A filter compiled ahead of time, for the policy with this fingerprint. */
struct sbx_filter_cache {
	uint64_t fingerprint;
	unsigned short len;
	const struct sock_filter *insns;
};

/* The default policy's filter, generated at build time by gen-filter and
 * linked into the programs; absent (NULL address) elsewhere, such as in
 * the unit tests, which then exercise the compiler. */
extern const struct sbx_filter_cache sbx_default_filter __attribute__((weak));

/* Namespace flags no plugin may pass to clone (filter.c, learn.c). */
#define SBX_NS_FLAGS                                                 \
	(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | \
	 CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP)

/* mount.c: is path at or below dir ("/" covers everything)? */
int sbx_path_under(const char *path, const char *dir);

/* resolve.c: how a path for a bind may be resolved. */
struct sbx_resolve_rules {
	uid_t trust; /* besides root, who may own what the path goes through */
	int check_dirs; /* refuse entries of directories others can write */
	const char *const *roots; /* resolved writable paths of the policy */
	size_t nroots;
};

/* Resolve path (relative: to the cwd) component by component into out
 * (PATH_MAX bytes; absolute, no symbolic link left) and lstat the result
 * into *st. Strictly inside one of r->roots a symbolic link is refused (the
 * plugin may have made it); elsewhere, with r->check_dirs, so is any entry
 * of a directory that a user other than root and r->trust could change (a
 * sticky directory: only entries they do not own). Returns 0, or -1 with
 * *err naming the path and the step that failed. */
int sbx_path_resolve(const char *path, const struct sbx_resolve_rules *r,
		     char *out, struct stat *st, struct sbx_error *err);

/* netguard.c, in init, on the plugin's side of a notification: */
struct sockaddr_storage;
/* copy len bytes of its memory at src; 0, or -EFAULT */
int sbx_peek(pid_t pid, void *dst, unsigned long src, size_t len);
/* a duplicate of its descriptor fd, or -1 */
int sbx_plugin_fd(pid_t pid, int fd);
/* 127.0.0.0/8, ::1 or ::ffff:127.0.0.0/104? */
int sbx_addr_loopback(const struct sockaddr_storage *ss);

/* filter.c */
/* Fingerprint of everything the filter depends on in a policy. */
uint64_t sbx_filter_fingerprint(const struct sbx_policy *p);
/* Compile with libseccomp into out->insns (caller frees); handoff_fd is
 * the descriptor the child may sendmsg the listener on (jail->nofile),
 * handoff_fd + 1 the one it may read the go-ahead from. */
int sbx_filter_build(const struct sbx_policy *p, unsigned int handoff_fd,
		     struct sbx_bpf *out, struct sbx_error *err);
/* The same, but the allowed calls that name a path or a destination go to
 * init (diagnose mode). */
int sbx_filter_build_diag(const struct sbx_policy *p, unsigned int handoff_fd,
			  struct sbx_bpf *out, struct sbx_error *err);
/* The jail's filter: ahead-of-time when it matches, else compiled. */
int sbx_filter_compile(struct sbx_jail *j, struct sbx_error *err);
void sbx_filter_free(struct sbx_jail *j);
/* In the plugin child: attach the filter; returns its listener fd. */
int sbx_filter_load(const struct sbx_jail *j);

/* landlock.c: scope the calling process (the plugin child, with
 * no_new_privs) so that neither abstract Unix sockets nor signals reach
 * past its Landlock domain (ABI 6, Linux 6.12; a no-op before). Two runs
 * can then never talk or signal, whatever namespaces they share. Returns
 * 0, or -1 with errno. System calls only. */
int sbx_landlock_scope(void);
/* Does this kernel's Landlock scope abstract Unix sockets and signals
 * (ABI 6)? */
int sbx_landlock_scopes(void);

/* Learn mode's filter: every call but the hand-over goes to init. */
int sbx_filter_build_learn(uint64_t handoff_fd, struct sbx_bpf *out,
			   struct sbx_error *err);

struct seccomp_notif;

/* observe.c: does a call name a path or a destination? */
int sbx_observed_call(int nr);
/* observe.c, in init, diagnose mode: does init watch this call (the
 * policy allows it, and it names a path or destination)? */
int sbx_diag_watches(const struct sbx_plan *pl,
		     const struct seccomp_notif *req);
/* ... note what it looked for, and let it run (through the guard) */
void sbx_diag_serve(const struct sbx_plan *pl, int listener,
		    const struct seccomp_notif *req);
/* ... note a destination it did not reach (error: why) */
void sbx_diag_note_dest(const struct sbx_plan *pl,
			const struct seccomp_notif *req, int error);

/* observe.c, in init: record the call and let it run (or refuse it). */
void sbx_learn_serve(const struct sbx_plan *pl, int listener,
		     const struct seccomp_notif *req);
/* observe.c, in init, under syscall-default complain: tell the parent about
 * the call (each distinct one once) and let it run, unless no policy could
 * allow it (then it fails as it would in learn mode). */
void sbx_complain_serve(const struct sbx_plan *pl, int listener,
			const struct seccomp_notif *req);
/* The numbers of sbx_denied_syscalls into the jail (learn, complain). */
void sbx_jail_resolve_denied(struct sbx_jail *j);

/* filter.c: are these send(2) flags allowed under `network loopback` and
 * `host` (no MSG_DONTROUTE, MSG_ZEROCOPY, nor any unknown flag)? */
int sbx_send_flags_ok(uint64_t flags);
/* ... is this socket option in the allowlist? */
int sbx_sockopt_allowed(int level, int name);

/* netguard.c, in init: is this notified call one the guard performs
 * (network loopback/host, and allowed by the policy)? */
int sbx_netguard_handles(const struct sbx_policy *p, int nr);
/* ... or one it would, were it allowed (complain mode checks them too)? */
int sbx_netguard_guards(const struct sbx_policy *p, int nr);
/* Check and perform it on the plugin's behalf, and answer the kernel. */
void sbx_netguard_serve(const struct sbx_plan *pl, int listener,
			const struct seccomp_notif *req);

/* ns.c: runs in the parent */
int sbx_ns_write_maps(const struct sbx_jail *j, pid_t pid,
		      struct sbx_error *err);
int sbx_ns_clone_flags(const struct sbx_jail *j);

/* plan.c: is path inside a directory bound from the host (the last
 * mount covering it decides: a tmpfs or proc mounted later hides it)? */
int sbx_plan_visible(const struct sbx_plan *pl, const char *path);

/* plan.c: the parent plans the view; mount.c: init builds it. */
int sbx_mount_plan(struct sbx_plan *pl, const char *program,
		   struct sbx_error *err);
int sbx_mount_build(const struct sbx_plan *pl, const char **what);

/* caps.c: in init and the plugin child */
int sbx_caps_set_ids(const struct sbx_jail *j, const char **what);
int sbx_caps_drop_all(const struct sbx_jail *j, const char **what);

/* init.c: the sandbox's pid 1, entered right after clone (run.c) */
void sbx_init_main(const struct sbx_plan *pl) __attribute__((noreturn));

/* collect.c: the parent side of one run. *reaped is 0 when it returned
 * as the plugin ended, init still tearing the sandbox down (not in learn
 * or diagnose mode): the caller then reaps pid. */
int sbx_collect(const struct sbx_plan *pl, pid_t pid, int pidfd, int out_rd,
		int err_rd, int status_rd, struct sbx_result *r, int *reaped,
		struct sbx_error *err);

/* CLOCK_MONOTONIC in milliseconds. */
double sbx_now_ms(void);

/* init.c: write a record from inside the sandbox (read by collect.c);
 * never fails loudly. */
void sbx_msg_send(int fd, enum sbx_msg_type type, int status, int err,
		  const char *text);

#endif
