/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The hook layer: reads control/smtpplugins, runs each event's plugins
 * through the transport (spp-run) and applies their commands with qmail-spp
 * 0.42's semantics, talking to qmail-smtpd only through spp_glue_*.
 * Compiled into qmail-smtpd, which links nothing of spp-sandbox: the
 * small buffer, escaper and line reader here are its own on purpose
 * (libsbx has the ones every other part uses). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spp.h"

/* qmail-smtpd keeps environ with its own env.c: read it, never set it. */
extern char **environ;

/* Biggest control/smtpplugins read; a bigger one is an error (EFBIG). */
#define CONF_MAX (1024 * 1024)

/* No terminal command yet: run the next plugin. */
#define NO_DECISION (-1)

enum event {
	EV_CONNECT,
	EV_HELO,
	EV_MAIL,
	EV_RCPT,
	EV_DATA,
	EV_AUTH,
	EV_PASS, /* sagredo's dialect: a recipient accepted */
	EV_N
};

static const char *const event_names[EV_N] = {
	"connection", "helo", "mail", "rcpt", "data", "auth", "pass",
};

/* qmail-spp matches a section header on the letter after '[' only. */
static const char section_letters[EV_N] = { 'c', 'h', 'm', 'r', 'd', 'a', 'p' };

struct plugin {
	char *line; /* as written in the file (for logs) */
	const char *cmd; /* the program, or the command of a ':' line */
	int shell;
	char *policy; /* NULL: spp-run's built-in default */
};

struct section {
	struct plugin *v;
	size_t n, cap;
};

/* A growable string, always NUL-terminated once s is set (as sbx_buf,
 * which qmail-smtpd does not link). */
struct buf {
	char *s;
	size_t len, cap;
};

static struct {
	int run; /* plugins run: no NOSPP, no A yet */
	struct section sec[EV_N];
	struct buf headers;
	struct buf err_mail, err_rcpt, err_data; /* LM LR LD */
	unsigned long rcptcount, rcptcountall;
	char *spprun;
	int addr_changed; /* a C during this RCPT */
	int failed; /* the last plugin run failed (spp-run said so) */
	int counted; /* this RCPT was counted by spp_rcpt_accepted() */
	int pass_result; /* and what that said */
} st;

static int dialect = SPP_DIALECT;

void spp_set_dialect(int d)
{
	dialect = d;
}

static int buf_add(struct buf *b, const char *s, size_t n)
{
	if (n > SIZE_MAX / 2 - b->len - 1) {
		errno = ENOMEM;
		return -1;
	}
	if (b->len + n + 1 > b->cap) {
		size_t ncap = b->cap ? b->cap : 64;
		char *p;

		while (ncap < b->len + n + 1)
			ncap *= 2;
		p = realloc(b->s, ncap);
		if (!p)
			return -1;
		b->s = p;
		b->cap = ncap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

static int buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

static void buf_truncate(struct buf *b, size_t len)
{
	if (b->s && len < b->len) {
		b->len = len;
		b->s[len] = '\0';
	}
}

static void buf_free(struct buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

/* Untrusted or admin-written bytes in a log line: printable ASCII kept,
 * the rest as \xNN, cut to fit. */
static const char *esc(char *dst, size_t dstlen, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t j = 0;

	for (; *s && j + 5 < dstlen; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x20 && c < 0x7f && c != '\\') {
			dst[j++] = (char)c;
		} else {
			dst[j++] = '\\';
			dst[j++] = 'x';
			dst[j++] = hex[c >> 4];
			dst[j++] = hex[c & 15];
		}
	}
	dst[j] = '\0';
	return dst;
}

static void warn(enum event ev, const struct plugin *pl, const char *what)
{
	char line[900], e1[300], e2[300];

	snprintf(line, sizeof(line), "spp: warning: %s %s: %s", event_names[ev],
		 pl ? esc(e1, sizeof(e1), pl->line) : "-",
		 esc(e2, sizeof(e2), what));
	spp_glue_log(line);
}

/* The layer itself cannot go on (spp-run did not run, out of memory):
 * fail closed with one temporary rejection, whatever the policy says,
 * since only spp-run reads policies. */
static int temp_fail(const char *why)
{
	st.failed = 1;
	spp_glue_out("451 qmail-spp failure: ");
	spp_glue_out(why);
	spp_glue_out(" (#4.3.0)\r\n");
	return SPP_REJECT;
}

/* --- configuration ------------------------------------------------------ */

static void plugin_clear(struct plugin *pl)
{
	free(pl->line);
	free(pl->policy);
}

static int read_file(const char *path, char **out, size_t *outlen)
{
	struct buf b = { NULL, 0, 0 };
	char chunk[4096];
	int fd = open(path, O_RDONLY | O_CLOEXEC), e;

	if (fd < 0)
		return -1;
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (n == 0)
			break;
		if (b.len + (size_t)n > CONF_MAX) {
			errno = EFBIG;
			goto fail;
		}
		if (buf_add(&b, chunk, (size_t)n) < 0)
			goto fail;
	}
	close(fd);
	if (!b.s && buf_add(&b, "", 0) < 0)
		return -1;
	*out = b.s;
	*outlen = b.len;
	return 0;
fail:
	e = errno;
	close(fd);
	buf_free(&b);
	errno = e;
	return -1;
}

/* Does path exist? Errors other than "not there" count as yes, so that
 * spp-run gets the path, fails on it and the plugin fails closed. */
static int exists(const char *path)
{
	struct stat sb;

	if (stat(path, &sb) == 0)
		return 1;
	return errno != ENOENT && errno != ENOTDIR;
}

static char *join(const char *dir, const char *name, const char *suffix)
{
	size_t n = strlen(dir) + strlen(name) + strlen(suffix) + 2;
	char *p = malloc(n);

	if (p)
		snprintf(p, n, "%s/%s%s", dir, name, suffix);
	return p;
}

/* The policy name of a plugin line: its last path component. */
int spp_plugin_name(const char *line, char *name, size_t len)
{
	const char *w = line, *end, *b;
	size_t n;

	/* a ':' line: its first word after VAR=value and exec */
	if (line[0] == ':') {
		w = line + 1;
		for (;;) {
			while (*w == ' ' || *w == '\t')
				w++;
			n = strcspn(w, " \t");
			if (!n || (!memchr(w, '=', n) &&
				   !(n == 4 && !strncmp(w, "exec", 4))))
				break;
			w += n;
		}
	}
	end = line[0] == ':' ? w + strcspn(w, " \t") : w + strlen(w);
	for (b = w; w < end; w++)
		if (*w == '/')
			b = w + 1;
	n = (size_t)(end - b);
	/* a name the shell expands or quotes, or none at all */
	if (!n || n >= len || (n == 1 && b[0] == '.') ||
	    (n == 2 && !strncmp(b, "..", 2)) ||
	    strcspn(b, "'\"\\$`;&|<>(){}*?[]~#") < n)
		return 0;
	memcpy(name, b, n);
	name[n] = '\0';
	return 1;
}

int spp_policy_find(const char *dir, const char *line, char **policy)
{
	char buf[256], *p;
	const char *name = spp_plugin_name(line, buf, sizeof(buf)) ? buf : NULL;

	*policy = NULL;
	if (name) {
		p = join(dir, name, ".policy");
		if (!p)
			return -1;
		if (exists(p)) {
			*policy = p;
			return 0;
		}
		free(p);
	}
	p = join(dir, "default", ".policy");
	if (!p)
		return -1;
	if (exists(p))
		*policy = p;
	else
		free(p);
	return 0;
}

static int add_plugin(struct section *sec, const char *line, const char *dir)
{
	struct plugin pl = { NULL, NULL, 0, NULL };

	if (sec->n == sec->cap) {
		size_t ncap = sec->cap ? sec->cap * 2 : 4;
		struct plugin *v;

		if (ncap > SIZE_MAX / sizeof(*v)) {
			errno = ENOMEM;
			return -1;
		}
		v = realloc(sec->v, ncap * sizeof(*v));
		if (!v)
			return -1;
		sec->v = v;
		sec->cap = ncap;
	}
	pl.line = strdup(line);
	if (!pl.line)
		return -1;
	pl.shell = line[0] == ':';
	pl.cmd = pl.line + (pl.shell ? 1 : 0);
	if (spp_policy_find(dir, line, &pl.policy) < 0) {
		plugin_clear(&pl);
		return -1;
	}
	sec->v[sec->n++] = pl;
	return 0;
}

/* One entry of the file, as qmail-spp 0.42 reads it: "[x..." switches to
 * the section of letter x (unknown letters to none), anything else is a
 * plugin of the current section (none before the first header). */
static int add_entry(int *cur, const char *e, const char *dir)
{
	if (e[0] == '[') {
		*cur = -1;
		for (int i = 0; i < EV_N; i++)
			if (e[1] == section_letters[i])
				*cur = i;
		/* 0.42 knows no [pass]: its plugins never run */
		if (*cur == EV_PASS && dialect != SPP_DIALECT_SAGREDO)
			*cur = -1;
		return 0;
	}
	if (*cur < 0)
		return 0;
	return add_plugin(&st.sec[*cur], e, dir);
}

/* Lines as qmail's control_readfile() gives them: trailing spaces and tabs
 * stripped (not CR), empty lines and lines starting with '#' dropped, a
 * NUL byte ending one entry and starting the next. */
static int parse_conf(char *s, size_t len, const char *dir)
{
	char *end = s + len;
	int cur = -1;

	while (s < end) {
		char *nl = memchr(s, '\n', (size_t)(end - s));
		char *e = nl ? nl : end;
		char *next = nl ? nl + 1 : end;

		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		*e = '\0';
		if (e > s && s[0] != '#') {
			for (char *p = s; p < e; p += strlen(p) + 1)
				if (*p && add_entry(&cur, p, dir) < 0)
					return -1;
		}
		s = next;
	}
	return 0;
}

static const char *env_or(const char *name, const char *dflt)
{
	const char *v = getenv(name);

	return v && *v ? v : dflt;
}

int spp_init(void)
{
	const char *path;
	char *conf = NULL;
	size_t len;
	int e, had_headers = st.headers.len != 0;

	spp_done();
	/* starting over forgets the headers: qmail-smtpd's copy too */
	if (had_headers)
		(void)spp_glue_headers("", 0);
	/* 0.42: NOSPP with any value, even empty, disables everything;
	 * sagredo: only ENABLE_SPP, with any value (even "0"), enables. */
	if (dialect == SPP_DIALECT_SAGREDO ? !getenv("ENABLE_SPP") :
					     getenv("NOSPP") != NULL)
		return 0;
	st.spprun = strdup(env_or("SPPRUN", SPP_RUN_PATH));
	if (!st.spprun)
		return -1;
	path = env_or("SPPCONFFILE", SPP_CONF_DEFAULT);
	if (read_file(path, &conf, &len) < 0)
		goto fail;
	if (parse_conf(conf, len,
		       env_or("SPPPOLICYDIR", SPP_POLICY_DIR_DEFAULT)) < 0)
		goto fail;
	free(conf);
	st.run = 1;
	return 0;
fail:
	e = errno;
	free(conf);
	spp_done();
	errno = e;
	return -1;
}

void spp_done(void)
{
	for (int i = 0; i < EV_N; i++) {
		for (size_t j = 0; j < st.sec[i].n; j++)
			plugin_clear(&st.sec[i].v[j]);
		free(st.sec[i].v);
	}
	buf_free(&st.headers);
	buf_free(&st.err_mail);
	buf_free(&st.err_rcpt);
	buf_free(&st.err_data);
	free(st.spprun);
	memset(&st, 0, sizeof(st));
}

/* --- one plugin's commands ---------------------------------------------- */

static int nomem(enum event ev, const struct plugin *pl)
{
	warn(ev, pl, "out of memory");
	return temp_fail("out of memory");
}

/* A variable the layer never lets a plugin touch, whatever spp-run's
 * policy allowed: the dynamic loader would read it in qmail-queue. */
static int var_refused(const char *name, size_t len)
{
	return len == 0 || memchr(name, '=', len) ||
	       (len >= 3 && memcmp(name, "LD_", 3) == 0);
}

static int apply_setvar(enum event ev, const struct plugin *pl, char *arg)
{
	char *eq = strchr(arg, '=');
	int rc;

	if (!eq || var_refused(arg, (size_t)(eq - arg))) {
		warn(ev, pl, "S line ignored: bad or refused variable");
		return NO_DECISION;
	}
	*eq = '\0';
	rc = spp_glue_setenv(arg, eq + 1);
	*eq = '=';
	return rc < 0 ? nomem(ev, pl) : NO_DECISION;
}

static int apply_error(enum event ev, const struct plugin *pl, char which,
		       const char *text)
{
	struct buf *b = which == 'M' ? &st.err_mail :
			which == 'R' ? &st.err_rcpt :
			which == 'D' ? &st.err_data :
				       NULL;

	if (!b)
		return NO_DECISION;
	if (buf_adds(b, text) < 0 || buf_adds(b, "\r\n") < 0)
		return nomem(ev, pl);
	return NO_DECISION;
}

/* qmail-smtpd writes its copy of the headers (sppheaders). */
static int headers_changed(void)
{
	return spp_glue_headers(st.headers.s ? st.headers.s : "",
				st.headers.len);
}

/* The end of the session: 0.42 flushes and exits here. */
static int drop(void)
{
	spp_glue_flush();
	spp_glue_drop();
	return SPP_REJECT;
}

/* Apply one command line (NUL-terminated, no CR or LF). Returns the
 * entry point's result for a terminal command, else NO_DECISION. */
static int apply_line(enum event ev, const struct plugin *pl, char *line,
		      const char *addrenv)
{
	char *arg = line + 1;

	switch (line[0]) {
	case 'H':
		if (buf_adds(&st.headers, arg) < 0 ||
		    buf_adds(&st.headers, "\n") < 0 || headers_changed() < 0)
			return nomem(ev, pl);
		return NO_DECISION;
	case 'C':
		/* Only MAIL and RCPT have an address. */
		if (!addrenv)
			return NO_DECISION;
		if (spp_glue_set_addr(arg) < 0 ||
		    spp_glue_setenv(addrenv, arg) < 0)
			return nomem(ev, pl);
		st.addr_changed = 1;
		return NO_DECISION;
	case 'S':
		return apply_setvar(ev, pl, arg);
	case 'U':
		if (var_refused(arg, strlen(arg))) {
			warn(ev, pl, "U line ignored: bad or refused variable");
			return NO_DECISION;
		}
		return spp_glue_unsetenv(arg) < 0 ? nomem(ev, pl) : NO_DECISION;
	case 'A':
		st.run = 0;
		return SPP_CONTINUE;
	case 'N':
		return SPP_CONTINUE;
	case 'O':
		return SPP_SKIP;
	case 'D':
		return drop();
	case 'E':
	case 'R':
	case 'P':
		spp_glue_out(arg);
		spp_glue_out("\r\n");
		if (line[0] == 'E')
			return SPP_REJECT;
		if (line[0] == 'R')
			return drop();
		return NO_DECISION;
	case 'L':
		return line[1] ? apply_error(ev, pl, line[1], line + 2) :
				 NO_DECISION;
	}
	/* Unknown commands are ignored, as 0.42 does. */
	return NO_DECISION;
}

/* Split spp-run's stdout (NUL-terminated at out[len]) into lines as 0.42
 * reads a plugin's: empty lines skipped, a last line without newline taken
 * whole, a trailing CR stripped; stop at the first terminal command. */
static int apply_output(enum event ev, const struct plugin *pl, char *out,
			size_t len, const char *addrenv)
{
	char *p = out, *end = out + len;

	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *e = nl ? nl : end;
		char *next = nl ? nl + 1 : end;
		int r;

		if (e > p && e[-1] == '\r')
			e--;
		if (e > p) {
			size_t n = (size_t)(e - p);

			*e = '\0';
			/* spp-run never relays these; a transport that did
			 * would split a reply or a header downstream. */
			if (memchr(p, '\0', n) || memchr(p, '\r', n)) {
				warn(ev, pl, "line with NUL or CR ignored");
			} else {
				r = apply_line(ev, pl, p, addrenv);
				if (r != NO_DECISION)
					return r;
			}
		}
		p = next;
	}
	return NO_DECISION;
}

static int run_plugin(enum event ev, const struct plugin *pl,
		      const char *addrenv)
{
	struct spp_run_req req = {
		.spprun = st.spprun,
		.event = event_names[ev],
		.plugin = pl->cmd,
		.shell = pl->shell,
		.policy = pl->policy,
		.envp = environ,
	};
	struct spp_run_reply rep;
	char why[200];
	int r;

	memset(&rep, 0, sizeof(rep));
	if (spp_transport(&req, &rep) < 0) {
		free(rep.out);
		warn(ev, pl, rep.why[0] ? rep.why : "spp-run failed");
		return temp_fail("plugin runner failed");
	}
	/* 0: the plugin ran; 111: it failed and 100: the policy is broken,
	 * both with the policy's failure verdict (or none) on stdout. Any
	 * other code is not spp-run speaking: fail closed. */
	if ((rep.status != 0 && rep.status != 100 && rep.status != 111) ||
	    !rep.out) {
		if (rep.why[0])
			snprintf(why, sizeof(why), "%s (exit %d)", rep.why,
				 rep.status);
		else
			snprintf(why, sizeof(why), "spp-run exited %d",
				 rep.status);
		free(rep.out);
		warn(ev, pl, why);
		return temp_fail("plugin runner failed");
	}
	r = apply_output(ev, pl, rep.out, rep.len, addrenv);
	free(rep.out);
	/* 100 and 111 come with the policy's failure verdict, if any; the
	 * layer may have failed applying the output too (temp_fail) */
	if (rep.status != 0 && r == SPP_REJECT)
		st.failed = 1;
	return r;
}

/* qmail-spp 0.42's spp(): run a section's plugins in order until one gives
 * a terminal command. addrenv names the variable that carries the current
 * address (MAIL, RCPT), set before the first plugin and by C. */
static int run_section(enum event ev, const char *addrenv)
{
	const struct section *sec = &st.sec[ev];

	st.failed = 0;
	if (!st.run)
		return SPP_CONTINUE;
	if (addrenv && spp_glue_setenv(addrenv, spp_glue_addr()) < 0)
		return nomem(ev, NULL);
	for (size_t i = 0; i < sec->n; i++) {
		int r = run_plugin(ev, &sec->v[i], addrenv);

		if (r != NO_DECISION)
			return r;
	}
	return SPP_CONTINUE;
}

/* Errors left by LM/LR/LD: printed at every such command until RSET or
 * the end of DATA (0.42 never clears them on use). */
static int pending(const struct buf *b)
{
	if (!b->len)
		return 0;
	spp_glue_out(b->s);
	return 1;
}

static int set_count(const char *name, unsigned long n)
{
	char s[24];

	snprintf(s, sizeof(s), "%lu", n);
	return spp_glue_setenv(name, s);
}

/* --- entry points ------------------------------------------------------- */

int spp_connect(void)
{
	int r = run_section(EV_CONNECT, NULL);

	/* Deviation: 0.42 only replaced the greeting and went on with the
	 * session, so a failed [connection] plugin (a DNSBL check that timed
	 * out, say) let the client send mail anyway. A failure reply now
	 * ends the session, as R would. */
	if (r == SPP_REJECT && st.failed)
		return drop();
	return r;
}

int spp_helo(const char *arg)
{
	if (spp_glue_setenv("SMTPHELOHOST", arg) < 0)
		return nomem(EV_HELO, NULL);
	return run_section(EV_HELO, NULL);
}

int spp_mail(void)
{
	size_t mark = st.headers.len;
	int r;

	if (pending(&st.err_mail))
		return SPP_REJECT;
	st.rcptcount = st.rcptcountall = 0;
	r = run_section(EV_MAIL, "SMTPMAILFROM");
	/* Deviation: 0.42 kept these headers for the next message. */
	if (r == SPP_REJECT && st.headers.len != mark) {
		buf_truncate(&st.headers, mark);
		if (headers_changed() < 0)
			return nomem(EV_MAIL, NULL);
	}
	/* Deviation: 0.42 left the previous MAIL's badmailfrom result. */
	if (r == SPP_SKIP)
		spp_glue_bmf_reset();
	return r;
}

int spp_rcpt(int allowed)
{
	int r;

	st.counted = 0;
	if (pending(&st.err_rcpt))
		return SPP_REJECT;
	if (set_count("SMTPRCPTCOUNT", st.rcptcount) < 0 ||
	    set_count("SMTPRCPTCOUNTALL", ++st.rcptcountall) < 0 ||
	    spp_glue_setenv("SMTPRCPTHOSTSOK", allowed ? "1" : "0") < 0)
		return nomem(EV_RCPT, NULL);
	st.addr_changed = 0;
	r = run_section(EV_RCPT, "SMTPRCPTTO");
	/* Deviation: 0.42 relayed to an address rewritten by C without
	 * asking rcpthosts again. O still skips the check, on purpose. */
	if (r == SPP_CONTINUE && st.addr_changed) {
		allowed = spp_glue_rcpt_allowed();
		spp_glue_set_allowed(allowed);
		if (spp_glue_setenv("SMTPRCPTHOSTSOK", allowed ? "1" : "0") < 0)
			return nomem(EV_RCPT, NULL);
	}
	return r;
}

int spp_rcpt_accepted(void)
{
	/* Once per recipient, however often the tree calls it. sagredo's
	 * no-chkuser branch calls it twice per RCPT and ignores the first
	 * result: its own qmail-spp runs [pass] twice, so an E there gets
	 * two replies and a pipelining client reads every later reply one
	 * command late. The second call repeats the first one's result. */
	if (st.counted)
		return st.pass_result;
	st.counted = 1;
	st.rcptcount++;
	if (dialect != SPP_DIALECT_SAGREDO)
		st.pass_result = SPP_CONTINUE;
	else if (set_count("SMTPRCPTCOUNT", st.rcptcount) < 0)
		st.pass_result = nomem(EV_PASS, NULL);
	else
		st.pass_result = run_section(EV_PASS, "SMTPRCPTTO");
	return st.pass_result;
}

int spp_data(void)
{
	if (pending(&st.err_data))
		return SPP_REJECT;
	return run_section(EV_DATA, NULL);
}

int spp_auth(const char *method, const char *user)
{
	int r;

	if (spp_glue_setenv("SMTPAUTHMETHOD", method) < 0 ||
	    spp_glue_setenv("SMTPAUTHUSER", user) < 0)
		return nomem(EV_AUTH, NULL);
	r = run_section(EV_AUTH, NULL);
	/* Deviation: 0.42 left a refused login's user in the environment,
	 * where a later plugin (ifauthskip, say) took it for a login. */
	if (r == SPP_REJECT && (spp_glue_unsetenv("SMTPAUTHMETHOD") < 0 ||
				spp_glue_unsetenv("SMTPAUTHUSER") < 0))
		return nomem(EV_AUTH, NULL);
	return r;
}

void spp_rset(void)
{
	if (st.headers.len) {
		buf_truncate(&st.headers, 0);
		/* nothing to write: out of memory cannot happen here */
		(void)headers_changed();
	}
	buf_truncate(&st.err_mail, 0);
	buf_truncate(&st.err_rcpt, 0);
	buf_truncate(&st.err_data, 0);
	st.rcptcount = st.rcptcountall = 0;
}

int spp_plugin_at(int section, size_t i, const char **name, const char **line,
		  const char **policy)
{
	const struct plugin *pl;

	if (section < 0 || section >= EV_N || i >= st.sec[section].n)
		return 0;
	pl = &st.sec[section].v[i];
	*name = event_names[section];
	*line = pl->line;
	*policy = pl->policy;
	return 1;
}

const char *spp_headers(void)
{
	return st.headers.s ? st.headers.s : "";
}
