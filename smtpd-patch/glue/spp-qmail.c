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

/* Globals of qmail-smtpd.c, in every tree. */
extern void out();
extern void flush();
extern int addrallowed();
extern stralloc addr;
extern char *relayclient;
extern int allowed; /* tested after spp_rcpt(): rcpthosts said yes */

/* Globals only some trees have, weak so that the drop-in links in all of
 * them (an undefined weak symbol's address is 0): netqmail's badmailfrom
 * flag (sagredo comments it out and uses flagbarfbmf, which it clears
 * itself), and sagredo's rcpthosts answer for rcptcheck and its logs. */
extern int flagbarf __attribute__((weak));
extern int addrinrcpthosts __attribute__((weak));

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
	if (&addrinrcpthosts)
		addrinrcpthosts = addr.len ? addrallowed() : 0;
}

int spp_glue_headers(const char *s, size_t len)
{
	return stralloc_copyb(&sppheaders, (char *)s, (unsigned int)len) ? 0 :
									   -1;
}

void spp_glue_bmf_reset(void)
{
	if (&flagbarf)
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
