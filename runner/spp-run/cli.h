/* SPDX-License-Identifier: GPL-2.0-or-later */
/* spp-run's command line, parsed apart from main() so it can be tested. */
#ifndef SBX_CLI_H
#define SBX_CLI_H

#include "sbx.h"

struct sbx_cli {
	const char *policy; /* NULL: the built-in default */
	const char *event; /* "-" when not given */
	struct sbx_strv env; /* NAME=VALUE from --env */
	char **argv; /* the plugin and its arguments (borrowed) */
	int inherit_env; /* --inherit-env: our environment is the plugin's */
	/* --shell: argv[0] is a /bin/sh command line (a ':' line of
	 * control/smtpplugins), the only argument */
	int shell;
	/* --diagnose: say what the plugin looked for and did not get */
	int diagnose;
	/* --learn FILE: learn mode, what the run used merged into FILE */
	const char *learn;
	/* --broker SOCKET: send the run to spp-sandboxd there first */
	const char *broker;
	/* --no-broker: make the run here whatever names a broker (the hook
	 * layer's own broker client got no answer in time) */
	int no_broker;
	int help;
};

/* Parse argv (argv[0] is spp-run itself). Returns 0, or -1 with *err
 * describing the usage error. Free with sbx_cli_clear(). */
int sbx_cli_parse(struct sbx_cli *c, int argc, char **argv,
		  struct sbx_error *err);
void sbx_cli_clear(struct sbx_cli *c);

/* The program a shell command line starts, when the line names it by a
 * path: its first word after VAR=value assignments and `exec`, if that
 * word holds a '/' and no character the shell would expand or quote.
 * Copied into out (len bytes); returns 1, or 0 when there is none (a
 * word found through PATH, or one only the shell can tell). */
int sbx_cli_shell_program(const char *cmd, char *out, size_t len);

#endif
