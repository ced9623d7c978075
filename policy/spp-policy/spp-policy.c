/* SPDX-License-Identifier: GPL-2.0-or-later */
/* spp-policy: check policy files and show the effective policy.
 * Exit 0: all good; 100: a file is invalid or unreadable, or a usage error;
 * 111: a file could not be checked for a reason that may go away. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "pol.h"
#include "sbx.h"
#include "verdict.h"

extern char **environ;

static void usage(FILE *f)
{
	fprintf(f, "usage: spp-policy check [--] FILE...\n"
		   "       spp-policy show [--] FILE\n"
		   "       spp-policy compile [--] FILE...\n"
		   "       spp-policy install [--] NEW DEST\n"
		   "       spp-policy learn [--env NAME=VALUE]... "
		   "[--inherit-env] [--into FILE] [--] PLUGIN [ARG...]\n");
}

/* "spp-policy: fatal: WHAT" or "... WHAT 'ARG'", after the usage lines. */
static void fatal_usage(const char *what, const char *arg)
	__attribute__((noreturn));

static void fatal_usage(const char *what, const char *arg)
{
	char esc[200];

	usage(stderr);
	if (arg)
		fprintf(stderr, "spp-policy: fatal: %s '%s'\n", what,
			sbx_escape(esc, sizeof(esc), arg, strlen(arg)));
	else
		fprintf(stderr, "spp-policy: fatal: %s\n", what);
	exit(SBX_EXIT_PERM);
}

/* Parse one file; on error print the parser's message, which starts with
 * the file name, and return the exit status it deserves. */
static int load(const char *path, struct sbx_policy *p)
{
	struct sbx_error err = { 0, "" };

	if (pol_parse_file(path, p, &err) == 0)
		return SBX_EXIT_OK;
	fprintf(stderr, "%s\n", err.msg);
	return sbx_exit_status(err.code);
}

static void flush_stdout(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "spp-policy: fatal: cannot write output: %s\n",
			strerror(errno));
		exit(SBX_EXIT_TEMP);
	}
}

/* A file known to be bad outweighs one that could not be checked. */
static int cmd_check(int argc, char **argv)
{
	int bad = 0, temp = 0;

	if (argc < 1)
		fatal_usage("check: no file named", NULL);
	for (int i = 0; i < argc; i++) {
		struct sbx_policy p;
		char esc[1024];
		int r = load(argv[i], &p);

		if (r == SBX_EXIT_OK) {
			sbx_escape(esc, sizeof(esc), argv[i], strlen(argv[i]));
			/* valid, but no sandbox for the calls it lacks */
			if (p.sysdefault == SBX_SYS_COMPLAIN)
				fprintf(stderr,
					"%s: warning: syscall-default complain "
					"lets every call through: for writing "
					"a policy, never for production\n",
					esc);
			sbx_policy_clear(&p);
			printf("%s: ok\n", esc);
		} else if (r == SBX_EXIT_TEMP) {
			temp = 1;
		} else {
			bad = 1;
		}
	}
	flush_stdout();
	return bad ? SBX_EXIT_PERM : temp ? SBX_EXIT_TEMP : SBX_EXIT_OK;
}

static int cmd_show(int argc, char **argv)
{
	struct sbx_policy p;
	char *text = NULL;
	size_t len = 0;
	int r;

	if (argc != 1)
		fatal_usage("show: name exactly one file", NULL);
	r = load(argv[0], &p);
	if (r != SBX_EXIT_OK)
		return r;
	if (pol_dump(&p, &text, &len) < 0) {
		sbx_policy_clear(&p);
		fprintf(stderr, "spp-policy: fatal: out of memory\n");
		return SBX_EXIT_TEMP;
	}
	sbx_policy_clear(&p);
	fwrite(text, 1, len, stdout);
	free(text);
	flush_stdout();
	return SBX_EXIT_OK;
}

/* Write FILE.bpf, the seccomp filter compiled ahead of time, which
 * spp-run --policy FILE then loads instead of compiling it each time. */
static int cmd_compile(int argc, char **argv)
{
	struct sbx_error err = { 0, "" };
	char path[4096], esc[300];
	int worst = SBX_EXIT_OK;

	if (argc < 1)
		fatal_usage("compile: no file named", NULL);
	for (int i = 0; i < argc; i++) {
		struct sbx_policy p;
		int r = load(argv[i], &p);

		if (r != SBX_EXIT_OK) {
			worst = worst == SBX_EXIT_PERM ? worst : r;
			continue;
		}
		if (snprintf(path, sizeof(path), "%s.bpf", argv[i]) >=
			    (int)sizeof(path) ||
		    sbx_filter_save(&p, path, &err) < 0) {
			fprintf(stderr, "spp-policy: fatal: %s\n",
				sbx_escape(esc, sizeof(esc), err.msg,
					   strlen(err.msg)));
			/* a refused directory is the admin's to fix */
			worst = worst == SBX_EXIT_PERM || err.code == EPERM ?
					SBX_EXIT_PERM :
					SBX_EXIT_TEMP;
		} else {
			printf("%s\n", sbx_escape(esc, sizeof(esc), path,
						  strlen(path)));
		}
		sbx_policy_clear(&p);
	}
	flush_stdout();
	return worst;
}

/* Install NEW as DEST atomically, after checking it: a plugin whose runs
 * read DEST meanwhile sees the old policy or the new one, never a file
 * half written (which could widen what it may do). A current DEST.bpf is
 * compiled again for the new policy. */
static int cmd_install(int argc, char **argv)
{
	struct sbx_error err = { 0, "" };
	struct sbx_policy p;
	struct iovec iov;
	char bpf[4096], esc[300];
	char *buf = NULL;
	size_t len = 0;
	int status = SBX_EXIT_OK;

	if (argc != 2)
		fatal_usage("install: name NEW and DEST", NULL);
	if (pol_read_file(argv[0], &buf, &len, NULL, &err) < 0 ||
	    pol_parse_buf(argv[0], buf, len, &p, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		free(buf);
		return sbx_exit_status(err.code);
	}
	iov.iov_base = buf;
	iov.iov_len = len;
	if (sbx_file_replace(argv[1], &iov, 1, 0644, &err) < 0) {
		fprintf(stderr, "spp-policy: fatal: install: %s\n", err.msg);
		status = err.code == EPERM ? SBX_EXIT_PERM : SBX_EXIT_TEMP;
		goto out;
	}
	printf("%s: installed\n",
	       sbx_escape(esc, sizeof(esc), argv[1], strlen(argv[1])));
	if (snprintf(bpf, sizeof(bpf), "%s.bpf", argv[1]) < (int)sizeof(bpf) &&
	    access(bpf, F_OK) == 0) {
		if (sbx_filter_save(&p, bpf, &err) < 0) {
			/* the stale filter is not used: runs compile */
			fprintf(stderr, "spp-policy: warning: %s\n", err.msg);
		} else {
			printf("%s\n",
			       sbx_escape(esc, sizeof(esc), bpf, strlen(bpf)));
		}
	}
	flush_stdout();
out:
	sbx_policy_clear(&p);
	free(buf);
	return status;
}

/* Print what the plugin said, for the one who teaches it: a learned
 * policy means little without knowing which path the run took. */
static void show_run(const char *name, const struct sbx_result *r)
{
	char esc[300], killed[64];
	size_t start = 0;

	for (size_t i = 0; i <= r->out_len; i++) {
		if (i < r->out_len && r->out[i] != '\n')
			continue;
		if (i > start)
			fprintf(stderr, "spp-policy: info: %s said: %s\n", name,
				sbx_escape(esc, sizeof(esc), r->out + start,
					   i - start));
		start = i + 1;
	}
	if (r->err_len)
		fwrite(r->err, 1, r->err_len, stderr);
	sbx_result_killed(r, killed, sizeof(killed));
	if (killed[0])
		fprintf(stderr, "spp-policy: info: %s: killed %s\n", name,
			killed);
	else
		fprintf(stderr, "spp-policy: info: %s: exit %d\n", name,
			r->exit_code);
}

/* Run the plugin once in learn mode and print the policy it needs, or
 * merge it into a file that gathers several runs (--into). */
static int cmd_learn(int argc, char **argv)
{
	struct sbx_error err = { 0, "" };
	struct sbx_result r = { 0 };
	struct sbx_strv extra = { NULL, 0 };
	struct sbx_jail *jail = NULL;
	struct sbx_policy p, learned;
	struct pol_learn_run run;
	const char *into = NULL;
	char **env = NULL, esc[200];
	int i, inherit = 0, status = SBX_EXIT_TEMP, have = 0;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (strcmp(argv[i], "--inherit-env") == 0) {
			inherit = 1;
		} else if (strcmp(argv[i], "--into") == 0 && i + 1 < argc) {
			into = argv[++i];
		} else if (strcmp(argv[i], "--env") == 0 && i + 1 < argc) {
			if (!sbx_env_valid(argv[++i]))
				fatal_usage("learn: --env wants NAME=VALUE, "
					    "not",
					    argv[i]);
			if (sbx_strv_add(&extra, argv[i], &err) < 0)
				goto out;
		} else {
			break;
		}
	}
	if (i >= argc)
		fatal_usage("learn: no plugin given", NULL);
	if (argv[i][0] == '-')
		fatal_usage("learn: unknown option", argv[i]);
	if (sbx_policy_default(&p, &err) < 0)
		goto out;
	have = 1;
	/* a slow plugin gets the time to take its whole path */
	p.timeout_ms = POL_LEARN_TIMEOUT_MS;
	/* as the hook layer runs plugins: qmail-smtpd's environment */
	if (inherit) {
		sbx_strv_clear(&p.env_pass);
		if (sbx_strv_add(&p.env_pass, "*", &err) < 0)
			goto done;
	}
	env = sbx_env_build(&p, extra.v, inherit ? environ : NULL, &err);
	if (!env || !(jail = sbx_jail_new(&p, &err)) ||
	    sbx_jail_set_learn(jail, 1, &err) < 0 ||
	    sbx_jail_run(jail, argv + i, env, &r, &err) < 0)
		goto done;
	sbx_escape(esc, sizeof(esc), argv[i], strlen(argv[i]));
	if (!r.started || !r.learned) {
		fprintf(stderr, "spp-policy: fatal: %s: cannot start: %s\n",
			esc, r.setup_error);
		goto done;
	}
	show_run(esc, &r);
	run.learned = r.learned;
	run.wall_ms = r.wall_ms;
	run.timed_out = r.kill == SBX_KILL_TIMEOUT;
	run.verdicts = spp_verdict_bits(r.out, r.out_len);
	run.env = env;
	if (into) {
		if (pol_learned_into(into, argv[i], &run, &err) < 0)
			goto done;
		printf("%s: merged\n",
		       sbx_escape(esc, sizeof(esc), into, strlen(into)));
	} else {
		char *text = NULL;
		size_t len = 0;

		if (pol_learned_policy(&run, &learned, &err) < 0)
			goto done;
		if (pol_dump(&learned, &text, &len) < 0) {
			sbx_policy_clear(&learned);
			sbx_fail(&err, ENOMEM, "out of memory");
			goto done;
		}
		printf("# Learned from one run of %s: what it used, no more.\n"
		       "# Review it, and run the plugin's other paths "
		       "(--into FILE) before use.\n",
		       esc);
		fwrite(text, 1, len, stdout);
		free(text);
		sbx_policy_clear(&learned);
	}
	flush_stdout();
	status = SBX_EXIT_OK;
done:
	if (have)
		sbx_policy_clear(&p);
out:
	if (status != SBX_EXIT_OK && err.msg[0])
		fprintf(stderr, "spp-policy: fatal: learn: %s\n", err.msg);
	sbx_result_clear(&r);
	sbx_jail_free(jail);
	sbx_env_free(env);
	sbx_strv_clear(&extra);
	return status;
}

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} commands[] = {
	{ "check", cmd_check },	    { "show", cmd_show },
	{ "compile", cmd_compile }, { "install", cmd_install },
	{ "learn", cmd_learn },
};

int main(int argc, char **argv)
{
	int (*run)(int argc, char **argv) = NULL;
	int i = 2;

	if (argc < 2)
		fatal_usage("no command given", NULL);
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		flush_stdout();
		return SBX_EXIT_OK;
	}
	for (size_t k = 0; k < sizeof(commands) / sizeof(commands[0]); k++)
		if (strcmp(commands[k].name, argv[1]) == 0)
			run = commands[k].run;
	if (!run)
		fatal_usage("unknown command", argv[1]);
	if (run == cmd_learn) /* has options of its own */
		return run(argc - 2, argv + 2);
	/* Options end at "--"; there are none yet, so any other word
	 * starting with '-' before the files is a mistake ("-" is a file). */
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	else if (i < argc && argv[i][0] == '-' && argv[i][1] != '\0')
		fatal_usage("unknown option", argv[i]);
	return run(argc - i, argv + i);
}
