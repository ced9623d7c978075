/* SPDX-License-Identifier: GPL-2.0-or-later */
/* spp-run: run one qmail-spp plugin in a sandbox and relay its verdict.
 * Exit 0: the plugin ran to its end; 111: it failed or could not start,
 * or its policy could not be read for a temporary reason; 100: usage or
 * policy error. A failure always leaves a verdict on stdout. With a broker
 * (--broker, $SPPSANDBOX_BROKER or control/sppbroker) the run goes to
 * spp-sandboxd first, and is made here when the broker cannot make it. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "broker-client.h"
#include "cli.h"
#include "run-one.h"
#include "sbx.h"

/* A closed 0, 1 or 2 (qmail-spp closes stdin) would let a pipe take that
 * number and be clobbered later. */
static void open_std_fds(void)
{
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) < 0)
			_exit(SBX_EXIT_TEMP);
}

int main(int argc, char **argv)
{
	struct sbx_error err = { 0, "" };
	struct sbx_cli cli;
	char sock[256], esc[300];
	int status;

	open_std_fds();
	/* Started by qmail-smtpd (or qmail-spp 0.42's sh -c, which execs
	 * us): when it dies nobody reads the verdict, so we and the sandbox
	 * (its init has the same signal) go at once. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* qmail-spp stops reading at the first terminal verdict: a closed
	 * pipe must not cost us the report line. */
	signal(SIGPIPE, SIG_IGN);
	/* A usage error is spp_run_main's to report. */
	if (sbx_cli_parse(&cli, argc, argv, &err) == 0) {
		if (!cli.help && spp_broker_socket(&cli, sock, sizeof(sock))) {
			if (spp_broker_run(sock, &cli, (long)getppid(), &status,
					   &err) == 0) {
				sbx_cli_clear(&cli);
				return status;
			}
			/* never fails open: the run is made here */
			fprintf(stderr,
				"spp-run: warning: broker %s: %s: running it "
				"here\n",
				sbx_escape(esc, 100, sock, strlen(sock)),
				sbx_escape(esc + 100, 200, err.msg,
					   strlen(err.msg)));
		} else if (cli.no_broker) {
			/* the hook layer's request got no answer: say so once */
			cli.no_broker = 0;
			if (spp_broker_socket(&cli, sock, sizeof(sock)))
				fprintf(stderr,
					"spp-run: warning: broker %s: no "
					"answer in time (--no-broker): running "
					"it here\n",
					sbx_escape(esc, 100, sock,
						   strlen(sock)));
		}
		sbx_cli_clear(&cli);
	}
	return spp_run_main(argc, argv, (long)getppid());
}
