/* SPDX-License-Identifier: GPL-2.0-or-later */
/* spp-selftest's probes of the host: what the kernel lets this user do,
 * one line each. */
#ifndef SPP_SELFTEST_PROBE_H
#define SPP_SELFTEST_PROBE_H

#include <sys/types.h>

/* One line of the self-test: ok says whether the host has the feature,
 * text what the line says after "NAME: " (the reason when it does not,
 * and the cure). Probes that change the process do it in a child. */
struct probe_line {
	int ok;
	char text[480];
};

/* New user, mount, pid, ipc, uts and cgroup namespaces, an id map and a
 * mount in them: what spp-run needs. When refused, the cause (the
 * sysctls kernel.unprivileged_userns_clone, user.max_user_namespaces,
 * kernel.apparmor_restrict_unprivileged_userns) and its cure. */
void probe_userns(struct probe_line *l);
/* A network namespace (inside a new user namespace). */
void probe_netns(struct probe_line *l);
/* seccomp with a user-notification listener (SECCOMP_RET_USER_NOTIF,
 * SECCOMP_GET_NOTIF_SIZES, SECCOMP_FILTER_FLAG_NEW_LISTENER). */
void probe_seccomp(struct probe_line *l);
/* Landlock and its ABI version (informational: spp-run does not use it). */
void probe_landlock(struct probe_line *l);
/* The cgroup a run gets (sbx_cgroup_probe), config as SPPSANDBOX_CGROUP. */
void probe_cgroup(struct probe_line *l, const char *config);
/* Whether the kernel runs x32 and i386 system calls (informational: the
 * filter denies them whatever the kernel does). */
void probe_x32(struct probe_line *l);
void probe_i386(struct probe_line *l);

/* The cause of a refused user namespace for user euid and its cure, from
 * the sysctls below procsys ("/proc/sys"), or "" when no known setting
 * explains it; a static string. */
const char *probe_userns_cause(const char *procsys, uid_t euid);

#endif
