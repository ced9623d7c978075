/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One plugin run as spp-run makes it: shared by spp-run and spp-sandboxd. */
#ifndef SPP_RUN_ONE_H
#define SPP_RUN_ONE_H

/* Run spp-run's command line argv (argv[0] is spp-run itself) in this
 * process: the policy read, the plugin run in a sandbox, the verdict lines
 * the policy allows (or its failure line) on stdout, the plugin's stderr,
 * warnings and the report line on stderr. The environment is environ
 * (the plugin's, with --inherit-env; TCPREMOTEIP and SPPSANDBOX_CGROUP are
 * read from it). smtpd is the pid the report line names as qmail-smtpd.
 * --broker is ignored here. Returns spp-run's exit status: 0, 100 (usage
 * or policy error) or 111; stdout is flushed. */
int spp_run_main(int argc, char **argv, long smtpd);

/* spp_run_main() in two halves, for spp-sandboxd's parked workers: the
 * policy read and the sandbox prepared (sbx_run_prepare), then await()
 * blocks until the run's request came (it sets environ, stdout and
 * stderr, and *smtpd), then the run. When anything could not be prepared,
 * or the policy file, a policy path or the plugin changed while it
 * waited, the run is spp_run_main()'s from the start. done() is called
 * with the exit status once stdout and stderr are complete, before the
 * sandbox is torn down. netns (or -1) is a network namespace for the
 * run under a `network none` policy (sbx_jail_set_netns). Returns as
 * spp_run_main(), or -1 when await() did (no request: nothing printed). */
int spp_run_parked(int argc, char **argv, int netns,
		   int (*await)(void *ctx, long *smtpd),
		   void (*done)(void *ctx, int status), void *ctx);

#endif
