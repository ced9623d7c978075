/* SPDX-License-Identifier: GPL-2.0-or-later */
/* spp-run's command line: options, then the plugin and its arguments. */
#include <errno.h>
#include <string.h>

#include "cli.h"

/* qmail-spp's sections, and sagredo's [pass] */
static const char *const events[] = {
	"connection", "helo", "mail", "rcpt", "data", "auth", "pass", NULL,
};

static int valid_event(const char *e)
{
	for (size_t i = 0; events[i]; i++)
		if (strcmp(events[i], e) == 0)
			return 1;
	return 0;
}

/* Does argv[*i] name opt? Then *val is its value (--opt VALUE or
 * --opt=VALUE), or NULL when the value is missing or empty. */
static int opt_value(const char *opt, int argc, char **argv, int *i,
		     const char **val)
{
	size_t n = strlen(opt);

	*val = NULL;
	if (strncmp(argv[*i], opt, n) != 0 ||
	    (argv[*i][n] && argv[*i][n] != '='))
		return 0;
	if (argv[*i][n] == '=')
		*val = argv[*i] + n + 1;
	else if (*i + 1 < argc)
		*val = argv[++*i];
	if (*val && !**val)
		*val = NULL;
	return 1;
}

/* Arguments come from a control file: quote them escaped, on one line. */
static const char *esc(char *buf, size_t len, const char *s)
{
	return sbx_escape(buf, len, s, strnlen(s, 64));
}

int sbx_cli_parse(struct sbx_cli *c, int argc, char **argv,
		  struct sbx_error *err)
{
	int i;

	memset(c, 0, sizeof(*c));
	c->event = "-";
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		char e[80];

		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (a[0] != '-' || a[1] == '\0')
			break;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			c->help = 1;
			return 0;
		}
		if (strcmp(a, "--inherit-env") == 0) {
			c->inherit_env = 1;
			continue;
		}
		if (strcmp(a, "--shell") == 0) {
			c->shell = 1;
			continue;
		}
		if (strcmp(a, "--no-broker") == 0) {
			c->no_broker = 1;
			continue;
		}
		if (strcmp(a, "--diagnose") == 0) {
			c->diagnose = 1;
			continue;
		}
		if (opt_value("--policy", argc, argv, &i, &v)) {
			if (!v) {
				sbx_fail(err, EINVAL, "--policy needs a file");
				goto fail;
			}
			if (c->policy) {
				sbx_fail(err, EINVAL, "--policy given twice");
				goto fail;
			}
			c->policy = v;
		} else if (opt_value("--env", argc, argv, &i, &v)) {
			if (!v || !sbx_env_valid(v)) {
				sbx_fail(err, EINVAL,
					 "--env wants NAME=VALUE, not '%s'",
					 esc(e, sizeof(e), v ? v : ""));
				goto fail;
			}
			if (sbx_strv_add(&c->env, v, err) < 0)
				goto fail;
		} else if (opt_value("--learn", argc, argv, &i, &v)) {
			if (!v) {
				sbx_fail(err, EINVAL, "--learn needs a file");
				goto fail;
			}
			c->learn = v;
		} else if (opt_value("--broker", argc, argv, &i, &v)) {
			if (!v) {
				sbx_fail(err, EINVAL,
					 "--broker needs a socket");
				goto fail;
			}
			c->broker = v;
		} else if (opt_value("--event", argc, argv, &i, &v)) {
			if (!v || !valid_event(v)) {
				sbx_fail(err, EINVAL, "unknown event '%s'",
					 esc(e, sizeof(e), v ? v : ""));
				goto fail;
			}
			c->event = v;
		} else {
			sbx_fail(err, EINVAL, "unknown option '%s'",
				 esc(e, sizeof(e), a));
			goto fail;
		}
	}
	if (i >= argc || !argv[i][0]) {
		sbx_fail(err, EINVAL, "no plugin given");
		goto fail;
	}
	if (c->shell && i + 1 != argc) {
		sbx_fail(err, EINVAL, "--shell takes one command line");
		goto fail;
	}
	c->argv = argv + i;
	return 0;
fail:
	sbx_cli_clear(c);
	return -1;
}

static int blank(char c)
{
	return c == ' ' || c == '\t';
}

/* NAME=value, as a word of its own: an assignment the shell makes. */
static int assignment(const char *w, size_t len)
{
	size_t i = 0;

	if (!len || !(w[0] == '_' || (w[0] >= 'A' && w[0] <= 'Z') ||
		      (w[0] >= 'a' && w[0] <= 'z')))
		return 0;
	while (i < len &&
	       (w[i] == '_' || (w[i] >= 'A' && w[i] <= 'Z') ||
		(w[i] >= 'a' && w[i] <= 'z') || (w[i] >= '0' && w[i] <= '9')))
		i++;
	return i < len && w[i] == '=';
}

int sbx_cli_shell_program(const char *cmd, char *out, size_t len)
{
	const char *w = cmd;
	size_t n;

	for (;;) {
		while (blank(*w))
			w++;
		n = 0;
		while (w[n] && !blank(w[n]))
			n++;
		if (n == 0)
			return 0;
		if (!assignment(w, n) && !(n == 4 && !strncmp(w, "exec", 4)))
			break;
		w += n;
	}
	/* anything the shell would expand, quote or redirect: its call */
	if (strcspn(w, "'\"\\$`;&|<>(){}*?[]~#\n") < n || !memchr(w, '/', n) ||
	    n >= len)
		return 0;
	memcpy(out, w, n);
	out[n] = '\0';
	return 1;
}

void sbx_cli_clear(struct sbx_cli *c)
{
	sbx_strv_clear(&c->env);
}
