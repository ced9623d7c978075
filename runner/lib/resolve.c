/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Resolving a host path that a bind will use, component by component, so
 * that nothing a plugin or another user can write redirects the bind: an
 * entry (a symbolic link above all) counts only where root or the policy's
 * owner made it, and no link inside a path the plugin may write is ever
 * followed. */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

/* Linux's own limit on links followed in one lookup (path_resolution(7)). */
#define MAX_LINKS 40

/* Can only root or the trusted user change entry `name` of directory d
 * (st: the directory)? A sticky directory (such as /tmp) lets others add
 * entries but not replace one they do not own. */
static int dir_safe(const struct stat *d, const struct stat *entry, uid_t trust)
{
	int trusted_dir = d->st_uid == 0 || d->st_uid == trust;

	if (trusted_dir && !(d->st_mode & (S_IWGRP | S_IWOTH)))
		return 1;
	return (d->st_mode & S_ISVTX) &&
	       (entry->st_uid == 0 || entry->st_uid == trust);
}

/* Is path strictly below one of the roots (resolved writable paths)? */
static int inside_writable(const char *path, const struct sbx_resolve_rules *r)
{
	for (size_t i = 0; i < r->nroots; i++)
		if (strcmp(path, r->roots[i]) != 0 &&
		    sbx_path_under(path, r->roots[i]))
			return 1;
	return 0;
}

/* Append "/comp" (len bytes) to cur, which holds a resolved directory. */
static int append(char *cur, const char *comp, size_t len)
{
	size_t n = strlen(cur);

	if (n == 1) /* "/" */
		n = 0;
	if (n + 1 + len + 1 > PATH_MAX)
		return -1;
	cur[n] = '/';
	memcpy(cur + n + 1, comp, len);
	cur[n + 1 + len] = '\0';
	return 0;
}

/* Drop the last component of cur ("/" stays). */
static void up(char *cur)
{
	char *slash = strrchr(cur, '/');

	if (slash == cur)
		cur[1] = '\0';
	else if (slash)
		*slash = '\0';
}

/* rest = target + "/" + rest, in place (rest has PATH_MAX bytes). */
static int prepend(char *rest, const char *target, size_t tlen)
{
	size_t rlen = strlen(rest);

	if (tlen + 1 + rlen + 1 > PATH_MAX)
		return -1;
	memmove(rest + tlen + 1, rest, rlen + 1);
	memcpy(rest, target, tlen);
	rest[tlen] = '/';
	return 0;
}

int sbx_path_resolve(const char *path, const struct sbx_resolve_rules *r,
		     char *out, struct stat *st, struct sbx_error *err)
{
	char rest[PATH_MAX], cur[PATH_MAX], target[PATH_MAX], esc[200];
	struct stat dir;
	const char *p;
	int links = 0;

	sbx_escape(esc, sizeof(esc), path, strlen(path));
	if (path[0] == '/') {
		memcpy(cur, "/", 2);
	} else if (!getcwd(cur, sizeof(cur))) {
		return sbx_fail(err, errno, "%s: getcwd: %s", esc,
				strerror(errno));
	}
	if (strlen(path) >= sizeof(rest))
		return sbx_fail(err, ENAMETOOLONG, "%s: name too long", esc);
	memcpy(rest, path, strlen(path) + 1);
	if (stat(cur, &dir) < 0)
		return sbx_fail(err, errno, "%s: %s", esc, strerror(errno));
	*st = dir;
	p = rest;
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);
		char comp[NAME_MAX + 1];
		int inside;
		ssize_t n;

		if (len == 0 || (len == 1 && p[0] == '.')) {
			p += len + (slash ? 1 : 0);
			continue;
		}
		if (len > NAME_MAX)
			return sbx_fail(err, ENAMETOOLONG, "%s: name too long",
					esc);
		memcpy(comp, p, len);
		comp[len] = '\0';
		p += len + (slash ? 1 : 0);
		if (strcmp(comp, "..") == 0) {
			up(cur);
			if (stat(cur, &dir) < 0)
				return sbx_fail(err, errno, "%s: %s", esc,
						strerror(errno));
			*st = dir;
			continue;
		}
		if (!S_ISDIR(dir.st_mode))
			return sbx_fail(err, ENOTDIR, "%s: %s", esc,
					strerror(ENOTDIR));
		if (append(cur, comp, len) < 0)
			return sbx_fail(err, ENAMETOOLONG, "%s: name too long",
					esc);
		if (lstat(cur, st) < 0)
			return sbx_fail(err, errno, "%s: %s", esc,
					strerror(errno));
		/* Inside a writable path the plugin can rearrange what it
		 * owns, but a link it made could lead anywhere: refused.
		 * Elsewhere only root and the trusted user may have made
		 * an entry, link or not. */
		inside = inside_writable(cur, r);
		if (inside && S_ISLNK(st->st_mode))
			return sbx_fail(err, EPERM,
					"%s: symbolic link %s inside a "
					"writable path",
					esc, cur);
		if (!inside && r->check_dirs && !dir_safe(&dir, st, r->trust))
			return sbx_fail(err, EPERM,
					"%s: %s could be replaced by another "
					"user (its directory is writable by "
					"others)",
					esc, cur);
		if (!S_ISLNK(st->st_mode)) {
			dir = *st;
			continue;
		}
		if (++links > MAX_LINKS)
			return sbx_fail(err, ELOOP, "%s: %s", esc,
					strerror(ELOOP));
		n = readlink(cur, target, sizeof(target) - 1);
		if (n <= 0)
			return sbx_fail(err, n < 0 ? errno : ENOENT, "%s: %s",
					esc, strerror(n < 0 ? errno : ENOENT));
		/* the rest of the walk continues from the link's target */
		memmove(rest, p, strlen(p) + 1);
		if (prepend(rest, target, (size_t)n) < 0)
			return sbx_fail(err, ENAMETOOLONG, "%s: name too long",
					esc);
		p = rest;
		up(cur);
		if (target[0] == '/')
			memcpy(cur, "/", 2);
		if (stat(cur, &dir) < 0)
			return sbx_fail(err, errno, "%s: %s", esc,
					strerror(errno));
	}
	memcpy(out, cur, strlen(cur) + 1);
	return 0;
}
