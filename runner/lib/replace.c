/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Files that decide what a plugin may do (policies, compiled filters) are
 * replaced whole: written to a fresh temporary beside them, then renamed
 * over the old one, in a directory nobody else can write. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "sbx.h"

/* The directory of path into dir (PATH_MAX bytes). */
static int dir_of(const char *path, char *dir)
{
	const char *slash = strrchr(path, '/');
	size_t n;

	if (!slash) {
		memcpy(dir, ".", 2);
		return 0;
	}
	n = slash == path ? 1 : (size_t)(slash - path);
	if (n >= PATH_MAX)
		return -1;
	memcpy(dir, path, n);
	dir[n] = '\0';
	return 0;
}

/* Only its owner (root or us) can write the directory: in one others can
 * write, they could swap the file or plant a link at the temporary. */
static int dir_private(const char *dir, struct sbx_error *err)
{
	char esc[200];
	struct stat st;

	sbx_escape(esc, sizeof(esc), dir, strlen(dir));
	if (stat(dir, &st) < 0)
		return sbx_fail(err, errno, "%s: %s", esc, strerror(errno));
	if ((st.st_uid != 0 && st.st_uid != geteuid()) ||
	    (st.st_mode & (S_IWGRP | S_IWOTH)))
		return sbx_fail(err, EPERM,
				"%s: directory writable by others: refusing "
				"to write there",
				esc);
	return 0;
}

static int write_all(int fd, const struct iovec *iov, int n)
{
	for (int i = 0; i < n; i++) {
		const char *p = iov[i].iov_base;
		size_t left = iov[i].iov_len;

		while (left) {
			ssize_t w = write(fd, p, left);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				return -1;
			p += w;
			left -= (size_t)w;
		}
	}
	return 0;
}

int sbx_file_replace(const char *path, const struct iovec *iov, int n,
		     mode_t mode, struct sbx_error *err)
{
	char tmp[PATH_MAX], dir[PATH_MAX], esc[200];
	int fd, dfd;

	sbx_escape(esc, sizeof(esc), path, strlen(path));
	if (dir_of(path, dir) < 0 ||
	    snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
		return sbx_fail(err, ENAMETOOLONG, "%s: name too long", esc);
	if (dir_private(dir, err) < 0)
		return -1;
	/* A fresh name, created with O_EXCL: never a file or link that
	 * someone left in our way. */
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return sbx_fail(err, errno, "%s: temporary: %s", esc,
				strerror(errno));
	if (fchmod(fd, mode) < 0 || write_all(fd, iov, n) < 0 ||
	    fsync(fd) < 0) {
		int e = errno;

		close(fd);
		unlink(tmp);
		return sbx_fail(err, e, "%s: write: %s", esc, strerror(e));
	}
	close(fd);
	/* a reader sees the old file or the new one, never half of one */
	if (rename(tmp, path) < 0) {
		int e = errno;

		unlink(tmp);
		return sbx_fail(err, e, "%s: rename: %s", esc, strerror(e));
	}
	/* the rename itself survives a crash */
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}
