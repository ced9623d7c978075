/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A cgroup per run, so that `memory` and `procs` bound what a run costs the
 * host whatever its processes do: pages of memfds and tmpfs files, pipe and
 * socket buffers are charged to the group, which RLIMIT_AS never sees.
 * cgroup v2 in a delegated subtree (SPPSANDBOX_CGROUP, or the root of the
 * hierarchy when it has the controllers), else cgroup v1 memory and pids
 * below the caller's own groups (as root, or where an admin made them
 * writable). Where none can be had the run goes on, and says so. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

#define V2_ROOT "/sys/fs/cgroup"
#define V1_ROOT "/sys/fs/cgroup/"
#define PARENT_NAME "spp-sandbox"

static int write_str(const char *dir, const char *file, const char *val)
{
	char path[PATH_MAX];
	size_t len = strlen(val);
	ssize_t n;
	int fd;

	if (snprintf(path, sizeof(path), "%s/%s", dir, file) >=
	    (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = write(fd, val, len);
	if (n != (ssize_t)len) {
		int e = n < 0 ? errno : EIO;

		close(fd);
		errno = e;
		return -1;
	}
	return close(fd);
}

static int write_u64(const char *dir, const char *file, uint64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
	return write_str(dir, file, buf);
}

/* The start of dir/file (a cgroup file: small) into buf, NUL-terminated;
 * 0 when absent, unreadable or empty. */
static int read_small(const char *dir, const char *file, char *buf, size_t len)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	if (snprintf(path, sizeof(path), "%s/%s", dir, file) >=
	    (int)sizeof(path))
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return 1;
}

/* The value of "key N" in a flat keyed file (memory.events, oom_control);
 * 0 when absent or unreadable. */
static unsigned long long read_key(const char *dir, const char *file,
				   const char *key)
{
	char buf[1024], *p;
	size_t klen = strlen(key);

	if (!read_small(dir, file, buf, sizeof(buf)))
		return 0;
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (strncmp(p, key, klen) == 0 && p[klen] == ' ')
			return strtoull(p + klen + 1, NULL, 10);
	return 0;
}

/* Does the space-separated list in dir/file name both controllers? */
static int has_controllers(const char *dir, const char *file)
{
	char buf[512];
	int mem = 0, pids = 0;

	if (!read_small(dir, file, buf, sizeof(buf)))
		return 0;
	for (char *p = buf; *p;) {
		size_t len;

		while (*p == ' ' || *p == '\n')
			p++;
		len = strcspn(p, " \n");
		mem |= len == 6 && strncmp(p, "memory", 6) == 0;
		pids |= len == 4 && strncmp(p, "pids", 4) == 0;
		p += len;
	}
	return mem && pids;
}

/* The caller's own group in the v1 hierarchy of controller ctl, from
 * /proc/self/cgroup ("N:ctl:/path"), into path. */
static int own_v1_group(const char *ctl, char *path, size_t len)
{
	char buf[4096];
	size_t clen = strlen(ctl);
	ssize_t n;
	int fd = open("/proc/self/cgroup", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	for (char *line = buf; *line;) {
		char *nl = strchr(line, '\n');
		char *c1 = strchr(line, ':');

		if (nl)
			*nl = '\0';
		if (c1 && strncmp(c1 + 1, ctl, clen) == 0 &&
		    c1[1 + clen] == ':') {
			snprintf(path, len, "%s", c1 + 2 + clen);
			return 0;
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	return -1;
}

/* Make the parent if missing, and remove the groups of runs whose
 * spp-run was killed before it could (run-PID-N, PID gone): an empty
 * group costs the kernel memory and would pile up. */
static int make_parent(const char *path)
{
	struct dirent *d;
	DIR *dir;

	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return -1;
	dir = opendir(path);
	if (!dir)
		return 0;
	while ((d = readdir(dir))) {
		char *end, stale[PATH_MAX];
		long pid;

		if (strncmp(d->d_name, "run-", 4) != 0)
			continue;
		errno = 0;
		pid = strtol(d->d_name + 4, &end, 10);
		if (errno || end == d->d_name + 4 || *end != '-' || pid <= 0 ||
		    kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		if (snprintf(stale, sizeof(stale), "%s/%s", path, d->d_name) <
		    (int)sizeof(stale))
			rmdir(stale); /* busy: a process is still in it */
	}
	closedir(dir);
	return 0;
}

/* cgroup v1: memory and pids groups below the caller's own. */
static int setup_v1(struct sbx_cgroup *cg, const char *name,
		    struct sbx_error *err)
{
	static const char *const ctls[2] = { "memory", "pids" };

	for (int i = 0; i < 2; i++) {
		char own[PATH_MAX], parent[PATH_MAX];

		if (own_v1_group(ctls[i], own, sizeof(own)) < 0)
			return sbx_fail(err, ENOENT, "no %s group", ctls[i]);
		if (snprintf(parent, sizeof(parent), "%s%s%s/%s", V1_ROOT,
			     ctls[i], strcmp(own, "/") ? own : "",
			     PARENT_NAME) >= (int)sizeof(parent) ||
		    snprintf(cg->dir[i], sizeof(cg->dir[i]), "%s/%s", parent,
			     name) >= (int)sizeof(cg->dir[i]))
			return sbx_fail(err, ENAMETOOLONG, "cgroup path");
		if (make_parent(parent) < 0 || mkdir(cg->dir[i], 0755) < 0)
			return sbx_fail(err, errno, "%s: %s", cg->dir[i],
					strerror(errno));
		cg->ndirs = i + 1;
	}
	cg->version = 1;
	return 0;
}

/* cgroup v2: a group below parent, whose children get memory and pids. */
static int setup_v2(struct sbx_cgroup *cg, const char *parent, const char *name,
		    struct sbx_error *err)
{
	if (make_parent(parent) < 0)
		return sbx_fail(err, errno, "%s: %s", parent, strerror(errno));
	if (!has_controllers(parent, "cgroup.subtree_control") &&
	    write_str(parent, "cgroup.subtree_control", "+memory +pids") < 0)
		return sbx_fail(err, errno,
				"%s: cannot give children memory and pids: %s",
				parent, strerror(errno));
	if (snprintf(cg->dir[0], sizeof(cg->dir[0]), "%s/%s", parent, name) >=
	    (int)sizeof(cg->dir[0]))
		return sbx_fail(err, ENAMETOOLONG, "cgroup path");
	if (mkdir(cg->dir[0], 0755) < 0)
		return sbx_fail(err, errno, "%s: %s", cg->dir[0],
				strerror(errno));
	cg->ndirs = 1;
	cg->version = 2;
	return 0;
}

static int set_limits(struct sbx_cgroup *cg, uint64_t memory, uint64_t procs,
		      struct sbx_error *err)
{
	const char *mem = cg->dir[0], *pids = cg->dir[cg->version == 1];

	if (cg->version == 2) {
		/* no swap: the limit is on what the run holds */
		if (write_u64(mem, "memory.max", memory) < 0)
			goto fail;
		write_str(mem, "memory.swap.max", "0");
	} else {
		if (write_u64(mem, "memory.limit_in_bytes", memory) < 0)
			goto fail;
		write_u64(mem, "memory.memsw.limit_in_bytes", memory);
	}
	if (write_u64(pids, "pids.max", procs) < 0)
		goto fail;
	return 0;
fail:
	return sbx_fail(err, errno, "cgroup limits: %s", strerror(errno));
}

int sbx_cgroup_setup(struct sbx_cgroup *cg, const char *config,
		     const char *name, uint64_t memory, uint64_t procs,
		     struct sbx_error *err)
{
	struct sbx_error why = { 0, "" };
	int rc;

	memset(cg, 0, sizeof(*cg));
	if (config && strcmp(config, "none") == 0) {
		snprintf(cg->why, sizeof(cg->why), "SPPSANDBOX_CGROUP=none");
		return 0;
	}
	if (config && config[0]) {
		/* the administrator named one: it must work */
		if (setup_v2(cg, config, name, err) < 0 ||
		    set_limits(cg, memory, procs, err) < 0) {
			sbx_cgroup_destroy(cg);
			return -1;
		}
		return 0;
	}
	if (has_controllers(V2_ROOT, "cgroup.controllers"))
		rc = setup_v2(cg, V2_ROOT "/" PARENT_NAME, name, &why);
	else if (access(V1_ROOT "memory/cgroup.procs", F_OK) == 0 &&
		 access(V1_ROOT "pids/cgroup.procs", F_OK) == 0)
		rc = setup_v1(cg, name, &why);
	else
		rc = sbx_fail(&why, ENOENT, "no memory and pids controllers");
	if (rc == 0)
		rc = set_limits(cg, memory, procs, &why);
	if (rc < 0) {
		sbx_cgroup_destroy(cg);
		snprintf(cg->why, sizeof(cg->why), "%s", why.msg);
	}
	return 0;
}

int sbx_cgroup_attach(const struct sbx_cgroup *cg, pid_t pid,
		      struct sbx_error *err)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%d", (int)pid);
	for (int i = 0; i < cg->ndirs; i++)
		if (write_str(cg->dir[i], "cgroup.procs", buf) < 0)
			return sbx_fail(err, errno, "%s: cgroup.procs: %s",
					cg->dir[i], strerror(errno));
	return 0;
}

static unsigned long long oom_kills(const struct sbx_cgroup *cg)
{
	return read_key(cg->dir[0],
			cg->version == 2 ? "memory.events" :
					   "memory.oom_control",
			"oom_kill");
}

int sbx_cgroup_oom(const struct sbx_cgroup *cg)
{
	if (cg->version == 2)
		return oom_kills(cg) > cg->oom_base;
	if (cg->version == 1)
		return oom_kills(cg) > cg->oom_base ||
		       read_key(cg->dir[0], "memory.oom_control", "under_oom") >
			       0;
	return 0;
}

void sbx_cgroup_destroy(struct sbx_cgroup *cg)
{
	/* The last processes of the run may still be on their way out of
	 * the group (v1 lags behind the exit): a few short retries. */
	for (int i = 0; i < cg->ndirs; i++)
		for (int tries = 0; tries < 50; tries++) {
			struct timespec ms = { 0, 1000 * 1000 };

			if (rmdir(cg->dir[i]) == 0 || errno != EBUSY)
				break;
			nanosleep(&ms, NULL);
		}
	cg->ndirs = 0;
	cg->version = 0;
}

int sbx_cgroup_recycle(struct sbx_cgroup *cg)
{
	const char *pids = cg->dir[cg->version == 1];

	if (!cg->version)
		return -1;
	for (int tries = 0; tries < 50; tries++) {
		struct timespec ms = { 0, 1000 * 1000 };
		char buf[32];

		if (read_small(pids, "pids.current", buf, sizeof(buf)) &&
		    strtoull(buf, NULL, 10) == 0) {
			cg->oom_base = oom_kills(cg);
			return 0;
		}
		nanosleep(&ms, NULL);
	}
	return -1;
}

int sbx_cgroup_probe(const char *config, char *why, size_t len,
		     struct sbx_error *err)
{
	struct sbx_policy p;
	struct sbx_cgroup cg;
	char name[64];
	int version;

	/* "run-PID-...": a probe cut short is cleaned up like a run */
	snprintf(name, sizeof(name), "run-%d-probe", (int)getpid());
	if (sbx_policy_default(&p, err) < 0)
		return -1;
	if (sbx_cgroup_setup(&cg, config, name, p.memory, p.procs, err) < 0) {
		sbx_policy_clear(&p);
		return -1;
	}
	sbx_policy_clear(&p);
	version = cg.version;
	if (len)
		snprintf(why, len, "%s", version ? "" : cg.why);
	sbx_cgroup_destroy(&cg);
	return version;
}
