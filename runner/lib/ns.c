/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Namespaces: which ones a run gets, and the user namespace's id maps
 * (written by the parent). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

int sbx_ns_clone_flags(const struct sbx_jail *j)
{
	/* A user namespace even for root: it scopes RLIMIT_NPROC to this
	 * sandbox and gives the plugin's uid no power over host objects. */
	int flags = CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC |
		    CLONE_NEWUTS | CLONE_NEWCGROUP;

	/* loopback and host share the host's network; init then checks
	 * every destination (netguard.c). `none`: a namespace of its own,
	 * or the empty one the caller entered for its runs
	 * (sbx_jail_set_netns). */
	if (j->pol->net == SBX_NET_NONE && !j->learn && j->net_orig < 0)
		flags |= CLONE_NEWNET;
	return flags;
}

static int write_file(pid_t pid, const char *name, const char *text,
		      struct sbx_error *err)
{
	char path[64];
	size_t len = strlen(text);
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return sbx_fail(err, errno, "%s: %s", path, strerror(errno));
	if (write(fd, text, len) != (ssize_t)len) {
		int e = errno;

		close(fd);
		return sbx_fail(err, e, "%s: %s", path, strerror(e));
	}
	close(fd);
	return 0;
}

/* One id inside, the same number outside: the plugin's files on rw paths
 * keep a meaningful owner. Root maps the policy's user; anyone else can
 * only map itself, and must give up setgroups(2) first. */
int sbx_ns_write_maps(const struct sbx_jail *j, pid_t pid,
		      struct sbx_error *err)
{
	char map[64];

	if (!j->privileged && write_file(pid, "setgroups", "deny", err) < 0)
		return -1;
	snprintf(map, sizeof(map), "%u %u 1\n", (unsigned)j->uid,
		 (unsigned)j->host_uid);
	if (write_file(pid, "uid_map", map, err) < 0)
		return -1;
	snprintf(map, sizeof(map), "%u %u 1\n", (unsigned)j->gid,
		 (unsigned)j->host_gid);
	return write_file(pid, "gid_map", map, err);
}
