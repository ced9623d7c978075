/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The hook layer's glue for the qmail-smtpd of the trees that carry
 * qmail-spp (netqmail-1.06, its TLS+AUTH toasters, sagredo-dev/qmail):
 * spp_glue_* on top of qmail-smtpd.c's globals, which every one of them
 * has, and qmail's env.c. Built in the qmail tree (in the drop-in
 * qmail-spp.c, or by the patched Makefile), never by this project. */
#include <string.h>
#include <unistd.h>

#include "env.h"
#include "stralloc.h"

#include "spp.h"

/* Globals of qmail-smtpd.c. */
extern void out();
extern void flush();
extern int addrallowed();
extern stralloc addr;
extern int flagbarf;
extern char *relayclient;
extern int allowed; /* tested after spp_rcpt(): rcpthosts said yes */
#if SPP_DIALECT == SPP_DIALECT_SAGREDO
extern int addrinrcpthosts; /* sagredo: rcpthosts, for rcptcheck and logs */
#endif

/* qmail-smtpd writes it after its Received line. */
stralloc sppheaders = { 0 };

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

/* What smtp_rcpt() computes before the hook: with RELAYCLIENT, anything.
 * addrallowed() is -2 for a TLS client certificate that relays. */
int spp_glue_rcpt_allowed(void)
{
	return relayclient ? 1 : addrallowed() != 0;
}

void spp_glue_set_allowed(int a)
{
	allowed = a;
#if SPP_DIALECT == SPP_DIALECT_SAGREDO
	addrinrcpthosts = addr.len ? addrallowed() : 0;
#endif
}

int spp_glue_headers(const char *s, size_t len)
{
	return stralloc_copyb(&sppheaders, (char *)s, (unsigned int)len) ? 0 :
									   -1;
}

/* sagredo resets its own (flagbarfbmf); this one is netqmail's. */
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
	return env_put2((char *)name, (char *)value) ? 0 : -1;
}

int spp_glue_unsetenv(const char *name)
{
	return env_unset((char *)name) ? 0 : -1;
}

/* stderr is multilog's under tcpserver; a short write only loses a log
 * line. */
void spp_glue_log(const char *line)
{
	if (write(2, line, strlen(line)) >= 0)
		(void)!write(2, "\n", 1);
}
