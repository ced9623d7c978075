/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of the sandbox library: syscall groups (syscalls.c), the seccomp filter (filter.c) and the jail (jail.c). */
#include <check.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <unistd.h>

#include "internal.h"
#include "tap.h"
#include "sbx.h"
#include "verdict.h"

#define NROWS(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* sbx_syscall_group */

/* Names libseccomp versions that configure accepts (>= 2.5.0) may not know
 * yet; sbx_jail_new() skips unknown names, so on such a system the call is
 * simply not allowed. None of them is unknown with libseccomp 2.5.4. */
static const char *const may_be_unknown[] = {
	"close_range",	 "epoll_pwait2", "faccessat2",
	"openat2",	 "pidfd_getfd",	 "process_madvise",
	"mount_setattr", "memfd_secret", NULL,
};

static int in_list(const char *const *l, const char *name)
{
	for (size_t i = 0; l[i]; i++)
		if (strcmp(l[i], name) == 0)
			return 1;
	return 0;
}

static int ngroups(void)
{
	int n = 0;

	while (sbx_syscall_groups[n])
		n++;
	return n;
}

START_TEST(test_sbx_syscall_group_every_group)
{
	const char *g = sbx_syscall_groups[_i];
	const char *const *l;

	ck_assert_ptr_nonnull(g);
	l = sbx_syscall_group(g);
	ck_assert_msg(l != NULL, "group %s does not resolve", g);
	ck_assert_msg(l[0] != NULL, "group %s is empty", g);
	for (size_t i = 0; l[i]; i++) {
		ck_assert_msg(l[i][0] != '\0', "%s: empty name", g);
		ck_assert_msg(!sbx_syscall_denied(l[i]),
			      "group %s holds always-denied %s", g, l[i]);
		ck_assert_msg(sbx_syscall_known(l[i]) ||
				      in_list(may_be_unknown, l[i]),
			      "group %s: libseccomp does not know %s", g, l[i]);
		for (size_t k = 0; k < i; k++)
			ck_assert_msg(strcmp(l[k], l[i]) != 0,
				      "group %s lists %s twice", g, l[i]);
	}
}
END_TEST

START_TEST(test_sbx_syscall_group_unknown)
{
	static const char *const bad[] = { "",	      "nosuch",	  "@file",
					   "Default", "basic_io", "file ",
					   "all",     "denied",	  NULL };

	for (size_t i = 0; bad[i]; i++)
		ck_assert_msg(sbx_syscall_group(bad[i]) == NULL,
			      "\"%s\" resolves", bad[i]);
}
END_TEST

START_TEST(test_sbx_syscall_group_list_terminated)
{
	ck_assert_int_eq(ngroups(), 10);
	ck_assert(in_list(sbx_syscall_groups, "default"));
	ck_assert(in_list(sbx_syscall_groups, "dns"));
}
END_TEST

/* sbx_syscall_known */

START_TEST(test_sbx_syscall_known_table)
{
	ck_assert_int_eq(sbx_syscall_known("read"), 1);
	ck_assert_int_eq(sbx_syscall_known("execve"), 1);
	ck_assert_int_eq(sbx_syscall_known("ptrace"), 1);
	ck_assert_int_eq(sbx_syscall_known("nosuch_call"), 0);
	ck_assert_int_eq(sbx_syscall_known(""), 0);
	ck_assert_int_eq(sbx_syscall_known("READ"), 0);
}
END_TEST

/* sbx_syscall_denied */

/* The list spp-run(8) documents under ALWAYS DENIED SYSTEM CALLS. */
static const char *const documented_denied[] = {
	"ptrace",
	"process_vm_readv",
	"process_vm_writev",
	"mount",
	"umount2",
	"pivot_root",
	"chroot",
	"unshare",
	"setns",
	"keyctl",
	"add_key",
	"request_key",
	"bpf",
	"perf_event_open",
	"userfaultfd",
	"io_uring_setup",
	"io_uring_enter",
	"io_uring_register",
	"kexec_load",
	"kexec_file_load",
	"init_module",
	"finit_module",
	"delete_module",
	"open_by_handle_at",
	"name_to_handle_at",
	"pidfd_getfd",
	"open_tree",
	"move_mount",
	"fsopen",
	"fsmount",
	"fspick",
	"fsconfig",
	"mount_setattr",
	"acct",
	"reboot",
	"swapon",
	"swapoff",
	"syslog",
	"iopl",
	"ioperm",
	"settimeofday",
	"clock_settime",
	"adjtimex",
	"clone3",
	NULL,
};

START_TEST(test_sbx_syscall_denied_documented)
{
	for (size_t i = 0; documented_denied[i]; i++)
		ck_assert_msg(sbx_syscall_denied(documented_denied[i]),
			      "%s not denied", documented_denied[i]);
}
END_TEST

START_TEST(test_sbx_syscall_denied_list)
{
	size_t n = 0;

	for (size_t i = 0; sbx_denied_syscalls[i]; i++, n++) {
		ck_assert_int_eq(sbx_syscall_denied(sbx_denied_syscalls[i]), 1);
		for (size_t k = 0; k < i; k++)
			ck_assert_str_ne(sbx_denied_syscalls[k],
					 sbx_denied_syscalls[i]);
	}
	ck_assert_uint_gt(n, 0);
}
END_TEST

START_TEST(test_sbx_syscall_denied_others)
{
	static const char *const ok[] = { "read",  "execve", "clone",
					  "",	   "PTRACE", "ptrace ",
					  "ptrac", "mount2", "socket",
					  NULL };

	for (size_t i = 0; ok[i]; i++)
		ck_assert_msg(!sbx_syscall_denied(ok[i]), "\"%s\" denied",
			      ok[i]);
}
END_TEST

/* sbx_filter_build: the program libseccomp compiles, run by a small
 * classic-BPF interpreter on hand-made seccomp_data. */

#define ALLOW SCMP_ACT_ALLOW
#define NOTIFY SCMP_ACT_NOTIFY
#define ERRNO(e) SCMP_ACT_ERRNO(e)

static uint32_t bpf_run(const struct sbx_bpf *b, const struct seccomp_data *d)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 };

	for (unsigned int pc = 0; pc < b->len; pc++) {
		const struct sock_filter *f = &b->insns[pc];
		uint32_t k = f->k, src;
		int cond;

		switch (BPF_CLASS(f->code)) {
		case BPF_LD:
			if (f->code == (BPF_LD | BPF_W | BPF_ABS)) {
				if (k % 4 || k + 4 > sizeof(*d))
					ck_abort_msg("BPF: load at %u", k);
				memcpy(&a, (const char *)d + k, 4);
			} else if (f->code == (BPF_LD | BPF_IMM)) {
				a = k;
			} else if (f->code == (BPF_LD | BPF_MEM)) {
				if (k >= BPF_MEMWORDS)
					ck_abort_msg("BPF: mem[%u]", k);
				a = mem[k];
			} else {
				ck_abort_msg("BPF: unsupported %#x", f->code);
			}
			break;
		case BPF_LDX:
			if (f->code == (BPF_LDX | BPF_IMM)) {
				x = k;
			} else if (f->code == (BPF_LDX | BPF_MEM)) {
				if (k >= BPF_MEMWORDS)
					ck_abort_msg("BPF: mem[%u]", k);
				x = mem[k];
			} else {
				ck_abort_msg("BPF: unsupported %#x", f->code);
			}
			break;
		case BPF_ST:
		case BPF_STX:
			if (k >= BPF_MEMWORDS)
				ck_abort_msg("BPF: mem[%u]", k);
			mem[k] = BPF_CLASS(f->code) == BPF_ST ? a : x;
			break;
		case BPF_ALU:
			src = BPF_SRC(f->code) == BPF_X ? x : k;
			switch (BPF_OP(f->code)) {
			case BPF_AND:
				a &= src;
				break;
			case BPF_OR:
				a |= src;
				break;
			case BPF_ADD:
				a += src;
				break;
			case BPF_SUB:
				a -= src;
				break;
			default:
				ck_abort_msg("BPF: unsupported %#x", f->code);
			}
			break;
		case BPF_JMP:
			if (BPF_OP(f->code) == BPF_JA) {
				pc += k;
				break;
			}
			src = BPF_SRC(f->code) == BPF_X ? x : k;
			switch (BPF_OP(f->code)) {
			case BPF_JEQ:
				cond = a == src;
				break;
			case BPF_JGT:
				cond = a > src;
				break;
			case BPF_JGE:
				cond = a >= src;
				break;
			case BPF_JSET:
				cond = (a & src) != 0;
				break;
			default:
				ck_abort_msg("BPF: unsupported %#x", f->code);
				return 0;
			}
			pc += cond ? f->jt : f->jf;
			break;
		case BPF_RET:
			return BPF_RVAL(f->code) == BPF_A ? a : k;
		case BPF_MISC:
			if (BPF_MISCOP(f->code) == BPF_TAX)
				x = a;
			else
				a = x;
			break;
		default:
			ck_abort_msg("BPF: unsupported %#x", f->code);
		}
	}
	ck_abort_msg("BPF: program ran off its end");
	return 0;
}

/* The filter's action for one call of the given arch. */
static uint32_t action_arch(const struct sbx_jail *j, uint32_t arch, int nr,
			    uint64_t a0, uint64_t a1)
{
	struct seccomp_data d;

	memset(&d, 0, sizeof(d));
	d.nr = nr;
	d.arch = arch;
	d.instruction_pointer = 0x1000;
	d.args[0] = a0;
	d.args[1] = a1;
	return bpf_run(&j->bpf, &d);
}

/* The filter's action for a native call by name (must exist here). */
static uint32_t action(const struct sbx_jail *j, const char *name, uint64_t a0,
		       uint64_t a1)
{
	int nr = seccomp_syscall_resolve_name(name);

	ck_assert_msg(nr >= 0, "%s: no such call here", name);
	return action_arch(j, seccomp_arch_native(), nr, a0, a1);
}

/* A policy with just these syscalls (NULL-terminated) and families. */
static void policy_with(struct sbx_policy *p, const char *const *names,
			enum sbx_sysdefault dflt, unsigned int families)
{
	struct sbx_error err = { 0, "" };

	memset(p, 0, sizeof(*p));
	p->sysdefault = dflt;
	p->families = families;
	p->files = 64; /* the hand-over descriptor's number */
	for (size_t i = 0; names && names[i]; i++)
		ck_assert_int_eq(sbx_strv_add(&p->syscalls, names[i], &err), 0);
}

static void compile(struct sbx_jail *j, const struct sbx_policy *p)
{
	struct sbx_error err = { 0, "" };

	memset(j, 0, sizeof(*j));
	j->pol = p;
	ck_assert_msg(sbx_filter_build(p, (unsigned int)p->files, &j->bpf,
				       &err) == 0,
		      "build: %s", err.msg);
	ck_assert_ptr_nonnull(j->bpf.insns);
	ck_assert_uint_gt(j->bpf.len, 0);
	ck_assert_uint_le(j->bpf.len, BPF_MAXINSNS);
}

static void compile_default(struct sbx_jail *j, struct sbx_policy *p)
{
	struct sbx_error err = { 0, "" };

	ck_assert_int_eq(sbx_policy_default(p, &err), 0);
	compile(j, p);
}

static void done(struct sbx_jail *j, struct sbx_policy *p)
{
	sbx_filter_free(j);
	ck_assert_ptr_null(j->bpf.insns);
	sbx_policy_clear(p);
}

START_TEST(test_sbx_filter_build_default_allows)
{
	struct sbx_policy p;
	struct sbx_jail j;

	compile_default(&j, &p);
	for (size_t i = 0; i < p.syscalls.n; i++) {
		const char *name = p.syscalls.v[i];
		/* zero arguments, but a family socket() may use */
		uint64_t a0 = strncmp(name, "socket", 6) ? 0 : AF_UNIX;

		if (seccomp_syscall_resolve_name(name) < 0)
			continue; /* not on this architecture */
		ck_assert_msg(action(&j, name, a0, 0) == ALLOW, "%s: %#x", name,
			      action(&j, name, a0, 0));
	}
	done(&j, &p);
}
END_TEST

START_TEST(test_sbx_filter_build_denied_never_allowed)
{
	/* Listing every always-denied call in a policy allows none of them,
	 * whatever the default action. */
	static const enum sbx_sysdefault modes[] = { SBX_SYS_KILL,
						     SBX_SYS_EPERM };

	for (size_t m = 0; m < 2; m++) {
		struct sbx_policy p;
		struct sbx_jail j;

		policy_with(&p, sbx_denied_syscalls, modes[m], SBX_AF_UNIX);
		compile(&j, &p);
		for (size_t i = 0; sbx_denied_syscalls[i]; i++) {
			const char *name = sbx_denied_syscalls[i];
			uint32_t want = strcmp(name, "clone3") ? NOTIFY :
								 ERRNO(ENOSYS);

			if (seccomp_syscall_resolve_name(name) < 0)
				continue;
			ck_assert_msg(action(&j, name, 0, 0) == want,
				      "mode %zu: %s: %#x", m, name,
				      action(&j, name, 0, 0));
		}
		done(&j, &p);
	}
}
END_TEST

START_TEST(test_sbx_filter_build_default_action)
{
	static const char *const only_read[] = { "read", NULL };
	struct sbx_policy p;
	struct sbx_jail j;

	policy_with(&p, only_read, SBX_SYS_KILL, 0);
	compile(&j, &p);
	ck_assert_uint_eq(action(&j, "read", 0, 0), ALLOW);
	ck_assert_uint_eq(action(&j, "write", 1, 0), NOTIFY);
	ck_assert_uint_eq(action(&j, "sethostname", 0, 0), NOTIFY);
	ck_assert_uint_eq(action(&j, "ptrace", 0, 0), NOTIFY);
	ck_assert_uint_eq(action(&j, "clone3", 0, 0), ERRNO(ENOSYS));
	ck_assert_uint_eq(action_arch(&j, seccomp_arch_native(), 4000, 0, 0),
			  NOTIFY);
	done(&j, &p);

	/* syscall-default eperm: other calls fail softly, denied ones still
	 * end the sandbox */
	policy_with(&p, only_read, SBX_SYS_EPERM, 0);
	compile(&j, &p);
	ck_assert_uint_eq(action(&j, "read", 0, 0), ALLOW);
	ck_assert_uint_eq(action(&j, "write", 1, 0), ERRNO(EPERM));
	ck_assert_uint_eq(action(&j, "sethostname", 0, 0), ERRNO(EPERM));
	ck_assert_uint_eq(action(&j, "ptrace", 0, 0), NOTIFY);
	ck_assert_uint_eq(action(&j, "mount", 0, 0), NOTIFY);
	ck_assert_uint_eq(action(&j, "clone3", 0, 0), ERRNO(ENOSYS));
	done(&j, &p);
}
END_TEST

START_TEST(test_sbx_filter_build_always_allowed)
{
	/* An empty allowlist still lets the child exec the plugin and any
	 * process exit. */
	struct sbx_policy p;
	struct sbx_jail j;

	policy_with(&p, NULL, SBX_SYS_KILL, 0);
	compile(&j, &p);
	ck_assert_uint_eq(action(&j, "execve", 0, 0), ALLOW);
	ck_assert_uint_eq(action(&j, "exit", 0, 0), ALLOW);
	ck_assert_uint_eq(action(&j, "exit_group", 0, 0), ALLOW);
	ck_assert_uint_eq(action(&j, "read", 0, 0), NOTIFY);
	ck_assert_uint_eq(action(&j, "execveat", 0, 0), NOTIFY);
	done(&j, &p);
}
END_TEST

START_TEST(test_sbx_filter_build_sendmsg_handoff)
{
	static const char *const with[] = { "sendmsg", NULL };
	struct sbx_policy p;
	struct sbx_jail j;

	/* not in the policy: only on the hand-over descriptor, numbered
	 * like the file limit, which the plugin can never hold */
	policy_with(&p, NULL, SBX_SYS_KILL, 0);
	compile(&j, &p);
	ck_assert_uint_eq(action(&j, "sendmsg", p.files, 0), ALLOW);
	ck_assert_uint_eq(action(&j, "sendmsg", 0, 0), NOTIFY);
	ck_assert_uint_eq(action(&j, "sendmsg", 3, 0), NOTIFY);
	ck_assert_uint_eq(action(&j, "sendto", p.files, 0), NOTIFY);
	done(&j, &p);

	policy_with(&p, with, SBX_SYS_KILL, 0);
	compile(&j, &p);
	ck_assert_uint_eq(action(&j, "sendmsg", 4, 0), ALLOW);
	ck_assert_uint_eq(action(&j, "sendmsg", p.files, 0), ALLOW);
	done(&j, &p);
}
END_TEST

START_TEST(test_sbx_filter_build_ioctl)
{
	struct sbx_policy p;
	struct sbx_jail j;
	const uint64_t hi = 1ull << 32;

	uint32_t native = seccomp_arch_native();
	int nr = seccomp_syscall_resolve_name("ioctl");

	compile_default(&j, &p);
	/* every 16-bit request (where TIOCSTI and TIOCLINUX differ) */
	for (uint32_t req = 0; req <= 0xffff; req++) {
		uint32_t want = req == TIOCSTI || req == TIOCLINUX ? NOTIFY :
								     ALLOW;

		/* ck_assert only on a mismatch: it is slow in a loop */
		if (action_arch(&j, native, nr, 0, req) != want)
			ck_abort_msg("ioctl %#x: %#x", req,
				     action_arch(&j, native, nr, 0, req));
	}
	/* each one-bit neighbour of the two refused requests */
	for (int b = 0; b < 32; b++) {
		uint32_t m = 1u << b;

		if ((TIOCSTI ^ m) != TIOCLINUX)
			ck_assert_uint_eq(action(&j, "ioctl", 0, TIOCSTI ^ m),
					  ALLOW);
		if ((TIOCLINUX ^ m) != TIOCSTI)
			ck_assert_uint_eq(action(&j, "ioctl", 0, TIOCLINUX ^ m),
					  ALLOW);
	}
	/* the kernel drops the upper 32 bits of the request */
	ck_assert_uint_eq(action(&j, "ioctl", 0, hi | TIOCSTI), NOTIFY);
	ck_assert_uint_eq(action(&j, "ioctl", 7, ~0ull << 32 | TIOCSTI),
			  NOTIFY);
	ck_assert_uint_eq(action(&j, "ioctl", 0, hi | TIOCLINUX), NOTIFY);
	ck_assert_uint_eq(action(&j, "ioctl", 0, TCGETS), ALLOW);
	ck_assert_uint_eq(action(&j, "ioctl", 0, FIONREAD), ALLOW);
	done(&j, &p);
}
END_TEST

START_TEST(test_sbx_filter_build_clone)
{
	static const struct {
		uint64_t flags;
		uint32_t want;
	} rows[] = {
		{ SIGCHLD, ALLOW },
		{ CLONE_VM | CLONE_VFORK | SIGCHLD, ALLOW },
		{ CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
			  CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS |
			  CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID,
		  ALLOW },
		{ CLONE_NEWNS | SIGCHLD, NOTIFY },
		{ CLONE_NEWUTS, NOTIFY },
		{ CLONE_NEWIPC, NOTIFY },
		{ CLONE_NEWUSER | SIGCHLD, NOTIFY },
		{ CLONE_NEWPID, NOTIFY },
		{ CLONE_NEWNET, NOTIFY },
		{ CLONE_NEWCGROUP, NOTIFY },
		{ CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID, NOTIFY },
	};
	struct sbx_policy p;
	struct sbx_jail j;

	compile_default(&j, &p);
	for (int i = 0; i < NROWS(rows); i++)
		ck_assert_msg(
			action(&j, "clone", rows[i].flags, 0) == rows[i].want,
			"clone %#llx: %#x", (unsigned long long)rows[i].flags,
			action(&j, "clone", rows[i].flags, 0));
	if (seccomp_syscall_resolve_name("fork") >= 0)
		ck_assert_uint_eq(action(&j, "fork", 0, 0), ALLOW);
	done(&j, &p);
}
END_TEST

START_TEST(test_sbx_filter_build_personality)
{
	static const struct {
		uint64_t persona;
		uint32_t want;
	} rows[] = {
		{ 0xffffffff, ALLOW }, /* query */
		{ PER_LINUX, ALLOW },
		{ 0xffffffffull | 1ull << 32, ALLOW }, /* read as uint */
		{ 1ull << 32, ALLOW },
		{ READ_IMPLIES_EXEC, NOTIFY },
		{ ADDR_NO_RANDOMIZE, NOTIFY },
		{ PER_LINUX32, NOTIFY },
		{ PER_LINUX | MMAP_PAGE_ZERO, NOTIFY },
		{ 0xfffffffe, NOTIFY },
	};
	struct sbx_policy p;
	struct sbx_jail j;

	compile_default(&j, &p);
	for (int i = 0; i < NROWS(rows); i++)
		ck_assert_msg(action(&j, "personality", rows[i].persona, 0) ==
				      rows[i].want,
			      "personality %#llx: %#x",
			      (unsigned long long)rows[i].persona,
			      action(&j, "personality", rows[i].persona, 0));
	done(&j, &p);
}
END_TEST

/* Allowed families pass; netlink and IPv6 (which resolvers probe) fail
 * softly when not allowed; any other family is an unlisted call. */
#define AF_DEFAULT (SBX_AF_UNIX | SBX_AF_INET | SBX_AF_INET6)
#define EAFNO ERRNO(EAFNOSUPPORT)

static const struct {
	unsigned int families;
	int af;
	uint32_t want; /* syscall-default kill */
	uint32_t want_eperm; /* syscall-default eperm */
} socket_rows[] = {
	{ AF_DEFAULT, AF_UNIX, ALLOW, ALLOW },
	{ AF_DEFAULT, AF_INET, ALLOW, ALLOW },
	{ AF_DEFAULT, AF_INET6, ALLOW, ALLOW },
	{ AF_DEFAULT, AF_NETLINK, EAFNO, EAFNO },
	{ AF_DEFAULT, AF_PACKET, NOTIFY, ERRNO(EPERM) },
	{ AF_DEFAULT, AF_UNSPEC, NOTIFY, ERRNO(EPERM) },
	{ AF_DEFAULT, AF_VSOCK, NOTIFY, ERRNO(EPERM) },
	{ AF_DEFAULT, AF_ALG, NOTIFY, ERRNO(EPERM) },
	{ AF_DEFAULT, AF_MAX + 100, NOTIFY, ERRNO(EPERM) },
	{ AF_DEFAULT | SBX_AF_NETLINK, AF_NETLINK, ALLOW, ALLOW },
	{ SBX_AF_NETLINK, AF_NETLINK, ALLOW, ALLOW },
	{ SBX_AF_NETLINK, AF_UNIX, NOTIFY, ERRNO(EPERM) },
	{ SBX_AF_NETLINK, AF_INET6, EAFNO, EAFNO },
	{ SBX_AF_UNIX, AF_UNIX, ALLOW, ALLOW },
	{ SBX_AF_UNIX, AF_INET, NOTIFY, ERRNO(EPERM) },
	{ SBX_AF_UNIX, AF_INET6, EAFNO, EAFNO },
	{ SBX_AF_UNIX, AF_NETLINK, EAFNO, EAFNO },
	{ SBX_AF_INET, AF_INET, ALLOW, ALLOW },
	{ SBX_AF_INET, AF_INET6, EAFNO, EAFNO },
	{ SBX_AF_INET6, AF_INET6, ALLOW, ALLOW },
	{ SBX_AF_INET6, AF_INET, NOTIFY, ERRNO(EPERM) },
	{ 0, AF_UNIX, NOTIFY, ERRNO(EPERM) },
	{ 0, AF_INET, NOTIFY, ERRNO(EPERM) },
	{ 0, AF_INET6, EAFNO, EAFNO },
	{ 0, AF_NETLINK, EAFNO, EAFNO },
};

START_TEST(test_sbx_filter_build_socket_families)
{
	static const char *const net[] = { "socket", "socketpair", NULL };
	const int i = _i;

	for (int m = 0; m < 2; m++) {
		uint32_t want = m ? socket_rows[i].want_eperm :
				    socket_rows[i].want;
		uint64_t af = (uint64_t)socket_rows[i].af;
		struct sbx_policy p;
		struct sbx_jail j;

		policy_with(&p, net, m ? SBX_SYS_EPERM : SBX_SYS_KILL,
			    socket_rows[i].families);
		compile(&j, &p);
		for (size_t k = 0; net[k]; k++)
			ck_assert_msg(action(&j, net[k], af, 0) == want,
				      "row %d mode %d: %s(%d): %#x", i, m,
				      net[k], socket_rows[i].af,
				      action(&j, net[k], af, 0));
		/* the kernel reads the family as an int */
		ck_assert_uint_eq(action(&j, "socket", 1ull << 32 | af, 0),
				  want);
		done(&j, &p);
	}
}
END_TEST

START_TEST(test_sbx_filter_build_other_abi)
{
	struct sbx_policy p;
	struct sbx_jail j;

	compile_default(&j, &p);
	if (seccomp_arch_native() != SCMP_ARCH_X86) {
		/* i386 through int 0x80: read (3), write (4), exit (1) */
		for (int nr = 0; nr < 460; nr++)
			if (action_arch(&j, AUDIT_ARCH_I386, nr, 0, 0) !=
			    NOTIFY)
				ck_abort_msg("i386 %d: %#x", nr,
					     action_arch(&j, AUDIT_ARCH_I386,
							 nr, 0, 0));
	}
	ck_assert_uint_eq(action_arch(&j,
				      AUDIT_ARCH_AARCH64 ==
						      seccomp_arch_native() ?
					      AUDIT_ARCH_X86_64 :
					      AUDIT_ARCH_AARCH64,
				      0, 0, 0),
			  NOTIFY);
#ifdef __x86_64__
	/* x32: native arch token, syscall number with bit 30 set */
	ck_assert_uint_eq(
		action_arch(&j, AUDIT_ARCH_X86_64,
			    0x40000000 | seccomp_syscall_resolve_name("read"),
			    0, 0),
		NOTIFY);
	ck_assert_uint_eq(
		action_arch(&j, AUDIT_ARCH_X86_64,
			    0x40000000 | seccomp_syscall_resolve_name("execve"),
			    0, 0),
		NOTIFY);
#endif
	done(&j, &p);
}
END_TEST

START_TEST(test_sbx_filter_build_skips_unknown)
{
	/* Unknown and always-denied names in a policy are skipped: the
	 * program is the same as without them. */
	static const char *const extra[] = { "nosuch_call", "",	   "ptrace",
					     "mount",	    "bpf", "READ",
					     NULL };
	struct sbx_error err = { 0, "" };
	struct sbx_policy p, q;
	struct sbx_jail j, k;

	compile_default(&j, &p);
	ck_assert_int_eq(sbx_policy_default(&q, &err), 0);
	for (size_t i = 0; extra[i]; i++)
		ck_assert_int_eq(sbx_strv_add(&q.syscalls, extra[i], &err), 0);
	compile(&k, &q);
	ck_assert_uint_eq(j.bpf.len, k.bpf.len);
	ck_assert_mem_eq(j.bpf.insns, k.bpf.insns,
			 j.bpf.len * sizeof(*j.bpf.insns));
	done(&k, &q);
	done(&j, &p);
}
END_TEST

/* sbx_filter_fingerprint */

/* Fingerprint of the default policy after fn changed it. */
static uint64_t fp_after(void (*fn)(struct sbx_policy *))
{
	struct sbx_error err = { 0, "" };
	struct sbx_policy p;
	uint64_t h;

	ck_assert_int_eq(sbx_policy_default(&p, &err), 0);
	if (fn)
		fn(&p);
	h = sbx_filter_fingerprint(&p);
	sbx_policy_clear(&p);
	return h;
}

/* Changes the filter does not depend on. */
static void ch_limits(struct sbx_policy *p)
{
	p->timeout_ms = 1;
	p->memory = 1;
	p->uid = 1;
	p->verdicts = SPP_CMD_N;
	p->fail = SBX_FAIL_REJECT;
}

static void ch_env(struct sbx_policy *p)
{
	ck_assert_int_eq(sbx_strv_add(&p->env_pass, "X", NULL), 0);
	ck_assert_int_eq(sbx_strv_add(&p->setvars, "Y", NULL), 0);
}

/* Changes it does depend on. */
static void ch_sysdefault(struct sbx_policy *p)
{
	p->sysdefault = SBX_SYS_EPERM;
}

/* the network guard changes which calls the filter lets through */
static void ch_net(struct sbx_policy *p)
{
	p->net = SBX_NET_HOST;
}

static void ch_families(struct sbx_policy *p)
{
	p->families |= SBX_AF_NETLINK;
}

static void ch_add(struct sbx_policy *p)
{
	ck_assert_int_eq(sbx_strv_add(&p->syscalls, "sethostname", NULL), 0);
}

static void ch_drop_last(struct sbx_policy *p)
{
	free(p->syscalls.v[--p->syscalls.n]);
	p->syscalls.v[p->syscalls.n] = NULL;
}

static void ch_rename(struct sbx_policy *p)
{
	/* same bytes, other boundaries: "read","write" -> "readw","rite" */
	char *a = strdup("readw"), *b = strdup("rite");

	ck_assert(strcmp(p->syscalls.v[0], "read") == 0);
	ck_assert(strcmp(p->syscalls.v[1], "write") == 0);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	free(p->syscalls.v[0]);
	free(p->syscalls.v[1]);
	p->syscalls.v[0] = a;
	p->syscalls.v[1] = b;
}

static void ch_swap(struct sbx_policy *p)
{
	char *t = p->syscalls.v[0];

	p->syscalls.v[0] = p->syscalls.v[1];
	p->syscalls.v[1] = t;
}

START_TEST(test_sbx_filter_fingerprint_same)
{
	uint64_t h = fp_after(NULL);

	ck_assert_uint_eq(fp_after(NULL), h);
	ck_assert_uint_eq(fp_after(ch_limits), h);
	ck_assert_uint_eq(fp_after(ch_env), h);
}
END_TEST

START_TEST(test_sbx_filter_fingerprint_differs)
{
	void (*const fns[])(struct sbx_policy *) = {
		ch_sysdefault, ch_net,	  ch_families, ch_add,
		ch_drop_last,  ch_rename, ch_swap,
	};
	uint64_t h = fp_after(NULL);

	for (int i = 0; i < NROWS(fns); i++)
		ck_assert_msg(fp_after(fns[i]) != h, "change %d unnoticed", i);
}
END_TEST

/* sbx_filter_compile */

/* Compile through the jail path and compare with a fresh build. */
static void compile_matches_build(const struct sbx_policy *p)
{
	struct sbx_error err = { 0, "" };
	struct sbx_bpf built = { NULL, 0 };
	struct sbx_jail j;

	memset(&j, 0, sizeof(j));
	j.pol = p;
	ck_assert_msg(sbx_filter_compile(&j, &err) == 0, "compile: %s",
		      err.msg);
	ck_assert_msg(sbx_filter_build(p, (unsigned int)p->files, &built,
				       &err) == 0,
		      "build: %s", err.msg);
	ck_assert_uint_eq(j.bpf.len, built.len);
	ck_assert_mem_eq(j.bpf.insns, built.insns,
			 built.len * sizeof(*built.insns));
	free(built.insns);
	sbx_filter_free(&j);
}

START_TEST(test_sbx_filter_compile_default)
{
	/* This test links the build-time copy (runner/lib/default-filter.c):
	 * it must be the default policy's and match what libseccomp
	 * compiles now. */
	struct sbx_error err = { 0, "" };
	struct sbx_policy p;

	ck_assert_int_eq(sbx_policy_default(&p, &err), 0);
	ck_assert_ptr_nonnull(&sbx_default_filter);
	ck_assert_uint_eq(sbx_default_filter.fingerprint,
			  sbx_filter_fingerprint(&p));
	compile_matches_build(&p);
	sbx_policy_clear(&p);
}
END_TEST

START_TEST(test_sbx_filter_compile_other_policy)
{
	struct sbx_error err = { 0, "" };
	struct sbx_policy p;

	ck_assert_int_eq(sbx_policy_default(&p, &err), 0);
	p.sysdefault = SBX_SYS_EPERM;
	ck_assert_uint_ne(sbx_default_filter.fingerprint,
			  sbx_filter_fingerprint(&p));
	compile_matches_build(&p);
	p.sysdefault = SBX_SYS_KILL;
	p.families = SBX_AF_UNIX;
	compile_matches_build(&p);
	sbx_policy_clear(&p);
}
END_TEST

/* sbx_filter_free */

START_TEST(test_sbx_filter_free_twice)
{
	struct sbx_policy p;
	struct sbx_jail j;

	compile_default(&j, &p);
	sbx_filter_free(&j);
	done(&j, &p); /* frees again */
}
END_TEST

/* sbx_jail_new */

START_TEST(test_sbx_jail_new_default)
{
	struct sbx_error err = { 0, "" };
	struct sbx_policy p;
	struct sbx_jail *j;

	ck_assert_int_eq(sbx_policy_default(&p, &err), 0);
	j = sbx_jail_new(&p, &err);
	ck_assert_msg(j != NULL, "sbx_jail_new: %s", err.msg);
	ck_assert_ptr_eq(j->pol, &p);
	/* the filter is compiled at the first run, or loaded before it */
	ck_assert_ptr_null(j->bpf.insns);
	ck_assert_int_eq(sbx_filter_compile(j, &err), 0);
	ck_assert_ptr_nonnull(j->bpf.insns);
	ck_assert_uint_gt(j->bpf.len, 0);
	ck_assert_ptr_nonnull(j->nocaps);
	if (geteuid() == 0) {
		ck_assert_int_eq(j->privileged, 1);
		ck_assert_uint_eq(j->uid, 65534);
		ck_assert_uint_eq(j->gid, 65534);
	} else {
		ck_assert_int_eq(j->privileged, 0);
		ck_assert_uint_eq(j->uid, geteuid());
		ck_assert_uint_eq(j->gid, getegid());
	}
	sbx_jail_free(j);
	sbx_policy_clear(&p);
}
END_TEST

START_TEST(test_sbx_jail_new_unknown_syscall)
{
	struct sbx_error err = { 0, "" };
	struct sbx_policy p;
	struct sbx_jail *j;

	ck_assert_int_eq(sbx_policy_default(&p, &err), 0);
	ck_assert_int_eq(sbx_strv_add(&p.syscalls, "nosuch_call", &err), 0);
	ck_assert_int_eq(sbx_strv_add(&p.syscalls, "ptrace", &err), 0);
	j = sbx_jail_new(&p, &err);
	ck_assert_msg(j != NULL, "sbx_jail_new: %s", err.msg);
	sbx_jail_free(j);
	sbx_policy_clear(&p);
}
END_TEST

START_TEST(test_sbx_jail_new_eperm_default)
{
	struct sbx_error err = { 0, "" };
	struct sbx_policy p;
	struct sbx_jail *j;

	ck_assert_int_eq(sbx_policy_default(&p, &err), 0);
	p.sysdefault = SBX_SYS_EPERM;
	p.families |= SBX_AF_NETLINK;
	j = sbx_jail_new(&p, &err);
	ck_assert_msg(j != NULL, "sbx_jail_new: %s", err.msg);
	sbx_jail_free(j);
	sbx_policy_clear(&p);
}
END_TEST

START_TEST(test_sbx_jail_new_root_identity)
{
	/* The plugin never runs as root: refused when spp-run is root,
	 * ignored (the caller's own ids are used) otherwise. */
	static const struct {
		uid_t uid;
		gid_t gid;
	} rows[] = { { 0, 65534 }, { 65534, 0 }, { 0, 0 } };

	for (int i = 0; i < NROWS(rows); i++) {
		struct sbx_error err = { 0, "" };
		struct sbx_policy p;
		struct sbx_jail *j;

		ck_assert_int_eq(sbx_policy_default(&p, &err), 0);
		p.uid = rows[i].uid;
		p.gid = rows[i].gid;
		j = sbx_jail_new(&p, &err);
		if (geteuid() == 0) {
			ck_assert_msg(j == NULL, "uid %d gid %d accepted",
				      (int)p.uid, (int)p.gid);
			ck_assert_int_eq(err.code, EPERM);
			ck_assert_str_eq(err.msg,
					 "jail: refusing to run as root");
		} else {
			ck_assert_msg(j != NULL, "sbx_jail_new: %s", err.msg);
			ck_assert_uint_eq(j->uid, geteuid());
			ck_assert_uint_eq(j->gid, getegid());
		}
		sbx_jail_free(j);
		sbx_policy_clear(&p);
	}
}
END_TEST

START_TEST(test_sbx_jail_new_other_identity)
{
	struct sbx_error err = { 0, "" };
	struct sbx_policy p;
	struct sbx_jail *j;

	ck_assert_int_eq(sbx_policy_default(&p, &err), 0);
	p.uid = 1234;
	p.gid = 5678;
	j = sbx_jail_new(&p, &err);
	ck_assert_msg(j != NULL, "sbx_jail_new: %s", err.msg);
	if (geteuid() == 0) {
		ck_assert_uint_eq(j->uid, 1234);
		ck_assert_uint_eq(j->gid, 5678);
		ck_assert_uint_eq(j->host_uid, 1234);
		ck_assert_uint_eq(j->host_gid, 5678);
	}
	sbx_jail_free(j);
	sbx_policy_clear(&p);
}
END_TEST

/* sbx_jail_free */

START_TEST(test_sbx_jail_free_null)
{
	sbx_jail_free(NULL);
}
END_TEST

static Suite *filter_suite(void)
{
	Suite *s = suite_create("filter");
	TCase *tc;

	tc = tcase_create("sbx_syscall_group");
	tcase_add_loop_test(tc, test_sbx_syscall_group_every_group, 0,
			    ngroups());
	tcase_add_test(tc, test_sbx_syscall_group_unknown);
	tcase_add_test(tc, test_sbx_syscall_group_list_terminated);
	suite_add_tcase(s, tc);

	tc = tcase_create("sbx_syscall_known");
	tcase_add_test(tc, test_sbx_syscall_known_table);
	suite_add_tcase(s, tc);

	tc = tcase_create("sbx_syscall_denied");
	tcase_add_test(tc, test_sbx_syscall_denied_documented);
	tcase_add_test(tc, test_sbx_syscall_denied_list);
	tcase_add_test(tc, test_sbx_syscall_denied_others);
	suite_add_tcase(s, tc);

	tc = tcase_create("sbx_filter_build");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_sbx_filter_build_default_allows);
	tcase_add_test(tc, test_sbx_filter_build_denied_never_allowed);
	tcase_add_test(tc, test_sbx_filter_build_default_action);
	tcase_add_test(tc, test_sbx_filter_build_always_allowed);
	tcase_add_test(tc, test_sbx_filter_build_sendmsg_handoff);
	tcase_add_test(tc, test_sbx_filter_build_ioctl);
	tcase_add_test(tc, test_sbx_filter_build_clone);
	tcase_add_test(tc, test_sbx_filter_build_personality);
	tcase_add_loop_test(tc, test_sbx_filter_build_socket_families, 0,
			    NROWS(socket_rows));
	tcase_add_test(tc, test_sbx_filter_build_other_abi);
	tcase_add_test(tc, test_sbx_filter_build_skips_unknown);
	suite_add_tcase(s, tc);

	tc = tcase_create("sbx_filter_fingerprint");
	tcase_add_test(tc, test_sbx_filter_fingerprint_same);
	tcase_add_test(tc, test_sbx_filter_fingerprint_differs);
	suite_add_tcase(s, tc);

	tc = tcase_create("sbx_filter_compile");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_sbx_filter_compile_default);
	tcase_add_test(tc, test_sbx_filter_compile_other_policy);
	suite_add_tcase(s, tc);

	tc = tcase_create("sbx_filter_free");
	tcase_add_test(tc, test_sbx_filter_free_twice);
	suite_add_tcase(s, tc);

	tc = tcase_create("sbx_jail_new");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_sbx_jail_new_default);
	tcase_add_test(tc, test_sbx_jail_new_unknown_syscall);
	tcase_add_test(tc, test_sbx_jail_new_eperm_default);
	tcase_add_test(tc, test_sbx_jail_new_root_identity);
	tcase_add_test(tc, test_sbx_jail_new_other_identity);
	suite_add_tcase(s, tc);

	tc = tcase_create("sbx_jail_free");
	tcase_add_test(tc, test_sbx_jail_free_null);
	suite_add_tcase(s, tc);

	return s;
}

int main(void)
{
	tap_seccomp_api();
	return tap_run(filter_suite());
}
