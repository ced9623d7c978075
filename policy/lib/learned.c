/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Policies learned from runs in learn mode: one run's policy (the calls,
 * families, destinations and paths it used; the commands it printed; a
 * timeout from its wall time; the variables it was given), the union of
 * several runs' (each code path adds what it needed), and the file that
 * holds them, written whole. */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "pol.h"
#include "verdict.h"

_Static_assert(SBX_LEARN_PATHS <= POL_PATHS_MAX,
	       "the paths one run can show must fit a policy");

/* Calls that do one job in ways a library picks at run time (whether an
 * answer is already there, which libc, which buffer): one seen, all are
 * learned, or a path not taken in the learning runs would be killed. */
static const char *const wait_calls[] = { "poll",	  "ppoll",
					  "select",	  "pselect6",
					  "epoll_wait",	  "epoll_pwait",
					  "epoll_pwait2", NULL };
static const char *const read_calls[] = { "read", "readv", "pread64", "preadv",
					  NULL };
static const char *const write_calls[] = { "write", "writev", "pwrite64",
					   "pwritev", NULL };
static const char *const recv_calls[] = { "recvfrom", "recvmsg", "recvmmsg",
					  NULL };
static const char *const stat_calls[] = { "stat",	"fstat", "lstat",
					  "newfstatat", "statx", NULL };
static const char *const sleep_calls[] = { "nanosleep", "clock_nanosleep",
					   NULL };
static const char *const open_calls[] = { "open", "openat", NULL };
static const char *const access_calls[] = { "access", "faccessat", "faccessat2",
					    NULL };
static const char *const reap_calls[] = { "wait4", "waitid", NULL };
/* a handler installed may return on another path */
static const char *const signal_calls[] = { "rt_sigaction", "rt_sigreturn",
					    NULL };

static const char *const *const siblings[] = {
	wait_calls, read_calls,	  write_calls, recv_calls,
	stat_calls, sleep_calls,  open_calls,  access_calls,
	reap_calls, signal_calls, NULL,
};

/* Descriptors that may have to be waited for: whether a run waited
 * (an answer not there yet) is a race. */
static const char *const waitable[] = {
	"socket",	 "pipe",     "pipe2", "epoll_create",
	"epoll_create1", "eventfd2", NULL
};

static int seen_any(const struct sbx_strv *sys, const char *const *names)
{
	for (size_t i = 0; names[i]; i++)
		if (sbx_strv_has(sys, names[i]))
			return 1;
	return 0;
}

/* Add the siblings of every call learned. */
static int add_siblings(struct sbx_strv *sys, struct sbx_error *err)
{
	for (size_t g = 0; siblings[g]; g++) {
		int seen =
			seen_any(sys, siblings[g]) ||
			(siblings[g] == wait_calls && seen_any(sys, waitable));

		for (size_t i = 0; seen && siblings[g][i]; i++)
			if (!sbx_strv_has(sys, siblings[g][i]) &&
			    sbx_syscall_known(siblings[g][i]) &&
			    sbx_strv_add(sys, siblings[g][i], err) < 0)
				return -1;
	}
	return 0;
}

/* Variables every process has, none of them a plugin's configuration
 * (PATH is one: a plugin may run programs by name). */
static const char *const system_vars[] = {
	"HOME",	    "PWD",  "OLDPWD",  "SHLVL",	   "_",
	"TERM",	    "USER", "LOGNAME", "SHELL",	   "LANG",
	"LANGUAGE", "TZ",   "MAIL",    "HOSTNAME", NULL,
};

/* The default's patterns: the qmail-spp protocol's variables. */
static const char *const protocol_vars[] = { "SMTP*", "TCP*", "RELAYCLIENT",
					     NULL };

static int system_var(const char *kv, size_t n)
{
	for (size_t i = 0; system_vars[i]; i++)
		if (strlen(system_vars[i]) == n &&
		    strncmp(kv, system_vars[i], n) == 0)
			return 1;
	/* LC_*, and what the protocol patterns pass anyway */
	return (n > 3 && strncmp(kv, "LC_", 3) == 0) ||
	       strncmp(kv, "SPP", 3) == 0 || /* ours: how spp-run is run */
	       strncmp(kv, "SMTP", 4) == 0 || strncmp(kv, "TCP", 3) == 0 ||
	       (n == 11 && strncmp(kv, "RELAYCLIENT", 11) == 0);
}

/* The names of env (NAME=value), as a policy's env list: the protocol's
 * patterns and each other variable the plugin was given. */
static int learn_env(struct sbx_policy *p, char *const env[],
		     struct sbx_error *err)
{
	char name[POL_VAR_LEN + 1];

	sbx_strv_clear(&p->env_pass);
	for (size_t i = 0; protocol_vars[i]; i++)
		if (sbx_strv_add(&p->env_pass, protocol_vars[i], err) < 0)
			return -1;
	for (size_t i = 0; env && env[i]; i++) {
		size_t n = strcspn(env[i], "=");

		if (!env[i][n] || n == 0 || n > POL_VAR_LEN ||
		    system_var(env[i], n) || p->env_pass.n >= POL_VARS_MAX ||
		    !strncmp(env[i], "LD_", 3))
			continue;
		memcpy(name, env[i], n);
		name[n] = '\0';
		if (!sbx_strv_has(&p->env_pass, name) &&
		    sbx_strv_add(&p->env_pass, name, err) < 0)
			return -1;
	}
	p->env_set = 1;
	return 0;
}

int pol_learned_policy(const struct pol_learn_run *run, struct sbx_policy *p,
		       struct sbx_error *err)
{
	const struct sbx_learned *l = run->learned;
	uint64_t timeout;

	if (sbx_policy_default(p, err) < 0)
		return -1;
	if (l->tcp_ports.n || l->udp_ports.n)
		p->net = l->remote ? SBX_NET_HOST : SBX_NET_LOOPBACK;
	p->tcp_ports = l->tcp_ports;
	p->udp_ports = l->udp_ports;
	p->families = l->families;
	for (unsigned int i = 0; i < l->npaths; i++)
		if (sbx_policy_add_path(p, l->paths[i], l->writable[i], err) <
		    0)
			goto fail;
	sbx_strv_clear(&p->syscalls);
	for (int nr = 0; nr < 512; nr++) {
		char *name;
		int rc;

		if (!(l->syscalls[nr / 64] & (1ull << (nr % 64))))
			continue;
		name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
		if (!name)
			continue;
		rc = sbx_syscall_denied(name) ?
			     0 :
			     sbx_strv_add(&p->syscalls, name, err);
		free(name);
		if (rc < 0)
			goto fail;
	}
	if (add_siblings(&p->syscalls, err) < 0)
		goto fail;
	/* What it printed; a plugin that printed nothing here may still
	 * reject on a path not run: E, the safe command, at least. */
	p->verdicts = run->verdicts ? run->verdicts : SPP_CMD_E;
	/* four times the run's wall time, in whole seconds, at least 2s: a
	 * slow DNS answer must not turn into a deferral */
	timeout = ((uint64_t)(run->wall_ms * 4) + 999) / 1000 * 1000;
	p->timeout_ms = timeout < 2000 ? 2000 : timeout;
	if (run->timed_out && p->timeout_ms < 60000)
		p->timeout_ms = 60000;
	if (learn_env(p, run->env, err) < 0)
		goto fail;
	return 0;
fail:
	sbx_policy_clear(p);
	return -1;
}

static void merge_ports(struct sbx_ports *dst, const struct sbx_ports *src)
{
	for (unsigned int i = 0; i < src->n; i++) {
		unsigned int k = 0;

		while (k < dst->n && dst->v[k] != src->v[i])
			k++;
		if (k == dst->n && dst->n < SBX_MAX_PORTS)
			dst->v[dst->n++] = src->v[i];
	}
}

static int merge_strv(struct sbx_strv *dst, const struct sbx_strv *src,
		      struct sbx_error *err)
{
	for (size_t i = 0; i < src->n; i++)
		if (!sbx_strv_has(dst, src->v[i]) &&
		    sbx_strv_add(dst, src->v[i], err) < 0)
			return -1;
	return 0;
}

#define MAX(field)                               \
	do {                                     \
		if (src->field > dst->field)     \
			dst->field = src->field; \
	} while (0)

int pol_merge(struct sbx_policy *dst, const struct sbx_policy *src,
	      struct sbx_error *err)
{
	MAX(timeout_ms);
	MAX(cpu_ms);
	MAX(memory);
	MAX(procs);
	MAX(files);
	MAX(fsize);
	MAX(stdout_max);
	MAX(stderr_max);
	MAX(tmpfs_size);
	MAX(net); /* none < loopback < host */
	dst->families |= src->families;
	dst->verdicts |= src->verdicts;
	merge_ports(&dst->tcp_ports, &src->tcp_ports);
	merge_ports(&dst->udp_ports, &src->udp_ports);
	for (size_t i = 0; i < src->npaths; i++) {
		size_t k = 0;

		while (k < dst->npaths &&
		       strcmp(dst->paths[k].path, src->paths[i].path))
			k++;
		if (k < dst->npaths)
			dst->paths[k].writable |= src->paths[i].writable;
		else if (dst->npaths < POL_PATHS_MAX &&
			 sbx_policy_add_path(dst, src->paths[i].path,
					     src->paths[i].writable, err) < 0)
			return -1;
	}
	if (merge_strv(&dst->syscalls, &src->syscalls, err) < 0 ||
	    merge_strv(&dst->setvars, &src->setvars, err) < 0 ||
	    merge_strv(&dst->env_pass, &src->env_pass, err) < 0)
		return -1;
	dst->env_set |= src->env_set;
	return 0;
}

int pol_learned_write(const char *path, const char *plugin,
		      const struct sbx_policy *p, struct sbx_error *err)
{
	char head[600], esc[300], *text = NULL;
	struct iovec iov[2];
	size_t len = 0;
	int rc;

	if (pol_dump(p, &text, &len) < 0)
		return sbx_fail(err, ENOMEM, "learn: out of memory");
	snprintf(head, sizeof(head),
		 "# Learned in learn mode for %s: the union of what each run\n"
		 "# used, no more. Run the plugin's other paths (more SMTP\n"
		 "# dialogues) before use, review, then spp-policy install.\n",
		 sbx_escape(esc, sizeof(esc), plugin, strlen(plugin)));
	iov[0].iov_base = head;
	iov[0].iov_len = strlen(head);
	iov[1].iov_base = text;
	iov[1].iov_len = len;
	rc = sbx_file_replace(path, iov, 2, 0644, err);
	free(text);
	return rc;
}

int pol_learned_into(const char *path, const char *plugin,
		     const struct pol_learn_run *run, struct sbx_error *err)
{
	struct sbx_policy learned, have;
	int rc;

	if (pol_learned_policy(run, &learned, err) < 0)
		return -1;
	if (pol_parse_file(path, &have, err) < 0) {
		if (err->code != ENOENT) {
			sbx_policy_clear(&learned);
			return -1;
		}
		/* the first run: its policy is the file */
		rc = pol_learned_write(path, plugin, &learned, err);
		sbx_policy_clear(&learned);
		return rc;
	}
	rc = pol_merge(&have, &learned, err);
	if (rc == 0)
		rc = pol_learned_write(path, plugin, &have, err);
	sbx_policy_clear(&have);
	sbx_policy_clear(&learned);
	return rc;
}
