/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Init watching a plugin's system calls, in three modes that write
 * policies or explain them: learn (every call recorded with the paths and
 * destinations it names, and let through), complain (calls outside the
 * policy named and let through) and diagnose (what the plugin looked for
 * under its real policy and did not get). The calls no policy can allow
 * stay refused in all three. */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "internal.h"

/* Calls that name a path: which argument, whether it is relative to a
 * directory descriptor (the argument before it), and whether they write
 * there (-1: decided by the open flags in the next argument). */
static const struct {
	int nr, arg, at, writes;
} path_calls[] = {
	{ SYS_open, 0, 0, -1 },	     { SYS_openat, 1, 1, -1 },
	{ SYS_openat2, 1, 1, 0 },    { SYS_creat, 0, 0, 1 },
	{ SYS_stat, 0, 0, 0 },	     { SYS_lstat, 0, 0, 0 },
	{ SYS_newfstatat, 1, 1, 0 }, { SYS_statx, 1, 1, 0 },
	{ SYS_access, 0, 0, 0 },     { SYS_faccessat, 1, 1, 0 },
	{ SYS_faccessat2, 1, 1, 0 }, { SYS_readlink, 0, 0, 0 },
	{ SYS_readlinkat, 1, 1, 0 }, { SYS_execve, 0, 0, 0 },
	{ SYS_execveat, 1, 1, 0 },   { SYS_chdir, 0, 0, 0 },
	{ SYS_mkdir, 0, 0, 1 },	     { SYS_mkdirat, 1, 1, 1 },
	{ SYS_unlink, 0, 0, 1 },     { SYS_unlinkat, 1, 1, 1 },
	{ SYS_rename, 0, 0, 1 },     { SYS_renameat, 1, 1, 1 },
	{ SYS_renameat2, 1, 1, 1 },  { SYS_rmdir, 0, 0, 1 },
	{ SYS_truncate, 0, 0, 1 },   { SYS_utimensat, 1, 1, 1 },
};

#define NPATH_CALLS (sizeof(path_calls) / sizeof(path_calls[0]))

/* Already part of every sandbox's view (or private to it). */
static const char *const seen_anyway[] = {
	"/usr",	  "/etc",    "/bin", "/sbin", "/lib", "/lib32",
	"/lib64", "/libx32", "/dev", "/proc", "/tmp", NULL,
};

static int path_call(int nr)
{
	for (size_t i = 0; i < NPATH_CALLS; i++)
		if (path_calls[i].nr == nr)
			return (int)i;
	return -1;
}

int sbx_observed_call(int nr)
{
	return path_call(nr) >= 0 || nr == SYS_connect || nr == SYS_sendto ||
	       nr == SYS_sendmsg || nr == SYS_sendmmsg;
}

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

/* Drop "." components and repeated slashes in place ("/a/./b//c/." is
 * "/a/b/c"); ".." stays, a link may be behind it. */
static void tidy(char *path)
{
	char *r = path, *w = path;

	while (*r) {
		if (r[0] == '/' &&
		    (r[1] == '/' || (r[1] == '.' && (r[2] == '/' || !r[2])))) {
			r += r[1] == '/' ? 1 : 2;
			continue;
		}
		*w++ = *r++;
	}
	if (w > path + 1 && w[-1] == '/')
		w--;
	if (w == path)
		*w++ = '/';
	*w = '\0';
}

/* The path a path call names, made absolute in the sandbox's view: a
 * relative one from the plugin's cwd, or from its directory descriptor
 * for the *at() calls (both read in init's /proc, the sandbox's own).
 * Returns the index in path_calls[], or -1. */
static int call_path(const struct seccomp_notif *req, char *abs, size_t len)
{
	int i = path_call(req->data.nr);
	char path[256], link[64], base[256];
	size_t bl, pl;
	ssize_t n;

	if (i < 0 ||
	    peek_str((pid_t)req->pid, req->data.args[path_calls[i].arg], path,
		     sizeof(path)) < 0 ||
	    !path[0])
		return -1;
	if (path[0] == '/') {
		snprintf(abs, len, "%s", path);
		tidy(abs);
		return i;
	}
	if (path_calls[i].at && (int)req->data.args[0] != AT_FDCWD)
		snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int)req->pid,
			 (int)req->data.args[0]);
	else
		snprintf(link, sizeof(link), "/proc/%d/cwd", (int)req->pid);
	n = readlink(link, base, sizeof(base) - 1);
	if (n <= 0 || base[0] != '/')
		return -1;
	base[n] = '\0';
	bl = (size_t)n;
	pl = strlen(path);
	if (bl + 1 + pl >= len)
		return -1;
	memcpy(abs, base, bl);
	abs[bl] = '/';
	memcpy(abs + bl + 1, path, pl + 1);
	tidy(abs);
	return i;
}

/* Calls no policy can allow: they fail in every mode. */
static int refused(const struct sbx_jail *j, const struct seccomp_notif *req)
{
	const __u64 *a = req->data.args;
	int nr = req->data.nr;
	uint32_t low;

	if (req->data.arch != AUDIT_ARCH_X86_64 || nr < 0 || nr >= 512)
		return EPERM;
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

/* Let the call run (e == 0) or fail it with e. */
static void answer(int listener, const struct seccomp_notif *req, int e)
{
	struct seccomp_notif_resp resp;

	memset(&resp, 0, sizeof(resp));
	resp.id = req->id;
	if (e)
		resp.error = -e;
	else
		resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

/* The destination of connect, sendto, sendmsg or sendmmsg (its first
 * message), and the socket's type; -1 when it names none. */
static int call_dest(const struct seccomp_notif *req,
		     struct sockaddr_storage *ss, int *type)
{
	const __u64 *a = req->data.args;
	unsigned long addr = 0, len = 0;
	socklen_t ol = sizeof(*type);
	struct msghdr mh;
	int fd;

	switch (req->data.nr) {
	case SYS_connect:
		addr = a[1];
		len = a[2];
		break;
	case SYS_sendto:
		addr = a[4];
		len = a[5];
		break;
	case SYS_sendmsg:
	case SYS_sendmmsg:
		if (sbx_peek((pid_t)req->pid, &mh, a[1], sizeof(mh)) < 0)
			return -1;
		addr = (unsigned long)mh.msg_name;
		len = mh.msg_namelen;
		break;
	}
	memset(ss, 0, sizeof(*ss));
	if (!addr || len < sizeof(sa_family_t) || len > sizeof(*ss) ||
	    sbx_peek((pid_t)req->pid, ss, addr, len) < 0 ||
	    (ss->ss_family != AF_INET && ss->ss_family != AF_INET6))
		return -1;
	*type = 0;
	fd = sbx_plugin_fd((pid_t)req->pid, (int)a[0]);
	if (fd >= 0) {
		getsockopt(fd, SOL_SOCKET, SO_TYPE, type, &ol);
		close(fd);
	}
	return 0;
}

static unsigned int dest_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)(const void *)ss)
				     ->sin_port);
	return ntohs(
		((const struct sockaddr_in6 *)(const void *)ss)->sin6_port);
}

/* ---- learn ---- */

static void add_path(const struct sbx_plan *pl, struct sbx_learned *l,
		     const char *dir, int writes)
{
	/* but the qmail home the plugin runs in, even below /tmp */
	for (size_t i = 0; seen_anyway[i]; i++)
		if (sbx_path_under(dir, seen_anyway[i]) &&
		    !sbx_path_under(dir, pl->workdir))
			return;
	if (strcmp(dir, "/") == 0)
		return;
	for (unsigned int i = 0; i < l->npaths; i++) {
		if (sbx_path_under(dir, l->paths[i])) {
			l->writable[i] |= writes;
			return;
		}
		if (sbx_path_under(l->paths[i], dir)) {
			/* the wider one replaces it */
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
		      const struct seccomp_notif *req)
{
	char abs[400];
	char *slash;
	int i = call_path(req, abs, sizeof(abs)), w;

	if (i < 0)
		return;
	w = path_calls[i].writes;
	if (w < 0)
		w = (req->data.args[path_calls[i].arg + 1] &
		     (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC)) != 0;
	/* the plugin's own file is in every view already */
	if (strcmp(abs, pl->exec_path) == 0)
		return;
	if (req->data.nr != SYS_chdir && req->data.nr != SYS_mkdir &&
	    req->data.nr != SYS_mkdirat && (slash = strrchr(abs, '/')))
		*(slash == abs ? slash + 1 : slash) = '\0';
	if (strstr(abs, "/../") || strstr(abs, "/./"))
		return; /* unresolved; the policy wants real paths */
	/* only what is there: a probe for a file that is nowhere (a
	 * user's site directory under an absent HOME) binds nothing */
	if (faccessat(AT_FDCWD, abs, F_OK, 0) < 0)
		return;
	add_path(pl, l, abs, w);
}

static void add_port(struct sbx_ports *pp, unsigned int port)
{
	for (unsigned int i = 0; i < pp->n; i++)
		if (pp->v[i] == port)
			return;
	if (pp->n < SBX_MAX_PORTS)
		pp->v[pp->n++] = (uint16_t)port;
}

/* Record where connect/sendto/sendmsg went: the protocol's port and
 * whether the address was outside the loopback. */
static void note_dest(struct sbx_learned *l, const struct seccomp_notif *req)
{
	struct sockaddr_storage ss;
	int type;

	if (call_dest(req, &ss, &type) < 0)
		return;
	if (!sbx_addr_loopback(&ss))
		l->remote = 1;
	if (type == SOCK_STREAM || type == SOCK_DGRAM)
		add_port(type == SOCK_STREAM ? &l->tcp_ports : &l->udp_ports,
			 dest_port(&ss));
}

void sbx_learn_serve(const struct sbx_plan *pl, int listener,
		     const struct seccomp_notif *req)
{
	struct sbx_learned *l = pl->learned;
	int nr = req->data.nr, e = refused(pl->jail, req);

	if (e) {
		answer(listener, req, e);
		return;
	}
	l->syscalls[nr / 64] |= 1ull << (nr % 64);
	if (nr == SYS_socket || nr == SYS_socketpair) {
		uint32_t af = (uint32_t)req->data.args[0];

		l->families |= af == AF_UNIX  ? SBX_AF_UNIX :
			       af == AF_INET  ? SBX_AF_INET :
			       af == AF_INET6 ? SBX_AF_INET6 :
						SBX_AF_NETLINK;
	}
	note_dest(l, req);
	note_path(pl, l, req);
	/* Learning trusts the plugin: letting the call run as made (its
	 * arguments may change before the kernel reads them) is fine. */
	answer(listener, req, 0);
}

/* ---- complain ---- */

void sbx_complain_serve(const struct sbx_plan *pl, int listener,
			const struct seccomp_notif *req)
{
	/* init's own copy: bit nr set once the parent was told */
	static uint64_t told[8];
	static unsigned int other_abi;
	int nr = req->data.nr, native = req->data.arch == AUDIT_ARCH_X86_64;
	int e = refused(pl->jail, req), first;

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
		sbx_netguard_serve(pl, listener, req);
		return;
	}
	answer(listener, req, e);
}

/* ---- diagnose ---- */

int sbx_diag_watches(const struct sbx_plan *pl, const struct seccomp_notif *req)
{
	int nr = req->data.nr;

	return pl->diag && req->data.arch == AUDIT_ARCH_X86_64 && nr >= 0 &&
	       nr < 512 && (pl->jail->allowed[nr / 64] & (1ull << (nr % 64))) &&
	       sbx_observed_call(nr);
}

void sbx_diag_note_dest(const struct sbx_plan *pl,
			const struct seccomp_notif *req, int error)
{
	struct sbx_diag *d = pl->diag;
	struct sockaddr_storage ss;
	struct sbx_dest *dst;
	int type;

	if (!d || d->ndests >= SBX_DIAG_DESTS || call_dest(req, &ss, &type) < 0)
		return;
	dst = &d->dests[d->ndests];
	memset(dst, 0, sizeof(*dst));
	dst->family = ss.ss_family;
	dst->port = (uint16_t)dest_port(&ss);
	if (ss.ss_family == AF_INET)
		memcpy(dst->addr,
		       &((struct sockaddr_in *)(void *)&ss)->sin_addr, 4);
	else
		memcpy(dst->addr,
		       &((struct sockaddr_in6 *)(void *)&ss)->sin6_addr, 16);
	dst->type = type;
	dst->error = error;
	for (unsigned int i = 0; i < d->ndests; i++)
		if (!memcmp(&d->dests[i], dst, sizeof(*dst)))
			return; /* seen before */
	d->ndests++;
}

/* A path the plugin named that its view lacks: the parent keeps those
 * the host has. One inside a directory bound from the host (the system's
 * /usr, say, where programs probe for locales and libraries) is missing
 * there too. */
static void note_missing(const struct sbx_plan *pl, struct sbx_diag *d,
			 const char *abs)
{
	if (d->npaths >= SBX_DIAG_PATHS || strlen(abs) >= sizeof(d->paths[0]) ||
	    sbx_plan_visible(pl, abs) || sbx_path_under(abs, "/dev") ||
	    sbx_path_under(abs, "/proc") ||
	    faccessat(AT_FDCWD, abs, F_OK, AT_SYMLINK_NOFOLLOW) == 0 ||
	    errno != ENOENT)
		return;
	for (unsigned int i = 0; i < d->npaths; i++)
		if (strcmp(d->paths[i], abs) == 0)
			return;
	memcpy(d->paths[d->npaths++], abs, strlen(abs) + 1);
}

void sbx_diag_serve(const struct sbx_plan *pl, int listener,
		    const struct seccomp_notif *req)
{
	const struct sbx_policy *p = pl->jail->pol;
	char abs[400];

	if (call_path(req, abs, sizeof(abs)) >= 0)
		note_missing(pl, pl->diag, abs);
	/* the guard checks (and notes what it refuses); under `network
	 * none` the call goes on to fail in the empty network namespace */
	if (sbx_netguard_guards(p, req->data.nr)) {
		sbx_netguard_serve(pl, listener, req);
		return;
	}
	if (p->net == SBX_NET_NONE && path_call(req->data.nr) < 0)
		sbx_diag_note_dest(pl, req, ENETUNREACH);
	answer(listener, req, 0);
}
