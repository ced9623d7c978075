/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One plugin run as spp-run makes it, from its command line to the verdict
 * on stdout and the report on stderr: spp-run's main and spp-sandboxd's
 * workers both call spp_run_main(), so a run through the broker is the
 * same code as one run by spp-run. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "run-one.h"
#include "pol.h"
#include "sbx.h"
#include "verdict.h"

extern char **environ;

static const char *prog = "-";
/* where prog is escaped to: it names the plugin for as long as a parked
 * worker runs it */
static char prog_esc[200];
/* qmail-smtpd, named by the report line */
static long smtpd_pid;

static void usage(FILE *f)
{
	fprintf(f,
		"usage: spp-run [--policy FILE] [--env NAME=VALUE]... "
		"[--inherit-env] [--event NAME] [--diagnose] "
		"[--learn FILE] [--broker SOCKET | --no-broker] [--] PROGRAM [ARG...]\n"
		"       spp-run [OPTION]... --shell [--] COMMAND-LINE\n");
}

/* qmail-spp ignores exit codes, so a failure must be a verdict line. */
static void print_fail_line(const struct sbx_policy *p)
{
	const char *line = sbx_policy_fail_line(p);

	if (line)
		printf("%s\n", line);
}

/* A usage or policy error: the default failure verdict, and the exit
 * status the error's class deserves. */
static int fatal_config(const struct sbx_error *err)
{
	struct sbx_policy dflt;

	fprintf(stderr, "spp-run: fatal: %s\n", err->msg);
	if (sbx_policy_default(&dflt, NULL) == 0) {
		print_fail_line(&dflt);
		sbx_policy_clear(&dflt);
	} else {
		printf("E451 plugin failed, try again later (#4.3.0)\n");
	}
	fflush(stdout);
	return sbx_exit_status(err->code);
}

/* Does the line start with "NAME: ", NAME the plugin's path as written
 * or its last component? Then it names itself already. Never when it
 * would pass for spp-run's own lines (a plugin called "spp" faking a
 * report line for spp-report and the admin's greps). */
static int names_itself(const char *line)
{
	const char *base = strrchr(prog, '/');
	size_t n = strlen(prog), b;

	if (strncmp(line, "spp:", 4) == 0 || strncmp(line, "spp-run:", 8) == 0)
		return 0;
	base = base ? base + 1 : prog;
	b = strlen(base);
	return (strncmp(line, prog, n) == 0 && line[n] == ':') ||
	       (b && strncmp(line, base, b) == 0 && line[b] == ':');
}

/* The plugin's stderr, one log line per line, each naming the plugin. */
static void relay_stderr(const char *buf, size_t len)
{
	char esc[1024];
	size_t start = 0;

	for (size_t i = 0; i <= len; i++) {
		if (i < len && buf[i] != '\n')
			continue;
		if (i > start) {
			sbx_escape(esc, sizeof(esc), buf + start, i - start);
			if (names_itself(esc))
				fprintf(stderr, "%s\n", esc);
			else
				fprintf(stderr, "%s: %s\n", prog, esc);
		}
		start = i + 1;
	}
}

static void dropped(void *ctx, const char *line, size_t len, const char *why)
{
	char esc[256];

	(void)ctx;
	sbx_escape(esc, sizeof(esc), line, len > 120 ? 120 : len);
	fprintf(stderr, "spp-run: warning: %s: dropped verdict '%s': %s\n",
		prog, esc, why);
}

/* spp-policy compile leaves FILE.bpf beside FILE: use it when it is
 * current; a bad one is reported and ignored (the filter is compiled). */
static void load_compiled(struct sbx_jail *jail, const char *policy)
{
	struct sbx_error err = { 0, "" };
	char path[4096], esc[300];

	if (snprintf(path, sizeof(path), "%s.bpf", policy) >= (int)sizeof(path))
		return;
	if (sbx_jail_load_filter(jail, path, &err) < 0)
		fprintf(stderr, "spp-run: warning: %s\n",
			sbx_escape(esc, sizeof(esc), err.msg, strlen(err.msg)));
}

/* syscall-default complain: each call outside the policy, once. */
static void complaints(const struct sbx_result *r)
{
	char name[64];

	for (unsigned int i = 0; i < r->ncomplained; i++) {
		const struct sbx_call *c = &r->complained[i];

		sbx_syscall_name(c->nr, c->arch, name, sizeof(name));
		fprintf(stderr,
			"spp-run: warning: %s: complain: syscall %s is not "
			"in the policy: %s\n",
			prog, name,
			c->refused ? "refused (no policy can allow it)" :
				     "let through");
	}
}

static void format_size_kb(long kb, char *buf, size_t len)
{
	if (kb >= 1024)
		snprintf(buf, len, "%.1fM", (double)kb / 1024);
	else
		snprintf(buf, len, "%ldK", kb);
}

/* Which cgroup bounded the run (none: `memory` was RLIMIT_AS only). */
static const char *const cgroup_names[3] = { "none", "v1", "v2" };

static void report(const char *event, const struct sbx_result *r,
		   const char *verdict)
{
	char how[96], killed[64], rss[32], esc[200], client[64];
	const char *ip = getenv("TCPREMOTEIP");

	sbx_result_killed(r, killed, sizeof(killed));
	/* qmail-spp's own code for "can't execute"; the warning above the
	 * report says why. */
	if (!r->started && r->kill == SBX_KILL_NONE)
		snprintf(how, sizeof(how), "exit 120");
	else if (killed[0])
		snprintf(how, sizeof(how), "killed %s", killed);
	else
		snprintf(how, sizeof(how), "exit %d", r->exit_code);
	format_size_kb(r->maxrss_kb, rss, sizeof(rss));
	if (r->setup_error[0])
		fprintf(stderr, "spp-run: warning: %s: cannot start: %s\n",
			prog,
			sbx_escape(esc, sizeof(esc), r->setup_error,
				   strlen(r->setup_error)));
	/* qmail-smtpd (our parent) and its client, to find the session in
	 * qmail-smtpd's and tcpserver's logs */
	sbx_escape(client, sizeof(client), ip && *ip ? ip : "-",
		   strlen(ip && *ip ? ip : "-"));
	fprintf(stderr,
		"spp: %s %s pid %d %s verdict %s wall %.1fms cpu %.1fms "
		"maxrss %s cgroup %s smtpd %d client %s\n",
		event, prog, (int)r->pid, how, verdict, r->wall_ms, r->cpu_ms,
		rss, cgroup_names[r->cgroup < 3 ? r->cgroup : 0],
		(int)smtpd_pid, client);
}

/* The run failed: the policy's failure verdict (qmail-spp ignores exit
 * codes) and the report. */
static void failed(const struct sbx_policy *p, const struct sbx_result *r,
		   const char *event)
{
	print_fail_line(p);
	report(event, r, sbx_policy_fail_line(p) ? "E" : "-");
}

/* The jail for one run under policy p: a compiled filter when current,
 * the cgroup configuration, the program of a shell command line. */
static struct sbx_jail *make_jail(const struct sbx_cli *cli,
				  const struct sbx_policy *p,
				  struct sbx_error *err)
{
	struct sbx_jail *jail = sbx_jail_new(p, err);
	char word[4096];

	if (!jail)
		return NULL;
	if (cli->policy)
		load_compiled(jail, cli->policy);
	/* where runs get their own cgroup (spp-run(8)); plugins cannot set
	 * it (S refuses SPPSANDBOX*) */
	if (sbx_jail_set_cgroup(jail, getenv("SPPSANDBOX_CGROUP"), err) < 0 ||
	    (cli->diagnose && sbx_jail_set_diagnose(jail, 1, err) < 0) ||
	    (cli->learn && sbx_jail_set_learn(jail, 1, err) < 0) ||
	    (cli->shell &&
	     sbx_cli_shell_program(cli->argv[0], word, sizeof(word)) &&
	     sbx_jail_set_also(jail, word, err) < 0)) {
		sbx_jail_free(jail);
		return NULL;
	}
	return jail;
}

/* --learn FILE: what this run used, merged into FILE. The run's own
 * verdicts are relayed as the plugin printed them (learning trusts it). */
static void learn_into(const struct sbx_cli *cli, const struct sbx_result *r,
		       char *const env[])
{
	struct pol_learn_run run = { r->learned, r->wall_ms,
				     r->kill == SBX_KILL_TIMEOUT,
				     spp_verdict_bits(r->out, r->out_len),
				     env };
	struct sbx_error err = { 0, "" };
	char esc[300];

	if (!r->started || !r->learned)
		return;
	if (pol_learned_into(cli->learn, cli->argv[0], &run, &err) < 0)
		fprintf(stderr, "spp-run: warning: %s: learn: %s\n", prog,
			sbx_escape(esc, sizeof(esc), err.msg, strlen(err.msg)));
}

/* Did the plugin print a terminal command (as qmail-spp reads it)? */
static int decided(const struct sbx_result *r)
{
	static const char terminal[] = "ANODER";

	for (size_t i = 0; i < r->out_len; i += strcspn(r->out + i, "\n") + 1)
		if (memchr(terminal, r->out[i], sizeof(terminal) - 1) &&
		    r->out[i])
			return 1;
	return 0;
}

/* --diagnose: what the plugin looked for and did not get, one line each,
 * for spp-session --compare to show beside a decision that differs. */
static void diagnose(const struct sbx_result *r, char *const env[], int decided)
{
	const struct sbx_diag *d = r->diag;
	char addr[INET6_ADDRSTRLEN], esc[300], names[400] = "";
	size_t used = 0;

	for (unsigned int i = 0; d && i < d->npaths; i++)
		fprintf(stderr,
			"spp-run: diagnose: %s: not in its view: %s (the "
			"host has it)\n",
			prog,
			sbx_escape(esc, sizeof(esc), d->paths[i],
				   strlen(d->paths[i])));
	for (unsigned int i = 0; d && i < d->ndests; i++) {
		const struct sbx_dest *t = &d->dests[i];

		inet_ntop(t->family, t->addr, addr, sizeof(addr));
		fprintf(stderr,
			"spp-run: diagnose: %s: network: %s%s%s:%u/%s %s\n",
			prog, t->family == AF_INET6 ? "[" : "", addr,
			t->family == AF_INET6 ? "]" : "", t->port,
			t->type == SOCK_STREAM ? "tcp" : "udp",
			t->error == EPERM ? "refused by the policy" :
					    "unreachable (network none)");
	}
	/* names qmail-smtpd's environment has and the plugin did not get */
	for (char **e = environ; *e; e++) {
		size_t n = strcspn(*e, "=");
		int given = 0;

		for (char *const *g = env; *g && !given; g++)
			given = strncmp(*g, *e, n + 1) == 0;
		/* SPP*: how spp-run itself is run */
		if (given || n == 0 || used + n + 2 >= sizeof(names) ||
		    strncmp(*e, "SPP", 3) == 0)
			continue;
		memcpy(names + used, *e, n);
		used += n;
		names[used++] = ' ';
		names[used] = '\0';
	}
	if (used) {
		names[used - 1] = '\0';
		fprintf(stderr,
			"spp-run: diagnose: %s: environment: not passed: %s\n",
			prog, sbx_escape(esc, sizeof(esc), names, used - 1));
	}
	if (r->exited && r->exit_code && !decided)
		fprintf(stderr,
			"spp-run: diagnose: %s: exit %d and no decision (under "
			"`exit-status fail` it would fail closed)\n",
			prog, r->exit_code);
}

/* sh's 126 and 127: the command of a ':' line could not be run at all
 * (0.42 let the SMTP command go on: a silent pass). Says so. */
static int shell_could_not_run(const struct sbx_cli *cli,
			       const struct sbx_result *r)
{
	if (!cli->shell || !r->exited || r->kill ||
	    (r->exit_code != 126 && r->exit_code != 127))
		return 0;
	fprintf(stderr,
		"spp-run: warning: %s: cannot start: the shell could not run "
		"it (exit %d)\n",
		prog, r->exit_code);
	return 1;
}

/* Relay the accepted verdict lines, or fail when its verdict is unusable.
 * Returns the exit status. */
static int relay(const struct sbx_cli *cli, const struct sbx_policy *p,
		 const struct sbx_result *r)
{
	char *out = NULL;
	size_t outlen = 0;
	int term = spp_verdict_filter(r->out, r->out_len, p->verdicts,
				      (const char *const *)p->setvars.v, &out,
				      &outlen, dropped, NULL);

	if (term < 0) {
		fprintf(stderr, "spp-run: warning: %s: %s\n", prog,
			term == SPP_VERDICT_UNUSABLE ?
				"its verdict was dropped: failing" :
				"verdict: out of memory");
		failed(p, r, cli->event);
		return SBX_EXIT_TEMP;
	}
	fwrite(out, 1, outlen, stdout);
	free(out);
	report(cli->event, r, spp_cmd_name((unsigned int)term));
	return 0;
}

/* What a run ends with once the plugin ran: its stderr, warnings, learn
 * and diagnose output, then its verdict or the failure line. Returns the
 * exit status. */
static int finish(const struct sbx_cli *cli, const struct sbx_policy *pol,
		  const struct sbx_result *r, char **env)
{
	relay_stderr(r->err, r->err_len);
	complaints(r);
	if (cli->learn)
		learn_into(cli, r, env);
	if (cli->diagnose)
		diagnose(r, env, decided(r));
	if (shell_could_not_run(cli, r) || sbx_result_failed(r, pol)) {
		failed(pol, r, cli->event);
		return SBX_EXIT_TEMP;
	}
	return relay(cli, pol, r);
}

/* The policy and the jail of a command line, as far as they go before the
 * plugin's environment is known. */
struct setup {
	struct sbx_cli cli;
	int have_cli;
	struct sbx_policy pol;
	int have_pol;
	struct sbx_jail *jail;
	char *shell_argv[4];
	char **plugin_argv;
};

static void setup_clear(struct setup *s)
{
	sbx_jail_free(s->jail);
	s->jail = NULL;
	if (s->have_pol)
		sbx_policy_clear(&s->pol);
	if (s->have_cli)
		sbx_cli_clear(&s->cli);
	s->have_pol = s->have_cli = 0;
}

/* Returns 0, 1 for --help, or -1 with *err (a usage error when
 * !s->have_cli, a policy error otherwise). */
static int setup(struct setup *s, int argc, char **argv, char *esc,
		 size_t esclen, struct sbx_error *err)
{
	memset(s, 0, sizeof(*s));
	if (sbx_cli_parse(&s->cli, argc, argv, err) < 0)
		return -1;
	s->have_cli = 1;
	if (s->cli.help)
		return 1;
	prog = sbx_escape(esc, esclen, s->cli.argv[0], strlen(s->cli.argv[0]));
	/* a ':' line of control/smtpplugins, run as qmail-spp 0.42 did */
	s->shell_argv[0] = "/bin/sh";
	s->shell_argv[1] = "-c";
	s->shell_argv[2] = s->cli.argv[0];
	s->plugin_argv = s->cli.shell ? s->shell_argv : s->cli.argv;
	if (s->cli.policy ? pol_parse_file(s->cli.policy, &s->pol, err) :
			    sbx_policy_default(&s->pol, err))
		return -1;
	s->have_pol = 1;
	/* As qmail-spp did: the plugin sees qmail-smtpd's environment,
	 * unless the policy names what it may see. */
	if (s->cli.inherit_env && !s->pol.env_set) {
		sbx_strv_clear(&s->pol.env_pass);
		if (sbx_strv_add(&s->pol.env_pass, "*", err) < 0)
			return -1;
	}
	/* learn mode trusts the plugin: its decisions go through as made,
	 * and a slow one gets the time to take its whole path */
	if (s->cli.learn) {
		s->pol.verdicts = SPP_CMD_ALL;
		if (s->pol.timeout_ms < POL_LEARN_TIMEOUT_MS)
			s->pol.timeout_ms = POL_LEARN_TIMEOUT_MS;
	}
	return 0;
}

/* The run made (ran) or not: what it gave, or why it could not start,
 * printed. Returns the exit status. */
static int outcome(const struct setup *s, int ran, const struct sbx_result *r,
		   char **env, const struct sbx_error *err)
{
	if (ran)
		return finish(&s->cli, &s->pol, r, env);
	fprintf(stderr, "spp-run: warning: %s: cannot start: %s\n", prog,
		err->msg);
	failed(&s->pol, r, s->cli.event);
	return SBX_EXIT_TEMP;
}

int spp_run_main(int argc, char **argv, long smtpd)
{
	struct sbx_error err = { 0, "" };
	struct sbx_result r = { 0 };
	struct setup s;
	char **env = NULL;
	int status = SBX_EXIT_TEMP, rc;

	smtpd_pid = smtpd;
	rc = setup(&s, argc, argv, prog_esc, sizeof(prog_esc), &err);
	if (rc == 1) {
		usage(stdout);
		fflush(stdout);
		setup_clear(&s);
		return 0;
	}
	if (rc < 0) {
		if (!s.have_cli)
			usage(stderr);
		setup_clear(&s);
		return fatal_config(&err);
	}
	env = sbx_env_build(&s.pol, s.cli.env.v, environ, &err);
	if (env)
		s.jail = make_jail(&s.cli, &s.pol, &err);
	status = outcome(&s,
			 s.jail && sbx_jail_run(s.jail, s.plugin_argv, env, &r,
						&err) == 0,
			 &r, env, &err);
	fflush(stdout);
	sbx_result_clear(&r);
	sbx_env_free(env);
	setup_clear(&s);
	return status;
}

/* A policy file as a parked run saw it: its inode, owner, mode, times
 * and bytes (two edits within one tick of a coarse clock keep the times,
 * not the bytes). */
struct snapshot {
	struct stat st;
	struct sbx_buf bytes;
};

#define SNAPSHOT_MAX (1024 * 1024)

static int snapshot(const char *path, struct snapshot *s)
{
	char chunk[4096];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	ssize_t n;

	memset(s, 0, sizeof(*s));
	if (fd < 0)
		return -1;
	if (fstat(fd, &s->st) < 0) {
		close(fd);
		return -1;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) > 0 &&
	       s->bytes.len + (size_t)n <= SNAPSHOT_MAX &&
	       sbx_buf_add(&s->bytes, chunk, (size_t)n) == 0)
		;
	close(fd);
	return n == 0 ? 0 : -1;
}

static int same_snapshot(const struct snapshot *a, const struct snapshot *b)
{
	return a->st.st_dev == b->st.st_dev && a->st.st_ino == b->st.st_ino &&
	       a->st.st_mode == b->st.st_mode && a->st.st_uid == b->st.st_uid &&
	       a->st.st_gid == b->st.st_gid &&
	       a->st.st_ctim.tv_sec == b->st.st_ctim.tv_sec &&
	       a->st.st_ctim.tv_nsec == b->st.st_ctim.tv_nsec &&
	       a->bytes.len == b->bytes.len &&
	       (!a->bytes.len || !memcmp(a->bytes.s, b->bytes.s, a->bytes.len));
}

/* One parked run, or the cold one that replaces it (see spp_run_parked):
 * its status, or -1 when await() failed. s, before and *have_setup are
 * the worker's, kept from run to run while the policy stays the same. */
static int parked_once(int argc, char **argv, int netns,
		       const struct stat *net0, struct setup *s,
		       struct snapshot *before, int *have_setup,
		       const struct spp_parked_ops *ops, void *ctx)
{
	struct sbx_error err = { 0, "" };
	struct sbx_result r = { 0 };
	struct sbx_run *run = NULL;
	struct snapshot now = { 0 };
	struct sbx_cli cli;
	char **env = NULL;
	long smtpd = 0;
	int status;
	struct stat net1;

	if (!*have_setup) {
		/* stat first: a policy changed while it is read is seen
		 * later */
		memset(s, 0, sizeof(*s));
		memset(before, 0, sizeof(*before));
		if (sbx_cli_parse(&cli, argc, argv, &err) == 0) {
			*have_setup = !cli.policy ||
				      snapshot(cli.policy, before) == 0;
			sbx_cli_clear(&cli);
		}
		if (*have_setup &&
		    (setup(s, argc, argv, prog_esc, sizeof(prog_esc), &err) <
			     0 ||
		     !(s->jail = make_jail(&s->cli, &s->pol, &err)) ||
		     (sbx_jail_keep_cgroup(s->jail), 0) ||
		     (netns >= 0 &&
		      sbx_jail_set_netns(s->jail, netns, &err) < 0))) {
			setup_clear(s);
			sbx_buf_free(&before->bytes);
			*have_setup = 0;
		}
	}
	if (*have_setup)
		run = sbx_run_prepare(s->jail, s->plugin_argv, &err);
	if (ops->await(ctx, &smtpd) < 0) {
		sbx_run_free(run);
		return -1;
	}
	smtpd_pid = smtpd;
	/* anything not prepared, or prepared from what changed since: the
	 * run is made from the start, as spp-run makes it, and the next
	 * one from what is there then */
	if (!run || !sbx_run_fresh(run) ||
	    (s->cli.policy && (snapshot(s->cli.policy, &now) < 0 ||
			       !same_snapshot(before, &now)))) {
		sbx_run_free(run);
		if (*have_setup) {
			setup_clear(s);
			sbx_buf_free(&before->bytes);
			*have_setup = 0;
		}
		sbx_buf_free(&now.bytes);
		/* never a `loopback` or `host` run from the line's namespace,
		 * where its services are out of reach */
		if (netns >= 0 && (stat("/proc/self/ns/net", &net1) < 0 ||
				   net1.st_ino != net0->st_ino)) {
			sbx_fail(&err, EPERM,
				 "cannot go back to the broker's network "
				 "namespace");
			status = fatal_config(&err);
		} else {
			status = spp_run_main(argc, argv, smtpd);
		}
		ops->done(ctx, status);
		return status;
	}
	sbx_buf_free(&now.bytes);
	env = sbx_env_build(&s->pol, s->cli.env.v, environ, &err);
	status = outcome(s, env && sbx_run_start(run, env, &r, &err) == 0, &r,
			 env, &err);
	fflush(stdout);
	fflush(stderr);
	/* the verdict is out: the sandbox is torn down after */
	ops->done(ctx, status);
	sbx_run_free(run);
	sbx_result_clear(&r);
	sbx_env_free(env);
	return status;
}

int spp_run_parked(int argc, char **argv, int netns,
		   const struct spp_parked_ops *ops, void *ctx)
{
	struct snapshot before = { 0 };
	struct setup s;
	int have_setup = 0;
	struct stat net0;

	memset(&s, 0, sizeof(s));
	/* the network namespace a run made from the start must be in */
	if (netns >= 0 && stat("/proc/self/ns/net", &net0) < 0)
		netns = -1;
	while (parked_once(argc, argv, netns, &net0, &s, &before, &have_setup,
			   ops, ctx) >= 0 &&
	       ops->next(ctx) == 0)
		;
	if (have_setup) {
		setup_clear(&s);
		sbx_buf_free(&before.bytes);
	}
	/* never an earlier run's status: the broker could take it for that
	 * of a request this worker failed to take */
	return -1;
}
