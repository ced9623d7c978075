/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The hook layer's glue for netqmail-1.06's qmail-smtpd: spp_glue_* on top
 * of qmail-smtpd.c's globals and qmail's env.c. Built in the qmail tree by
 * the patched Makefile, never by this project's build. */
#include <string.h>
#include <unistd.h>

#include "env.h"
#include "stralloc.h"

#include "spp.h"

/* Global in qmail-smtpd.c. */
extern void out();
extern void flush();
extern int addrallowed();
extern stralloc addr;
extern int flagbarf;
extern char *relayclient;

void spp_glue_out(const char *s)
{
	out(s);
}

void spp_glue_flush(void)
{
	flush();
}

const char *spp_glue_addr(void)
{
	return addr.s ? addr.s : "";
}

/* addr stays NUL-terminated with the NUL counted in addr.len, as
 * addrparse() leaves it. */
int spp_glue_set_addr(const char *a)
{
	if (!stralloc_copys(&addr, a) || !stralloc_0(&addr))
		return -1;
	return 0;
}

/* What smtp_rcpt() computes before the hook: with RELAYCLIENT, anything. */
int spp_glue_rcpt_allowed(void)
{
	return relayclient ? 1 : addrallowed();
}

void spp_glue_bmf_reset(void)
{
	flagbarf = 0;
}

/* The layer has flushed: end the session as qmail-smtpd's QUIT does. */
void spp_glue_drop(void)
{
	_exit(0);
}

int spp_glue_setenv(const char *name, const char *value)
{
	return env_put2(name, value) ? 0 : -1;
}

int spp_glue_unsetenv(const char *name)
{
	return env_unset(name) ? 0 : -1;
}

/* stderr is multilog's under tcpserver; a short write only loses a log
 * line. */
void spp_glue_log(const char *line)
{
	if (write(2, line, strlen(line)) >= 0)
		(void)!write(2, "\n", 1);
}
