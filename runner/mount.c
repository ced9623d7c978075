/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The sandbox's filesystem view: planned by the parent (paths resolved,
 * kinds checked), built by init in a private mount namespace, then made the
 * root. Sources are opened by path inside: open_tree(2) refuses mounts of
 * another mount namespace, so descriptors from the parent cannot be used. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/mount.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"

/* What programs and /bin/sh scripts need; symlinks (merged /usr) are
 * recreated as symlinks, directories are bound read-only. */
static const char *const base_dirs[] = {
	"/bin",	   "/sbin", "/lib", "/lib32", "/lib64",
	"/libx32", "/usr",  "/etc", NULL,
};

/* Secrets under /etc: files are covered by a nodev /dev/null (opening
 * fails), directories by an empty read-only tmpfs. */
static const char *const secret_files[] = {
	"/etc/shadow",	 "/etc/gshadow",	  "/etc/shadow-",
	"/etc/gshadow-", "/etc/security/opasswd", NULL,
};
static const char *const secret_dirs[] = { "/etc/ssl/private", NULL };

static const char *const dev_nodes[] = { "/dev/null", "/dev/zero",
					 "/dev/urandom", NULL };

static const struct {
	const char *path, *target;
} dev_links[] = {
	{ "/dev/fd", "/proc/self/fd" },
	{ "/dev/stdin", "/proc/self/fd/0" },
	{ "/dev/stdout", "/proc/self/fd/1" },
	{ "/dev/stderr", "/proc/self/fd/2" },
};

/* A copy of s in the plan's string space (the plan is copied into the
 * sandbox by clone, so it holds no pointer to the heap). */
static const char *plan_str(struct sbx_plan *pl, const char *s,
			    struct sbx_error *err)
{
	size_t len = strlen(s) + 1;
	char *copy;

	if (len > sizeof(pl->strings) - pl->nstrings) {
		sbx_fail(err, ENAMETOOLONG, "%s: paths too long", s);
		return NULL;
	}
	copy = pl->strings + pl->nstrings;
	memcpy(copy, s, len);
	pl->nstrings += len;
	return copy;
}

static struct sbx_bind *add_step(struct sbx_plan *pl, enum sbx_mnt_kind kind,
				 const char *dst, struct sbx_error *err)
{
	struct sbx_bind *b;

	if (pl->nbinds >= SBX_MAX_BINDS) {
		sbx_fail(err, E2BIG, "%s: too many mounts", dst);
		return NULL;
	}
	b = &pl->binds[pl->nbinds];
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	b->dst = plan_str(pl, dst, err);
	if (!b->dst)
		return NULL;
	pl->nbinds++;
	return b;
}

static int add_bind(struct sbx_plan *pl, const char *src, const char *dst,
		    int writable, int is_dev, struct sbx_error *err)
{
	struct sbx_bind *b;
	struct stat st;

	if (stat(src, &st) < 0)
		return sbx_fail(err, errno, "%s: %s", src, strerror(errno));
	b = add_step(pl, SBX_MNT_BIND, dst, err);
	if (!b || !(b->src = plan_str(pl, src, err)))
		return -1;
	b->is_dir = S_ISDIR(st.st_mode);
	b->writable = writable;
	b->is_dev = is_dev;
	return 0;
}

static int add_tmpfs(struct sbx_plan *pl, const char *dst, int writable,
		     const char *opts, struct sbx_error *err)
{
	struct sbx_bind *b = add_step(pl, SBX_MNT_TMPFS, dst, err);

	if (!b)
		return -1;
	b->is_dir = 1;
	b->writable = writable;
	snprintf(b->opts, sizeof(b->opts), "%s", opts);
	return 0;
}

static int add_link(struct sbx_plan *pl, const char *path, const char *target,
		    struct sbx_error *err)
{
	struct sbx_symlink *l;

	if (pl->nlinks >= SBX_MAX_LINKS)
		return sbx_fail(err, E2BIG, "%s: too many links", path);
	if (strlen(target) >= sizeof(l->target))
		return sbx_fail(err, ENAMETOOLONG, "%s: link too long", path);
	l = &pl->links[pl->nlinks++];
	l->path = path;
	memcpy(l->target, target, strlen(target) + 1);
	return 0;
}

int sbx_path_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (n == 1)
		return 1; /* "/" */
	return strncmp(path, dir, n) == 0 && (path[n] == '/' || !path[n]);
}

/* Is path visible through a directory bind of the plan? The last step
 * covering it decides: a tmpfs or proc mounted later hides it. */
static int visible(const struct sbx_plan *pl, const char *path)
{
	int seen = 0;

	for (size_t i = 0; i < pl->nbinds; i++)
		if (sbx_path_under(path, pl->binds[i].dst))
			seen = pl->binds[i].kind == SBX_MNT_BIND &&
			       pl->binds[i].is_dir;
	return seen;
}

static size_t depth(const char *path)
{
	size_t d = 0;

	for (; *path; path++)
		d += *path == '/';
	return d;
}

int sbx_mount_plan(struct sbx_plan *pl, const char *program,
		   struct sbx_error *err)
{
	const struct sbx_policy *p = pl->jail->pol;
	char buf[PATH_MAX], opts[64];
	const char *real[SBX_MAX_BINDS];
	size_t order[SBX_MAX_BINDS];
	struct sbx_bind *proc;
	struct stat st;
	ssize_t n;

	/* Learn mode shows the whole host, read-only, so the plugin finds
	 * what it looks for and the paths can be recorded. */
	if (pl->jail->learn && add_bind(pl, "/", "/", 0, 0, err) < 0)
		goto fail;
	for (size_t i = 0; base_dirs[i] && !pl->jail->learn; i++) {
		if (lstat(base_dirs[i], &st) < 0)
			continue;
		if (S_ISLNK(st.st_mode)) {
			n = readlink(base_dirs[i], buf, sizeof(buf) - 1);
			if (n < 0)
				continue;
			buf[n] = '\0';
			if (add_link(pl, base_dirs[i], buf, err) < 0)
				goto fail;
		} else if (S_ISDIR(st.st_mode) &&
			   add_bind(pl, base_dirs[i], base_dirs[i], 0, 0, err) <
				   0) {
			goto fail;
		}
	}
	/* Private mounts first, so that paths below them (a plugin in a
	 * host /tmp directory) land on top. */
	if (add_tmpfs(pl, "/dev", 0, "mode=0755,size=64k,nr_inodes=32", err) <
	    0)
		goto fail;
	for (size_t i = 0; dev_nodes[i]; i++)
		if (add_bind(pl, dev_nodes[i], dev_nodes[i], 1, 1, err) < 0)
			goto fail;
	for (size_t i = 0; i < sizeof(dev_links) / sizeof(*dev_links); i++)
		if (add_link(pl, dev_links[i].path, dev_links[i].target, err) <
		    0)
			goto fail;
	snprintf(opts, sizeof(opts), "mode=1777,size=%llu,nr_inodes=4096",
		 (unsigned long long)p->tmpfs_size);
	if (add_tmpfs(pl, "/tmp", 1, opts, err) < 0 ||
	    !(proc = add_step(pl, SBX_MNT_PROC, "/proc", err)))
		goto fail;
	proc->is_dir = 1;
	/* Parents before children, whatever the policy's order (and
	 * symlinks resolved first): a ro dir inside a rw one must land on top
	 * of it, and the reverse too. */
	for (size_t i = 0; i < p->npaths; i++) {
		if (i >= SBX_MAX_BINDS) {
			sbx_fail(err, E2BIG, "too many paths");
			goto fail;
		}
		if (!realpath(p->paths[i].path, buf)) {
			sbx_fail(err, errno, "%s: %s", p->paths[i].path,
				 strerror(errno));
			goto fail;
		}
		/* the policy parser refuses these already; a symlink may
		 * still lead there */
		if (sbx_path_under(buf, "/proc") ||
		    sbx_path_under(buf, "/sys") ||
		    sbx_path_under(buf, "/dev")) {
			sbx_fail(err, EPERM, "%s: leads into the host's %s",
				 p->paths[i].path, buf);
			goto fail;
		}
		real[i] = plan_str(pl, buf, err);
		if (!real[i])
			goto fail;
		order[i] = i;
		for (size_t k = i;
		     k > 0 && depth(real[order[k - 1]]) > depth(real[order[k]]);
		     k--) {
			size_t t = order[k];

			order[k] = order[k - 1];
			order[k - 1] = t;
		}
	}
	for (size_t i = 0; i < p->npaths; i++)
		if (add_bind(pl, real[order[i]], real[order[i]],
			     p->paths[order[i]].writable, 0, err) < 0)
			goto fail;
	/* The plugin itself, read-only, where it is on the host. */
	if (!realpath(program, pl->exec_path)) {
		sbx_fail(err, errno, "%s: %s", program, strerror(errno));
		goto fail;
	}
	if (stat(pl->exec_path, &st) < 0 || !S_ISREG(st.st_mode)) {
		sbx_fail(err, EACCES, "%s: not a regular file", program);
		goto fail;
	}
	if (!visible(pl, pl->exec_path) &&
	    add_bind(pl, pl->exec_path, pl->exec_path, 0, 0, err) < 0)
		goto fail;

	for (size_t i = 0; secret_files[i]; i++)
		if (lstat(secret_files[i], &st) == 0 && S_ISREG(st.st_mode) &&
		    visible(pl, secret_files[i]) &&
		    add_bind(pl, "/dev/null", secret_files[i], 0, 0, err) < 0)
			goto fail;
	for (size_t i = 0; secret_dirs[i]; i++)
		if (lstat(secret_dirs[i], &st) == 0 && S_ISDIR(st.st_mode) &&
		    visible(pl, secret_dirs[i]) &&
		    add_tmpfs(pl, secret_dirs[i], 0, "size=4k,nr_inodes=2",
			      err) < 0)
			goto fail;

	if (p->workdir) {
		snprintf(pl->workdir, sizeof(pl->workdir), "%s", p->workdir);
	} else if (!getcwd(pl->workdir, sizeof(pl->workdir))) {
		snprintf(pl->workdir, sizeof(pl->workdir), "/");
	}
	return 0;
fail:
	return -1;
}

/* ---- inside the sandbox (init): no allocation, no stdio ---- */

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
 * read-only recursively (submounts included), nosuid, nodev. */
static int capture(const struct sbx_bind *b)
{
	uint64_t set = MOUNT_ATTR_NOSUID;
	int fd;

	fd = (int)syscall(SYS_open_tree, AT_FDCWD, b->src,
			  OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
				  AT_SYMLINK_NOFOLLOW | AT_RECURSIVE);
	if (fd < 0 || b->is_dev)
		return fd; /* a device node: nothing to execute or setuid */
	if (!b->writable)
		set |= MOUNT_ATTR_RDONLY;
	if (!b->is_dev)
		set |= MOUNT_ATTR_NODEV;
	if (setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, set) < 0) {
		close(fd);
		return -1;
	}
	return fd;
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
	*what = "open_tree";
	for (size_t i = 0; i < pl->nbinds; i++)
		if (pl->binds[i].kind == SBX_MNT_BIND &&
		    (trees[i] = capture(&pl->binds[i])) < 0)
			goto out;
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
	    !visible(pl, pl->workdir) && mkdir_p(pl->workdir + 1, 1) < 0)
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
