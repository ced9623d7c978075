/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Learn mode, in the sandbox's init: every system call of the plugin stops
 * at the filter, is recorded (with the paths and network destinations it
 * names) and let through, but for the calls that stay denied whatever a
 * policy says. What was recorded becomes a starting policy. */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "internal.h"

/* Calls that name a path: which argument, and whether they write there
 * (-1: decided by the open flags in the next argument). */
static const struct {
	int nr, arg, writes;
} path_calls[] = {
	{ SYS_open, 0, -1 },	 { SYS_openat, 1, -1 },
	{ SYS_creat, 0, 1 },	 { SYS_stat, 0, 0 },
	{ SYS_lstat, 0, 0 },	 { SYS_newfstatat, 1, 0 },
	{ SYS_statx, 1, 0 },	 { SYS_access, 0, 0 },
	{ SYS_faccessat, 1, 0 }, { SYS_faccessat2, 1, 0 },
	{ SYS_readlink, 0, 0 },	 { SYS_readlinkat, 1, 0 },
	{ SYS_execve, 0, 0 },	 { SYS_chdir, 0, 0 },
	{ SYS_mkdir, 0, 1 },	 { SYS_mkdirat, 1, 1 },
	{ SYS_unlink, 0, 1 },	 { SYS_unlinkat, 1, 1 },
	{ SYS_rename, 0, 1 },	 { SYS_renameat, 1, 1 },
	{ SYS_renameat2, 1, 1 }, { SYS_rmdir, 0, 1 },
	{ SYS_truncate, 0, 1 },	 { SYS_utimensat, 1, 1 },
};

/* Already part of every sandbox's view (or private to it). */
static const char *const seen_anyway[] = {
	"/usr",	  "/etc",    "/bin", "/sbin", "/lib", "/lib32",
	"/lib64", "/libx32", "/dev", "/proc", "/tmp", NULL,
};

static int peek_str(pid_t pid, unsigned long src, char *dst, size_t len)
{
	struct iovec local = { dst, len - 1 };
	struct iovec remote = { (void *)src, len - 1 };
	ssize_t n;

	/* A string may end close to an unmapped page: shrink and retry. */
	while ((n = process_vm_readv(pid, &local, 1, &remote, 1, 0)) < 0 &&
	       local.iov_len > 16) {
		local.iov_len /= 2;
		remote.iov_len = local.iov_len;
	}
	if (n <= 0)
		return -1;
	dst[n] = '\0';
	return strnlen(dst, (size_t)n) < (size_t)n ? 0 : -1;
}

static void add_path(struct sbx_learned *l, const char *dir, int writes)
{
	for (size_t i = 0; seen_anyway[i]; i++)
		if (sbx_path_under(dir, seen_anyway[i]))
			return;
	if (strcmp(dir, "/") == 0)
		return;
	for (unsigned int i = 0; i < l->npaths; i++) {
		if (sbx_path_under(dir, l->paths[i])) {
			l->writable[i] |= writes;
			return;
		}
		if (sbx_path_under(l->paths[i],
				   dir)) { /* the wider one replaces it */
			memcpy(l->paths[i], dir, strlen(dir) + 1);
			l->writable[i] |= writes;
			return;
		}
	}
	if (l->npaths < SBX_LEARN_PATHS && strlen(dir) < sizeof(l->paths[0])) {
		memcpy(l->paths[l->npaths], dir, strlen(dir) + 1);
		l->writable[l->npaths++] = writes;
	}
}

/* The directory a path call used, as an absolute path. */
static void note_path(const struct sbx_plan *pl, struct sbx_learned *l,
		      const struct seccomp_notif *req, int arg, int writes)
{
	char path[200], abs[400];
	char *slash;

	if (peek_str((pid_t)req->pid, req->data.args[arg], path, sizeof(path)) <
		    0 ||
	    !path[0])
		return;
	/* *at() calls relative to another directory than the cwd: skip */
	if (path[0] != '/' && arg == 1 && (int)req->data.args[0] != AT_FDCWD)
		return;
	if (path[0] == '/')
		memcpy(abs, path, strlen(path) + 1);
	else if (strlen(pl->workdir) + 1 + strlen(path) < sizeof(abs)) {
		size_t w = strlen(pl->workdir);

		memcpy(abs, pl->workdir, w);
		abs[w] = '/';
		memcpy(abs + w + 1, path, strlen(path) + 1);
	} else {
		return;
	}
	/* the plugin's own file is in every view already */
	if (strcmp(abs, pl->exec_path) == 0)
		return;
	if (req->data.nr != SYS_chdir && req->data.nr != SYS_mkdir &&
	    req->data.nr != SYS_mkdirat && (slash = strrchr(abs, '/')))
		*(slash == abs ? slash + 1 : slash) = '\0';
	if (strstr(abs, "/../") || strstr(abs, "/./"))
		return; /* unresolved; the policy wants real paths */
	add_path(l, abs, writes);
}

static void add_port(struct sbx_ports *pp, unsigned int port)
{
	for (unsigned int i = 0; i < pp->n; i++)
		if (pp->v[i] == port)
			return;
	if (pp->n < SBX_MAX_PORTS)
		pp->v[pp->n++] = (uint16_t)port;
}

/* Record where connect/sendto went: the protocol's port and whether the
 * address was outside the loopback. */
static void note_dest(struct sbx_learned *l, const struct seccomp_notif *req,
		      unsigned long addr, unsigned long len)
{
	struct sockaddr_storage ss;
	int fd, type = 0;
	socklen_t ol = sizeof(type);
	unsigned int port;

	memset(&ss, 0, sizeof(ss));
	if (!addr || len < sizeof(sa_family_t) || len > sizeof(ss) ||
	    sbx_peek((pid_t)req->pid, &ss, addr, len) < 0)
		return;
	if (ss.ss_family == AF_INET)
		port = ntohs(((struct sockaddr_in *)(void *)&ss)->sin_port);
	else if (ss.ss_family == AF_INET6)
		port = ntohs(((struct sockaddr_in6 *)(void *)&ss)->sin6_port);
	else
		return;
	if (!sbx_addr_loopback(&ss))
		l->remote = 1;
	fd = sbx_plugin_fd((pid_t)req->pid, (int)req->data.args[0]);
	if (fd < 0)
		return;
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &ol) == 0)
		add_port(type == SOCK_STREAM ? &l->tcp_ports : &l->udp_ports,
			 port);
	close(fd);
}

/* Calls learn mode still refuses: a policy could never allow them. */
static int refused(const struct sbx_jail *j, const struct seccomp_notif *req)
{
	const __u64 *a = req->data.args;
	int nr = req->data.nr;
	uint32_t low;

	for (size_t i = 0; i < j->ndenied; i++)
		if (j->denied[i] == nr)
			return nr == SYS_clone3 ? ENOSYS : EPERM;
	switch (nr) {
	case SYS_clone:
		return (a[0] & SBX_NS_FLAGS) ? EPERM : 0;
	case SYS_ioctl:
		low = (uint32_t)a[1];
		return low == TIOCSTI || low == TIOCLINUX ? EPERM : 0;
	case SYS_personality:
		low = (uint32_t)a[0];
		return low == 0 || low == 0xffffffff ? 0 : EPERM;
	case SYS_socket:
	case SYS_socketpair:
		low = (uint32_t)a[0];
		return low == AF_UNIX || low == AF_INET || low == AF_INET6 ||
				       low == AF_NETLINK ?
			       0 :
			       EAFNOSUPPORT;
	}
	return 0;
}

void sbx_complain_serve(const struct sbx_plan *pl, int listener,
			const struct seccomp_notif *req)
{
	/* init's own copy: bit nr set once the parent was told */
	static uint64_t told[8];
	static unsigned int other_abi;
	struct seccomp_notif_resp resp;
	int nr = req->data.nr, native = req->data.arch == AUDIT_ARCH_X86_64;
	int e = !native || nr < 0 || nr >= 512 ? EPERM : refused(pl->jail, req);
	int first;

	if (native && nr >= 0 && nr < 512) {
		first = !(told[nr / 64] & (1ull << (nr % 64)));
		told[nr / 64] |= 1ull << (nr % 64);
	} else {
		first = other_abi++ < 8;
	}
	if (first) {
		struct sbx_msg m;

		memset(&m, 0, sizeof(m));
		m.type = SBX_MSG_COMPLAIN;
		m.nr = nr;
		m.arch = req->data.arch;
		m.err = e;
		while (write(SBX_FD_STATUS, &m, sizeof(m)) < 0 &&
		       errno == EINTR)
			;
	}
	/* outside the policy, but a destination still has to pass */
	if (!e && native && sbx_netguard_guards(pl->jail->pol, nr)) {
		sbx_netguard_serve(pl->jail->pol, listener, req);
		return;
	}
	memset(&resp, 0, sizeof(resp));
	resp.id = req->id;
	if (e)
		resp.error = -e;
	else
		resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

void sbx_learn_serve(const struct sbx_plan *pl, int listener,
		     const struct seccomp_notif *req)
{
	struct sbx_learned *l = pl->learned;
	struct seccomp_notif_resp resp;
	int nr = req->data.nr, e;

	memset(&resp, 0, sizeof(resp));
	resp.id = req->id;
	e = req->data.arch != AUDIT_ARCH_X86_64 || nr < 0 || nr >= 512 ?
		    EPERM :
		    refused(pl->jail, req);
	if (e) {
		resp.error = -e;
		ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
		return;
	}
	l->syscalls[nr / 64] |= 1ull << (nr % 64);
	if (nr == SYS_socket || nr == SYS_socketpair) {
		uint32_t af = (uint32_t)req->data.args[0];

		l->families |= af == AF_UNIX  ? SBX_AF_UNIX :
			       af == AF_INET  ? SBX_AF_INET :
			       af == AF_INET6 ? SBX_AF_INET6 :
						SBX_AF_NETLINK;
	} else if (nr == SYS_connect) {
		note_dest(l, req, req->data.args[1], req->data.args[2]);
	} else if (nr == SYS_sendto) {
		note_dest(l, req, req->data.args[4], req->data.args[5]);
	}
	for (size_t i = 0; i < sizeof(path_calls) / sizeof(*path_calls); i++) {
		int w = path_calls[i].writes;

		if (path_calls[i].nr != nr)
			continue;
		if (w < 0)
			w = (req->data.args[path_calls[i].arg + 1] &
			     (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC)) != 0;
		note_path(pl, l, req, path_calls[i].arg, w);
	}
	/* Learning trusts the plugin: letting the call run as made (its
	 * arguments may change before the kernel reads them) is fine. */
	resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}
