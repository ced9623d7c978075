/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Identity and capabilities: switch to the unprivileged ids and drop every
 * capability from every set, bounding and ambient included (libcap). */
#include <grp.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "internal.h"

int sbx_caps_set_ids(const struct sbx_jail *j, const char **what)
{
	/* Supplementary groups can only be cleared where setgroups(2) was
	 * left allowed, i.e. when the parent is root. */
	if (j->privileged && setgroups(0, NULL) < 0) {
		*what = "setgroups";
		return -1;
	}
	if (setresgid(j->gid, j->gid, j->gid) < 0) {
		*what = "setresgid";
		return -1;
	}
	if (setresuid(j->uid, j->uid, j->uid) < 0) {
		*what = "setresuid";
		return -1;
	}
	return 0;
}

/* Called after sbx_caps_set_ids: the ids inside are not the namespace's
 * root, so the kernel keeps our capabilities across setresuid and they
 * must go explicitly. Bounding first: dropping it needs CAP_SETPCAP. */
int sbx_caps_drop_all(const struct sbx_jail *j, const char **what)
{
	for (cap_value_t c = 0; c <= CAP_LAST_CAP; c++)
		if (cap_drop_bound(c) < 0 && CAP_IS_SUPPORTED(c)) {
			*what = "cap_drop_bound";
			return -1;
		}
	if (cap_reset_ambient() < 0) {
		*what = "cap_reset_ambient";
		return -1;
	}
	if (cap_set_proc(j->nocaps) < 0) {
		*what = "cap_set_proc";
		return -1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		*what = "no_new_privs";
		return -1;
	}
	return 0;
}
