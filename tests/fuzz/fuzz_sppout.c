/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target for the hook layer's reading of spp-run's output
 * (smtpd-patch/hook/spp.c): a session of entry point calls whose plugin runs
 * answer with fuzz-chosen output and exit status, checked against a model
 * of qmail-spp's semantics and what may reach the SMTP client. */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sbx.h"
#include "spp.h"
#include "verdict.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

extern char **environ;

/* abort() rather than assert(): the check must survive -DNDEBUG. */
#define CHECK(cond)              \
	do {                     \
		if (!(cond))     \
			abort(); \
	} while (0)

/* Input: chunks separated by a line "%%" (the LF before it belongs to the
 * chunk). The first chunk is the session, one letter per command:
 *   c connect  h HELO  m MAIL  r RCPT (local)  f RCPT (foreign)  d DATA
 *   a AUTH  s RSET  i spp_init again  M setenv starts/stops failing
 * (other bytes are skipped). Each later chunk answers one plugin run, in
 * order; when they run out, runs print nothing. A chunk's first byte picks
 * the answer (bit 3: drop the last byte of the rest when it is LF):
 *   0 exit 0  1 exit 111  2 exit 100   (the rest as spp-run's stdout)
 *   3 the transport fails (why: the rest)
 *   4 exit with the code of the next byte, stdout the rest after it
 *   5 exit 0 without stdout (why: the rest)
 *   6 the rest through spp_verdict_filter(), all verdicts: what spp-run
 *     relays, its E451 when the verdict was lost (exit 111)
 *   7 the same with a narrower policy (no A, no O; setvars RELAYCLIENT) */
#define SEP "\n%%\n"
#define SEP_LEN 4
#define MAX_OPS 64

#define SPPRUN "/fuzz/spp-run"
#define FAIL_REPLY "451 plugin failed, try again later (#4.3.0)"
#define FAIL_LINE "E" FAIL_REPLY
#define RUNNER_FAILED "451 qmail-spp failure: plugin runner failed (#4.3.0)\r\n"
#define NOMEM "451 qmail-spp failure: out of memory (#4.3.0)\r\n"
#define LAYER_PREFIX "451 qmail-spp failure: "
#define MAIL_FROM "from@example.net"
#define RCPT_LOCAL "rcpt@example.org"
#define RCPT_FOREIGN "rcpt@elsewhere.example"

enum { EV_CONNECT, EV_HELO, EV_MAIL, EV_RCPT, EV_DATA, EV_AUTH, EV_N };

static const char *const event_names[EV_N] = {
	"connection", "helo", "mail", "rcpt", "data", "auth",
};

/* The fixed configuration: plugins/<letter><n>, nplugins[ev] of each. */
static const char conf_text[] = "[connection]\nplugins/c1\nplugins/c2\n"
				"[helo]\nplugins/h1\nplugins/h2\n"
				"[mail]\nplugins/m1\nplugins/m2\n"
				"[rcpt]\nplugins/r1\nplugins/r2\n"
				"[data]\nplugins/d1\nplugins/d2\n"
				"[auth]\nplugins/a1\n";
static const size_t nplugins[EV_N] = { 2, 2, 2, 2, 2, 1 };
static const char letters[EV_N] = { 'c', 'h', 'm', 'r', 'd', 'a' };

#define NO_DECISION (-1)

static char tmp[64], conf[128];

/* --- growable strings ---------------------------------------------------- */

struct sbuf {
	char *s;
	size_t len, cap;
};

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = realloc(b->s, b->cap);
		CHECK(b->s);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void sb_adds(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static void sb_reset(struct sbuf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

static void sb_free(struct sbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

static int sb_eq(const struct sbuf *b, const char *s)
{
	return strlen(s) == b->len && memcmp(s, b->s ? b->s : "", b->len) == 0;
}

/* --- one plugin run's answer --------------------------------------------- */

struct reply {
	int fail; /* the transport returns -1 */
	int status;
	char *out; /* NULL: no stdout at all */
	size_t len;
	char why[160];
	int raw; /* lines spp-run would not have relayed */
};

static void set_why(struct reply *r, const char *s, size_t n)
{
	const char *z = memchr(s, '\0', n);

	if (z)
		n = (size_t)(z - s);
	if (n >= sizeof(r->why))
		n = sizeof(r->why) - 1;
	memcpy(r->why, s, n);
	r->why[n] = '\0';
}

static char *dup_bytes(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	CHECK(p);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static void filtered(struct reply *r, const char *s, size_t n,
		     unsigned int cmds, const struct sbx_strv *setvars)
{
	int term = spp_verdict_filter(
		s, n, cmds, setvars ? (const char *const *)setvars->v : NULL,
		&r->out, &r->len, NULL, NULL);

	if (term == SPP_VERDICT_UNUSABLE) {
		r->status = 111;
		r->out = dup_bytes(FAIL_LINE "\n", strlen(FAIL_LINE) + 1);
		r->len = strlen(r->out);
		return;
	}
	CHECK(term >= 0);
}

static void make_reply(struct reply *r, const char *c, size_t n)
{
	static char relay[] = "RELAYCLIENT";
	static char *names[] = { relay, NULL };
	static const struct sbx_strv setvars = { names, 1 };
	unsigned int mode = n ? (unsigned char)c[0] : 0;

	memset(r, 0, sizeof(*r));
	if (n) {
		c++;
		n--;
	}
	if ((mode & 8) && n && c[n - 1] == '\n')
		n--;
	switch (mode & 7) {
	case 0:
	case 1:
	case 2:
		r->status = (mode & 7) == 0 ? 0 : (mode & 7) == 1 ? 111 : 100;
		r->out = dup_bytes(c, n);
		r->len = n;
		r->raw = 1;
		break;
	case 3:
		r->fail = 1;
		set_why(r, c, n);
		/* a transport that fails may still have allocated */
		r->out = dup_bytes(c, n);
		r->len = n;
		break;
	case 4:
		r->status = n ? (unsigned char)c[0] : 1;
		set_why(r, c, n);
		r->out = dup_bytes(n ? c + 1 : c, n ? n - 1 : 0);
		r->len = n ? n - 1 : 0;
		/* the layer reads only what 0, 100 and 111 come with */
		r->raw = r->status == 0 || r->status == 100 || r->status == 111;
		break;
	case 5:
		set_why(r, c, n);
		break;
	case 6:
		filtered(r, c, n, SPP_CMD_ALL, NULL);
		break;
	case 7:
		filtered(r, c, n, SPP_CMD_ALL & ~(SPP_CMD_A | SPP_CMD_O),
			 &setvars);
		break;
	}
}

/* --- the session's state: the input, the fake qmail-smtpd, the model ----- */

struct call {
	int ev;
	size_t plugin; /* from 0 */
};

static struct {
	const uint8_t *data;
	size_t size;
	struct reply *replies;
	size_t nreplies;
	size_t model_next, real_next; /* next reply each side consumes */
	struct call *calls; /* the runs the model made for this command */
	size_t ncalls, calls_cap, real_calls;
	int raw_seen; /* some answer was not what spp-run would relay */
} in;

/* What qmail-smtpd sees through the glue. */
static struct {
	struct sbuf out; /* sent to the client during this command */
	char *addr;
	int flushed; /* flush since the last out */
	int drops, bmf_resets;
	int env_fail;
	int harness; /* set_addr called by the harness, not by a C line */
	int allowed; /* qmail-smtpd's global (spp_glue_set_allowed) */
	struct sbuf sppheaders; /* qmail-smtpd's copy (spp_glue_headers) */
	char count[24], countall[24], hostsok[4];
} g;

/* What the layer should have done, per README "Semantics". */
static struct {
	int run;
	struct sbuf headers, err_mail, err_rcpt, err_data;
	struct sbuf out;
	unsigned long rcptcount, rcptcountall;
	char *addr;
	int addr_changed, drops, bmf_resets;
	int failed; /* the last run failed: a [connection] one ends it */
} md;

/* --- glue ---------------------------------------------------------------- */

static void check_name(const char *name)
{
	CHECK(name[0] && !strchr(name, '=') && strncmp(name, "LD_", 3) != 0);
	CHECK(!strpbrk(name, "\r\n"));
}

void spp_glue_out(const char *s)
{
	sb_adds(&g.out, s);
	g.flushed = 0;
}

void spp_glue_flush(void)
{
	g.flushed = 1;
}

const char *spp_glue_addr(void)
{
	return g.addr;
}

int spp_glue_set_addr(const char *a)
{
	unsigned int cmd;
	const char *why;
	char line[300];

	CHECK(!strpbrk(a, "\r\n"));
	/* What spp-run relays is a plausible address. */
	if (!g.harness && !in.raw_seen) {
		CHECK(strlen(a) < sizeof(line) - 1);
		snprintf(line, sizeof(line), "C%s", a);
		CHECK(spp_verdict_check(line, strlen(line), SPP_CMD_C, NULL,
					&cmd, &why) == 0);
	}
	free(g.addr);
	g.addr = strdup(a);
	CHECK(g.addr);
	return 0;
}

int spp_glue_rcpt_allowed(void)
{
	size_t n = strlen(g.addr), k = strlen("@example.org");

	return n >= k && strcmp(g.addr + n - k, "@example.org") == 0;
}

void spp_glue_set_allowed(int allowed)
{
	g.allowed = allowed;
}

int spp_glue_headers(const char *s, size_t len)
{
	CHECK(strlen(s) == len);
	sb_reset(&g.sppheaders);
	sb_add(&g.sppheaders, s, len);
	return 0;
}

void spp_glue_bmf_reset(void)
{
	g.bmf_resets++;
}

void spp_glue_drop(void)
{
	/* the layer flushes what it printed before it goes */
	CHECK(g.flushed || g.out.len == 0);
	g.drops++;
}

static void keep(char *dst, size_t len, const char *name, const char *want,
		 const char *value)
{
	if (strcmp(name, want) == 0)
		snprintf(dst, len, "%s", value);
}

int spp_glue_setenv(const char *name, const char *value)
{
	check_name(name);
	CHECK(!strpbrk(value, "\r\n"));
	if (g.env_fail) {
		errno = ENOMEM;
		return -1;
	}
	keep(g.count, sizeof(g.count), name, "SMTPRCPTCOUNT", value);
	keep(g.countall, sizeof(g.countall), name, "SMTPRCPTCOUNTALL", value);
	keep(g.hostsok, sizeof(g.hostsok), name, "SMTPRCPTHOSTSOK", value);
	return 0;
}

int spp_glue_unsetenv(const char *name)
{
	check_name(name);
	if (g.env_fail) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

/* One short line of printable ASCII: untrusted bytes arrive escaped. */
void spp_glue_log(const char *line)
{
	size_t n = strlen(line);

	CHECK(n < 1000 && strncmp(line, "spp: warning: ", 14) == 0);
	for (size_t i = 0; i < n; i++)
		CHECK(line[i] >= 0x20 && line[i] < 0x7f);
}

/* --- transport: the next answer, for the run the model expects ----------- */

static const struct reply *next_reply(size_t *cursor)
{
	/* when the answers run out: spp-run exits 0 and prints nothing */
	static const struct reply none = { 0, 0, (char *)"", 0, "", 0 };

	if (*cursor >= in.nreplies)
		return &none;
	return &in.replies[(*cursor)++];
}

static int transport(const struct spp_run_req *req, struct spp_run_reply *rep)
{
	const struct reply *r;
	const struct call *c;
	char plugin[32];

	CHECK(in.real_calls < in.ncalls);
	c = &in.calls[in.real_calls++];
	snprintf(plugin, sizeof(plugin), "plugins/%c%zu", letters[c->ev],
		 c->plugin + 1);
	CHECK(strcmp(req->event, event_names[c->ev]) == 0);
	CHECK(strcmp(req->plugin, plugin) == 0);
	CHECK(strcmp(req->spprun, SPPRUN) == 0);
	CHECK(!req->shell && !req->policy && req->envp == environ);

	r = next_reply(&in.real_next);
	memset(rep, 0, sizeof(*rep));
	rep->status = r->status;
	memcpy(rep->why, r->why, sizeof(rep->why));
	if (r->out) {
		rep->out = dup_bytes(r->out, r->len);
		rep->len = r->len;
	}
	return r->fail ? -1 : 0;
}

/* --- the model ----------------------------------------------------------- */

static void md_call(int ev, size_t plugin)
{
	if (in.ncalls == in.calls_cap) {
		in.calls_cap = in.calls_cap ? in.calls_cap * 2 : 16;
		in.calls = realloc(in.calls, in.calls_cap * sizeof(*in.calls));
		CHECK(in.calls);
	}
	in.calls[in.ncalls++] = (struct call){ ev, plugin };
}

static int md_nomem(void)
{
	sb_adds(&md.out, NOMEM);
	md.failed = 1;
	return SPP_REJECT;
}

static int has_prefix(const char *s, size_t n, const char *p)
{
	size_t k = strlen(p);

	return n >= k && memcmp(s, p, k) == 0;
}

/* Where LM, LR and LD keep their text; NULL for other letters. */
static struct sbuf *md_err_buf(char which)
{
	switch (which) {
	case 'M':
		return &md.err_mail;
	case 'R':
		return &md.err_rcpt;
	case 'D':
		return &md.err_data;
	}
	return NULL;
}

/* One clean line (no NUL, CR or LF), len >= 1. */
static int md_line(const char *line, size_t len, const char *addrenv)
{
	const char *arg = line + 1, *eq;
	size_t alen = len - 1;
	struct sbuf *err;

	switch (line[0]) {
	case 'H':
		sb_add(&md.headers, arg, alen);
		sb_adds(&md.headers, "\n");
		return NO_DECISION;
	case 'C':
		if (!addrenv)
			return NO_DECISION;
		free(md.addr);
		md.addr = dup_bytes(arg, alen);
		if (g.env_fail)
			return md_nomem();
		md.addr_changed = 1;
		return NO_DECISION;
	case 'S':
		eq = memchr(arg, '=', alen);
		if (!eq || eq == arg ||
		    has_prefix(arg, (size_t)(eq - arg), "LD_"))
			return NO_DECISION;
		return g.env_fail ? md_nomem() : NO_DECISION;
	case 'U':
		if (!alen || memchr(arg, '=', alen) ||
		    has_prefix(arg, alen, "LD_"))
			return NO_DECISION;
		return g.env_fail ? md_nomem() : NO_DECISION;
	case 'A':
		md.run = 0;
		return SPP_CONTINUE;
	case 'N':
		return SPP_CONTINUE;
	case 'O':
		return SPP_SKIP;
	case 'D':
		md.drops++;
		return SPP_REJECT;
	case 'E':
	case 'R':
	case 'P':
		sb_add(&md.out, arg, alen);
		sb_adds(&md.out, "\r\n");
		if (line[0] == 'R')
			md.drops++;
		return line[0] == 'P' ? NO_DECISION : SPP_REJECT;
	case 'L':
		err = len < 2 ? NULL : md_err_buf(line[1]);
		if (err) {
			sb_add(err, line + 2, len - 2);
			sb_adds(err, "\r\n");
		}
		return NO_DECISION;
	}
	return NO_DECISION;
}

static int md_run(int ev, size_t plugin, const char *addrenv)
{
	const struct reply *r;
	size_t p = 0;

	md_call(ev, plugin);
	r = next_reply(&in.model_next);
	if (r->raw)
		in.raw_seen = 1;
	if (r->fail || !r->out ||
	    (r->status != 0 && r->status != 100 && r->status != 111)) {
		sb_adds(&md.out, RUNNER_FAILED);
		md.failed = 1;
		return SPP_REJECT;
	}
	while (p < r->len) {
		const char *line = r->out + p, *nl;
		size_t l;
		int d;

		nl = memchr(line, '\n', r->len - p);
		l = nl ? (size_t)(nl - line) : r->len - p;
		p += nl ? l + 1 : l;
		if (l && line[l - 1] == '\r')
			l--;
		if (!l || memchr(line, '\0', l) || memchr(line, '\r', l))
			continue;
		d = md_line(line, l, addrenv);
		/* 100 and 111 come with the failure verdict, if any */
		if (d == SPP_REJECT && r->status != 0)
			md.failed = 1;
		if (d != NO_DECISION)
			return d;
	}
	return NO_DECISION;
}

static int md_section(int ev, const char *addrenv)
{
	md.failed = 0;
	if (!md.run)
		return SPP_CONTINUE;
	if (addrenv && g.env_fail)
		return md_nomem();
	for (size_t i = 0; i < nplugins[ev]; i++) {
		int d = md_run(ev, i, addrenv);

		if (d != NO_DECISION)
			return d;
	}
	return SPP_CONTINUE;
}

static int md_pending(const struct sbuf *b)
{
	if (!b->len)
		return 0;
	sb_add(&md.out, b->s, b->len);
	return 1;
}

static void md_rset(void)
{
	sb_reset(&md.headers);
	sb_reset(&md.err_mail);
	sb_reset(&md.err_rcpt);
	sb_reset(&md.err_data);
	md.rcptcount = md.rcptcountall = 0;
}

static int addr_allowed(const char *a)
{
	size_t n = strlen(a), k = strlen("@example.org");

	return n >= k && strcmp(a + n - k, "@example.org") == 0;
}

/* The model's side of one command; *allowed for RCPT. */
static int md_op(char op, int *allowed)
{
	size_t mark;
	int r;

	switch (op) {
	case 'c':
		r = md_section(EV_CONNECT, NULL);
		/* a failure at connection ends the session */
		if (r == SPP_REJECT && md.failed)
			md.drops++;
		return r;
	case 'h':
		return g.env_fail ? md_nomem() : md_section(EV_HELO, NULL);
	case 'm':
		mark = md.headers.len;
		if (md_pending(&md.err_mail))
			return SPP_REJECT;
		md.rcptcount = md.rcptcountall = 0;
		r = md_section(EV_MAIL, "SMTPMAILFROM");
		if (r == SPP_REJECT)
			md.headers.len = mark;
		if (md.headers.s)
			md.headers.s[md.headers.len] = '\0';
		if (r == SPP_SKIP)
			md.bmf_resets++;
		return r;
	case 'r':
	case 'f':
		*allowed = addr_allowed(md.addr);
		if (md_pending(&md.err_rcpt))
			return SPP_REJECT;
		if (g.env_fail)
			return md_nomem();
		md.rcptcountall++;
		md.addr_changed = 0;
		r = md_section(EV_RCPT, "SMTPRCPTTO");
		if (r == SPP_CONTINUE && md.addr_changed)
			*allowed = addr_allowed(md.addr);
		return r;
	case 'd':
		if (md_pending(&md.err_data))
			return SPP_REJECT;
		return md_section(EV_DATA, NULL);
	case 'a':
		return g.env_fail ? md_nomem() : md_section(EV_AUTH, NULL);
	}
	return SPP_CONTINUE;
}

/* --- checks -------------------------------------------------------------- */

/* The client gets whole CRLF lines, each from the input or the layer's own
 * 451; in spp-run's hands a rejection ends with a 4xx/5xx reply line. */
static void check_client(const struct sbuf *o, int result, int dropped)
{
	const char *p = o->s ? o->s : "", *end = p + o->len, *last = NULL;

	CHECK(strlen(p) == o->len);
	while (p < end) {
		const char *crlf = strstr(p, "\r\n");
		size_t n;

		CHECK(crlf);
		n = (size_t)(crlf - p);
		CHECK(!memchr(p, '\r', n) && !memchr(p, '\n', n));
		CHECK(n == 0 || has_prefix(p, n, LAYER_PREFIX) ||
		      (n == strlen(FAIL_REPLY) &&
		       memcmp(p, FAIL_REPLY, n) == 0) ||
		      memmem(in.data, in.size, p, n));
		last = p;
		p = crlf + 2;
	}
	if (result == SPP_REJECT && !dropped) {
		CHECK(last);
		if (!in.raw_seen)
			CHECK((last[0] == '4' || last[0] == '5') &&
			      last[1] >= '0' && last[1] <= '5' &&
			      last[2] >= '0' && last[2] <= '9');
	}
}

/* Headers: whole LF lines without CR; from spp-run, each a valid H. */
static void check_headers(const char *h)
{
	const char *p = h;

	CHECK(h && sb_eq(&md.headers, h));
	while (*p) {
		const char *nl = strchr(p, '\n');
		char line[SPP_VERDICT_LINE_MAX + 2];
		unsigned int cmd;
		const char *why;
		size_t n;

		CHECK(nl);
		n = (size_t)(nl - p);
		CHECK(!memchr(p, '\r', n));
		if (!in.raw_seen) {
			CHECK(n < sizeof(line) - 1);
			line[0] = 'H';
			memcpy(line + 1, p, n);
			CHECK(spp_verdict_check(line, n + 1, SPP_CMD_H, NULL,
						&cmd, &why) == 0);
		}
		p = nl + 1;
	}
}

/* --- the session ----------------------------------------------------------- */

static void set_addr(const char *a)
{
	g.harness = 1;
	spp_glue_set_addr(a);
	g.harness = 0;
	free(md.addr);
	md.addr = dup_bytes(a, strlen(a));
}

static void session_reset(void)
{
	md.run = 1;
	md_rset();
}

/* One command on both sides; returns 0 when the session ended (drop). */
static int step(char op)
{
	int result = SPP_CONTINUE, want, allowed = 0, want_allowed = 0;

	switch (op) {
	case 'M':
		g.env_fail = !g.env_fail;
		return 1;
	case 's':
		spp_rset();
		md_rset();
		CHECK(sb_eq(&md.headers, spp_headers()));
		return 1;
	case 'i':
		CHECK(spp_init() == 0);
		session_reset();
		CHECK(sb_eq(&md.headers, spp_headers()));
		return 1;
	case 'm':
		set_addr(MAIL_FROM);
		break;
	case 'r':
		set_addr(RCPT_LOCAL);
		break;
	case 'f':
		set_addr(RCPT_FOREIGN);
		break;
	case 'c':
	case 'h':
	case 'd':
	case 'a':
		break;
	default:
		return 1;
	}
	sb_reset(&g.out);
	sb_reset(&md.out);
	in.ncalls = in.real_calls = 0;
	want = md_op(op, &want_allowed);

	switch (op) {
	case 'c':
		result = spp_connect();
		break;
	case 'h':
		result = spp_helo("helo.example");
		break;
	case 'm':
		result = spp_mail();
		break;
	case 'r':
	case 'f':
		g.allowed = allowed = spp_glue_rcpt_allowed();
		result = spp_rcpt(allowed);
		allowed = g.allowed;
		CHECK(allowed == want_allowed);
		break;
	case 'd':
		result = spp_data();
		break;
	case 'a':
		result = spp_auth("plain", "user");
		break;
	}
	CHECK(result == want);
	CHECK(in.real_calls == in.ncalls && in.real_next == in.model_next);
	CHECK(g.out.len == md.out.len &&
	      memcmp(g.out.s ? g.out.s : "", md.out.s ? md.out.s : "",
		     md.out.len) == 0);
	CHECK(g.drops == md.drops && g.bmf_resets == md.bmf_resets);
	CHECK(strcmp(g.addr, md.addr) == 0);
	check_client(&g.out, result, g.drops > 0);
	check_headers(spp_headers());
	CHECK(sb_eq(&g.sppheaders, spp_headers()));
	if ((op == 'r' || op == 'f') && result != SPP_REJECT) {
		char n[24];

		snprintf(n, sizeof(n), "%lu", md.rcptcount);
		CHECK(strcmp(g.count, n) == 0);
		snprintf(n, sizeof(n), "%lu", md.rcptcountall);
		CHECK(strcmp(g.countall, n) == 0);
		CHECK(strcmp(g.hostsok, allowed ? "1" : "0") == 0);
		/* qmail-smtpd takes the recipient */
		if (result == SPP_SKIP || allowed) {
			CHECK(spp_rcpt_accepted() == SPP_CONTINUE);
			md.rcptcount++;
		}
	}
	/* R and D end the session: qmail-smtpd exits. */
	return g.drops == 0;
}

/* --- setup ----------------------------------------------------------------- */

static void rm_tree(void)
{
	unlink(conf);
	rmdir(tmp);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *t = getenv("TMPDIR");
	int fd;

	(void)argc;
	(void)argv;
	snprintf(tmp, sizeof(tmp), "%s/spp-fuzz.XXXXXX",
		 t && *t && strlen(t) < 40 ? t : "/tmp");
	CHECK(mkdtemp(tmp));
	atexit(rm_tree);
	snprintf(conf, sizeof(conf), "%s/smtpplugins", tmp);
	fd = open(conf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	CHECK(fd >= 0);
	CHECK(write(fd, conf_text, sizeof(conf_text) - 1) ==
	      (ssize_t)sizeof(conf_text) - 1);
	CHECK(close(fd) == 0);
	CHECK(setenv("SPPCONFFILE", conf, 1) == 0);
	/* no policy files there: every plugin gets spp-run's built-in */
	CHECK(setenv("SPPPOLICYDIR", tmp, 1) == 0);
	CHECK(setenv("SPPRUN", SPPRUN, 1) == 0);
	CHECK(unsetenv("NOSPP") == 0);
	return 0;
}

/* Split the input at SEP: the first chunk is the session. */
static size_t split(const char *s, size_t n, const char **ops)
{
	const char *p = s, *end = s + n;
	size_t cap = 0, opslen = 0;
	int first = 1;

	in.nreplies = 0;
	for (;;) {
		const char *sep = memmem(p, (size_t)(end - p), SEP, SEP_LEN);
		size_t len = sep ? (size_t)(sep - p) + 1 : (size_t)(end - p);

		if (first) {
			*ops = p;
			opslen = len;
			first = 0;
		} else {
			if (in.nreplies == cap) {
				cap = cap ? cap * 2 : 8;
				in.replies = realloc(in.replies,
						     cap * sizeof(*in.replies));
				CHECK(in.replies);
			}
			make_reply(&in.replies[in.nreplies++], p, len);
		}
		if (!sep)
			break;
		p = sep + SEP_LEN;
	}
	return opslen;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *ops = NULL;
	size_t nops, done = 0;

	memset(&in, 0, sizeof(in));
	in.data = data;
	in.size = size;
	nops = split((const char *)data, size, &ops);

	spp_transport = transport;
	g.env_fail = 0;
	g.drops = g.bmf_resets = 0;
	g.count[0] = g.countall[0] = g.hostsok[0] = '\0';
	md.drops = md.bmf_resets = 0;
	set_addr("start@example.org");
	CHECK(spp_init() == 0);
	session_reset();
	for (size_t i = 0; i < nops && done < MAX_OPS; i++) {
		if (ops[i] && strchr("chmrfdasiM", ops[i]))
			done++;
		if (!step(ops[i]))
			break;
	}
	spp_done();
	CHECK(strcmp(spp_headers(), "") == 0);

	for (size_t i = 0; i < in.nreplies; i++)
		free(in.replies[i].out);
	free(in.replies);
	free(in.calls);
	sb_free(&g.out);
	sb_free(&g.sppheaders);
	sb_free(&md.out);
	sb_free(&md.headers);
	sb_free(&md.err_mail);
	sb_free(&md.err_rcpt);
	sb_free(&md.err_data);
	free(g.addr);
	free(md.addr);
	g.addr = md.addr = NULL;
	return 0;
}
