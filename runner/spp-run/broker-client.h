/* SPDX-License-Identifier: GPL-2.0-or-later */
/* spp-run's side of spp-sandboxd: one run sent to the broker. */
#ifndef SPP_BROKER_CLIENT_H
#define SPP_BROKER_CLIENT_H

#include <stddef.h>

#include "cli.h"

/* How long spp-run waits for the broker's reply before it makes the run
 * itself: longer than any policy's timeout (spp-sandboxd -t is below). */
#define SPP_BROKER_WAIT_MS (300 * 1000)

/* The broker this run goes to: --broker, else $SPPSANDBOX_BROKER, else
 * the first line of control/sppbroker (relative to the working
 * directory, the qmail home); an empty one is none. Runs the broker does
 * not make (--learn, --diagnose, --env) go to none. Returns 1 with the
 * socket's path in sock (len bytes), or 0. */
int spp_broker_socket(const struct sbx_cli *cli, char *sock, size_t len);

/* Send the run of cli to the broker at sock and relay its reply: what
 * spp-run would have printed on stdout, to stdout, its log lines to
 * stderr; *status is its exit status. Returns 0, or -1 with *err when the
 * broker is not there, refused the run or went away before it replied:
 * then nothing was printed and the caller makes the run itself. */
int spp_broker_run(const char *sock, const struct sbx_cli *cli, long smtpd,
		   int *status, struct sbx_error *err);

#endif
