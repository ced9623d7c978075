/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The sandbox's filesystem view, planned by the parent before clone: one
 * plan_* step per part of the view (base, private /dev /tmp /proc, the
 * writable roots, the policy's paths, the program, the masked secrets,
 * the working directory), paths resolved safely and their kinds checked.
 * It only looks at the host; init builds the plan (mount.c). */
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

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The steps a plan holds besides the policy's paths: the base view, the
 * private /dev, /tmp and /proc, /dev's nodes, the qmail home in learn
 * mode, the program and its shell line's program, the secrets' masks. */
#define PLAN_OWN_STEPS                                             \
	(NELEM(base_dirs) - 1 + 3 + NELEM(dev_nodes) - 1 + 1 + 2 + \
	 NELEM(secret_files) - 1 + NELEM(secret_dirs) - 1)
_Static_assert(PLAN_OWN_STEPS + SBX_PATHS_MAX <= SBX_MAX_BINDS,
	       "every policy's paths must fit the plan");

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

/* A host object checked by the parent (st: its lstat), bound at dst. */
static struct sbx_bind *add_bind(struct sbx_plan *pl, const char *src,
				 const struct stat *st, const char *dst,
				 int writable, struct sbx_error *err)
{
	struct sbx_bind *b = add_step(pl, SBX_MNT_BIND, dst, err);

	if (!b || !(b->src = plan_str(pl, src, err)))
		return NULL;
	b->dev = st->st_dev;
	b->ino = st->st_ino;
	b->is_dir = S_ISDIR(st->st_mode);
	b->writable = writable;
	return b;
}

/* A fixed host path of the base view (no symbolic link in it). */
static struct sbx_bind *add_host(struct sbx_plan *pl, const char *src,
				 const char *dst, int writable,
				 struct sbx_error *err)
{
	struct stat st;

	if (lstat(src, &st) < 0) {
		sbx_fail(err, errno, "%s: %s", src, strerror(errno));
		return NULL;
	}
	return add_bind(pl, src, &st, dst, writable, err);
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
int sbx_plan_visible(const struct sbx_plan *pl, const char *path)
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

/* What programs and /bin/sh scripts need, read-only; symlinks (merged
 * /usr) are recreated as symlinks. Learn mode shows the whole host,
 * read-only, so the plugin finds what it looks for and the paths can be
 * recorded. */
static int plan_base(struct sbx_plan *pl, struct sbx_error *err)
{
	char buf[PATH_MAX];
	struct stat st;
	ssize_t n;

	if (pl->jail->learn)
		return add_host(pl, "/", "/", 0, err) ? 0 : -1;
	for (size_t i = 0; base_dirs[i]; i++) {
		if (lstat(base_dirs[i], &st) < 0)
			continue;
		if (S_ISLNK(st.st_mode)) {
			n = readlink(base_dirs[i], buf, sizeof(buf) - 1);
			if (n < 0)
				continue;
			buf[n] = '\0';
			if (add_link(pl, base_dirs[i], buf, err) < 0)
				return -1;
		} else if (S_ISDIR(st.st_mode) &&
			   !add_bind(pl, base_dirs[i], &st, base_dirs[i], 0,
				     err)) {
			return -1;
		}
	}
	return 0;
}

/* The private mounts: a small /dev, /tmp, /proc. They come before the
 * policy's paths, so that paths below them (a plugin in a host /tmp
 * directory) land on top. */
static int plan_private(struct sbx_plan *pl, struct sbx_error *err)
{
	const struct sbx_policy *p = pl->jail->pol;
	struct sbx_bind *proc;
	char opts[64], cwd[PATH_MAX];

	if (add_tmpfs(pl, "/dev", 0, "mode=0755,size=64k,nr_inodes=32", err) <
	    0)
		return -1;
	for (size_t i = 0; dev_nodes[i]; i++) {
		struct sbx_bind *b =
			add_host(pl, dev_nodes[i], dev_nodes[i], 1, err);

		if (!b)
			return -1;
		b->is_dev = 1; /* keep it usable (no nodev) */
	}
	for (size_t i = 0; i < sizeof(dev_links) / sizeof(*dev_links); i++)
		if (add_link(pl, dev_links[i].path, dev_links[i].target, err) <
		    0)
			return -1;
	snprintf(opts, sizeof(opts), "mode=1777,size=%llu,nr_inodes=4096",
		 (unsigned long long)p->tmpfs_size);
	if (add_tmpfs(pl, "/tmp", 1, opts, err) < 0 ||
	    !(proc = add_step(pl, SBX_MNT_PROC, "/proc", err)))
		return -1;
	proc->is_dir = 1;
	/* learn mode: the qmail home the plugin runs in stays in sight, even
	 * below /tmp (a test's) */
	if (pl->jail->learn && getcwd(cwd, sizeof(cwd)) &&
	    !sbx_plan_visible(pl, cwd) && !add_host(pl, cwd, cwd, 0, err))
		return -1;
	return 0;
}

/* Where the policy's rw paths are, for the rules of the next steps:
 * nothing below them is followed if it is a symbolic link, since the
 * plugin may have made it. Found here without rules; the next step
 * resolves them again under all of them (and fails the run if one of them
 * went through a forbidden link). */
static int plan_writable_roots(struct sbx_plan *pl, struct sbx_error *err)
{
	const struct sbx_policy *p = pl->jail->pol;
	struct sbx_resolve_rules rules = { p->owner, 0, NULL, 0 };
	char buf[PATH_MAX];
	struct stat st;

	pl->nroots = 0;
	for (size_t i = 0; i < p->npaths; i++) {
		if (!p->paths[i].writable)
			continue;
		if (pl->nroots >= SBX_MAX_BINDS)
			return sbx_fail(err, E2BIG, "too many paths");
		if (sbx_path_resolve(p->paths[i].path, &rules, buf, &st, err) <
			    0 ||
		    !(pl->roots[pl->nroots] = plan_str(pl, buf, err)))
			return -1;
		pl->nroots++;
	}
	return 0;
}

/* The policy's ro and rw paths: resolved under the rules above, parents
 * before children whatever the policy's order (a ro dir inside a rw one
 * must land on top of it, and the reverse too). */
static int plan_policy_paths(struct sbx_plan *pl, struct sbx_error *err)
{
	const struct sbx_policy *p = pl->jail->pol;
	struct sbx_resolve_rules rules = { p->owner, 1, pl->roots, pl->nroots };
	const char *real[SBX_MAX_BINDS];
	struct stat st[SBX_MAX_BINDS];
	size_t order[SBX_MAX_BINDS];
	char buf[PATH_MAX];

	if (p->npaths > SBX_PATHS_MAX)
		return sbx_fail(err, E2BIG, "too many paths");
	for (size_t i = 0; i < p->npaths; i++) {
		if (sbx_path_resolve(p->paths[i].path, &rules, buf, &st[i],
				     err) < 0)
			return -1;
		/* the policy parser refuses these already; a symlink may
		 * still lead there */
		if (sbx_path_under(buf, "/proc") ||
		    sbx_path_under(buf, "/sys") || sbx_path_under(buf, "/dev"))
			return sbx_fail(err, EPERM,
					"%s: leads into the host's %s",
					p->paths[i].path, buf);
		real[i] = plan_str(pl, buf, err);
		if (!real[i])
			return -1;
		order[i] = i;
		for (size_t k = i;
		     k > 0 && depth(real[order[k - 1]]) > depth(real[order[k]]);
		     k--) {
			size_t t = order[k];

			order[k] = order[k - 1];
			order[k - 1] = t;
		}
	}
	for (size_t i = 0; i < p->npaths; i++) {
		size_t k = order[i];

		struct sbx_bind *b = add_bind(pl, real[k], &st[k], real[k],
					      p->paths[k].writable, err);

		if (!b)
			return -1;
		b->orig = p->paths[k].path;
	}
	return 0;
}

/* Does program (relative) lead to real (resolved) from the cwd, by name
 * alone: no link on the way, only "." and repeated slashes to skip? */
static int same_place(const char *program, const char *real)
{
	char cwd[PATH_MAX];
	size_t n;
	const char *p = program;

	if (!getcwd(cwd, sizeof(cwd)))
		return 0;
	n = strlen(cwd);
	if (strncmp(real, cwd, n) != 0 || (n > 1 && real[n] != '/'))
		return 0;
	real += n > 1 ? n : 0;
	while (*p) {
		size_t len;

		while (*p == '/')
			p++;
		len = strcspn(p, "/");
		if (len == 1 && p[0] == '.') {
			p++;
			continue;
		}
		if (!len)
			break;
		if (*real != '/' || strncmp(real + 1, p, len) != 0 ||
		    (real[1 + len] != '/' && real[1 + len]))
			return 0;
		real += 1 + len;
		p += len;
	}
	return *real == '\0';
}

/* A program, read-only, where it is on the host. Its path is the
 * administrator's (control/smtpplugins), so links are followed wherever
 * they are, but for those inside the policy's rw paths. */
static int plan_one_program(struct sbx_plan *pl, const char *program,
			    char *real, dev_t *dev, ino_t *ino,
			    struct sbx_error *err)
{
	const struct sbx_policy *p = pl->jail->pol;
	struct sbx_resolve_rules rules = { p->owner, 0, pl->roots, pl->nroots };
	struct stat st;

	if (sbx_path_resolve(program, &rules, real, &st, err) < 0)
		return -1;
	*dev = st.st_dev;
	*ino = st.st_ino;
	if (!S_ISREG(st.st_mode))
		return sbx_fail(err, EACCES, "%s: not a regular file", program);
	if (sbx_plan_visible(pl, real))
		return 0;
	return add_bind(pl, real, &st, real, 0, err) ? 0 : -1;
}

/* The plugin, and the program of its shell command line if any. */
static int plan_program(struct sbx_plan *pl, const char *program,
			struct sbx_error *err)
{
	char also[PATH_MAX];

	if (plan_one_program(pl, program, pl->exec_path, &pl->exec_dev,
			     &pl->exec_ino, err) < 0 ||
	    (pl->jail->also &&
	     plan_one_program(pl, pl->jail->also, also, &pl->also_dev,
			      &pl->also_ino, err) < 0))
		return -1;
	pl->exec_rel = program[0] != '/' && !pl->jail->pol->workdir &&
		       same_place(program, pl->exec_path);
	return 0;
}

/* Secrets under /etc, where visible: files are covered by a nodev
 * /dev/null (opening fails), directories by an empty read-only tmpfs. */
static int plan_masks(struct sbx_plan *pl, struct sbx_error *err)
{
	struct stat st;

	for (size_t i = 0; secret_files[i]; i++)
		if (lstat(secret_files[i], &st) == 0 && S_ISREG(st.st_mode) &&
		    sbx_plan_visible(pl, secret_files[i]) &&
		    !add_host(pl, "/dev/null", secret_files[i], 0, err))
			return -1;
	for (size_t i = 0; secret_dirs[i]; i++)
		if (lstat(secret_dirs[i], &st) == 0 && S_ISDIR(st.st_mode) &&
		    sbx_plan_visible(pl, secret_dirs[i]) &&
		    add_tmpfs(pl, secret_dirs[i], 0, "size=4k,nr_inodes=2",
			      err) < 0)
			return -1;
	return 0;
}

static void plan_workdir(struct sbx_plan *pl)
{
	const struct sbx_policy *p = pl->jail->pol;

	if (p->workdir)
		snprintf(pl->workdir, sizeof(pl->workdir), "%s", p->workdir);
	else if (!getcwd(pl->workdir, sizeof(pl->workdir)))
		snprintf(pl->workdir, sizeof(pl->workdir), "/");
}

int sbx_mount_plan(struct sbx_plan *pl, const char *program,
		   struct sbx_error *err)
{
	if (plan_base(pl, err) < 0 || plan_private(pl, err) < 0 ||
	    plan_writable_roots(pl, err) < 0 ||
	    plan_policy_paths(pl, err) < 0 ||
	    plan_program(pl, program, err) < 0 || plan_masks(pl, err) < 0)
		return -1;
	plan_workdir(pl);
	return 0;
}
