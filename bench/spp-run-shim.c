/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The session benchmark's stand-in for spp-run: takes the hook layer's
 * arguments (... -- PLUGIN [ARGS]) and execs the plugin unsandboxed. The
 * baseline is qmail-spp 0.42, which forks and execs the plugin itself: on
 * x86-64 the stand-in is freestanding (no C library start-up, a few pages)
 * so that its own exec adds next to nothing to the plugin's. */
#if defined(__x86_64__) && defined(__linux__)
#include <asm/unistd.h>

static long sys3(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return ret;
}

static void __attribute__((noreturn)) quit(long status, const char *msg)
{
	long len = 0;

	while (msg[len])
		len++;
	sys3(__NR_write, 2, (long)msg, len);
	for (;;)
		sys3(__NR_exit_group, status, 0, 0);
}

static int dashdash(const char *s)
{
	return s[0] == '-' && s[1] == '-' && s[2] == '\0';
}

void shim_main(long *sp);

/* The kernel's initial stack: argc, argv[], NULL, envp[], NULL. */
void __attribute__((noreturn, used)) shim_main(long *sp)
{
	long argc = sp[0], i;
	char **argv = (char **)(sp + 1), **envp = argv + argc + 1;

	for (i = 1; i < argc && !dashdash(argv[i]); i++)
		;
	if (i + 1 >= argc)
		quit(100, "spp-run-shim: fatal: usage: spp-run-shim ... -- "
			  "PLUGIN\n");
	sys3(__NR_execve, (long)argv[i + 1], (long)(argv + i + 1), (long)envp);
	quit(111, "spp-run-shim: fatal: exec failed\n");
}

__asm__(".text\n"
	".global _start\n"
	"_start:\n"
	"	xor %rbp, %rbp\n"
	"	mov %rsp, %rdi\n"
	"	and $-16, %rsp\n"
	"	call shim_main\n");
#else
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	int i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--"))
			break;
	if (i + 1 >= argc) {
		fputs("spp-run-shim: fatal: usage: spp-run-shim ... -- PLUGIN\n",
		      stderr);
		return 100;
	}
	execv(argv[i + 1], argv + i + 1);
	perror("spp-run-shim: fatal: exec");
	return 111;
}
#endif
