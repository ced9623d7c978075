/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Landlock scoping of the plugin: no abstract Unix socket and no signal
 * reaches past its own Landlock domain, whatever namespaces it shares.
 * Runs in the plugin child before its filter: system calls only. */
#include <errno.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"

/* Kernel headers older than Linux 6.12 lack scopes; the ABI is fixed. */
#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset 444
#endif
#ifndef __NR_landlock_restrict_self
#define __NR_landlock_restrict_self 446
#endif
#define LL_CREATE_RULESET_VERSION (1U << 0)
#define LL_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
#define LL_SCOPE_SIGNAL (1ULL << 1)
/* Scopes came with Landlock ABI 6 (Linux 6.12). */
#define LL_ABI_SCOPES 6

/* struct landlock_ruleset_attr as of ABI 6 */
struct ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

int sbx_landlock_scopes(void)
{
	return syscall(__NR_landlock_create_ruleset, NULL, 0,
		       LL_CREATE_RULESET_VERSION) >= LL_ABI_SCOPES;
}

int sbx_landlock_scope(void)
{
	struct ll_ruleset_attr attr = {
		0, 0, LL_SCOPE_ABSTRACT_UNIX_SOCKET | LL_SCOPE_SIGNAL
	};
	long abi = syscall(__NR_landlock_create_ruleset, NULL, 0,
			   LL_CREATE_RULESET_VERSION);
	int fd, rc;

	/* no Landlock, or one without scopes: the namespaces alone
	 * separate runs, as before */
	if (abi < LL_ABI_SCOPES)
		return 0;
	fd = (int)syscall(__NR_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (fd < 0)
		return -1;
	/* needs no_new_privs, which init set before forking us */
	rc = (int)syscall(__NR_landlock_restrict_self, fd, 0);
	close(fd);
	return rc;
}
