/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Policy file parser and canonical dump. One table of directives drives
 * both, so every directive the parser knows is also dumped. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pol.h"
#include "verdict.h"

/* Room for a token quoted in an error message (escaped, truncated). */
#define TOKQ 64

/* The syscall allowlist while it is being built: names added and removed
 * in file order, copied into the policy sorted at the end. Owns v[i]. */
struct names {
	char **v;
	size_t n, cap;
};

struct parser {
	char ename[128]; /* the file name, escaped for messages */
	unsigned int line; /* current line, from 1 */
	struct sbx_policy *p;
	unsigned long seen; /* bit per directive already given */
	int first; /* first line of the current directive */
	int sys_given; /* a syscalls line was seen: use sys */
	unsigned int ports_line; /* first tcp-ports/udp-ports line */
	struct names sys;
	struct sbx_error *err;
};

struct directive;
typedef int (*parse_fn)(struct parser *ps, const struct directive *d, char **v,
			size_t n);
struct out;
typedef void (*dump_fn)(struct out *o, const struct directive *d,
			const struct sbx_policy *p);

enum kind {
	K_TIME = 1,
	K_SIZE,
	K_COUNT,
};

struct directive {
	const char *name;
	int scalar; /* given at most once, with exactly one value */
	parse_fn parse;
	dump_fn dump;
	/* limits only: field, unit kind and accepted range */
	size_t off;
	enum kind kind;
	uint64_t min, max;
};

/* A growable output buffer; bad is set once an allocation failed. */
/* The dump's text; bad once out of memory (checked at the end). */
struct out {
	struct sbx_buf b;
	int bad;
};

static int fail(struct parser *ps, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct parser *ps, int code, const char *fmt, ...)
{
	char why[sizeof(ps->err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return sbx_fail(ps->err, code, "%s:%u: %s", ps->ename, ps->line, why);
}

/* A token for an error message: the policy may hold any non-control byte. */
static const char *q(char buf[TOKQ], const char *tok)
{
	return sbx_escape(buf, TOKQ, tok, strlen(tok));
}

static int lookup(const char *const *names, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (names[i] && strcmp(names[i], s) == 0)
			return (int)i;
	return -1;
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char *const net_names[] = {
	[SBX_NET_NONE] = "none",
	[SBX_NET_LOOPBACK] = "loopback",
	[SBX_NET_HOST] = "host",
};

static const char *const sysdefault_names[] = {
	[SBX_SYS_KILL] = "kill",
	[SBX_SYS_EPERM] = "eperm",
	[SBX_SYS_COMPLAIN] = "complain",
};

static const char *const exit_names[] = { "ignore", "fail" };

static const char *const fail_names[] = {
	[SBX_FAIL_DEFER] = "defer",
	[SBX_FAIL_CONTINUE] = "continue",
	[SBX_FAIL_REJECT] = "reject",
};

/* Bit i is SBX_AF_* 1 << i, in dump order. */
static const char *const family_names[] = {
	"unix",
	"inet",
	"inet6",
	"netlink",
};

_Static_assert(POL_PATHS_MAX <= SBX_PATHS_MAX,
	       "a policy the parser accepts must fit the sandbox's view");
_Static_assert(SBX_AF_UNIX == 1u << 0 && SBX_AF_INET == 1u << 1 &&
		       SBX_AF_INET6 == 1u << 2 && SBX_AF_NETLINK == 1u << 3,
	       "family_names[i] is SBX_AF_* bit i");

/* ---- names (the syscall allowlist under construction) ---- */

static int names_find(const struct names *ns, const char *s)
{
	size_t i;

	for (i = 0; i < ns->n; i++)
		if (strcmp(ns->v[i], s) == 0)
			return (int)i;
	return -1;
}

static int names_add(struct names *ns, const char *s)
{
	char *c;

	if (names_find(ns, s) >= 0)
		return 0;
	if (ns->n == ns->cap) {
		size_t cap = ns->cap ? 2 * ns->cap : 64;
		char **v;

		if (cap > SIZE_MAX / sizeof(*v))
			return -1;
		v = realloc(ns->v, cap * sizeof(*v));
		if (!v)
			return -1;
		ns->v = v;
		ns->cap = cap;
	}
	c = strdup(s);
	if (!c)
		return -1;
	ns->v[ns->n++] = c;
	return 0;
}

static void names_del(struct names *ns, const char *s)
{
	int i = names_find(ns, s);

	if (i < 0)
		return;
	free(ns->v[i]);
	memmove(&ns->v[i], &ns->v[i + 1],
		(ns->n - (size_t)i - 1) * sizeof(ns->v[0]));
	ns->n--;
}

static void names_free(struct names *ns)
{
	size_t i;

	for (i = 0; i < ns->n; i++)
		free(ns->v[i]);
	free(ns->v);
	ns->v = NULL;
	ns->n = ns->cap = 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- limits ---- */

static void format_value(enum kind kind, uint64_t v, char *buf, size_t len)
{
	if (kind == K_TIME)
		pol_format_time(v, buf, len);
	else if (kind == K_SIZE)
		pol_format_size(v, buf, len);
	else
		snprintf(buf, len, "%llu", (unsigned long long)v);
}

static int parse_count(const char *s, uint64_t *out, struct sbx_error *err)
{
	unsigned long long v;
	char *end, t[TOKQ];

	/* strtoull alone would take blanks, a sign and "-1" as 2^64-1. */
	if (*s < '0' || *s > '9')
		return sbx_fail(err, EINVAL, "bad number '%s'", q(t, s));
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end != '\0')
		return sbx_fail(err, EINVAL, "bad number '%s'", q(t, s));
	if (errno == ERANGE)
		return sbx_fail(err, ERANGE, "bad number '%s': too large",
				q(t, s));
	*out = v;
	return 0;
}

static uint64_t *limit_field(struct sbx_policy *p, const struct directive *d)
{
	return (uint64_t *)((char *)p + d->off);
}

static uint64_t limit_value(const struct sbx_policy *p,
			    const struct directive *d)
{
	return *(const uint64_t *)((const char *)p + d->off);
}

static int parse_limit(struct parser *ps, const struct directive *d, char **v,
		       size_t n)
{
	struct sbx_error e;
	char lo[24], hi[24];
	uint64_t val = 0;
	int r;

	(void)n;
	if (d->kind == K_TIME)
		r = pol_parse_time(v[0], &val, &e);
	else if (d->kind == K_SIZE)
		r = pol_parse_size(v[0], &val, &e);
	else
		r = parse_count(v[0], &val, &e);
	if (r < 0)
		return fail(ps, e.code, "%s", e.msg);
	if (val >= d->min && val <= d->max) {
		*limit_field(ps->p, d) = val;
		return 0;
	}
	format_value(d->kind, d->min, lo, sizeof(lo));
	format_value(d->kind, d->max, hi, sizeof(hi));
	if (d->max == UINT64_MAX)
		return fail(ps, ERANGE, "'%s' must be at least %s", d->name,
			    lo);
	return fail(ps, ERANGE, "'%s' must be between %s and %s", d->name, lo,
		    hi);
}

/* ---- keywords ---- */

static int keyword(struct parser *ps, const struct directive *d,
		   const char *const *names, size_t nnames, const char *tok)
{
	char t[TOKQ];
	int i = lookup(names, nnames, tok);

	if (i < 0)
		return fail(ps, EINVAL, "bad value '%s' for '%s'", q(t, tok),
			    d->name);
	return i;
}

static int parse_network(struct parser *ps, const struct directive *d, char **v,
			 size_t n)
{
	int i = keyword(ps, d, net_names, NELEM(net_names), v[0]);

	(void)n;
	if (i < 0)
		return -1;
	ps->p->net = (enum sbx_net)i;
	return 0;
}

static int parse_sysdefault(struct parser *ps, const struct directive *d,
			    char **v, size_t n)
{
	int i = keyword(ps, d, sysdefault_names, NELEM(sysdefault_names), v[0]);

	(void)n;
	if (i < 0)
		return -1;
	ps->p->sysdefault = (enum sbx_sysdefault)i;
	return 0;
}

static int parse_exitstatus(struct parser *ps, const struct directive *d,
			    char **v, size_t n)
{
	int i = keyword(ps, d, exit_names, NELEM(exit_names), v[0]);

	(void)n;
	if (i < 0)
		return -1;
	ps->p->exit_fails = i;
	return 0;
}

static int parse_onfailure(struct parser *ps, const struct directive *d,
			   char **v, size_t n)
{
	int i = keyword(ps, d, fail_names, NELEM(fail_names), v[0]);

	(void)n;
	if (i < 0)
		return -1;
	ps->p->fail = (enum sbx_fail_action)i;
	return 0;
}

static int parse_verdicts(struct parser *ps, const struct directive *d,
			  char **v, size_t n)
{
	unsigned int cmds = 0;
	const char *bad;
	size_t badlen;
	char esc[64];

	(void)d;
	(void)n;
	if (strcmp(v[0], "none") == 0) {
		ps->p->verdicts = 0;
		return 0;
	}
	if (spp_cmd_parse_list(v[0], &cmds, &bad, &badlen) < 0) {
		if (!badlen)
			return fail(ps, EINVAL, "verdicts: empty list");
		sbx_escape(esc, sizeof(esc), bad, badlen);
		return fail(ps, EINVAL, "verdicts: unknown command '%s'", esc);
	}
	ps->p->verdicts = cmds;
	return 0;
}

/* ---- lists ---- */

/* `none` alone says "empty list"; anywhere else it is a mistake. */
static int is_none(struct parser *ps, const struct directive *d, char **v,
		   size_t n)
{
	if (n == 1 && strcmp(v[0], "none") == 0)
		return 1;
	if (lookup((const char *const *)v, n, "none") >= 0)
		return fail(ps, EINVAL, "'none' must be the only value of '%s'",
			    d->name);
	return 0;
}

static int parse_families(struct parser *ps, const struct directive *d,
			  char **v, size_t n)
{
	char t[TOKQ];
	size_t k;
	int r;

	if (ps->first)
		ps->p->families = 0;
	r = is_none(ps, d, v, n);
	if (r != 0)
		return r < 0 ? -1 : 0;
	for (k = 0; k < n; k++) {
		int i = lookup(family_names, NELEM(family_names), v[k]);

		if (i < 0)
			return fail(ps, EINVAL, "unknown socket family '%s'",
				    q(t, v[k]));
		if (ps->p->families & (1u << i))
			return fail(ps, EINVAL, "duplicate family '%s'", v[k]);
		ps->p->families |= 1u << i;
	}
	return 0;
}

static int parse_ports(struct parser *ps, const struct directive *d, char **v,
		       size_t n)
{
	struct sbx_ports *pp = d->name[0] == 't' ? &ps->p->tcp_ports :
						   &ps->p->udp_ports;
	struct sbx_error e;
	char t[TOKQ];
	uint64_t port;
	size_t k;
	int r;

	if (ps->first)
		pp->n = 0;
	if (!ps->ports_line)
		ps->ports_line = ps->line;
	r = is_none(ps, d, v, n);
	if (r != 0)
		return r < 0 ? -1 : 0;
	for (k = 0; k < n; k++) {
		if (parse_count(v[k], &port, &e) < 0 || port < 1 ||
		    port > 65535)
			return fail(ps, EINVAL, "bad port '%s'", q(t, v[k]));
		for (unsigned int i = 0; i < pp->n; i++)
			if (pp->v[i] == port)
				return fail(ps, EINVAL, "duplicate port %s",
					    v[k]);
		if (pp->n >= SBX_MAX_PORTS)
			return fail(ps, E2BIG, "more than %d ports",
				    SBX_MAX_PORTS);
		pp->v[pp->n++] = (uint16_t)port;
	}
	return 0;
}

/* Variable names as the shell knows them: [A-Za-z_][A-Za-z0-9_]*. With
 * prefix_ok, one trailing '*' makes a prefix (possibly empty). */
static int valid_var(const char *s, int prefix_ok)
{
	size_t i;

	for (i = 0; s[i]; i++) {
		char c = s[i];

		if (c == '_' || (c >= 'A' && c <= 'Z') ||
		    (c >= 'a' && c <= 'z') || (i > 0 && c >= '0' && c <= '9'))
			continue;
		return prefix_ok && c == '*' && s[i + 1] == '\0';
	}
	return i > 0;
}

/* Could NAME, or any name matched by the prefix NAME*, start with LD_? */
static int covers_ld(const char *s)
{
	size_t len = strlen(s);

	if (len > 0 && s[len - 1] == '*') {
		len--;
		return strncmp(s, "LD_", len < 3 ? len : 3) == 0;
	}
	return strncmp(s, "LD_", 3) == 0;
}

static int parse_vars(struct parser *ps, const struct directive *d,
		      struct sbx_strv *sv, int prefix_ok, char **v, size_t n)
{
	struct sbx_error e;
	char t[TOKQ];
	size_t k;
	int r;

	if (ps->first)
		sbx_strv_clear(sv);
	r = is_none(ps, d, v, n);
	if (r != 0)
		return r < 0 ? -1 : 0;
	for (k = 0; k < n; k++) {
		if (sv->n >= POL_VARS_MAX)
			return fail(ps, E2BIG, "more than %d names in '%s'",
				    POL_VARS_MAX, d->name);
		if (strlen(v[k]) > POL_VAR_LEN)
			return fail(ps, EINVAL, "name longer than %d bytes",
				    POL_VAR_LEN);
		if (!valid_var(v[k], prefix_ok))
			return fail(ps, EINVAL, "bad variable name '%s'",
				    q(t, v[k]));
		if (covers_ld(v[k]))
			return fail(ps, EINVAL, "LD_* never passes");
		if (sbx_strv_has(sv, v[k]))
			return fail(ps, EINVAL, "duplicate variable '%s'",
				    v[k]);
		if (sbx_strv_add(sv, v[k], &e) < 0)
			return fail(ps, e.code, "%s", e.msg);
	}
	return 0;
}

static int parse_env(struct parser *ps, const struct directive *d, char **v,
		     size_t n)
{
	ps->p->env_set = 1;
	return parse_vars(ps, d, &ps->p->env_pass, 1, v, n);
}

static int parse_setvars(struct parser *ps, const struct directive *d, char **v,
			 size_t n)
{
	return parse_vars(ps, d, &ps->p->setvars, 0, v, n);
}

/* ---- paths ---- */

/* Check an absolute path and write it to out (POL_PATH_MAX + 1 bytes)
 * without repeated or trailing slashes. "." and ".." are refused rather
 * than resolved: what a policy names is what gets bound. */
static int clean_path(struct parser *ps, const char *in, char *out)
{
	char t[TOKQ];
	const char *s = in;
	size_t len = 0;

	if (in[0] != '/')
		return fail(ps, EINVAL, "path '%s' is not absolute", q(t, in));
	if (strlen(in) > POL_PATH_MAX)
		return fail(ps, ENAMETOOLONG, "path '%s' is too long",
			    q(t, in));
	while (*s) {
		size_t cl;

		while (*s == '/')
			s++;
		cl = strcspn(s, "/");
		if (cl == 0)
			break;
		if ((cl == 1 && s[0] == '.') ||
		    (cl == 2 && s[0] == '.' && s[1] == '.'))
			return fail(ps, EINVAL,
				    "path '%s' has a '.' or '..' component",
				    q(t, in));
		out[len++] = '/';
		memcpy(out + len, s, cl);
		len += cl;
		s += cl;
	}
	if (len == 0)
		out[len++] = '/';
	out[len] = '\0';
	return 0;
}

static const char *const host_only[] = { "/proc", "/sys", "/dev", NULL };

static int parse_bind(struct parser *ps, const struct directive *d, char **v,
		      size_t n)
{
	char path[POL_PATH_MAX + 1], t[TOKQ];
	struct sbx_error e;
	size_t k, i;

	for (k = 0; k < n; k++) {
		if (clean_path(ps, v[k], path) < 0)
			return -1;
		if (strcmp(path, "/") == 0)
			return fail(ps, EINVAL,
				    "refusing to bind the root directory");
		/* the host's processes, devices and kernel knobs: the
		 * sandbox has its own /proc and /dev, and no /sys */
		for (i = 0; host_only[i]; i++)
			if (strncmp(path, host_only[i], strlen(host_only[i])) ==
				    0 &&
			    (path[strlen(host_only[i])] == '/' ||
			     !path[strlen(host_only[i])]))
				return fail(ps, EINVAL,
					    "refusing to show the host's %s",
					    host_only[i]);
		for (i = 0; i < ps->p->npaths; i++)
			if (strcmp(ps->p->paths[i].path, path) == 0)
				return fail(ps, EINVAL, "duplicate path '%s'",
					    q(t, path));
		/* the sandbox has room for this many mounts of the policy's
		 * own, and a dump of any policy stays under POL_FILE_MAX */
		if (ps->p->npaths >= POL_PATHS_MAX)
			return fail(ps, E2BIG, "more than %d ro/rw paths",
				    POL_PATHS_MAX);
		if (sbx_policy_add_path(ps->p, path, d->name[1] == 'w', &e) < 0)
			return fail(ps, e.code, "%s", e.msg);
	}
	return 0;
}

static int parse_workdir(struct parser *ps, const struct directive *d, char **v,
			 size_t n)
{
	char path[POL_PATH_MAX + 1];
	char *c;

	(void)d;
	(void)n;
	if (clean_path(ps, v[0], path) < 0)
		return -1;
	c = strdup(path);
	if (!c)
		return fail(ps, ENOMEM, "out of memory");
	free(ps->p->workdir);
	ps->p->workdir = c;
	return 0;
}

/* ---- user and group ---- */

/* A decimal id below (id_t)-1, which the kernel reserves as "no id". */
static int parse_id(const char *s, unsigned long *id)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end != '\0' || v >= 0xffffffffUL)
		return -1;
	*id = v;
	return 0;
}

/* getpwnam_r/getgrnam_r, growing the buffer for large group entries.
 * Returns 1 found, 0 unknown, -1 with errno. */
static int lookup_id(const char *name, int group, unsigned long *id)
{
	size_t size = 1024;
	char *buf = NULL;
	int r;

	for (;;) {
		char *nb = realloc(buf, size);

		if (!nb) {
			free(buf);
			errno = ENOMEM;
			return -1;
		}
		buf = nb;
		if (group) {
			struct group gr, *res = NULL;

			r = getgrnam_r(name, &gr, buf, size, &res);
			if (r == 0 && res)
				*id = res->gr_gid;
			if (r == 0)
				r = res ? 1 : 0;
		} else {
			struct passwd pw, *res = NULL;

			r = getpwnam_r(name, &pw, buf, size, &res);
			if (r == 0 && res)
				*id = res->pw_uid;
			if (r == 0)
				r = res ? 1 : 0;
		}
		if (r != ERANGE || size >= (1u << 20))
			break;
		size *= 2;
	}
	free(buf);
	if (r == 0 || r == 1)
		return r;
	/* glibc reports "not found" as ENOENT and friends with some NSS
	 * modules (getpwnam_r(3) NOTES); treat those as unknown. */
	if (r == ENOENT || r == ESRCH || r == EBADF || r == EPERM)
		return 0;
	errno = r;
	return -1;
}

static int parse_ident(struct parser *ps, const struct directive *d, char **v,
		       size_t n)
{
	int group = d->name[0] == 'g';
	unsigned long id = 0;
	char t[TOKQ];

	(void)n;
	if (v[0][0] >= '0' && v[0][0] <= '9') {
		if (parse_id(v[0], &id) < 0)
			return fail(ps, EINVAL, "bad %s id '%s'", d->name,
				    q(t, v[0]));
	} else {
		int r = lookup_id(v[0], group, &id);

		if (r < 0)
			return fail(ps, errno, "cannot look up %s '%s': %s",
				    d->name, q(t, v[0]), strerror(errno));
		if (r == 0)
			return fail(ps, EINVAL, "unknown %s '%s'", d->name,
				    q(t, v[0]));
	}
	if (id == 0)
		return fail(ps, EINVAL, "refusing to run plugins as root");
	if (group)
		ps->p->gid = (gid_t)id;
	else
		ps->p->uid = (uid_t)id;
	return 0;
}

/* ---- syscalls ---- */

/* Syscall names are [a-z0-9_]; group names may also hold '-'. */
static int valid_syscall(const char *s, int group)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
		      (group && s[i] == '-')))
			return 0;
	return i > 0 && i < 64;
}

static int syscall_item(struct parser *ps, const char *item)
{
	int del = item[0] == '-';
	const char *name = item + del;
	char t[TOKQ];

	if (name[0] == '@') {
		const char *const *g = NULL;

		if (valid_syscall(name + 1, 1))
			g = sbx_syscall_group(name + 1);
		if (!g)
			return fail(ps, EINVAL, "unknown syscall group '%s'",
				    q(t, name));
		/* Groups may name calls this architecture lacks (open on
		 * arm64); keeping only known ones lets a dump parse back. */
		for (; *g; g++) {
			if (del)
				names_del(&ps->sys, *g);
			else if (!sbx_syscall_denied(*g) &&
				 sbx_syscall_known(*g) &&
				 names_add(&ps->sys, *g) < 0)
				return fail(ps, ENOMEM, "out of memory");
		}
		return 0;
	}
	if (!valid_syscall(name, 0))
		return fail(ps, EINVAL, "unknown syscall '%s'", q(t, name));
	/* Before "known": the message stays the same on every arch. */
	if (!del && sbx_syscall_denied(name))
		return fail(ps, EINVAL, "syscall %s is always denied", name);
	if (!sbx_syscall_known(name))
		return fail(ps, EINVAL, "unknown syscall '%s'", name);
	if (del)
		names_del(&ps->sys, name);
	else if (names_add(&ps->sys, name) < 0)
		return fail(ps, ENOMEM, "out of memory");
	return 0;
}

static int parse_syscalls(struct parser *ps, const struct directive *d,
			  char **v, size_t n)
{
	size_t k;
	int r;

	ps->sys_given = 1;
	r = is_none(ps, d, v, n);
	if (r != 0)
		return r < 0 ? -1 : 0;
	for (k = 0; k < n; k++)
		if (syscall_item(ps, v[k]) < 0)
			return -1;
	return 0;
}

/* Replace the policy's allowlist with the one built, sorted. */
static int finish_syscalls(struct parser *ps)
{
	struct sbx_error e;
	size_t i;

	if (ps->sys.n)
		qsort(ps->sys.v, ps->sys.n, sizeof(ps->sys.v[0]), cmp_str);
	sbx_strv_clear(&ps->p->syscalls);
	for (i = 0; i < ps->sys.n; i++)
		if (sbx_strv_add(&ps->p->syscalls, ps->sys.v[i], &e) < 0)
			return sbx_fail(ps->err, e.code, "%s: %s", ps->ename,
					e.msg);
	return 0;
}

/* ---- dump helpers ---- */

static void put(struct out *o, const char *s, size_t n)
{
	if (!o->bad && sbx_buf_add(&o->b, s, n) < 0)
		o->bad = 1;
}

static void puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

static void put_line(struct out *o, const char *name, const char *value)
{
	puts_(o, name);
	puts_(o, " ");
	puts_(o, value);
	puts_(o, "\n");
}

/* name and the items, sorted, over as many lines as keep each one within
 * 72 columns; "name none" for no items. */
static void put_list(struct out *o, const char *name, char *const *items,
		     size_t n)
{
	const char **s;
	size_t i, col = 0;

	if (n == 0) {
		put_line(o, name, "none");
		return;
	}
	s = malloc(n * sizeof(*s));
	if (!s) {
		o->bad = 1;
		return;
	}
	memcpy(s, items, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_str);
	for (i = 0; i < n; i++) {
		size_t len = strlen(s[i]);

		if (col > 0 && col + 1 + len > 72) {
			puts_(o, "\n");
			col = 0;
		}
		if (col == 0) {
			puts_(o, name);
			col = strlen(name);
		}
		puts_(o, " ");
		puts_(o, s[i]);
		col += 1 + len;
	}
	puts_(o, "\n");
	free(s);
}

static const char *name_of(const char *const *names, size_t n, unsigned int i)
{
	return i < n && names[i] ? names[i] : "invalid";
}

static void dump_limit(struct out *o, const struct directive *d,
		       const struct sbx_policy *p)
{
	char buf[24];

	format_value(d->kind, limit_value(p, d), buf, sizeof(buf));
	put_line(o, d->name, buf);
}

static void dump_network(struct out *o, const struct directive *d,
			 const struct sbx_policy *p)
{
	put_line(o, d->name, name_of(net_names, NELEM(net_names), p->net));
}

static void dump_sysdefault(struct out *o, const struct directive *d,
			    const struct sbx_policy *p)
{
	put_line(o, d->name,
		 name_of(sysdefault_names, NELEM(sysdefault_names),
			 p->sysdefault));
}

static void dump_exitstatus(struct out *o, const struct directive *d,
			    const struct sbx_policy *p)
{
	put_line(o, d->name, exit_names[p->exit_fails ? 1 : 0]);
}

static void dump_onfailure(struct out *o, const struct directive *d,
			   const struct sbx_policy *p)
{
	put_line(o, d->name, name_of(fail_names, NELEM(fail_names), p->fail));
}

static void dump_families(struct out *o, const struct directive *d,
			  const struct sbx_policy *p)
{
	size_t i;

	if ((p->families & ((1u << NELEM(family_names)) - 1)) == 0) {
		put_line(o, d->name, "none");
		return;
	}
	puts_(o, d->name);
	for (i = 0; i < NELEM(family_names); i++) {
		if (p->families & (1u << i)) {
			puts_(o, " ");
			puts_(o, family_names[i]);
		}
	}
	puts_(o, "\n");
}

static void dump_ports(struct out *o, const struct directive *d,
		       const struct sbx_policy *p)
{
	const struct sbx_ports *pp = d->name[0] == 't' ? &p->tcp_ports :
							 &p->udp_ports;
	char num[8];

	if (pp->n == 0) {
		put_line(o, d->name, "none");
		return;
	}
	puts_(o, d->name);
	for (unsigned int i = 0; i < pp->n; i++) {
		snprintf(num, sizeof(num), " %u", pp->v[i]);
		puts_(o, num);
	}
	puts_(o, "\n");
}

static int cmp_path(const void *a, const void *b)
{
	return strcmp((*(const struct sbx_path *const *)a)->path,
		      (*(const struct sbx_path *const *)b)->path);
}

/* One line per path of this kind (ro or rw), sorted. */
static void dump_bind(struct out *o, const struct directive *d,
		      const struct sbx_policy *p)
{
	int writable = d->name[1] == 'w';
	const struct sbx_path **s;
	size_t i, n = 0;

	if (p->npaths == 0)
		return;
	s = malloc(p->npaths * sizeof(*s));
	if (!s) {
		o->bad = 1;
		return;
	}
	for (i = 0; i < p->npaths; i++)
		if (!p->paths[i].writable == !writable)
			s[n++] = &p->paths[i];
	if (n)
		qsort(s, n, sizeof(*s), cmp_path);
	for (i = 0; i < n; i++)
		put_line(o, d->name, s[i]->path);
	free(s);
}

static void dump_workdir(struct out *o, const struct directive *d,
			 const struct sbx_policy *p)
{
	if (p->workdir)
		put_line(o, d->name, p->workdir);
	else
		puts_(o, "# workdir unset: the caller's cwd\n");
}

static void dump_ident(struct out *o, const struct directive *d,
		       const struct sbx_policy *p)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%lu",
		 (unsigned long)(d->name[0] == 'g' ? p->gid : p->uid));
	put_line(o, d->name, buf);
}

static void dump_syscalls(struct out *o, const struct directive *d,
			  const struct sbx_policy *p)
{
	put_list(o, d->name, p->syscalls.v, p->syscalls.n);
}

static void dump_verdicts(struct out *o, const struct directive *d,
			  const struct sbx_policy *p)
{
	unsigned int bit;
	int any = 0;

	if ((p->verdicts & SPP_CMD_ALL) == SPP_CMD_ALL) {
		put_line(o, d->name, "all");
		return;
	}
	if ((p->verdicts & SPP_CMD_ALL) == 0) {
		put_line(o, d->name, "none");
		return;
	}
	puts_(o, d->name);
	puts_(o, " ");
	for (bit = 1; bit & SPP_CMD_ALL; bit <<= 1) {
		if (!(p->verdicts & bit))
			continue;
		if (any)
			puts_(o, ",");
		puts_(o, spp_cmd_name(bit));
		any = 1;
	}
	puts_(o, "\n");
}

static void dump_setvars(struct out *o, const struct directive *d,
			 const struct sbx_policy *p)
{
	put_list(o, d->name, p->setvars.v, p->setvars.n);
}

static void dump_env(struct out *o, const struct directive *d,
		     const struct sbx_policy *p)
{
	/* Unset and set to the default differ under --inherit-env. */
	if (!p->env_set) {
		puts_(o, "# env unset: SMTP* TCP* RELAYCLIENT, or all of it "
			 "with --inherit-env\n");
		return;
	}
	put_list(o, d->name, p->env_pass.v, p->env_pass.n);
}

/* ---- the table: parse and dump order ---- */

#define LIMIT(nm, field, k, lo, hi)                                            \
	{                                                                      \
		.name = nm, .scalar = 1, .parse = parse_limit,                 \
		.dump = dump_limit, .off = offsetof(struct sbx_policy, field), \
		.kind = k, .min = lo, .max = hi,                               \
	}
#define OTHER(nm, sc, fn)                                      \
	{                                                      \
		.name = nm, .scalar = sc, .parse = parse_##fn, \
		.dump = dump_##fn,                             \
	}
#define K 1024ULL
#define M (1024ULL * 1024)
#define G (1024ULL * 1024 * 1024)
#define HOUR_MS (3600ULL * 1000)

static const struct directive directives[] = {
	LIMIT("timeout", timeout_ms, K_TIME, 1, HOUR_MS),
	LIMIT("cpu", cpu_ms, K_TIME, 1, HOUR_MS),
	LIMIT("memory", memory, K_SIZE, 16 * M, UINT64_MAX),
	LIMIT("procs", procs, K_COUNT, 1, 4096),
	LIMIT("files", files, K_COUNT, 8, 65536),
	LIMIT("fsize", fsize, K_SIZE, 0, UINT64_MAX),
	/* room for at least one whole verdict line */
	LIMIT("stdout", stdout_max, K_SIZE, 1 * K, 16 * M),
	LIMIT("stderr", stderr_max, K_SIZE, 0, 16 * M),
	/* tmpfs size=0 means unlimited, and its pages escape RLIMIT_AS */
	LIMIT("tmpfs", tmpfs_size, K_SIZE, 4 * K, 1 * G),
	OTHER("network", 1, network),
	OTHER("families", 0, families),
	OTHER("tcp-ports", 0, ports),
	OTHER("udp-ports", 0, ports),
	OTHER("ro", 0, bind),
	OTHER("rw", 0, bind),
	OTHER("workdir", 1, workdir),
	OTHER("user", 1, ident),
	OTHER("group", 1, ident),
	OTHER("syscalls", 0, syscalls),
	OTHER("syscall-default", 1, sysdefault),
	OTHER("verdicts", 1, verdicts),
	OTHER("setvars", 0, setvars),
	OTHER("env", 0, env),
	OTHER("exit-status", 1, exitstatus),
	OTHER("on-failure", 1, onfailure),
};

_Static_assert(NELEM(directives) <= sizeof(unsigned long) * 8,
	       "one seen bit per directive");

/* ---- parsing ---- */

static int parse_line(struct parser *ps, char *s)
{
	char *tok[POL_LINE_MAX / 2 + 1], t[TOKQ];
	const struct directive *d = NULL;
	unsigned long bit;
	size_t n = 0, i;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0' || *s == '#')
			break;
		tok[n++] = s;
		s += strcspn(s, " \t");
		if (*s)
			*s++ = '\0';
	}
	if (n == 0)
		return 0;
	for (i = 0; i < NELEM(directives); i++) {
		if (strcmp(directives[i].name, tok[0]) == 0) {
			d = &directives[i];
			break;
		}
	}
	if (!d)
		return fail(ps, EINVAL, "unknown directive '%s'", q(t, tok[0]));
	bit = 1UL << i;
	if (d->scalar && (ps->seen & bit))
		return fail(ps, EINVAL, "duplicate directive '%s'", d->name);
	if (n == 1)
		return fail(ps, EINVAL, "'%s' needs a value", d->name);
	if (d->scalar && n > 2)
		return fail(ps, EINVAL, "'%s' takes one value", d->name);
	ps->first = !(ps->seen & bit);
	ps->seen |= bit;
	return d->parse(ps, d, tok + 1, n - 1);
}

/* Policy files are written by hand: refuse bytes that would make what a
 * reviewer reads differ from what is parsed. */
static int check_bytes(struct parser *ps, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\0')
			return fail(ps, EINVAL, "NUL byte");
		if (c == '\r')
			return fail(ps, EINVAL, "carriage return");
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return fail(ps, EINVAL, "control character 0x%02x", c);
	}
	return 0;
}

int pol_parse_buf(const char *name, const char *buf, size_t len,
		  struct sbx_policy *p, struct sbx_error *err)
{
	struct parser ps;
	char line[POL_LINE_MAX + 1];
	size_t pos = 0;

	memset(&ps, 0, sizeof(ps));
	memset(p, 0, sizeof(*p));
	if (!name)
		name = "-";
	sbx_escape(ps.ename, sizeof(ps.ename), name, strlen(name));
	ps.p = p;
	ps.err = err;
	if (len > POL_FILE_MAX)
		return sbx_fail(err, EFBIG, "%s: larger than %d bytes",
				ps.ename, POL_FILE_MAX);
	if (sbx_policy_default(p, err) < 0)
		goto fail;
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - (buf + pos)) : len - pos;

		ps.line++;
		if (ll > POL_LINE_MAX) {
			fail(&ps, EINVAL, "line longer than %d bytes",
			     POL_LINE_MAX);
			goto fail;
		}
		if (check_bytes(&ps, buf + pos, ll) < 0)
			goto fail;
		memcpy(line, buf + pos, ll);
		line[ll] = '\0';
		if (parse_line(&ps, line) < 0)
			goto fail;
		pos += ll + (nl ? 1 : 0);
	}
	if (ps.sys_given && finish_syscalls(&ps) < 0)
		goto fail;
	if (p->net == SBX_NET_NONE && (p->tcp_ports.n || p->udp_ports.n)) {
		ps.line = ps.ports_line;
		fail(&ps, EINVAL,
		     "ports need 'network loopback' or 'network host'");
		goto fail;
	}
	names_free(&ps.sys);
	return 0;
fail:
	names_free(&ps.sys);
	sbx_policy_clear(p);
	memset(p, 0, sizeof(*p));
	return -1;
}

/* Did the file's content change between the two looks? (Not its ctime:
 * a rename over the file, as spp-policy install does, changes that of the
 * old one while a run reads it whole.) */
static int changed(const struct stat *a, const struct stat *b)
{
	return a->st_ino != b->st_ino || a->st_dev != b->st_dev ||
	       a->st_size != b->st_size ||
	       a->st_mtim.tv_sec != b->st_mtim.tv_sec ||
	       a->st_mtim.tv_nsec != b->st_mtim.tv_nsec;
}

/* A policy read while an editor or `cat >` rewrites it in place must not
 * become a wider one: refuse what is plainly not a whole file. Others
 * must not be able to write it at all. */
static int check_whole(const char *ename, const struct stat *before,
		       const struct stat *after, const char *buf, size_t len,
		       struct sbx_error *err)
{
	if (changed(before, after) || (off_t)len != after->st_size)
		return sbx_fail(err, EBUSY,
				"%s: changed while read (being written? "
				"install policies with spp-policy install)",
				ename);
	if (len == 0)
		return sbx_fail(err, EBUSY,
				"%s: empty (being written? a policy of "
				"defaults holds a comment)",
				ename);
	if (buf[len - 1] != '\n')
		return sbx_fail(err, EBUSY,
				"%s: no newline at the end (being written?)",
				ename);
	return 0;
}

int pol_read_file(const char *path, char **out, size_t *outlen, uid_t *owner,
		  struct sbx_error *err)
{
	struct stat before, after;
	char ename[128];
	char *buf;
	size_t len = 0;
	int fd, r, e;

	*out = NULL;
	*outlen = 0;
	sbx_escape(ename, sizeof(ename), path, strlen(path));
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		e = errno;
		return sbx_fail(err, e, "%s: open: %s", ename, strerror(e));
	}
	if (fstat(fd, &before) < 0) {
		e = errno;
		close(fd);
		return sbx_fail(err, e, "%s: fstat: %s", ename, strerror(e));
	}
	if (!S_ISREG(before.st_mode)) {
		close(fd);
		return sbx_fail(err, EINVAL, "%s: not a regular file", ename);
	}
	if ((before.st_mode & S_IWOTH) ||
	    ((before.st_mode & S_IWGRP) && before.st_gid != 0)) {
		close(fd);
		return sbx_fail(err, EPERM,
				"%s: writable by others: refusing it (chmod "
				"go-w)",
				ename);
	}
	/* One byte more than allowed, to tell "exactly the limit" from
	 * "too large". */
	buf = malloc(POL_FILE_MAX + 1);
	if (!buf) {
		close(fd);
		return sbx_fail(err, ENOMEM, "%s: out of memory", ename);
	}
	while (len < POL_FILE_MAX + 1) {
		ssize_t got = read(fd, buf + len, POL_FILE_MAX + 1 - len);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			e = errno;
			close(fd);
			free(buf);
			return sbx_fail(err, e, "%s: read: %s", ename,
					strerror(e));
		}
		if (got == 0)
			break;
		len += (size_t)got;
	}
	r = fstat(fd, &after);
	e = errno;
	close(fd);
	if (r < 0) {
		free(buf);
		return sbx_fail(err, e, "%s: fstat: %s", ename, strerror(e));
	}
	if (len > POL_FILE_MAX) {
		free(buf);
		return sbx_fail(err, EFBIG, "%s: larger than %d bytes", ename,
				POL_FILE_MAX);
	}
	if (check_whole(ename, &before, &after, buf, len, err) < 0) {
		free(buf);
		return -1;
	}
	*out = buf;
	*outlen = len;
	if (owner)
		*owner = before.st_uid;
	return 0;
}

int pol_parse_file(const char *path, struct sbx_policy *p,
		   struct sbx_error *err)
{
	char *buf;
	size_t len;
	uid_t owner;
	int r;

	memset(p, 0, sizeof(*p));
	if (pol_read_file(path, &buf, &len, &owner, err) < 0)
		return -1;
	r = pol_parse_buf(path, buf, len, p, err);
	free(buf);
	if (r == 0)
		p->owner = owner;
	return r;
}

/* ---- dump ---- */

int pol_dump(const struct sbx_policy *p, char **out, size_t *len)
{
	struct out o = { { 0 }, 0 };
	size_t i;

	for (i = 0; i < NELEM(directives); i++)
		directives[i].dump(&o, &directives[i], p);
	if (!o.b.s && !o.bad)
		puts_(&o, "");
	if (o.bad) {
		sbx_buf_free(&o.b);
		errno = ENOMEM;
		return -1;
	}
	*out = o.b.s;
	*len = o.b.len;
	return 0;
}
