/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Replacing a file atomically (atomic.h): temporary file, fsync, rename,
 * fsync of the directory. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"

/* The directory part of path ("." when none), newly allocated. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

int rep_atomic_open(struct rep_atomic *a, const char *path,
		    struct sbx_error *err)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	size_t dirlen = (size_t)(base - path), len;
	int fd = -1;

	memset(a, 0, sizeof(*a));
	if (!*base)
		return sbx_fail(err, EISDIR, "%s: names a directory", path);
	len = dirlen + strlen(base) + 64;
	a->path = strdup(path);
	a->tmp = malloc(len);
	if (!a->path || !a->tmp) {
		sbx_fail(err, ENOMEM, "%s: out of memory", path);
		goto fail;
	}
	for (unsigned int n = 0; fd < 0 && n < 100; n++) {
		snprintf(a->tmp, len, "%.*s.%s.tmp.%ld.%u", (int)dirlen, path,
			 base, (long)getpid(), n);
		fd = open(a->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
			  0644);
		if (fd < 0 && errno != EEXIST) {
			sbx_fail(err, errno, "%s: cannot create: %s", a->tmp,
				 strerror(errno));
			goto fail;
		}
	}
	if (fd < 0) {
		sbx_fail(err, EEXIST, "%s: no free temporary name", path);
		goto fail;
	}
	/* the umask may have taken the others' read bit */
	if (fchmod(fd, 0644) < 0 || !(a->f = fdopen(fd, "w"))) {
		sbx_fail(err, errno, "%s: %s", a->tmp, strerror(errno));
		close(fd);
		unlink(a->tmp);
		goto fail;
	}
	return 0;
fail:
	free(a->path);
	free(a->tmp);
	memset(a, 0, sizeof(*a));
	return -1;
}

int rep_atomic_commit(struct rep_atomic *a, struct sbx_error *err)
{
	char *dir = NULL;
	int rc = -1, dfd;

	errno = 0;
	if (fflush(a->f) != 0 || ferror(a->f)) {
		sbx_fail(err, errno ? errno : EIO, "%s: write: %s", a->tmp,
			 strerror(errno ? errno : EIO));
		goto fail;
	}
	if (fsync(fileno(a->f)) < 0) {
		sbx_fail(err, errno, "%s: fsync: %s", a->tmp, strerror(errno));
		goto fail;
	}
	if (fclose(a->f) != 0) {
		a->f = NULL;
		sbx_fail(err, errno, "%s: close: %s", a->tmp, strerror(errno));
		goto fail;
	}
	a->f = NULL;
	if (rename(a->tmp, a->path) < 0) {
		sbx_fail(err, errno, "%s: rename to %s: %s", a->tmp, a->path,
			 strerror(errno));
		goto fail;
	}
	/* the rename itself survives a crash once the directory is synced */
	dir = dir_of(a->path);
	if (dir && (dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		fsync(dfd);
		close(dfd);
	}
	free(dir);
	free(a->path);
	free(a->tmp);
	memset(a, 0, sizeof(*a));
	return 0;
fail:
	rep_atomic_abort(a);
	return rc;
}

void rep_atomic_abort(struct rep_atomic *a)
{
	if (a->f)
		fclose(a->f);
	if (a->tmp)
		unlink(a->tmp);
	free(a->path);
	free(a->tmp);
	memset(a, 0, sizeof(*a));
}
