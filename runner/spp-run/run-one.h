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

/* What a parked worker is told by (spp_run_parked). */
struct spp_parked_ops {
	/* blocks until a run's request came (sets environ, stdout, stderr
	 * and *smtpd); -1 when none will */
	int (*await)(void *ctx, long *smtpd);
	/* the run's exit status, once stdout and stderr are complete and
	 * before its sandbox is torn down */
	void (*done)(void *ctx, int status);
	/* after a run: stdout, stderr and environ back as they were before
	 * the first (the next sandbox's warnings are not the last run's);
	 * -1 ends the worker */
	int (*next)(void *ctx);
};

/* spp_run_main() in two halves, over and over, for spp-sandboxd's parked
 * workers: the policy read and a sandbox prepared (sbx_run_prepare), then
 * await(), then the run, done(), next(), and the next sandbox prepared.
 * The policy is read once while it stays the same. When anything could
 * not be prepared, or the policy file, a policy path or the plugin
 * changed while it waited, the run is spp_run_main()'s from the start
 * and the next is prepared from the policy as it is then. netns (or -1)
 * is a network namespace for runs under a `network none` policy
 * (sbx_jail_set_netns). Returns -1 once await() or next() failed (the
 * worker ends): never a status, which could be taken for that of a
 * request it did not take. */
int spp_run_parked(int argc, char **argv, int netns,
		   const struct spp_parked_ops *ops, void *ctx);

#endif
