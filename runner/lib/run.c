/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The parent's side of one run: the plan and limits, the run's cgroup and
 * pipes, the clone of init into new namespaces, the hand-over (identity
 * maps, cgroup, go-ahead), which leaves a prepared run (sbx_run_prepare);
 * then its start (the environment, the second go-ahead) and collect.c
 * until it ended. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"

/* Room for a run's environment: the broker's requests are smaller
 * (SPP_WIRE_REQ_MAX); pages are only used as written. */
#define ENVMAP_SIZE (1024 * 1024)

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

/* Everything one run holds on the parent's side, released in one place
 * (run_end) whichever step failed. */
struct run_state {
	struct sbx_plan *pl;
	struct sbx_jail *jail; /* pl's, which may keep the run's cgroup */
	int out[2]; /* the plugin's stdout */
	int err[2]; /* its stderr */
	int status[2]; /* init's records */
	int sync[2]; /* the go-ahead once maps and cgroup are set */
	int pidfd;
	pid_t pid;
};

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void run_end(struct run_state *rs)
{
	for (int i = 0; i < 2; i++) {
		close_fd(&rs->out[i]);
		close_fd(&rs->err[i]);
		close_fd(&rs->status[i]);
		close_fd(&rs->sync[i]);
	}
	close_fd(&rs->pidfd);
	if (!rs->pl)
		return;
	if (rs->jail->keep_cgroup && !rs->jail->kept.version &&
	    sbx_cgroup_recycle(&rs->pl->cg) == 0)
		rs->jail->kept = rs->pl->cg;
	else
		sbx_cgroup_destroy(&rs->pl->cg);
	if (rs->pl->learned)
		munmap(rs->pl->learned, sizeof(*rs->pl->learned));
	if (rs->pl->diag)
		munmap(rs->pl->diag, sizeof(*rs->pl->diag));
	if (rs->pl->envmap)
		munmap(rs->pl->envmap, ENVMAP_SIZE);
	free(rs->pl);
	rs->pl = NULL;
}

/* The plan, the run's cgroup and the pipes, before clone. */
static int run_prepare(struct run_state *rs, struct sbx_jail *j,
		       char *const argv[], struct sbx_error *err)
{
	static unsigned int runs;
	struct sbx_plan *pl;
	char cgname[64];

	rs->jail = j;
	pl = rs->pl = calloc(1, sizeof(*pl));
	if (!pl)
		return sbx_fail(err, ENOMEM, "run: out of memory");
	pl->t0_ms = sbx_now_ms();
	/* written by init, read here after the run */
	if ((j->learn && !(pl->learned = shared(sizeof(*pl->learned)))) ||
	    (j->diagnose && !(pl->diag = shared(sizeof(*pl->diag)))))
		return sbx_fail(err, errno, "mmap: %s", strerror(errno));
	pl->jail = j;
	pl->argv = argv;
	if (prepare(pl, err) < 0 || sbx_mount_plan(pl, argv[0], err) < 0)
		return -1;
	/* one group per run (a process may run many: the tests, a broker),
	 * or the group the jail's last run left empty */
	if (j->kept.version) {
		pl->cg = j->kept;
		j->kept.version = 0;
	} else {
		snprintf(cgname, sizeof(cgname), "run-%d-%u", (int)getpid(),
			 ++runs);
		/* init and the plugin's processes: procs + 1, as
		 * RLIMIT_NPROC */
		if (sbx_cgroup_setup(&pl->cg, j->cgroup, cgname, j->pol->memory,
				     j->pol->procs + 1, err) < 0)
			return -1;
	}
	if (pipe2(rs->out, O_CLOEXEC) < 0 || pipe2(rs->err, O_CLOEXEC) < 0 ||
	    pipe2(rs->status, O_CLOEXEC) < 0 || pipe2(rs->sync, O_CLOEXEC) < 0)
		return sbx_fail(err, errno, "pipe: %s", strerror(errno));
	pl->sync_rd = rs->sync[0];
	pl->sync_wr = rs->sync[1];
	pl->status_wr = rs->status[1];
	pl->out_wr = rs->out[1];
	pl->err_wr = rs->err[1];
	return 0;
}

/* Clone init into the new namespaces (fork-like: no new stack; the child
 * only runs code that does not allocate) and keep the parent's ends. */
static int run_clone(struct run_state *rs, struct sbx_error *err)
{
	const struct sbx_jail *j = rs->pl->jail;
	struct rlimit nproc;
	int nproc_raised, e;

	nproc_raised = raise_nproc(rs->pl, &nproc);
	rs->pid = (pid_t)syscall(SYS_clone,
				 (unsigned long)sbx_ns_clone_flags(j) |
					 CLONE_PIDFD | SIGCHLD,
				 NULL, &rs->pidfd, NULL, 0);
	e = errno;
	if (rs->pid == 0)
		sbx_init_main(rs->pl);
	if (nproc_raised)
		setrlimit(RLIMIT_NPROC, &nproc);
	if (rs->pid < 0) {
		rs->pidfd = -1;
		if (e == EAGAIN && getrlimit(RLIMIT_NPROC, &nproc) == 0)
			return sbx_fail(err, e,
					"clone: %s (the caller's "
					"RLIMIT_NPROC, %llu, is reached: see "
					"spp-run(8))",
					strerror(e),
					(unsigned long long)nproc.rlim_cur);
		return sbx_fail(err, e, "clone: %s%s", strerror(e),
				e == EPERM || e == ENOSPC ?
					" (are user namespaces disabled?)" :
					"");
	}
	close_fd(&rs->out[1]);
	close_fd(&rs->err[1]);
	close_fd(&rs->status[1]);
	close_fd(&rs->sync[0]);
	return 0;
}

/* Map init's identity, move it into the run's cgroup, let it go on; when
 * that fails, init is killed and reaped. */
static int run_release(struct run_state *rs, struct sbx_error *err)
{
	const struct sbx_plan *pl = rs->pl;

	if (sbx_ns_write_maps(pl->jail, rs->pid, err) < 0 ||
	    (pl->cg.version && sbx_cgroup_attach(&pl->cg, rs->pid, err) < 0))
		goto kill;
	if (write(rs->sync[1], "x", 1) != 1) {
		sbx_fail(err, errno, "sync: %s", strerror(errno));
		goto kill;
	}
	return 0;
kill:
	syscall(SYS_pidfd_send_signal, rs->pidfd, SIGKILL, NULL, 0);
	waitpid(rs->pid, NULL, 0);
	return -1;
}

struct sbx_run {
	struct run_state rs;
	char *const *argv;
	int started;
};

struct sbx_run *sbx_run_prepare(struct sbx_jail *j, char *const argv[],
				struct sbx_error *err)
{
	struct sbx_run *run;

	if (!argv || !argv[0]) {
		sbx_fail(err, EINVAL, "run: no program");
		return NULL;
	}
	/* compiled on first use: a precompiled filter may come first */
	if (!j->bpf.insns && sbx_filter_compile(j, err) < 0)
		return NULL;
	run = calloc(1, sizeof(*run));
	if (!run) {
		sbx_fail(err, ENOMEM, "run: out of memory");
		return NULL;
	}
	run->rs = (struct run_state){ .out = { -1, -1 },
				      .err = { -1, -1 },
				      .status = { -1, -1 },
				      .sync = { -1, -1 },
				      .pidfd = -1 };
	run->argv = argv;
	if (run_prepare(&run->rs, j, argv, err) < 0)
		goto fail;
	/* init's copy of envp points here; the strings come at the start */
	run->rs.pl->envmap = shared(ENVMAP_SIZE);
	if (!run->rs.pl->envmap) {
		sbx_fail(err, errno, "mmap: %s", strerror(errno));
		goto fail;
	}
	run->rs.pl->envp = (char *const *)(void *)run->rs.pl->envmap;
	if (run_clone(&run->rs, err) < 0 || run_release(&run->rs, err) < 0)
		goto fail;
	return run;
fail:
	sbx_run_free(run);
	return NULL;
}

/* Does path still lead to dev/ino? */
static int same_object(const char *path, dev_t dev, ino_t ino)
{
	struct stat st;

	return stat(path, &st) == 0 && st.st_dev == dev && st.st_ino == ino;
}

int sbx_run_fresh(const struct sbx_run *run)
{
	const struct sbx_plan *pl = run->rs.pl;

	if (!same_object(run->argv[0], pl->exec_dev, pl->exec_ino) ||
	    (pl->jail->also &&
	     !same_object(pl->jail->also, pl->also_dev, pl->also_ino)))
		return 0;
	for (size_t i = 0; i < pl->nbinds; i++)
		if (pl->binds[i].orig &&
		    !same_object(pl->binds[i].orig, pl->binds[i].dev,
				 pl->binds[i].ino))
			return 0;
	return 1;
}

/* envp into the shared mapping: the pointer array first, then the
 * strings, at the addresses init sees too. */
static int fill_env(char *map, char *const envp[], struct sbx_error *err)
{
	size_t n = 0, at;
	char **v = (char **)(void *)map;

	while (envp && envp[n])
		n++;
	if (n >= ENVMAP_SIZE / sizeof(char *))
		return sbx_fail(err, E2BIG, "run: environment too big");
	at = (n + 1) * sizeof(char *);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(envp[i]) + 1;

		if (len > ENVMAP_SIZE - at)
			return sbx_fail(err, E2BIG, "run: environment too big");
		memcpy(map + at, envp[i], len);
		v[i] = map + at;
		at += len;
	}
	v[n] = NULL;
	return 0;
}

int sbx_run_start(struct sbx_run *run, char *const envp[], struct sbx_result *r,
		  struct sbx_error *err)
{
	struct run_state *rs = &run->rs;
	int rc, reaped;

	memset(r, 0, sizeof(*r));
	r->syscall_nr = -1;
	if (run->started || !rs->pl)
		return sbx_fail(err, EINVAL, "run: started already");
	run->started = 1;
	r->cgroup = rs->pl->cg.version;
	r->pid = rs->pid;
	if (fill_env(rs->pl->envmap, envp, err) < 0)
		return -1;
	/* the run's clock starts now, not when it was prepared */
	rs->pl->t0_ms = sbx_now_ms();
	if (write(rs->sync[1], "x", 1) != 1)
		return sbx_fail(err, errno, "sync: %s", strerror(errno));
	rc = sbx_collect(rs->pl, rs->pid, rs->pidfd, rs->out[0], rs->err[0],
			 rs->status[0], r, &reaped, err);
	if (reaped)
		rs->pid = 0;
	/* the kernel's OOM killer in the run's group sends a plain SIGKILL */
	if (rc == 0 && r->kill == SBX_KILL_SIGNAL &&
	    sbx_cgroup_oom(&rs->pl->cg))
		r->kill = SBX_KILL_MEMORY;
	if (rc == 0 && rs->pl->learned) {
		r->learned = malloc(sizeof(*r->learned));
		if (r->learned)
			memcpy(r->learned, rs->pl->learned,
			       sizeof(*r->learned));
	}
	if (rc == 0 && rs->pl->diag)
		r->diag = diag_result(rs->pl->diag);
	return rc;
}

void sbx_run_free(struct sbx_run *run)
{
	if (!run)
		return;
	/* a sandbox prepared and never started, or ending (its init exits
	 * by itself once the plugin ended: the kill only hurries it) */
	if (run->rs.pid > 0) {
		syscall(SYS_pidfd_send_signal, run->rs.pidfd, SIGKILL, NULL, 0);
		while (waitpid(run->rs.pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	run_end(&run->rs);
	free(run);
}

int sbx_jail_run(struct sbx_jail *j, char *const argv[], char *const envp[],
		 struct sbx_result *r, struct sbx_error *err)
{
	struct sbx_run *run;
	int rc;

	memset(r, 0, sizeof(*r));
	r->syscall_nr = -1;
	run = sbx_run_prepare(j, argv, err);
	if (!run)
		return -1;
	rc = sbx_run_start(run, envp, r, err);
	sbx_run_free(run);
	return rc;
}
