/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The network guard, run by the sandbox's init under `network loopback` and
 * `network host`: the filter stops every call that names a destination, and
 * init performs it on its own copy of the arguments (so the plugin cannot
 * change them after the check) if the policy allows that destination. */
#include <errno.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "internal.h"

/* What one emulated send may carry: DNS, Redis, SMTP callouts fit. */
#define GUARD_DATA_MAX 65536
#define GUARD_IOV_MAX 64
#define GUARD_MMSG_MAX 8

static char data[GUARD_DATA_MAX];

/* The name of a call the guard stops, or NULL. */
static const char *guarded(int nr)
{
	switch (nr) {
	case SYS_connect:
		return "connect";
	case SYS_sendto:
		return "sendto";
	case SYS_sendmsg:
		return "sendmsg";
	case SYS_sendmmsg:
		return "sendmmsg";
	case SYS_bind:
		return "bind";
	case SYS_setsockopt:
		return "setsockopt";
	}
	return NULL;
}

int sbx_netguard_guards(const struct sbx_policy *p, int nr)
{
	return p->net != SBX_NET_NONE && guarded(nr);
}

int sbx_netguard_handles(const struct sbx_policy *p, int nr)
{
	const char *name = guarded(nr);

	return p->net != SBX_NET_NONE && name &&
	       sbx_strv_has(&p->syscalls, name);
}

int sbx_peek(pid_t pid, void *dst, unsigned long src, size_t len)
{
	struct iovec local = { dst, len };
	struct iovec remote = { (void *)src, len };

	if (len == 0)
		return 0;
	if (process_vm_readv(pid, &local, 1, &remote, 1, 0) != (ssize_t)len)
		return -EFAULT;
	return 0;
}

int sbx_plugin_fd(pid_t pid, int fd)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0), dup;

	if (pidfd < 0)
		return -1;
	dup = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	close(pidfd);
	return dup;
}

static int poke(pid_t pid, unsigned long dst, const void *src, size_t len)
{
	struct iovec local = { (void *)src, len };
	struct iovec remote = { (void *)dst, len };

	if (process_vm_writev(pid, &local, 1, &remote, 1, 0) != (ssize_t)len)
		return -EFAULT;
	return 0;
}

static int port_listed(const struct sbx_ports *pp, unsigned int port)
{
	for (unsigned int i = 0; i < pp->n; i++)
		if (pp->v[i] == port)
			return 1;
	return 0;
}

int sbx_addr_loopback(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)ss;

		return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	}
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)ss;
		const unsigned char *a = in6->sin6_addr.s6_addr;
		static const unsigned char mapped[12] = {
			0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
		};

		if (IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr))
			return 1;
		return memcmp(a, mapped, 12) == 0 && a[12] == 127;
	}
	return 0;
}

/* Multicast, or the IPv4 broadcast address? */
static int group_addr(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET) {
		uint32_t a =
			ntohl(((const struct sockaddr_in *)(const void *)ss)
				      ->sin_addr.s_addr);

		return (a >> 28) == 0xe || a == 0xffffffff;
	}
	return IN6_IS_ADDR_MULTICAST(
		&((const struct sockaddr_in6 *)(const void *)ss)->sin6_addr);
}

/* May this socket reach this address? 0, or -errno. binding: only an
 * ephemeral port, so the plugin never listens on the host's network. */
static int dest_ok(const struct sbx_policy *p, int fd,
		   const struct sockaddr_storage *ss, socklen_t len,
		   int binding)
{
	int type = 0, proto = 0;
	socklen_t ol = sizeof(type);
	unsigned int port;

	if (len < sizeof(sa_family_t))
		return -EINVAL;
	switch (ss->ss_family) {
	case AF_UNSPEC:
		return binding ? -EINVAL : 0; /* dissolve a UDP association */
	case AF_UNIX: {
		const struct sockaddr_un *un = (const void *)ss;

		/* The abstract namespace belongs to the host's network
		 * namespace: its sockets are the host's services. */
		if (len > offsetof(struct sockaddr_un, sun_path) &&
		    un->sun_path[0] == '\0')
			return -EPERM;
		return 0; /* a path in the sandbox's own view */
	}
	case AF_INET:
		if (len < sizeof(struct sockaddr_in))
			return -EINVAL;
		port = ntohs(((const struct sockaddr_in *)(const void *)ss)
				     ->sin_port);
		break;
	case AF_INET6:
		if (len < sizeof(struct sockaddr_in6))
			return -EINVAL;
		port = ntohs(((const struct sockaddr_in6 *)(const void *)ss)
				     ->sin6_port);
		break;
	default:
		return -EAFNOSUPPORT;
	}
	if (binding)
		return port == 0 ? 0 : -EPERM;
	if (p->net == SBX_NET_LOOPBACK && !sbx_addr_loopback(ss))
		return -EPERM;
	/* one send, many hosts: not for plugins, even under `host` */
	if (group_addr(ss))
		return -EPERM;
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &ol) < 0)
		return -errno;
	ol = sizeof(proto);
	if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &ol) < 0)
		return -errno;
	if (type == SOCK_STREAM && proto == IPPROTO_TCP)
		return port_listed(&p->tcp_ports, port) ? 0 : -EPERM;
	if (type == SOCK_DGRAM && proto == IPPROTO_UDP)
		return port_listed(&p->udp_ports, port) ? 0 : -EPERM;
	return -EPERM; /* ICMP, SCTP, raw: not for plugins */
}

static int peek_addr(pid_t pid, unsigned long ptr, unsigned long len,
		     struct sockaddr_storage *ss, socklen_t *sl)
{
	if (len > sizeof(*ss))
		return -EINVAL;
	memset(ss, 0, sizeof(*ss));
	*sl = (socklen_t)len;
	return sbx_peek(pid, ss, ptr, len);
}

/* Gather a message's data into data[]; returns its length or -errno. */
static long peek_iov(pid_t pid, unsigned long iov_ptr, size_t iovlen)
{
	struct iovec iov[GUARD_IOV_MAX];
	size_t total = 0;
	int rc;

	if (iovlen > GUARD_IOV_MAX)
		return -EMSGSIZE;
	rc = sbx_peek(pid, iov, iov_ptr, iovlen * sizeof(*iov));
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < iovlen; i++) {
		if (iov[i].iov_len > sizeof(data) - total)
			return -EMSGSIZE;
		rc = sbx_peek(pid, data + total, (unsigned long)iov[i].iov_base,
			      iov[i].iov_len);
		if (rc < 0)
			return rc;
		total += iov[i].iov_len;
	}
	return (long)total;
}

/* One struct msghdr of the plugin, checked and sent; bytes or -errno. */
static long send_msg(const struct sbx_policy *p, pid_t pid, int fd,
		     unsigned long ptr, int flags)
{
	struct sockaddr_storage ss;
	struct msghdr mh;
	struct iovec one;
	socklen_t sl = 0;
	long n;
	int rc;

	rc = sbx_peek(pid, &mh, ptr, sizeof(mh));
	if (rc < 0)
		return rc;
	/* Descriptors passed over the host's network stack: no. */
	if (mh.msg_controllen)
		return -EPERM;
	if (mh.msg_name && mh.msg_namelen) {
		rc = peek_addr(pid, (unsigned long)mh.msg_name, mh.msg_namelen,
			       &ss, &sl);
		if (rc < 0 || (rc = dest_ok(p, fd, &ss, sl, 0)) < 0)
			return rc;
	}
	n = peek_iov(pid, (unsigned long)mh.msg_iov, mh.msg_iovlen);
	if (n < 0)
		return n;
	one.iov_base = data;
	one.iov_len = (size_t)n;
	mh.msg_name = sl ? &ss : NULL;
	mh.msg_namelen = sl;
	mh.msg_iov = &one;
	mh.msg_iovlen = 1;
	n = sendmsg(fd, &mh, flags);
	return n < 0 ? -errno : n;
}

static long guard(const struct sbx_policy *p, const struct seccomp_notif *req,
		  int fd)
{
	const __u64 *a = req->data.args;
	pid_t pid = (pid_t)req->pid;
	struct sockaddr_storage ss;
	socklen_t sl;
	long n;
	int rc;

	switch (req->data.nr) {
	case SYS_connect:
	case SYS_bind:
		rc = peek_addr(pid, a[1], a[2], &ss, &sl);
		if (rc < 0 || (rc = dest_ok(p, fd, &ss, sl,
					    req->data.nr == SYS_bind)) < 0)
			return rc;
		rc = req->data.nr == SYS_bind ?
			     bind(fd, (struct sockaddr *)&ss, sl) :
			     connect(fd, (struct sockaddr *)&ss, sl);
		return rc < 0 ? -errno : 0;
	case SYS_sendto:
		if (!sbx_send_flags_ok(a[3]))
			return -EPERM;
		if (!a[4]) /* connected, with flags the filter let pass */
			return -EPERM;
		rc = peek_addr(pid, a[4], a[5], &ss, &sl);
		if (rc < 0 || (rc = dest_ok(p, fd, &ss, sl, 0)) < 0)
			return rc;
		if (a[2] > sizeof(data))
			return -EMSGSIZE;
		rc = sbx_peek(pid, data, a[1], a[2]);
		if (rc < 0)
			return rc;
		n = sendto(fd, data, a[2], (int)a[3], (struct sockaddr *)&ss,
			   sl);
		return n < 0 ? -errno : n;
	case SYS_sendmsg:
		if (!sbx_send_flags_ok(a[2]))
			return -EPERM;
		return send_msg(p, pid, fd, a[1], (int)a[2]);
	case SYS_sendmmsg: {
		unsigned int vlen = a[2] > GUARD_MMSG_MAX ? GUARD_MMSG_MAX :
							    (unsigned int)a[2];
		unsigned int i;

		if (!sbx_send_flags_ok(a[3]))
			return -EPERM;
		/* As many as go through; the caller sees a short count. */
		for (i = 0; i < vlen; i++) {
			unsigned long m = a[1] + i * sizeof(struct mmsghdr);
			unsigned int len;

			n = send_msg(p, pid, fd, m, (int)a[3]);
			if (n < 0)
				return i ? (long)i : n;
			len = (unsigned int)n;
			if (poke(pid, m + offsetof(struct mmsghdr, msg_len),
				 &len, sizeof(len)) < 0)
				return i ? (long)i : -EFAULT;
		}
		return (long)i;
	}
	}
	return -ENOSYS;
}

void sbx_netguard_serve(const struct sbx_plan *pl, int listener,
			const struct seccomp_notif *req)
{
	const struct sbx_policy *p = pl->jail->pol;
	struct seccomp_notif_resp resp;
	long rc = -EBADF;
	int fd;

	memset(&resp, 0, sizeof(resp));
	resp.id = req->id;
	/* level and name are registers, not memory the plugin could change
	 * after the check: the kernel may run an allowed one itself (it
	 * comes here when setsockopt is not in the policy's list, in
	 * complain mode) */
	if (req->data.nr == SYS_setsockopt) {
		if (sbx_sockopt_allowed((int)req->data.args[1],
					(int)req->data.args[2]))
			resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		else
			resp.error = -EPERM;
		ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
		return;
	}
	fd = sbx_plugin_fd((pid_t)req->pid, (int)req->data.args[0]);
	/* The pid may have been reused between the call and our look:
	 * only act for a notification the kernel still holds. */
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &req->id) < 0) {
		if (fd >= 0)
			close(fd);
		return;
	}
	if (fd >= 0)
		rc = guard(p, req, fd);
	if (rc == -EPERM)
		sbx_diag_note_dest(pl, req, EPERM);
	if (rc < 0)
		resp.error = (int)rc;
	else
		resp.val = rc;
	if (fd >= 0)
		close(fd);
	ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}
