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
	memset(r, 0, sizeof(*r));
	r->syscall_nr = -1;
}

int sbx_result_failed(const struct sbx_result *r)
{
	/* qmail-spp's own failure cases (can't execute = 120, crash) plus
	 * every way the sandbox ends a plugin early. */
	return !r->started || r->kill != SBX_KILL_NONE || !r->exited ||
	       r->exit_code == 120;
}

void sbx_result_killed(const struct sbx_result *r, char *buf, size_t len)
{
	char *name;

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
		name = NULL;
		if (r->syscall_arch == seccomp_arch_native() &&
		    r->syscall_nr >= 0 && r->syscall_nr < 0x40000000)
			name = seccomp_syscall_resolve_num_arch(r->syscall_arch,
								r->syscall_nr);
		if (name)
			snprintf(buf, len, "syscall %s", name);
		else if (r->syscall_arch == SCMP_ARCH_X86)
			snprintf(buf, len, "syscall i386:%d", r->syscall_nr);
		else if (r->syscall_arch == SCMP_ARCH_X86_64 &&
			 r->syscall_nr >= 0x40000000)
			snprintf(buf, len, "syscall x32:%d",
				 r->syscall_nr - 0x40000000);
		else
			snprintf(buf, len, "syscall %#x:%d", r->syscall_arch,
				 r->syscall_nr);
		free(name);
		break;
	}
}
