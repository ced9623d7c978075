/* SPDX-License-Identifier: GPL-2.0-or-later */
/* spp-migrate: what an existing qmail-spp installation becomes under the
 * sandboxed hook layer. For control/smtpplugins and every SPPCONFFILE a
 * tcprules source file sets: the policy each plugin line resolves to (its
 * own, default.policy or the built-in default), the ':spp-run ...' drop-in
 * lines to strip, and (--write) a starting NAME.policy.new for review. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "pol.h"
#include "sbx.h"
#include "spp.h"

static const char *prog = "spp-migrate";

static struct {
	int write; /* --write */
	unsigned int lines, own, dflt, builtin, dropins, written;
	unsigned int files, unreadable;
} m;

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s [-d QMAILHOME] [--tcprules FILE]... "
		"[--dialect 0.42|sagredo] [--write]\n",
		prog);
}

static void fatal(int code, const char *what, const char *why)
{
	fprintf(stderr, "%s: fatal: %s%s%s\n", prog, what, why ? ": " : "",
		why ? why : "");
	exit(code);
}

/* The next blank-separated word of *s into w (len bytes); 0 at the end. */
static int word(const char **s, char *w, size_t len)
{
	size_t n;

	while (**s == ' ' || **s == '\t')
		(*s)++;
	n = strcspn(*s, " \t");
	if (!n)
		return 0;
	snprintf(w, len, "%.*s", (int)n, *s);
	*s += n;
	return 1;
}

/* The word after "--policy" (or "--policy=") in a drop-in line, and the
 * line that replaces it under the patched qmail-smtpd: the plugin after
 * "--" (or the first word that is no option) with its arguments, a ':'
 * line when it has some or spp-run ran it with --shell (plain lines take
 * none), from ':/usr/local/bin/spp-run --event rcpt --policy P -- X'. */
static void dropin_parts(const char *line, char *policy, char *plugin,
			 size_t len)
{
	const char *s = line + 1, *at;
	char w[1024];
	int ended = 0, shell = 0;

	policy[0] = plugin[0] = '\0';
	if (!word(&s, w, sizeof(w))) /* spp-run itself */
		return;
	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		at = s;
		if (!word(&s, w, sizeof(w)))
			return;
		if (!ended && strcmp(w, "--") == 0) {
			ended = 1;
		} else if (!ended && strncmp(w, "--policy=", 9) == 0) {
			snprintf(policy, len, "%s", w + 9);
		} else if (!ended && strcmp(w, "--policy") == 0) {
			word(&s, policy, len);
		} else if (!ended && strcmp(w, "--shell") == 0) {
			shell = 1;
		} else if (!ended && (strcmp(w, "--event") == 0 ||
				      strcmp(w, "--env") == 0)) {
			word(&s, w, sizeof(w));
		} else if (ended || w[0] != '-') {
			snprintf(plugin, len, "%s%s",
				 shell || strpbrk(at, " \t") ? ":" : "", at);
			return;
		}
	}
}

/* NAME.policy.new beside the others: the drop-in line's policy, else
 * default.policy, else the built-in default, written out for review. */
static void write_new(const char *dir, const char *name, const char *from)
{
	struct sbx_error err = { 0, "" };
	struct sbx_policy p;
	struct iovec iov[2];
	char path[4096], head[1024], *text = NULL;
	size_t len = 0;
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s.policy.new", dir, name);
	if (lstat(path, &st) == 0) {
		printf("  keeping %s\n", path);
		return;
	}
	if (from ? pol_parse_file(from, &p, &err) :
		   sbx_policy_default(&p, &err)) {
		printf("  cannot write %s: %s\n", path, err.msg);
		return;
	}
	if (pol_dump(&p, &text, &len) < 0) {
		sbx_policy_clear(&p);
		fatal(SBX_EXIT_TEMP, "out of memory", NULL);
	}
	snprintf(
		head, sizeof(head),
		"# Starting policy for %s, written by spp-migrate from %s.\n"
		"# Check it with spp-session --compare on your dialogues,\n"
		"# learn what it lacks with spp-session --learn, then\n"
		"# spp-policy install it as %s.policy. Like the built-in\n"
		"# default it grants no A and no O: a plugin that accepts the\n"
		"# session (A) or relays (O) needs them in its verdicts.\n",
		name, from ? from : "the built-in default", name);
	iov[0].iov_base = head;
	iov[0].iov_len = strlen(head);
	iov[1].iov_base = text;
	iov[1].iov_len = len;
	if (sbx_file_replace(path, iov, 2, 0644, &err) < 0) {
		printf("  cannot write %s: %s\n", path, err.msg);
	} else {
		printf("  wrote %s\n", path);
		m.written++;
	}
	free(text);
	sbx_policy_clear(&p);
}

/* One plugin line: where its policy comes from. */
static void line(const char *dir, const char *section, const char *text,
		 const char *policy)
{
	char own[4096], dpol[1024], dplug[1024], name[256];
	int named = spp_plugin_name(text, name, sizeof(name));

	m.lines++;
	if (text[0] == ':' && strstr(text, "spp-run")) {
		dropin_parts(text, dpol, dplug, sizeof(dpol));
		m.dropins++;
		printf("  [%s] %s\n    a drop-in line: under the patched "
		       "qmail-smtpd write just '%s'",
		       section, text, dplug[0] ? dplug : "PLUGIN");
		named = dplug[0] && spp_plugin_name(dplug, name, sizeof(name));
		if (dpol[0] && named)
			printf(", with its policy as %s/%s.policy", dir, name);
		printf("\n");
		/* its own policy, else what the line would get now */
		if (m.write && named)
			write_new(dir, name, dpol[0] ? dpol : policy);
		return;
	}
	printf("  [%s] %s: ", section, text);
	snprintf(own, sizeof(own), "%s/%s.policy", dir, named ? name : "");
	if (policy && named && strcmp(policy, own) == 0) {
		m.own++;
		printf("%s\n", policy);
		return;
	}
	if (policy) {
		m.dflt++;
		printf("%s (no %s.policy)\n", policy,
		       named ? name : "name for a policy of its own:");
	} else {
		m.builtin++;
		printf("the built-in default (no %s%s)\n", named ? name : "",
		       named ? ".policy, no default.policy" : "default.policy");
	}
	if (m.write && named)
		write_new(dir, name, policy);
}

/* One control/smtpplugins file (relative to the qmail home), read by the
 * hook layer itself so that the answer is the layer's. */
static void conf(const char *file, const char *policydir)
{
	const char *section, *text, *policy;

	setenv("SPPCONFFILE", file, 1);
	setenv("SPPPOLICYDIR", policydir, 1);
	if (spp_init() < 0) {
		printf("%s: cannot read: %s\n", file, strerror(errno));
		m.unreadable++;
		return;
	}
	m.files++;
	printf("%s (policies in %s):\n", file, policydir);
	for (int sec = 0; sec < SPP_SECTIONS; sec++)
		for (size_t i = 0;
		     spp_plugin_at(sec, i, &section, &text, &policy); i++)
			line(policydir, section, text, policy);
	spp_done();
}

/* The value of NAME="..." or NAME=... in a tcprules line, into out. */
static int rule_value(const char *rule, const char *name, char *out, size_t len)
{
	const char *p = rule;
	size_t n = strlen(name);

	while ((p = strstr(p, name))) {
		if ((p == rule || p[-1] == ',' || p[-1] == ':') &&
		    p[n] == '=') {
			const char *v = p + n + 1;
			size_t l;

			if (*v == '"') {
				v++;
				l = strcspn(v, "\"");
			} else {
				l = strcspn(v, ",\n");
			}
			snprintf(out, len, "%.*s", (int)l, v);
			return 1;
		}
		p += n;
	}
	return 0;
}

/* Every SPPCONFFILE (with its SPPPOLICYDIR) a tcprules source sets. */
static void tcprules(const char *path)
{
	char file[1024], dir[1024], *rule = NULL;
	FILE *f = fopen(path, "re");
	size_t cap = 0;

	if (!f) {
		printf("%s: cannot read: %s\n", path, strerror(errno));
		return;
	}
	while (getline(&rule, &cap, f) >= 0) {
		if (rule[0] == '#' ||
		    !rule_value(rule, "SPPCONFFILE", file, sizeof(file)) ||
		    !file[0])
			continue;
		if (!rule_value(rule, "SPPPOLICYDIR", dir, sizeof(dir)) ||
		    !dir[0])
			snprintf(dir, sizeof(dir), "%s",
				 SPP_POLICY_DIR_DEFAULT);
		printf("%s: SPPCONFFILE=%s\n", path, file);
		conf(file, dir);
	}
	free(rule);
	fclose(f);
}

int main(int argc, char **argv)
{
	const char *home = ".";
	char **rules = calloc((size_t)argc, sizeof(*rules));
	int i, nrules = 0;

	if (!rules)
		fatal(SBX_EXIT_TEMP, "out of memory", NULL);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "-d") == 0 && i + 1 < argc) {
			home = argv[++i];
		} else if (strcmp(argv[i], "--dialect") == 0 && i + 1 < argc) {
			i++;
			if (strcmp(argv[i], "0.42") &&
			    strcmp(argv[i], "sagredo"))
				fatal(SBX_EXIT_PERM,
				      "--dialect is 0.42 or sagredo", NULL);
			spp_set_dialect(strcmp(argv[i], "sagredo") ?
						SPP_DIALECT_042 :
						SPP_DIALECT_SAGREDO);
		} else if (strcmp(argv[i], "--write") == 0) {
			m.write = 1;
		} else if (strcmp(argv[i], "--tcprules") == 0 && i + 1 < argc) {
			/* named from here, read from the qmail home */
			rules[nrules] = realpath(argv[++i], NULL);
			if (!rules[nrules++])
				fatal(SBX_EXIT_TEMP, argv[i], strerror(errno));
		} else {
			usage(stderr);
			fatal(SBX_EXIT_PERM, "unknown argument", argv[i]);
		}
	}
	if (chdir(home) < 0)
		fatal(SBX_EXIT_TEMP, home, strerror(errno));
	/* read the file whatever this shell's switches say */
	unsetenv("NOSPP");
	setenv("ENABLE_SPP", "1", 1);
	conf(SPP_CONF_DEFAULT, SPP_POLICY_DIR_DEFAULT);
	for (i = 0; i < nrules; i++) {
		tcprules(rules[i]);
		free(rules[i]);
	}
	free(rules);
	printf("%u plugin lines in %u files: %u with a policy of their own, "
	       "%u on default.policy or a shell line's, %u on the built-in "
	       "default, %u drop-in lines to strip; %u starting policies "
	       "written\n",
	       m.lines, m.files, m.own, m.dflt, m.builtin, m.dropins,
	       m.written);
	if (fflush(stdout) != 0)
		return SBX_EXIT_TEMP;
	/* qmail-smtpd would refuse every connection (421) */
	return m.unreadable ? SBX_EXIT_TEMP : 0;
}
