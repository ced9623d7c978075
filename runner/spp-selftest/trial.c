/* SPDX-License-Identifier: GPL-2.0-or-later */
/* spp-selftest's real run: a trivial plugin written to a new directory,
 * run by spp-run as qmail-smtpd's hook layer runs it, its output kept. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "trial.h"

#define PLUGIN "spp-selftest-plugin"
/* More than spp-run ever prints for one run (64 KiB stdout, 16 KiB
 * stderr under the default policy, and its own lines). */
#define KEEP_MAX (128 * 1024)

static const char plugin_text[] = "#!/bin/sh\n"
				  "# spp-selftest's trivial plugin\n"
				  "echo '" TRIAL_VERDICT "'\n";

static int write_plugin(const char *path, struct sbx_error *err)
{
	size_t len = sizeof(plugin_text) - 1;
	ssize_t n;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);

	if (fd < 0)
		return sbx_fail(err, errno, "%s: %s", path, strerror(errno));
	n = write(fd, plugin_text, len);
	/* 0755 whatever the umask: spp-run as root runs it as nobody */
	if (n != (ssize_t)len || fchmod(fd, 0755) < 0) {
		int e = n < 0 || n == (ssize_t)len ? errno : EIO;

		close(fd);
		return sbx_fail(err, e, "%s: %s", path, strerror(e));
	}
	if (close(fd) < 0)
		return sbx_fail(err, errno, "%s: %s", path, strerror(errno));
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Read both pipes to their end or the deadline, keeping KEEP_MAX bytes
 * of each. Returns 0, or -1 at the deadline. */
static int collect(int fds[2], struct sbx_buf *bufs[2])
{
	double deadline = now_s() + TRIAL_TIMEOUT_S;
	char chunk[4096];

	while (fds[0] >= 0 || fds[1] >= 0) {
		struct pollfd p[2] = { { fds[0], POLLIN, 0 },
				       { fds[1], POLLIN, 0 } };
		double left = deadline - now_s();
		int rc;

		if (left <= 0)
			return -1;
		rc = poll(p, 2, (int)(left * 1000) + 1);
		if (rc < 0 && errno != EINTR)
			return -1;
		for (int i = 0; rc > 0 && i < 2; i++) {
			ssize_t n;

			if (fds[i] < 0 || !p[i].revents)
				continue;
			n = read(fds[i], chunk, sizeof(chunk));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				close(fds[i]);
				fds[i] = -1;
				continue;
			}
			if (bufs[i]->len + (size_t)n <= KEEP_MAX)
				sbx_buf_add(bufs[i], chunk, (size_t)n);
		}
	}
	return 0;
}

static int spawn(const char *spprun, const char *policy, const char *cgroup,
		 const char *dir, int out[2], int errp[2], pid_t *pid,
		 struct sbx_error *err)
{
	char cgenv[PATH_MAX + 32];
	char *argv[8], *envp[3];
	posix_spawn_file_actions_t fa;
	int a = 0, e = 0, rc;

	argv[a++] = (char *)spprun;
	argv[a++] = (char *)"--event";
	argv[a++] = (char *)"rcpt";
	if (policy) {
		argv[a++] = (char *)"--policy";
		argv[a++] = (char *)policy;
	}
	argv[a++] = (char *)"--";
	argv[a++] = (char *)"./" PLUGIN;
	argv[a] = NULL;
	envp[e++] = (char *)"PATH=/usr/bin:/bin";
	if (cgroup) {
		if (snprintf(cgenv, sizeof(cgenv), "SPPSANDBOX_CGROUP=%s",
			     cgroup) >= (int)sizeof(cgenv))
			return sbx_fail(err, ENAMETOOLONG,
					"SPPSANDBOX_CGROUP: too long");
		envp[e++] = cgenv;
	}
	envp[e] = NULL;

	if ((rc = posix_spawn_file_actions_init(&fa)) != 0)
		return sbx_fail(err, rc, "posix_spawn: %s", strerror(rc));
	if ((rc = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null",
						   O_RDONLY, 0)) != 0 ||
	    (rc = posix_spawn_file_actions_adddup2(&fa, out[1], 1)) != 0 ||
	    (rc = posix_spawn_file_actions_adddup2(&fa, errp[1], 2)) != 0 ||
	    (rc = posix_spawn_file_actions_addchdir_np(&fa, dir)) != 0 ||
	    (rc = posix_spawn(pid, spprun, &fa, NULL, argv, envp)) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return sbx_fail(err, rc, "cannot run %.200s: %s", spprun,
				strerror(rc));
	}
	posix_spawn_file_actions_destroy(&fa);
	return 0;
}

int trial_run(const char *spprun, const char *policy, const char *cgroup,
	      const char *tmpdir, struct trial *t, struct sbx_error *err)
{
	char dir[PATH_MAX], plugin[PATH_MAX + sizeof(PLUGIN) + 1];
	int out[2] = { -1, -1 }, errp[2] = { -1, -1 }, fds[2];
	struct sbx_buf *bufs[2] = { &t->out, &t->err };
	pid_t pid;
	int st, rc = -1;

	memset(t, 0, sizeof(*t));
	t->status = -1;
	if (snprintf(dir, sizeof(dir), "%s/spp-selftest.XXXXXX", tmpdir) >=
	    (int)sizeof(dir))
		return sbx_fail(err, ENAMETOOLONG, "%.200s: too long", tmpdir);
	if (!mkdtemp(dir))
		return sbx_fail(err, errno, "%.200s: %s", dir, strerror(errno));
	snprintf(plugin, sizeof(plugin), "%s/%s", dir, PLUGIN);
	/* spp-run as root runs the plugin as the policy's user */
	if (chmod(dir, 0755) < 0) {
		sbx_fail(err, errno, "%.200s: %s", dir, strerror(errno));
		goto out;
	}
	if (write_plugin(plugin, err) < 0)
		goto out;
	if (pipe2(out, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0) {
		sbx_fail(err, errno, "pipe: %s", strerror(errno));
		goto out;
	}
	if (spawn(spprun, policy, cgroup, dir, out, errp, &pid, err) < 0)
		goto out;
	close(out[1]);
	close(errp[1]);
	out[1] = errp[1] = -1;
	fds[0] = out[0];
	fds[1] = errp[0];
	out[0] = errp[0] = -1;
	if (collect(fds, bufs) < 0) {
		t->timed_out = 1;
		kill(pid, SIGKILL);
	}
	for (int i = 0; i < 2; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR) {
			sbx_fail(err, errno, "waitpid: %s", strerror(errno));
			goto out;
		}
	}
	if (WIFEXITED(st))
		t->status = WEXITSTATUS(st);
	else if (WIFSIGNALED(st))
		t->sig = WTERMSIG(st);
	rc = 0;
out:
	for (int i = 0; i < 2; i++) {
		if (out[i] >= 0)
			close(out[i]);
		if (errp[i] >= 0)
			close(errp[i]);
	}
	unlink(plugin);
	rmdir(dir);
	return rc;
}

void trial_free(struct trial *t)
{
	sbx_buf_free(&t->out);
	sbx_buf_free(&t->err);
}
