/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Stand-in for qmail's env.h: the calls the drop-in qmail-spp.c makes. */
#ifndef ENV_H
#define ENV_H

int env_put2(char *name, char *value);
int env_unset(char *name);

#endif
