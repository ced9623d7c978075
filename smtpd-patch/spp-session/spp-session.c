/* SPDX-License-Identifier: GPL-2.0-or-later */
/* spp-session: dry-run a qmail-spp configuration. Reads an SMTP dialogue on
 * stdin and runs the hook layer at the points the patched qmail-smtpd does,
 * printing what the client would see; nothing is queued. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sbx.h"
#include "spp-compare.h"
#include "spp.h"

/* Replies spp-session makes itself, where qmail-smtpd would have decided. */
#define NOCHECK " (spp-session: qmail's own checks not performed)"
#define OURS " (spp-session)"
#define GREETING "spp-session"

/* qmail-smtpd refuses longer addresses (addrparse). */
#define ADDR_MAX 900

static const char *prog = "spp-session";

static struct {
	char *addr; /* qmail's addr: the current MAIL/RCPT address */
	char *mailfrom;
	char **rcpt;
	size_t nrcpt, caprcpt;
	int seenmail;
	int authd;
	const char *relayclient; /* read once, like qmail-smtpd's setup() */
	char *relay_copy; /* owns it, unless AUTH replaced it */
	char **rcpthosts; /* -r FILE, NULL: every domain allowed */
	size_t nrcpthosts;
	const char *auth_user, *auth_method;
	int dropped;
	int allowed; /* qmail-smtpd's: what rcpthosts says of the RCPT */
	int compare; /* --compare */
	const char *learn; /* --learn DIR */
	char command[200]; /* the command being run, for --compare */
} s;

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s [-c SMTPPLUGINS] [-p POLICYDIR] [-r RCPTHOSTS] "
		"[--env NAME=VALUE]... [--auth-user USER --auth-method "
		"METHOD] [--dialect 0.42|sagredo] [--compare | --learn DIR] "
		"< DIALOGUE\n",
		prog);
}

static void nomem(void)
{
	fprintf(stderr, "%s: fatal: out of memory\n", prog);
	exit(SBX_EXIT_TEMP);
}

static char *xstrdup(const char *p)
{
	char *q = strdup(p);

	if (!q)
		nomem();
	return q;
}

/* --- glue ---------------------------------------------------------------- */

/* Lines end in CRLF on the wire; LF here, for people and diff. */
void spp_glue_out(const char *str)
{
	for (; *str; str++)
		if (*str != '\r')
			putchar(*str);
}

void spp_glue_flush(void)
{
	fflush(stdout);
}

const char *spp_glue_addr(void)
{
	return s.addr ? s.addr : "";
}

int spp_glue_set_addr(const char *a)
{
	char *p = strdup(a);

	if (!p)
		return -1;
	free(s.addr);
	s.addr = p;
	return 0;
}

/* qmail's rcpthosts(): the domain or one of its parents is listed. */
static int rcpthosts_ok(const char *a)
{
	const char *at = strrchr(a, '@');

	if (!s.rcpthosts || !at)
		return 1;
	for (const char *d = at + 1; *d; d++) {
		if (d != at + 1 && *d != '.')
			continue;
		for (size_t i = 0; i < s.nrcpthosts; i++)
			if (strcasecmp(s.rcpthosts[i], d) == 0)
				return 1;
	}
	return 0;
}

int spp_glue_rcpt_allowed(void)
{
	return s.relayclient ? 1 : rcpthosts_ok(spp_glue_addr());
}

void spp_glue_set_allowed(int allowed)
{
	s.allowed = allowed;
}

/* spp_headers() has them: written at DATA */
int spp_glue_headers(const char *h, size_t len)
{
	(void)h;
	(void)len;
	return 0;
}

/* spp-session makes no badmailfrom check: nothing to forget. */
void spp_glue_bmf_reset(void)
{
}

void spp_glue_drop(void)
{
	s.dropped = 1;
}

int spp_glue_setenv(const char *name, const char *value)
{
	return setenv(name, value, 1);
}

int spp_glue_unsetenv(const char *name)
{
	return unsetenv(name);
}

void spp_glue_log(const char *line)
{
	fflush(stdout);
	fprintf(stderr, "%s\n", line);
}

/* --- learning ------------------------------------------------------------ */

/* --learn DIR: each run in learn mode, merged into DIR/NAME.policy.new. */
static int learn_transport(const struct spp_run_req *req,
			   struct spp_run_reply *rep)
{
	struct spp_run_req lreq = *req;
	char name[256], line[4096], path[4096];

	/* the name the layer looks its policy up by */
	snprintf(line, sizeof(line), "%s%s", req->shell ? ":" : "",
		 req->plugin);
	if (!spp_plugin_name(line, name, sizeof(name)))
		snprintf(name, sizeof(name), "default");
	snprintf(path, sizeof(path), "%s/%s.policy.new", s.learn, name);
	lreq.learn = path;
	/* learning starts from the default, not from a policy in place */
	lreq.policy = NULL;
	return spp_exec_run(&lreq, rep);
}

/* --- the session --------------------------------------------------------- */

static void reply(const char *text, const char *mark)
{
	printf("%s%s\n", text, mark);
}

static void info(const char *what, const char *text)
{
	printf("# %s %s\n", what, text);
}

static void clear_rcpts(void)
{
	for (size_t i = 0; i < s.nrcpt; i++)
		free(s.rcpt[i]);
	s.nrcpt = 0;
}

static void add_rcpt(const char *a)
{
	if (s.nrcpt == s.caprcpt) {
		size_t n = s.caprcpt ? 2 * s.caprcpt : 8;
		char **v = realloc(s.rcpt, n * sizeof(*v));

		if (!v)
			nomem();
		s.rcpt = v;
		s.caprcpt = n;
	}
	s.rcpt[s.nrcpt++] = xstrdup(a);
}

/* qmail-smtpd's addrparse(): the address inside <>, or (for clients that
 * forget them) the word after ':'; source route, quotes and backslashes
 * removed. Returns 0 when it is too long. */
static int addrparse(const char *arg)
{
	char term = '>', *a;
	const char *p = strchr(arg, '<');
	size_t n = 0;
	int esc = 0, quoted = 0;

	if (p) {
		p++;
	} else {
		term = ' ';
		p = strchr(arg, ':');
		p = p ? p + 1 : arg + strlen(arg);
		while (*p == ' ')
			p++;
	}
	if (*p == '@')
		while (*p)
			if (*p++ == ':')
				break;
	a = malloc(strlen(p) + 1);
	if (!a)
		nomem();
	for (; *p; p++) {
		if (esc) {
			a[n++] = *p;
			esc = 0;
		} else if (!quoted && *p == term) {
			break;
		} else if (*p == '\\') {
			esc = 1;
		} else if (*p == '"') {
			quoted = !quoted;
		} else {
			a[n++] = *p;
		}
	}
	a[n] = '\0';
	free(s.addr);
	s.addr = a;
	return n <= ADDR_MAX;
}

static void smtp_mail(const char *arg)
{
	int r;

	if (!addrparse(arg)) {
		reply("555 syntax error (#5.5.4)", OURS);
		return;
	}
	r = spp_mail();
	if (!r || s.dropped)
		return;
	s.seenmail = 1;
	clear_rcpts();
	free(s.mailfrom);
	s.mailfrom = xstrdup(spp_glue_addr());
	reply("250 ok", NOCHECK);
}

static void smtp_rcpt(const char *arg)
{
	int r;

	if (!s.seenmail) {
		reply("503 MAIL first (#5.5.1)", OURS);
		return;
	}
	if (!addrparse(arg)) {
		reply("555 syntax error (#5.5.4)", OURS);
		return;
	}
	s.allowed = spp_glue_rcpt_allowed();
	r = spp_rcpt(s.allowed);
	if (!r || s.dropped)
		return;
	if (s.relayclient) {
		size_t n = strlen(s.addr) + strlen(s.relayclient) + 1;
		char *a = malloc(n);

		if (!a)
			nomem();
		snprintf(a, n, "%s%s", s.addr, s.relayclient);
		free(s.addr);
		s.addr = a;
	} else if (r == SPP_CONTINUE && !s.allowed) {
		reply("553 sorry, that domain isn't in my list of allowed "
		      "rcpthosts (#5.7.1)",
		      OURS);
		return;
	}
	/* sagredo's dialect: [pass] may still refuse it */
	if (!spp_rcpt_accepted() || s.dropped)
		return;
	add_rcpt(s.addr);
	reply("250 ok", NOCHECK);
}

/* The body up to ".", thrown away. Returns 0 at end of input. */
static int read_body(char **line, size_t *cap)
{
	for (;;) {
		ssize_t n = getline(line, cap, stdin);

		if (n < 0)
			return 0;
		while (n > 0 &&
		       ((*line)[n - 1] == '\n' || (*line)[n - 1] == '\r'))
			(*line)[--n] = '\0';
		if (strcmp(*line, ".") == 0)
			return 1;
	}
}

static int smtp_data(char **line, size_t *cap)
{
	char *headers, *h;

	if (!s.seenmail) {
		reply("503 MAIL first (#5.5.1)", OURS);
		return 1;
	}
	if (!s.nrcpt) {
		reply("503 RCPT first (#5.5.1)", OURS);
		return 1;
	}
	if (!spp_data() || s.dropped)
		return 1;
	s.seenmail = 0;
	reply("354 go ahead", NOCHECK);
	/* Where qmail-smtpd writes them, after its Received line. */
	headers = xstrdup(spp_headers());
	spp_rset();
	if (!read_body(line, cap)) {
		free(headers);
		return 0;
	}
	printf("# mail from <%s>\n", s.mailfrom);
	for (size_t i = 0; i < s.nrcpt; i++)
		printf("# rcpt to <%s>\n", s.rcpt[i]);
	for (h = headers; *h;) {
		char *nl = strchr(h, '\n');

		if (nl)
			*nl = '\0';
		info("header", h);
		h = nl ? nl + 1 : h + strlen(h);
	}
	free(headers);
	reply("250 ok", " (spp-session: message not queued)");
	return 1;
}

static void smtp_auth(void)
{
	if (s.authd) {
		reply("503 you're already authenticated (#5.5.0)", OURS);
		return;
	}
	if (!s.auth_user || !s.auth_method) {
		reply("504 auth type unimplemented (#5.5.1)",
		      " (spp-session: give --auth-user and --auth-method)");
		return;
	}
	if (!spp_auth(s.auth_method, s.auth_user) || s.dropped)
		return;
	s.authd = 1;
	s.relayclient = "";
	reply("235 ok, go ahead (#2.0.0)", NOCHECK);
}

/* Run the dialogue; returns at QUIT, end of input or a dropped session. */
static void session(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (spp_connect())
		reply("220 " GREETING " ESMTP", NOCHECK);
	while (!s.dropped && (n = getline(&line, &cap, stdin)) >= 0) {
		char *verb = line, *arg;

		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		snprintf(s.command, sizeof(s.command), "%s", line);
		/* commands(): the verb ends at the first space. */
		arg = strchr(line, ' ');
		if (arg) {
			*arg++ = '\0';
			while (*arg == ' ')
				arg++;
		} else {
			arg = line + n;
		}
		if (strcasecmp(verb, "helo") == 0) {
			if (spp_helo(arg))
				reply("250 " GREETING, NOCHECK);
		} else if (strcasecmp(verb, "ehlo") == 0) {
			if (spp_helo(arg)) {
				reply("250-" GREETING, "");
				reply("250-PIPELINING", "");
				reply("250 8BITMIME", NOCHECK);
			}
		} else if (strcasecmp(verb, "mail") == 0) {
			smtp_mail(arg);
		} else if (strcasecmp(verb, "rcpt") == 0) {
			smtp_rcpt(arg);
		} else if (strcasecmp(verb, "data") == 0) {
			if (!smtp_data(&line, &cap))
				break;
		} else if (strcasecmp(verb, "rset") == 0) {
			spp_rset();
			s.seenmail = 0;
			reply("250 flushed", NOCHECK);
		} else if (strcasecmp(verb, "auth") == 0) {
			smtp_auth();
		} else if (strcasecmp(verb, "noop") == 0) {
			reply("250 ok", NOCHECK);
		} else if (strcasecmp(verb, "quit") == 0) {
			reply("221 " GREETING, NOCHECK);
			break;
		} else {
			reply("502 unimplemented (#5.5.1)", OURS);
		}
	}
	if (s.dropped)
		printf("# connection dropped\n");
	free(line);
}

/* control/rcpthosts format: one domain per line, "#" comments. */
static int read_rcpthosts(const char *path)
{
	FILE *f = fopen(path, "re");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (!f)
		return -1;
	while ((n = getline(&line, &cap, f)) >= 0) {
		char **v;

		while (n > 0 && strchr("\n \t", line[n - 1]))
			line[--n] = '\0';
		if (!n || line[0] == '#')
			continue;
		v = realloc(s.rcpthosts, (s.nrcpthosts + 1) * sizeof(*v));
		if (!v)
			nomem();
		s.rcpthosts = v;
		s.rcpthosts[s.nrcpthosts++] = xstrdup(line);
	}
	free(line);
	fclose(f);
	/* An empty file still means "nothing allowed". */
	if (!s.rcpthosts) {
		s.rcpthosts = malloc(sizeof(*s.rcpthosts));
		if (!s.rcpthosts)
			nomem();
	}
	return 0;
}

static void cleanup(void)
{
	spp_done();
	clear_rcpts();
	free(s.rcpt);
	for (size_t i = 0; i < s.nrcpthosts; i++)
		free(s.rcpthosts[i]);
	free(s.rcpthosts);
	free(s.addr);
	free(s.mailfrom);
	free(s.relay_copy);
}

static int set_env(const char *kv)
{
	const char *eq = strchr(kv, '=');
	char name[256];

	if (!eq || eq == kv || (size_t)(eq - kv) >= sizeof(name))
		return -1;
	memcpy(name, kv, (size_t)(eq - kv));
	name[eq - kv] = '\0';
	return setenv(name, eq + 1, 1);
}

/* --opt VALUE or --opt=VALUE; *val NULL when missing. */
static int opt(const char *name, int argc, char **argv, int *i,
	       const char **val)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n) != 0 ||
	    (argv[*i][n] && argv[*i][n] != '='))
		return 0;
	*val = argv[*i][n] == '=' ? argv[*i] + n + 1 :
	       *i + 1 < argc	  ? argv[++*i] :
				    NULL;
	return 1;
}

static void bad_usage(const char *why, const char *what)
{
	fprintf(stderr, "%s: fatal: %s%s\n", prog, why, what ? what : "");
	usage(stderr);
	exit(SBX_EXIT_PERM);
}

int main(int argc, char **argv)
{
	const char *rcpthosts = NULL, *v;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		} else if (opt("-c", argc, argv, &i, &v)) {
			if (!v || !*v || setenv("SPPCONFFILE", v, 1) < 0)
				bad_usage("-c needs a file", NULL);
		} else if (opt("-p", argc, argv, &i, &v)) {
			if (!v || !*v || setenv("SPPPOLICYDIR", v, 1) < 0)
				bad_usage("-p needs a directory", NULL);
		} else if (opt("-r", argc, argv, &i, &v)) {
			if (!v || !*v)
				bad_usage("-r needs a file", NULL);
			rcpthosts = v;
		} else if (opt("--env", argc, argv, &i, &v)) {
			if (!v || set_env(v) < 0)
				bad_usage("--env wants NAME=VALUE, not ",
					  v ? v : "nothing");
		} else if (opt("--auth-user", argc, argv, &i, &v)) {
			if (!v)
				bad_usage("--auth-user needs a user", NULL);
			s.auth_user = v;
		} else if (opt("--dialect", argc, argv, &i, &v)) {
			if (!v || (strcmp(v, "0.42") && strcmp(v, "sagredo")))
				bad_usage("--dialect is 0.42 or sagredo", NULL);
			spp_set_dialect(strcmp(v, "sagredo") ?
						SPP_DIALECT_042 :
						SPP_DIALECT_SAGREDO);
		} else if (strcmp(argv[i], "--compare") == 0) {
			s.compare = 1;
		} else if (opt("--learn", argc, argv, &i, &v)) {
			if (!v || !*v)
				bad_usage("--learn needs a directory", NULL);
			s.learn = v;
		} else if (opt("--auth-method", argc, argv, &i, &v)) {
			if (!v || !*v)
				bad_usage("--auth-method needs a method", NULL);
			s.auth_method = v;
		} else {
			bad_usage("unknown argument ", argv[i]);
		}
	}
	if (rcpthosts && read_rcpthosts(rcpthosts) < 0) {
		fprintf(stderr, "%s: fatal: cannot read %s: %s\n", prog,
			rcpthosts, strerror(errno));
		return SBX_EXIT_TEMP;
	}
	v = getenv("RELAYCLIENT");
	if (v)
		s.relayclient = s.relay_copy = xstrdup(v);
	if (spp_init() < 0) {
		const char *conf = getenv("SPPCONFFILE");

		fprintf(stderr, "%s: fatal: cannot read %s: %s\n", prog,
			conf && *conf ? conf : SPP_CONF_DEFAULT,
			strerror(errno));
		/* What qmail-smtpd's die_control() answers. */
		reply("421 unable to read controls (#4.3.0)", "");
		cleanup();
		return SBX_EXIT_TEMP;
	}
	if (s.compare && s.learn)
		bad_usage("--compare and --learn exclude each other", NULL);
	if (s.compare) {
		spp_transport = compare_transport;
		compare_set_command(s.command);
	}
	if (s.learn)
		spp_transport = learn_transport;
	session();
	cleanup();
	if (s.compare)
		printf("# compare: %u of %u plugin runs decided differently\n",
		       compare_differences(), compare_runs());
	if (fflush(stdout) != 0)
		return SBX_EXIT_TEMP;
	/* 1: the sandbox would change what happens to mail */
	return s.compare && compare_differences() ? 1 : 0;
}
