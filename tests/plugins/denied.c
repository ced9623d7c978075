/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A hostile test plugin: makes one system call that the sandbox always
 * denies, named by argv[1], with harmless arguments and straight through
 * syscall(2). Prints "E550 NAME rc=R errno=E" if the call returns at all. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

/* Numbers shared by all architectures since Linux 5.1. */
#ifndef __NR_io_uring_setup
#define __NR_io_uring_setup 425
#endif
#ifndef __NR_io_uring_enter
#define __NR_io_uring_enter 426
#endif
#ifndef __NR_io_uring_register
#define __NR_io_uring_register 427
#endif
#ifndef __NR_open_tree
#define __NR_open_tree 428
#endif
#ifndef __NR_move_mount
#define __NR_move_mount 429
#endif
#ifndef __NR_fsopen
#define __NR_fsopen 430
#endif
#ifndef __NR_fsconfig
#define __NR_fsconfig 431
#endif
#ifndef __NR_fsmount
#define __NR_fsmount 432
#endif
#ifndef __NR_fspick
#define __NR_fspick 433
#endif
#ifndef __NR_pidfd_getfd
#define __NR_pidfd_getfd 438
#endif
#ifndef __NR_mount_setattr
#define __NR_mount_setattr 442
#endif

static char buf[64];

/* A raw clone(2) that creates a namespace; the child (if any) leaves. */
static long clone_ns(unsigned long flags)
{
	long rc = syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);

	if (rc == 0)
		_exit(0);
	return rc;
}

static long call(const char *name)
{
	struct iovec local = { buf, 8 }, remote = { buf + 8, 8 };

	if (!strcmp(name, "getpid")) /* allowed: the control row */
		return syscall(SYS_getpid);
	if (!strcmp(name, "personality-query")) /* allowed */
		return syscall(SYS_personality, 0xffffffffUL);
	if (!strcmp(name, "ptrace"))
		return syscall(SYS_ptrace, PTRACE_TRACEME, 0, 0, 0);
	if (!strcmp(name, "process_vm_readv"))
		return syscall(SYS_process_vm_readv, getpid(), &local, 1,
			       &remote, 1, 0);
	if (!strcmp(name, "process_vm_writev"))
		return syscall(SYS_process_vm_writev, getpid(), &local, 1,
			       &remote, 1, 0);
	if (!strcmp(name, "mount"))
		return syscall(SYS_mount, "none", "/nonexistent-sbx", "tmpfs",
			       0, NULL);
	if (!strcmp(name, "umount2"))
		return syscall(SYS_umount2, "/nonexistent-sbx", 0);
	if (!strcmp(name, "pivot_root"))
		return syscall(SYS_pivot_root, "/nonexistent-sbx",
			       "/nonexistent-sbx2");
	if (!strcmp(name, "chroot"))
		return syscall(SYS_chroot, "/nonexistent-sbx");
	if (!strcmp(name, "unshare"))
		return syscall(SYS_unshare, CLONE_NEWUTS);
	if (!strcmp(name, "setns"))
		return syscall(SYS_setns, -1, 0);
	if (!strcmp(name, "keyctl"))
		return syscall(SYS_keyctl, 9999, 0, 0, 0, 0);
	if (!strcmp(name, "add_key"))
		return syscall(SYS_add_key, "sbx-nonexistent", "x", "x", 1, -2);
	if (!strcmp(name, "request_key"))
		return syscall(SYS_request_key, "sbx-nonexistent", "x", NULL,
			       0);
	if (!strcmp(name, "bpf"))
		return syscall(SYS_bpf, -1, NULL, 0);
	if (!strcmp(name, "perf_event_open"))
		return syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0);
	if (!strcmp(name, "userfaultfd"))
		return syscall(SYS_userfaultfd, O_CLOEXEC);
	if (!strcmp(name, "io_uring_setup"))
		return syscall(__NR_io_uring_setup, 0, NULL);
	if (!strcmp(name, "io_uring_enter"))
		return syscall(__NR_io_uring_enter, -1, 0, 0, 0, NULL, 0);
	if (!strcmp(name, "io_uring_register"))
		return syscall(__NR_io_uring_register, -1, 0, NULL, 0);
	/* Invalid flags: EINVAL even with CAP_SYS_BOOT. */
	if (!strcmp(name, "kexec_load"))
		return syscall(SYS_kexec_load, 0, 0, NULL, 0xdead0000UL);
#ifdef SYS_kexec_file_load
	if (!strcmp(name, "kexec_file_load"))
		return syscall(SYS_kexec_file_load, -1, -1, 0, NULL,
			       0xdead0000UL);
#endif
	if (!strcmp(name, "init_module"))
		return syscall(SYS_init_module, buf, 0, "");
	if (!strcmp(name, "finit_module"))
		return syscall(SYS_finit_module, -1, "", 0);
	if (!strcmp(name, "delete_module"))
		return syscall(SYS_delete_module, "sbx_nonexistent",
			       O_NONBLOCK);
	if (!strcmp(name, "personality"))
		return syscall(SYS_personality, PER_BSD);
	if (!strcmp(name, "tiocsti")) /* fd 0 is /dev/null: ENOTTY */
		return syscall(SYS_ioctl, 0, TIOCSTI, "x");
	if (!strcmp(name, "tiocsti1"))
		return syscall(SYS_ioctl, 1, TIOCSTI, "x");
	if (!strcmp(name, "tiocsti2"))
		return syscall(SYS_ioctl, 2, TIOCSTI, "x");
	/* the kernel drops the request's upper 32 bits: still TIOCSTI */
	if (!strcmp(name, "tiocsti-hi"))
		return syscall(SYS_ioctl, 0, 1UL << 32 | TIOCSTI, "x");
	if (!strcmp(name, "tioclinux"))
		return syscall(SYS_ioctl, 0, TIOCLINUX, buf);
	if (!strcmp(name, "clone-newuser"))
		return clone_ns(CLONE_NEWUSER);
	if (!strcmp(name, "clone-newns"))
		return clone_ns(CLONE_NEWNS);
	if (!strcmp(name, "clone-newnet"))
		return clone_ns(CLONE_NEWNET);
	if (!strcmp(name, "open_by_handle_at"))
		return syscall(SYS_open_by_handle_at, -1, NULL, 0);
	if (!strcmp(name, "pidfd_getfd"))
		return syscall(__NR_pidfd_getfd, -1, 0, 0);
	if (!strcmp(name, "open_tree"))
		return syscall(__NR_open_tree, -1, "/nonexistent-sbx", 0);
	if (!strcmp(name, "move_mount"))
		return syscall(__NR_move_mount, -1, "", -1, "", 0);
	if (!strcmp(name, "fsopen"))
		return syscall(__NR_fsopen, "sbxnonexistentfs", 0);
	if (!strcmp(name, "fsconfig"))
		return syscall(__NR_fsconfig, -1, 0, NULL, NULL, 0);
	if (!strcmp(name, "fsmount"))
		return syscall(__NR_fsmount, -1, 0, 0);
	if (!strcmp(name, "fspick"))
		return syscall(__NR_fspick, -1, "/nonexistent-sbx", 0);
	if (!strcmp(name, "mount_setattr"))
		return syscall(__NR_mount_setattr, -1, "/nonexistent-sbx", 0,
			       NULL, 0);
	fprintf(stderr, "denied: unknown call %s\n", name);
	_exit(2);
}

int main(int argc, char **argv)
{
	long rc;

	if (argc < 2) {
		fputs("denied: usage: denied SYSCALL\n", stderr);
		return 2;
	}
	rc = call(argv[1]);
	printf("E550 %s rc=%ld errno=%d\n", argv[1], rc < 0 ? -1 : rc,
	       rc < 0 ? errno : 0);
	return 0;
}
