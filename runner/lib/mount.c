/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The sandbox's filesystem view, built by init in a private mount
 * namespace from the parent's plan (plan.c), then made the root. Sources
 * are opened again inside, refusing every symbolic link and checked to be
 * what the parent saw: open_tree(2) refuses mounts of another mount
 * namespace, so descriptors from the parent cannot be used. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/mount.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"

static int mkdir_p(const char *path, int last_is_dir)
{
	char buf[4096];
	size_t len = strlen(path);
	int fd;

	if (len >= sizeof(buf))
		return -1;
	memcpy(buf, path, len + 1);
	for (size_t i = 1; i < len; i++) {
		if (buf[i] != '/')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -1;
		buf[i] = '/';
	}
	if (last_is_dir)
		return mkdir(buf, 0755) < 0 && errno != EEXIST ? -1 : 0;
	/* An existing file may sit on a read-only bind (a masked secret). */
	if (faccessat(AT_FDCWD, buf, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
		return 0;
	fd = open(buf, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int setattr(int dfd, const char *path, unsigned int flags, uint64_t set)
{
	struct mount_attr attr = { .attr_set = set };

	return (int)syscall(SYS_mount_setattr, dfd, path, flags, &attr,
			    sizeof(attr));
}

/* Clone a bind source into a detached tree with its final attributes:
 * read-only recursively (submounts included), nosuid, nodev. The source is
 * opened refusing every symbolic link on the way, and must still be the
 * object the parent checked: nothing changed since redirects the bind. */
static int capture(const struct sbx_bind *b)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	uint64_t set = MOUNT_ATTR_NOSUID;
	struct stat st;
	int fd, tree;

	fd = (int)syscall(SYS_openat2, AT_FDCWD, b->src, &how, sizeof(how));
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || st.st_dev != b->dev || st.st_ino != b->ino) {
		close(fd);
		errno = ESTALE;
		return -1;
	}
	tree = (int)syscall(SYS_open_tree, fd, "",
			    OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
				    AT_EMPTY_PATH | AT_RECURSIVE);
	close(fd);
	if (tree < 0 || b->is_dev)
		return tree; /* a device node: nothing to execute or setuid */
	if (!b->writable)
		set |= MOUNT_ATTR_RDONLY;
	set |= MOUNT_ATTR_NODEV;
	if (setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, set) < 0) {
		close(tree);
		return -1;
	}
	return tree;
}

int sbx_mount_build(const struct sbx_plan *pl, const char **what)
{
	int trees[SBX_MAX_BINDS];
	const char *dst;
	int rc = -1;

	for (size_t i = 0; i < pl->nbinds; i++)
		trees[i] = -1;
	*what = "make / private";
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return -1;
	for (size_t i = 0; i < pl->nbinds; i++) {
		*what = pl->binds[i].src;
		if (pl->binds[i].kind == SBX_MNT_BIND &&
		    (trees[i] = capture(&pl->binds[i])) < 0)
			goto out;
	}
	/* The new root is a tmpfs over /tmp of this namespace; every source
	 * was captured above, so nothing under /tmp is shadowed. */
	*what = "tmpfs root";
	if (mount("sbx", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV,
		  "mode=0755,size=1m,nr_inodes=4096") < 0 ||
	    chdir("/tmp") < 0)
		goto out;
	for (size_t i = 0; i < pl->nbinds; i++) {
		const struct sbx_bind *b = &pl->binds[i];

		/* relative to the new root; "/" is the root itself */
		dst = b->dst[1] ? b->dst + 1 : ".";
		*what = b->dst;
		if (mkdir_p(dst, b->is_dir) < 0)
			goto out;
		switch (b->kind) {
		case SBX_MNT_BIND:
			if (syscall(SYS_move_mount, trees[i], "", AT_FDCWD, dst,
				    MOVE_MOUNT_F_EMPTY_PATH) < 0)
				goto out;
			/* mounted over the cwd: step onto the new top */
			if (dst[0] == '.' && chdir("/tmp") < 0)
				goto out;
			break;
		case SBX_MNT_TMPFS:
			if (mount("sbx", dst, "tmpfs",
				  MS_NOSUID | MS_NODEV | MS_NOEXEC,
				  b->opts) < 0)
				goto out;
			break;
		case SBX_MNT_PROC:
			if (mount("proc", dst, "proc",
				  MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
				goto out;
			break;
		}
	}
	for (size_t i = 0; i < pl->nlinks; i++) {
		*what = pl->links[i].path;
		if (symlink(pl->links[i].target, pl->links[i].path + 1) < 0 &&
		    errno != EEXIST)
			goto out;
	}
	*what = pl->workdir;
	if (pl->workdir[0] == '/' && pl->workdir[1] &&
	    !sbx_plan_visible(pl, pl->workdir) &&
	    mkdir_p(pl->workdir + 1, 1) < 0)
		goto out;
	/* Read-only tmpfs (/dev, masks) only now: /dev needed its mount
	 * points and links created first. */
	for (size_t i = 0; i < pl->nbinds; i++) {
		const struct sbx_bind *b = &pl->binds[i];

		*what = b->dst;
		if (b->kind == SBX_MNT_TMPFS && !b->writable &&
		    setattr(AT_FDCWD, b->dst + 1, 0, MOUNT_ATTR_RDONLY) < 0)
			goto out;
	}
	/* pivot_root(".", ".") stacks the old root under the new one; the
	 * lazy unmount then drops every host mount from this namespace. */
	*what = "pivot_root";
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		goto out;
	*what = "umount old root";
	if (umount2(".", MNT_DETACH) < 0 || chdir("/") < 0)
		goto out;
	*what = "read-only root";
	if (setattr(AT_FDCWD, "/", 0, MOUNT_ATTR_RDONLY) < 0)
		goto out;
	rc = 0;
out:
	for (size_t i = 0; i < pl->nbinds; i++)
		if (trees[i] >= 0)
			close(trees[i]);
	return rc;
}
