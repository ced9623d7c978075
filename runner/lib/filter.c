/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The seccomp filter: compiled once per jail with libseccomp, exported as
 * BPF, attached in the plugin child right before execve. Calls outside the
 * allowlist go to init through a user-notification listener, which names
 * the call and ends the sandbox (or fail with EPERM, if the policy says). */
#include <errno.h>
#include <linux/audit.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "internal.h"

/* ioctl requests that inject input into a terminal. */
static const uint32_t tty_ioctls[2] = { TIOCSTI, TIOCLINUX };

/* allow_special()'s answer for ioctl: allowed by ioctl_prefix(). */
#define IOCTL_BY_PREFIX 2

/* Every ioctl request but the two above, decided ahead of libseccomp's
 * program: it cannot say "not equal" on the low 32 bits (the kernel
 * truncates the request after the filter ran; two comparisons on one
 * argument are refused), and spelling the complement out in its terms
 * took 109 of the default filter's 387 instructions, which the kernel
 * checks and compiles at every run. A native ioctl whose request's low 32 bits
 * are neither is allowed here; anything else goes on to the program,
 * which has no ioctl rule: its default action. */
static int ioctl_prefix(struct sbx_bpf *b, struct sbx_error *err)
{
	enum { N = 8 };
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint32_t low = offsetof(struct seccomp_data, args[1]);
#else
	const uint32_t low = offsetof(struct seccomp_data, args[1]) + 4;
#endif
	const struct sock_filter pre[N] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, seccomp_arch_native(), 0,
			 6),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
			 (uint32_t)seccomp_syscall_resolve_name("ioctl"), 0, 4),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, low),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, tty_ioctls[0], 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, tty_ioctls[1], 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_filter *all;

	if (b->len + N > BPF_MAXINSNS)
		return sbx_fail(err, E2BIG, "seccomp: program too long");
	all = malloc((b->len + N) * sizeof(*all));
	if (!all)
		return sbx_fail(err, ENOMEM, "seccomp: out of memory");
	memcpy(all, pre, sizeof(pre));
	memcpy(all + N, b->insns, b->len * sizeof(*all));
	free(b->insns);
	b->insns = all;
	b->len = (unsigned short)(b->len + N);
	return 0;
}

/* Calls whose arguments the filter inspects. Returns 1 for other calls. */
static int allow_special(scmp_filter_ctx ctx, const struct sbx_policy *p,
			 int nr, const char *name)
{
	static const struct {
		unsigned int bit;
		int af;
	} fam[] = {
		{ SBX_AF_UNIX, AF_UNIX },
		{ SBX_AF_INET, AF_INET },
		{ SBX_AF_INET6, AF_INET6 },
		{ SBX_AF_NETLINK, AF_NETLINK },
	};
	int rc = 0;

	if (strcmp(name, "clone") == 0)
		/* Namespace flags are how a plugin would build itself a new
		 * user namespace with capabilities: never. */
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
					SCMP_A0(SCMP_CMP_MASKED_EQ,
						SBX_NS_FLAGS, 0));
	if (strcmp(name, "ioctl") == 0)
		return IOCTL_BY_PREFIX;
	if (strcmp(name, "personality") == 0) {
		/* Querying is harmless; changing the personality re-enables
		 * legacy behaviour such as READ_IMPLIES_EXEC. The kernel reads
		 * the argument as unsigned int. */
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
				      SCMP_A0(SCMP_CMP_MASKED_EQ, 0xffffffff,
					      0));
		if (rc == 0)
			rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
					      SCMP_A0(SCMP_CMP_MASKED_EQ,
						      0xffffffff, 0xffffffff));
		return rc;
	}
	if (strcmp(name, "socket") == 0 || strcmp(name, "socketpair") == 0) {
		for (size_t i = 0; i < sizeof(fam) / sizeof(*fam) && !rc; i++) {
			uint32_t act = SCMP_ACT_ALLOW;

			/* Families resolvers probe (netlink for AI_ADDRCONFIG,
			 * IPv6) fail softly when not allowed; any other one,
			 * AF_VSOCK or AF_PACKET say, ends the sandbox. */
			if (!(p->families & fam[i].bit)) {
				if (fam[i].af != AF_NETLINK &&
				    fam[i].af != AF_INET6)
					continue;
				act = SCMP_ACT_ERRNO(EAFNOSUPPORT);
			}
			rc = seccomp_rule_add(ctx, act, nr, 1,
					      SCMP_A0(SCMP_CMP_MASKED_EQ,
						      0xffffffff,
						      (unsigned int)fam[i].af));
		}
		return rc;
	}
	return 1; /* not special */
}

/* Socket options a plugin may set under `network loopback` and `host`:
 * buffers, timeouts, keepalives, error queues, Nagle. Anything else that
 * could steer a packet past the guard's check of its destination (IPv6
 * routing headers, IPv4 source routes and options, IP_TRANSPARENT,
 * SO_BINDTODEVICE, multicast, sticky IPV6_PKTINFO, ...) fails with EPERM:
 * an allowlist, so that options added to Linux later stay out too. */
static const struct {
	int level, name;
} sockopt_allowed[] = {
	{ SOL_SOCKET, SO_REUSEADDR },
	{ SOL_SOCKET, SO_KEEPALIVE },
	{ SOL_SOCKET, SO_LINGER },
	{ SOL_SOCKET, SO_RCVBUF },
	{ SOL_SOCKET, SO_SNDBUF },
	{ SOL_SOCKET, SO_RCVLOWAT },
	{ SOL_SOCKET, SO_OOBINLINE },
	{ SOL_SOCKET, SO_PASSCRED },
	{ SOL_SOCKET, SO_RCVTIMEO_OLD },
	{ SOL_SOCKET, SO_SNDTIMEO_OLD },
	{ SOL_SOCKET, SO_RCVTIMEO_NEW },
	{ SOL_SOCKET, SO_SNDTIMEO_NEW },
	{ SOL_SOCKET, SO_TIMESTAMP_OLD },
	{ SOL_SOCKET, SO_TIMESTAMPNS_OLD },
	{ SOL_SOCKET, SO_TIMESTAMP_NEW },
	{ SOL_SOCKET, SO_TIMESTAMPNS_NEW },
	{ IPPROTO_IP, IP_TOS },
	{ IPPROTO_IP, IP_TTL },
	{ IPPROTO_IP, IP_RECVERR },
	{ IPPROTO_IP, IP_MTU_DISCOVER },
	{ IPPROTO_IP, IP_RECVTTL },
	{ IPPROTO_IP, IP_RECVTOS },
	{ IPPROTO_IP, IP_PKTINFO }, /* receive side only: cmsgs are refused */
	{ IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT },
	{ IPPROTO_IPV6, IPV6_V6ONLY },
	{ IPPROTO_IPV6, IPV6_RECVERR },
	{ IPPROTO_IPV6, IPV6_MTU_DISCOVER },
	{ IPPROTO_IPV6, IPV6_UNICAST_HOPS },
	{ IPPROTO_IPV6, IPV6_TCLASS },
	{ IPPROTO_IPV6, IPV6_RECVPKTINFO },
	{ IPPROTO_IPV6, IPV6_RECVHOPLIMIT },
	{ IPPROTO_IPV6, IPV6_RECVTCLASS },
	{ IPPROTO_TCP, TCP_NODELAY },
	{ IPPROTO_TCP, TCP_CORK },
	{ IPPROTO_TCP, TCP_KEEPIDLE },
	{ IPPROTO_TCP, TCP_KEEPINTVL },
	{ IPPROTO_TCP, TCP_KEEPCNT },
	{ IPPROTO_TCP, TCP_SYNCNT },
	{ IPPROTO_TCP, TCP_LINGER2 },
	{ IPPROTO_TCP, TCP_QUICKACK },
	{ IPPROTO_TCP, TCP_USER_TIMEOUT },
	{ IPPROTO_TCP, TCP_NOTSENT_LOWAT },
	{ IPPROTO_UDP, UDP_CORK },
};

/* The send flags a plugin may pass under `network loopback` and `host`;
 * MSG_DONTROUTE, MSG_ZEROCOPY and any flag Linux adds later are refused. */
#define SEND_FLAGS_ALLOWED                                            \
	(MSG_DONTWAIT | MSG_NOSIGNAL | MSG_MORE | MSG_EOR | MSG_OOB | \
	 MSG_CONFIRM | MSG_FASTOPEN)

int sbx_sockopt_allowed(int level, int name)
{
	for (size_t i = 0;
	     i < sizeof(sockopt_allowed) / sizeof(*sockopt_allowed); i++)
		if (sockopt_allowed[i].level == level &&
		    sockopt_allowed[i].name == name)
			return 1;
	return 0;
}

int sbx_send_flags_ok(uint64_t flags)
{
	return ((uint32_t)flags & ~(uint32_t)SEND_FLAGS_ALLOWED) == 0;
}

static int allow_sockopts(scmp_filter_ctx ctx, int nr)
{
	int rc = 0;

	for (size_t i = 0;
	     i < sizeof(sockopt_allowed) / sizeof(*sockopt_allowed) && !rc; i++)
		rc = seccomp_rule_add(
			ctx, SCMP_ACT_ALLOW, nr, 2,
			SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffff,
				(uint32_t)sockopt_allowed[i].level),
			SCMP_A2(SCMP_CMP_MASKED_EQ, 0xffffffff,
				(uint32_t)sockopt_allowed[i].name));
	return rc;
}

/* Under `network loopback` and `host` the calls that name a destination
 * go to init's network guard (netguard.c), nothing may listen, and socket
 * options and send flags come from allowlists (any other one goes to the
 * guard too, which refuses it). Returns 1 for the other calls. */
static int guard_rule(scmp_filter_ctx ctx, const struct sbx_policy *p,
		      uint32_t dflt, int nr, const char *name)
{
	static const char *const guarded[] = { "connect", "sendmsg", "sendmmsg",
					       "bind", NULL };
	static const char *const refused[] = { "listen", "accept", "accept4",
					       NULL };
	int rc;

	if (p->net == SBX_NET_NONE)
		return 1;
	for (size_t i = 0; guarded[i]; i++)
		if (strcmp(name, guarded[i]) == 0)
			return dflt == SCMP_ACT_NOTIFY ?
				       0 :
				       seccomp_rule_add(ctx, SCMP_ACT_NOTIFY,
							nr, 0);
	for (size_t i = 0; refused[i]; i++)
		if (strcmp(name, refused[i]) == 0)
			return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr,
						0);
	/* the other options: the default action, so the guard answers
	 * EPERM (or the filter, under `syscall-default eperm`) */
	if (strcmp(name, "setsockopt") == 0)
		return allow_sockopts(ctx, nr);
	if (strcmp(name, "sendto") != 0)
		return 1;
	/* sendto on a connected socket names no destination; its flags
	 * still come from the allowlist */
	rc = seccomp_rule_add(
		ctx, SCMP_ACT_ALLOW, nr, 2, SCMP_A4(SCMP_CMP_EQ, 0, 0),
		SCMP_A3(SCMP_CMP_MASKED_EQ, ~(uint32_t)SEND_FLAGS_ALLOWED, 0));
	if (rc == 0 && dflt != SCMP_ACT_NOTIFY)
		rc = seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, nr, 1,
				      SCMP_A4(SCMP_CMP_NE, 0, 0));
	return rc;
}

/* Diagnose mode: an allowed call that names a path or a destination goes
 * to init, which notes it and lets it run. Not execve (never observed)
 * nor the hand-over's sendmsg: the plugin child makes them while init
 * waits for it (CLONE_VFORK). */
static int diag_rule(scmp_filter_ctx ctx, uint32_t dflt, int nr,
		     unsigned int handoff_fd)
{
	if (dflt == SCMP_ACT_NOTIFY)
		return 0; /* the default sends it there */
	if (nr == SCMP_SYS(sendmsg))
		return seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, nr, 1,
					SCMP_A0(SCMP_CMP_NE, handoff_fd, 0));
	return seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, nr, 0);
}

static scmp_filter_ctx build_filter(const struct sbx_policy *p,
				    unsigned int handoff_fd, int diag,
				    int *ioctl, struct sbx_error *err)
{
	uint32_t dflt = p->sysdefault == SBX_SYS_EPERM ? SCMP_ACT_ERRNO(EPERM) :
							 SCMP_ACT_NOTIFY;
	/* The child needs these to hand over and start the plugin. */
	static const char *const always[] = { "execve", "exit", "exit_group",
					      NULL };
	scmp_filter_ctx ctx = seccomp_init(dflt);
	int rc;

	if (!ctx) {
		sbx_fail(err, ENOMEM, "seccomp: cannot create filter");
		return NULL;
	}
	/* Calls of another ABI (i386 through int 0x80, x32) are reported
	 * like any forbidden call, never allowed. */
	if (seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_NOTIFY) ||
	    seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0) ||
	    seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2))
		goto attr_fail;
	for (size_t i = 0; i < p->syscalls.n; i++) {
		const char *name = p->syscalls.v[i];
		int nr = seccomp_syscall_resolve_name(name);

		if (nr == __NR_SCMP_ERROR || sbx_syscall_denied(name))
			continue;
		if (diag && sbx_observed_call(nr) && nr != SCMP_SYS(execve))
			rc = diag_rule(ctx, dflt, nr, handoff_fd);
		else
			rc = guard_rule(ctx, p, dflt, nr, name);
		if (rc == 1)
			rc = allow_special(ctx, p, nr, name);
		if (rc == IOCTL_BY_PREFIX) {
			*ioctl = 1;
			rc = 0;
		}
		if (rc == 1)
			rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
		if (rc < 0) {
			sbx_fail(err, -rc, "seccomp: rule for %s: %s", name,
				 strerror(-rc));
			goto fail;
		}
	}
	for (size_t i = 0; always[i]; i++) {
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW,
				      seccomp_syscall_resolve_name(always[i]),
				      0);
		if (rc < 0) {
			sbx_fail(err, -rc, "seccomp: rule for %s: %s",
				 always[i], strerror(-rc));
			goto fail;
		}
	}
	/* Named so that even under `syscall-default eperm` they end the
	 * sandbox and show up in the report. */
	for (size_t i = 0; sbx_denied_syscalls[i]; i++) {
		int nr = seccomp_syscall_resolve_name(sbx_denied_syscalls[i]);

		if (nr == __NR_SCMP_ERROR ||
		    (dflt == SCMP_ACT_NOTIFY &&
		     strcmp(sbx_denied_syscalls[i], "clone3")))
			continue;
		/* clone3's flags live in memory the filter cannot read:
		 * ENOSYS makes libc fall back to clone, which it can. */
		rc = seccomp_rule_add(ctx,
				      strcmp(sbx_denied_syscalls[i], "clone3") ?
					      SCMP_ACT_NOTIFY :
					      SCMP_ACT_ERRNO(ENOSYS),
				      nr, 0);
		if (rc < 0) {
			sbx_fail(err, -rc, "seccomp: rule for %s: %s",
				 sbx_denied_syscalls[i], strerror(-rc));
			goto fail;
		}
	}
	/* The wait for the go-ahead, on the descriptor after it: the child
	 * makes it under the filter while init waits in vfork. */
	rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(read), 1,
			      SCMP_A0(SCMP_CMP_EQ, handoff_fd + 1, 0));
	if (rc < 0) {
		sbx_fail(err, -rc, "seccomp: rule for read: %s", strerror(-rc));
		goto fail;
	}
	/* The hand-over of the listener descriptor to init, on the
	 * descriptor numbered like the plugin's file limit: one the plugin
	 * can never hold (descriptors stay below RLIMIT_NOFILE). */
	if (p->net != SBX_NET_NONE || diag ||
	    !sbx_strv_has(&p->syscalls, "sendmsg")) {
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(sendmsg), 1,
				      SCMP_A0(SCMP_CMP_EQ, handoff_fd, 0));
		if (rc < 0) {
			sbx_fail(err, -rc, "seccomp: rule for sendmsg: %s",
				 strerror(-rc));
			goto fail;
		}
	}
	return ctx;
attr_fail:
	sbx_fail(err, EINVAL, "seccomp: cannot set filter attributes");
fail:
	seccomp_release(ctx);
	return NULL;
}

/* libseccomp 2.5 exports only to a descriptor: go through a memfd. */
static int export_bpf(scmp_filter_ctx ctx, struct sbx_bpf *out,
		      struct sbx_error *err)
{
	int fd = memfd_create("sbx-bpf", MFD_CLOEXEC);
	off_t size;
	int rc;

	if (fd < 0)
		return sbx_fail(err, errno, "seccomp: memfd_create: %s",
				strerror(errno));
	rc = seccomp_export_bpf(ctx, fd);
	if (rc < 0) {
		close(fd);
		return sbx_fail(err, -rc, "seccomp: export: %s", strerror(-rc));
	}
	size = lseek(fd, 0, SEEK_CUR);
	if (size <= 0 || size % sizeof(struct sock_filter) ||
	    size / sizeof(struct sock_filter) > BPF_MAXINSNS) {
		close(fd);
		return sbx_fail(err, EINVAL, "seccomp: bad program size %lld",
				(long long)size);
	}
	out->insns = malloc((size_t)size);
	if (!out->insns) {
		close(fd);
		return sbx_fail(err, ENOMEM, "seccomp: out of memory");
	}
	if (pread(fd, out->insns, (size_t)size, 0) != size) {
		close(fd);
		free(out->insns);
		out->insns = NULL;
		return sbx_fail(err, EIO, "seccomp: cannot read program");
	}
	close(fd);
	out->len = (unsigned short)(size / sizeof(struct sock_filter));
	return 0;
}

int sbx_filter_build_learn(uint64_t handoff_fd, struct sbx_bpf *out,
			   struct sbx_error *err)
{
	static const char *const always[] = { "execve", "exit", "exit_group",
					      NULL };
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_NOTIFY);
	int rc = 0;

	if (!ctx)
		return sbx_fail(err, ENOMEM, "seccomp: cannot create filter");
	if (seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_NOTIFY) ||
	    seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0))
		rc = -EINVAL;
	for (size_t i = 0; always[i] && !rc; i++)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW,
				      seccomp_syscall_resolve_name(always[i]),
				      0);
	if (!rc)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(sendmsg), 1,
				      SCMP_A0(SCMP_CMP_EQ, handoff_fd, 0));
	if (!rc)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(read), 1,
				      SCMP_A0(SCMP_CMP_EQ, handoff_fd + 1, 0));
	if (rc) {
		seccomp_release(ctx);
		return sbx_fail(err, -rc, "seccomp: learn filter: %s",
				strerror(-rc));
	}
	rc = export_bpf(ctx, out, err);
	seccomp_release(ctx);
	return rc;
}

/* build_filter()'s own rules, counted: a filter compiled by an older one
 * is not current (2: the go-ahead's read; 3: ioctl by ioctl_prefix()). */
#define FILTER_RULES_VERSION 3

uint64_t sbx_filter_fingerprint(const struct sbx_policy *p)
{
	uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */
	/* every policy field build_filter() reads, and its own version */
	uint64_t head[5] = { p->sysdefault, p->families, p->net, p->files,
			     FILTER_RULES_VERSION };
	const unsigned char *b = (const unsigned char *)head;

	for (size_t i = 0; i < sizeof(head); i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	for (size_t i = 0; i < p->syscalls.n; i++) {
		for (const char *c = p->syscalls.v[i];; c++) {
			h = (h ^ (unsigned char)*c) * 0x100000001b3ull;
			if (!*c)
				break;
		}
	}
	return h;
}

static int build(const struct sbx_policy *p, unsigned int handoff_fd, int diag,
		 struct sbx_bpf *out, struct sbx_error *err)
{
	int ioctl = 0;
	scmp_filter_ctx ctx = build_filter(p, handoff_fd, diag, &ioctl, err);
	int rc;

	if (!ctx)
		return -1;
	rc = export_bpf(ctx, out, err);
	seccomp_release(ctx);
	if (rc == 0 && ioctl && ioctl_prefix(out, err) < 0) {
		free(out->insns);
		out->insns = NULL;
		return -1;
	}
	return rc;
}

int sbx_filter_build(const struct sbx_policy *p, unsigned int handoff_fd,
		     struct sbx_bpf *out, struct sbx_error *err)
{
	return build(p, handoff_fd, 0, out, err);
}

int sbx_filter_build_diag(const struct sbx_policy *p, unsigned int handoff_fd,
			  struct sbx_bpf *out, struct sbx_error *err)
{
	return build(p, handoff_fd, 1, out, err);
}

/* libseccomp needs about a millisecond for the default policy, as much as
 * the rest of a run: spp-run uses the copy compiled at build time. */
int sbx_filter_compile(struct sbx_jail *j, struct sbx_error *err)
{
	const struct sbx_filter_cache *c = &sbx_default_filter;
	size_t size;

	/* the cache's hand-over descriptor is the policy's file limit */
	if (!c || c->fingerprint != sbx_filter_fingerprint(j->pol) ||
	    j->nofile != j->pol->files)
		return sbx_filter_build(j->pol, j->nofile, &j->bpf, err);
	size = c->len * sizeof(*c->insns);
	j->bpf.insns = malloc(size);
	if (!j->bpf.insns)
		return sbx_fail(err, ENOMEM, "seccomp: out of memory");
	memcpy(j->bpf.insns, c->insns, size);
	j->bpf.len = c->len;
	return 0;
}

void sbx_filter_free(struct sbx_jail *j)
{
	free(j->bpf.insns);
	j->bpf.insns = NULL;
}

/* The kernel allows one listener per filter chain; it is the only way out
 * of the sandbox for the number of a forbidden call. */
int sbx_filter_load(const struct sbx_jail *j)
{
	struct sock_fprog prog = { j->bpf.len, j->bpf.insns };

	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			    SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
}

/* The file spp-policy compile writes: a header, then the instructions. */
struct bpf_file {
	char magic[8]; /* "sppbpf1\0" */
	uint64_t fingerprint;
	uint32_t arch; /* AUDIT_ARCH_* it was compiled for */
	uint32_t len;
};

static const char bpf_magic[8] = "sppbpf1";

int sbx_filter_save(const struct sbx_policy *p, const char *path,
		    struct sbx_error *err)
{
	struct bpf_file h;
	struct sbx_bpf bpf = { NULL, 0 };
	struct iovec iov[2];
	int rc;

	if (sbx_filter_build(p, (unsigned int)p->files, &bpf, err) < 0)
		return -1;
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, bpf_magic, sizeof(h.magic));
	h.fingerprint = sbx_filter_fingerprint(p);
	h.arch = seccomp_arch_native();
	h.len = bpf.len;
	iov[0].iov_base = &h;
	iov[0].iov_len = sizeof(h);
	iov[1].iov_base = bpf.insns;
	iov[1].iov_len = bpf.len * sizeof(*bpf.insns);
	rc = sbx_file_replace(path, iov, 2, 0644, err);
	free(bpf.insns);
	return rc;
}

int sbx_jail_load_filter(struct sbx_jail *j, const char *path,
			 struct sbx_error *err)
{
	struct bpf_file h;
	struct stat st;
	struct sock_filter *insns;
	size_t size;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? 1 :
					 sbx_fail(err, errno, "%s: %s", path,
						  strerror(errno));
	/* It decides what the plugin may do: trust it as much as a
	 * policy file, no more. */
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (st.st_uid != 0 && st.st_uid != geteuid()) || (st.st_mode & 022)) {
		close(fd);
		return sbx_fail(err, EPERM,
				"%s: not a regular file of root or ours, or "
				"writable by others",
				path);
	}
	if (read(fd, &h, sizeof(h)) != (ssize_t)sizeof(h) ||
	    memcmp(h.magic, bpf_magic, sizeof(h.magic)) != 0 || h.len == 0 ||
	    h.len > BPF_MAXINSNS) {
		close(fd);
		return sbx_fail(err, EINVAL, "%s: not a compiled filter", path);
	}
	if (h.fingerprint != sbx_filter_fingerprint(j->pol) ||
	    h.arch != seccomp_arch_native() || j->nofile != j->pol->files) {
		close(fd);
		return 1; /* the policy changed since: compile afresh */
	}
	size = h.len * sizeof(*insns);
	insns = malloc(size);
	if (!insns) {
		close(fd);
		return sbx_fail(err, ENOMEM, "%s: out of memory", path);
	}
	if (read(fd, insns, size) != (ssize_t)size ||
	    (size_t)st.st_size != sizeof(h) + size) {
		free(insns);
		close(fd);
		return sbx_fail(err, EINVAL, "%s: truncated", path);
	}
	close(fd);
	sbx_filter_free(j);
	j->bpf.insns = insns;
	j->bpf.len = (unsigned short)h.len;
	return 0;
}
