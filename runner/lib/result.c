/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What a run's result means: failed or not, and why it was killed. */
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbx.h"

void sbx_result_clear(struct sbx_result *r)
{
	free(r->out);
	free(r->err);
	free(r->learned);
	free(r->diag);
	memset(r, 0, sizeof(*r));
	r->syscall_nr = -1;
}

int sbx_result_failed(const struct sbx_result *r, const struct sbx_policy *p)
{
	/* qmail-spp's own failure cases (can't execute = 120, crash) plus
	 * every way the sandbox ends a plugin early. */
	return !r->started || r->kill != SBX_KILL_NONE || !r->exited ||
	       r->exit_code == 120 || (p && p->exit_fails && r->exit_code);
}

void sbx_syscall_name(int nr, uint32_t arch, char *buf, size_t len)
{
	char *name = NULL;

	if (arch == seccomp_arch_native() && nr >= 0 && nr < 0x40000000)
		name = seccomp_syscall_resolve_num_arch(arch, nr);
	if (name)
		snprintf(buf, len, "%s", name);
	else if (arch == SCMP_ARCH_X86)
		snprintf(buf, len, "i386:%d", nr);
	else if (arch == SCMP_ARCH_X86_64 && nr >= 0x40000000)
		snprintf(buf, len, "x32:%d", nr - 0x40000000);
	else
		snprintf(buf, len, "%#x:%d", arch, nr);
	free(name);
}

void sbx_result_killed(const struct sbx_result *r, char *buf, size_t len)
{
	char name[64];

	switch (r->kill) {
	case SBX_KILL_NONE:
		snprintf(buf, len, "%s", "");
		break;
	case SBX_KILL_TIMEOUT:
		snprintf(buf, len, "timeout");
		break;
	case SBX_KILL_CPU:
		snprintf(buf, len, "cpu");
		break;
	case SBX_KILL_MEMORY:
		snprintf(buf, len, "memory");
		break;
	case SBX_KILL_OUTPUT:
		snprintf(buf, len, "output");
		break;
	case SBX_KILL_SIGNAL:
		snprintf(buf, len, "signal %d", r->term_signal);
		break;
	case SBX_KILL_SYSCALL:
		sbx_syscall_name(r->syscall_nr, r->syscall_arch, name,
				 sizeof(name));
		snprintf(buf, len, "syscall %s", name);
		break;
	}
}
