/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A starting policy from what a plugin used in learn mode: its system
 * calls, socket families, destinations and the host paths it touched. */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pol.h"

struct buf {
	char *s;
	size_t len, cap;
	int bad;
};

static void put(struct buf *b, const char *s)
{
	size_t n = strlen(s);

	if (b->bad)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		char *p;

		while (cap < b->len + n + 1)
			cap *= 2;
		p = realloc(b->s, cap);
		if (!p) {
			b->bad = 1;
			return;
		}
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n + 1);
	b->len += n;
}

static void put_ports(struct buf *b, const char *name,
		      const struct sbx_ports *pp)
{
	char num[8];

	put(b, name);
	for (unsigned int i = 0; i < pp->n; i++) {
		snprintf(num, sizeof(num), " %u", pp->v[i]);
		put(b, num);
	}
	if (pp->n == 0)
		put(b, " none");
	put(b, "\n");
}

int pol_learned_format(const struct sbx_learned *l, const char *plugin,
		       char **out, size_t *len, struct sbx_error *err)
{
	static const char *const fam[] = { "unix", "inet", "inet6", "netlink" };
	struct buf b = { NULL, 0, 0, 0 };
	size_t col = 0;
	char line[300];

	put(&b, "# Learned from one run of ");
	put(&b, sbx_escape(line, sizeof(line), plugin, strlen(plugin)));
	put(&b, ": what it used, no more.\n"
		"# Review it, and run the plugin's other paths before use.\n");
	if (l->tcp_ports.n || l->udp_ports.n) {
		put(&b, l->remote ? "network host\n" : "network loopback\n");
		put_ports(&b, "tcp-ports", &l->tcp_ports);
		put_ports(&b, "udp-ports", &l->udp_ports);
	}
	put(&b, "families");
	for (size_t i = 0; i < sizeof(fam) / sizeof(*fam); i++)
		if (l->families & (1u << i)) {
			put(&b, " ");
			put(&b, fam[i]);
		}
	put(&b, l->families ? "\n" : " none\n");
	for (unsigned int i = 0; i < l->npaths; i++) {
		snprintf(line, sizeof(line), "%s %s\n",
			 l->writable[i] ? "rw" : "ro", l->paths[i]);
		put(&b, line);
	}
	/* wrapped: a policy line holds at most POL_LINE_MAX bytes, and
	 * every syscalls line after the first adds to it */
	for (int nr = 0; nr < 512; nr++) {
		char *name;

		if (!(l->syscalls[nr / 64] & (1ull << (nr % 64))))
			continue;
		name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
		if (!name)
			continue;
		if (col == 0 || col + strlen(name) > 70) {
			put(&b, col ? "\nsyscalls" : "syscalls");
			col = 8;
		}
		put(&b, " ");
		put(&b, name);
		col += strlen(name) + 1;
		free(name);
	}
	put(&b, col ? "\n" : "syscalls none\n");
	if (b.bad) {
		free(b.s);
		return sbx_fail(err, ENOMEM, "learn: out of memory");
	}
	*out = b.s;
	*len = b.len;
	return 0;
}
