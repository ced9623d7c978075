/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The built-in default policy: strict, and what an unknown plugin gets. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sbx.h"
#include "verdict.h"

/* The qmail-spp protocol variables a plugin needs to decide anything, and
 * RELAYCLIENT, which plugins consult to skip relaying clients. */
static const char *const default_env[] = {
	"SMTP*",
	"TCP*",
	"RELAYCLIENT",
	NULL,
};

int sbx_policy_default(struct sbx_policy *p, struct sbx_error *err)
{
	const char *const *sys = sbx_syscall_group("default");

	memset(p, 0, sizeof(*p));
	p->timeout_ms = 5000;
	p->cpu_ms = 2000;
	p->memory = 256ull << 20;
	p->procs = 16;
	p->files = 64;
	p->fsize = 16ull << 20;
	p->stdout_max = 64ull << 10;
	p->stderr_max = 16ull << 10;
	p->tmpfs_size = 8ull << 20;
	p->net = SBX_NET_NONE;
	p->families = SBX_AF_UNIX | SBX_AF_INET | SBX_AF_INET6;
	p->uid = 65534;
	p->gid = 65534;
	p->owner = geteuid();
	p->sysdefault = SBX_SYS_KILL;
	p->verdicts = SPP_CMD_DEFAULT;
	p->fail = SBX_FAIL_DEFER;
	/* Names this architecture lacks stay listed (the filter skips
	 * them): checking each one costs libseccomp a linear search. */
	for (size_t i = 0; sys[i]; i++)
		if (sbx_strv_add(&p->syscalls, sys[i], err) < 0)
			goto fail;
	for (size_t i = 0; default_env[i]; i++)
		if (sbx_strv_add(&p->env_pass, default_env[i], err) < 0)
			goto fail;
	return 0;
fail:
	sbx_policy_clear(p);
	return -1;
}

void sbx_policy_clear(struct sbx_policy *p)
{
	for (size_t i = 0; i < p->npaths; i++)
		free(p->paths[i].path);
	free(p->paths);
	free(p->workdir);
	free(p->fail_text);
	sbx_strv_clear(&p->syscalls);
	sbx_strv_clear(&p->setvars);
	sbx_strv_clear(&p->env_pass);
	memset(p, 0, sizeof(*p));
}

int sbx_policy_add_path(struct sbx_policy *p, const char *path, int writable,
			struct sbx_error *err)
{
	struct sbx_path *v;
	char *copy;

	if (path[0] != '/')
		return sbx_fail(err, EINVAL, "%s: path is not absolute", path);
	copy = strdup(path);
	if (!copy)
		return sbx_fail(err, ENOMEM, "%s: out of memory", path);
	v = realloc(p->paths, (p->npaths + 1) * sizeof(*v));
	if (!v) {
		free(copy);
		return sbx_fail(err, ENOMEM, "%s: out of memory", path);
	}
	v[p->npaths].path = copy;
	v[p->npaths].writable = writable;
	p->paths = v;
	p->npaths++;
	return 0;
}

const char *sbx_policy_fail_line(const struct sbx_policy *p)
{
	switch (p->fail) {
	case SBX_FAIL_CONTINUE:
		return NULL;
	case SBX_FAIL_REJECT:
		return p->fail_text ?
			       p->fail_text :
			       "E554 plugin failed, message refused (#5.3.0)";
	case SBX_FAIL_DEFER:
	default:
		return p->fail_text ?
			       p->fail_text :
			       "E451 plugin failed, try again later (#4.3.0)";
	}
}
