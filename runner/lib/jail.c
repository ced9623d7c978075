/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The jail: what every run under one policy shares (the compiled filter,
 * the identity, the descriptor limit, the modes and the cgroup setting),
 * made once and used for any number of runs (run.c). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
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
	j->net_orig = -1;
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
	 * hand-over and go-ahead descriptors must still fit: the plugin
	 * gets two less. */
	j->nofile = (unsigned int)p->files;
	if (nofile.rlim_max != RLIM_INFINITY &&
	    nofile.rlim_max <= j->nofile + 1)
		j->nofile = (unsigned int)nofile.rlim_max - 2;
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

void sbx_jail_keep_cgroup(struct sbx_jail *j)
{
	j->keep_cgroup = 1;
}

int sbx_jail_set_netns(struct sbx_jail *j, int fd, struct sbx_error *err)
{
	int orig;

	if (j->pol->net != SBX_NET_NONE || j->learn || j->diagnose ||
	    !sbx_landlock_scopes() || j->net_orig >= 0)
		return 0;
	orig = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (orig < 0)
		return sbx_fail(err, errno, "/proc/self/ns/net: %s",
				strerror(errno));
	if (setns(fd, CLONE_NEWNET) < 0) {
		int e = errno;

		close(orig);
		return sbx_fail(err, e, "setns: %s", strerror(e));
	}
	j->net_orig = orig;
	return 1;
}

void sbx_jail_free(struct sbx_jail *j)
{
	if (!j)
		return;
	/* the caller back in its own network namespace */
	if (j->net_orig >= 0) {
		(void)setns(j->net_orig, CLONE_NEWNET);
		close(j->net_orig);
	}
	sbx_cgroup_destroy(&j->kept);
	free(j->cgroup);
	free(j->also);
	sbx_filter_free(j);
	if (j->nocaps)
		cap_free(j->nocaps);
	free(j);
}
