/* SPDX-License-Identifier: GPL-2.0-or-later */
/* spp-session --compare: the transport that runs each plugin both as
 * qmail-spp 0.42 does and sandboxed, and shows where they decide
 * differently (spp-compare.c). */
#ifndef SPP_COMPARE_H
#define SPP_COMPARE_H

#include "spp.h"

/* A spp_transport: run the plugin bare (as 0.42: execv or /bin/sh -c,
 * same environment, cwd and user, stdin closed) and through spp-run
 * --diagnose; print on stdout, as "# " lines, a decision that differs
 * with what the sandboxed run looked for and did not get; pass spp-run's
 * report lines on to stderr. The reply is the bare run's (0.42's failure
 * reply when it crashed or exited 120), so the session goes on as under
 * qmail-spp 0.42. Returns 0, or -1 with rep->why when a run could not be
 * made at all. */
int compare_transport(const struct spp_run_req *req, struct spp_run_reply *rep);

/* The SMTP command the next runs decide (borrowed; shown with a
 * difference), NULL for none. */
void compare_set_command(const char *command);

/* Plugin runs compared so far, and how many decided differently. */
unsigned int compare_runs(void);
unsigned int compare_differences(void);

#endif
