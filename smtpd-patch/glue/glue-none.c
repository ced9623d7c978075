/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The glue for programs that link the hook layer for its lookups only
 * (spp_policy_find, spp_plugin_name: spp-sandboxd, spp-migrate): the
 * layer's entry points, which would call it, are never called. */
#include <stddef.h>

#include "spp.h"

void spp_glue_out(const char *s)
{
	(void)s;
}

void spp_glue_flush(void)
{
}

const char *spp_glue_addr(void)
{
	return "";
}

int spp_glue_set_addr(const char *a)
{
	(void)a;
	return -1;
}

int spp_glue_rcpt_allowed(void)
{
	return 0;
}

void spp_glue_set_allowed(int allowed)
{
	(void)allowed;
}

int spp_glue_headers(const char *s, size_t len)
{
	(void)s;
	(void)len;
	return -1;
}

void spp_glue_bmf_reset(void)
{
}

void spp_glue_drop(void)
{
}

int spp_glue_setenv(const char *name, const char *value)
{
	(void)name;
	(void)value;
	return -1;
}

int spp_glue_unsetenv(const char *name)
{
	(void)name;
	return -1;
}

void spp_glue_log(const char *line)
{
	(void)line;
}
