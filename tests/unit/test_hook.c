/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of the hook layer (smtpd-patch/hook/spp.c) through its C API, with
 * a fake glue and a fake transport; and of the real transport
 * (hook/exec-spp-run.c) with a fake spp-run script. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spp.h"
#include "tap.h"

/* --- fake glue ----------------------------------------------------------- */

static struct {
	char out[8192]; /* everything sent to the client */
	char log[8192]; /* log lines, each ending in \n */
	char addr[1024];
	int flushes, drops, bmf_resets, rcpt_checks;
	int allowed; /* qmail-smtpd's global allowed (spp_glue_set_allowed) */
	char sppheaders[4096]; /* qmail-smtpd's copy (spp_glue_headers) */
	int env_fail; /* setenv fails (out of memory) when set */
} g;

static void cat(char *dst, size_t len, const char *s)
{
	size_t n = strlen(dst);

	snprintf(dst + n, len - n, "%s", s);
}

void spp_glue_out(const char *s)
{
	cat(g.out, sizeof(g.out), s);
}

void spp_glue_flush(void)
{
	g.flushes++;
}

const char *spp_glue_addr(void)
{
	return g.addr;
}

int spp_glue_set_addr(const char *a)
{
	snprintf(g.addr, sizeof(g.addr), "%s", a);
	return 0;
}

/* rcpthosts of the tests: example.org and its subdomains. */
int spp_glue_rcpt_allowed(void)
{
	size_t n = strlen(g.addr);

	g.rcpt_checks++;
	return n >= 12 && strcmp(g.addr + n - 12, "@example.org") == 0;
}

void spp_glue_set_allowed(int allowed)
{
	g.allowed = allowed;
}

int spp_glue_headers(const char *s, size_t len)
{
	ck_assert_uint_lt(len, sizeof(g.sppheaders));
	memcpy(g.sppheaders, s, len);
	g.sppheaders[len] = '\0';
	return 0;
}

void spp_glue_bmf_reset(void)
{
	g.bmf_resets++;
}

void spp_glue_drop(void)
{
	g.drops++;
}

int spp_glue_setenv(const char *name, const char *value)
{
	if (g.env_fail) {
		errno = ENOMEM;
		return -1;
	}
	return setenv(name, value, 1);
}

int spp_glue_unsetenv(const char *name)
{
	return unsetenv(name);
}

void spp_glue_log(const char *line)
{
	cat(g.log, sizeof(g.log), line);
	cat(g.log, sizeof(g.log), "\n");
}

/* --- fake transport ------------------------------------------------------ */

#define MAXFAKE 8
#define MAXCALLS 32

/* What the fake spp-run answers for one plugin. */
struct fake {
	const char *plugin;
	const char *out;
	size_t len;
	int status;
	int fail; /* the transport fails (-1) */
};

/* Variables the fake records as each plugin saw them. */
static const char *const watched[] = {
	"SMTPHELOHOST",
	"SMTPMAILFROM",
	"SMTPRCPTTO",
	"SMTPRCPTCOUNT",
	"SMTPRCPTCOUNTALL",
	"SMTPRCPTHOSTSOK",
	"SMTPAUTHUSER",
	"SMTPAUTHMETHOD",
	"FOO",
	NULL,
};

struct call {
	char event[16];
	char plugin[64];
	char policy[128];
	char spprun[64];
	int shell;
	char env[10][64]; /* "NAME=value" or "" when unset, as watched[] */
};

static struct {
	struct fake f[MAXFAKE];
	size_t nf;
	struct call c[MAXCALLS];
	size_t nc;
} t;

/* The fake spp-run prints len bytes of out (may hold NUL) for plugin. */
static void fake_n(const char *plugin, const char *out, size_t len, int status)
{
	for (size_t i = 0; i < t.nf; i++)
		if (strcmp(t.f[i].plugin, plugin) == 0) {
			t.f[i] = (struct fake){ plugin, out, len, status, 0 };
			return;
		}
	ck_assert_uint_lt(t.nf, MAXFAKE);
	t.f[t.nf++] = (struct fake){ plugin, out, len, status, 0 };
}

static void fake(const char *plugin, const char *out, int status)
{
	fake_n(plugin, out, strlen(out), status);
}

static void fake_fail(const char *plugin)
{
	fake(plugin, "", 0);
	for (size_t i = 0; i < t.nf; i++)
		if (strcmp(t.f[i].plugin, plugin) == 0)
			t.f[i].fail = 1;
}

static const char *env_in(char *const *envp, const char *name)
{
	size_t n = strlen(name);

	for (; *envp; envp++)
		if (strncmp(*envp, name, n) == 0 && (*envp)[n] == '=')
			return *envp + n + 1;
	return NULL;
}

static int fake_transport(const struct spp_run_req *req,
			  struct spp_run_reply *rep)
{
	const struct fake *f = NULL;
	struct call *c;

	memset(rep, 0, sizeof(*rep));
	ck_assert_uint_lt(t.nc, MAXCALLS);
	c = &t.c[t.nc++];
	snprintf(c->event, sizeof(c->event), "%s", req->event);
	snprintf(c->plugin, sizeof(c->plugin), "%s", req->plugin);
	snprintf(c->policy, sizeof(c->policy), "%s",
		 req->policy ? req->policy : "-");
	snprintf(c->spprun, sizeof(c->spprun), "%s", req->spprun);
	c->shell = req->shell;
	for (size_t i = 0; watched[i]; i++) {
		const char *v = env_in(req->envp, watched[i]);

		if (v)
			snprintf(c->env[i], sizeof(c->env[i]), "%s=%s",
				 watched[i], v);
	}
	for (size_t i = 0; i < t.nf; i++)
		if (strcmp(t.f[i].plugin, req->plugin) == 0)
			f = &t.f[i];
	if (f && f->fail) {
		snprintf(rep->why, sizeof(rep->why), "fake: cannot run");
		return -1;
	}
	rep->len = f ? f->len : 0;
	rep->out = malloc(rep->len + 1);
	ck_assert_ptr_nonnull(rep->out);
	if (rep->len)
		memcpy(rep->out, f->out, rep->len);
	rep->out[rep->len] = '\0';
	rep->status = f ? f->status : 0;
	return 0;
}

/* The plugins run so far, "event:plugin" separated by spaces. */
static const char *ran(void)
{
	static char buf[1024];

	buf[0] = '\0';
	for (size_t i = 0; i < t.nc; i++) {
		if (i)
			cat(buf, sizeof(buf), " ");
		cat(buf, sizeof(buf), t.c[i].event);
		cat(buf, sizeof(buf), ":");
		cat(buf, sizeof(buf), t.c[i].plugin);
	}
	return buf;
}

/* The value NAME had for the n-th plugin run (from 0), "-" when unset. */
static const char *seen(size_t n, const char *name)
{
	ck_assert_uint_lt(n, t.nc);
	for (size_t i = 0; watched[i]; i++)
		if (strcmp(watched[i], name) == 0)
			return t.c[n].env[i][0] ?
				       t.c[n].env[i] + strlen(name) + 1 :
				       "-";
	ck_abort_msg("%s not watched", name);
	return NULL;
}

static void forget(void)
{
	t.nc = 0;
	g.out[0] = '\0';
	g.log[0] = '\0';
}

/* --- fixture: a qmail home in a temporary directory ---------------------- */

static char top[4096]; /* where the test started: the build directory */
static char home[4096 + 32];

static int rm_entry(const char *path, const struct stat *sb, int flag,
		    struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

static void setup(void)
{
	static const char *const vars[] = {
		"NOSPP",
		"SPPCONFFILE",
		"SPPPOLICYDIR",
		"SMTPHELOHOST",
		"SMTPMAILFROM",
		"SMTPRCPTTO",
		"SMTPRCPTCOUNT",
		"SMTPRCPTCOUNTALL",
		"SMTPRCPTHOSTSOK",
		"SMTPAUTHUSER",
		"SMTPAUTHMETHOD",
		"FOO",
		NULL,
	};

	memset(&g, 0, sizeof(g));
	memset(&t, 0, sizeof(t));
	for (size_t i = 0; vars[i]; i++)
		unsetenv(vars[i]);
	setenv("SPPRUN", "/fake/spp-run", 1);
	/* In the build directory: /tmp may be mounted noexec, and the
	 * transport's tests run scripts from here. */
	snprintf(home, sizeof(home), "%s/test_spp.XXXXXX", top);
	ck_assert_ptr_nonnull(mkdtemp(home));
	ck_assert_int_eq(chdir(home), 0);
	ck_assert_int_eq(mkdir("control", 0755), 0);
	ck_assert_int_eq(mkdir("control/spp", 0755), 0);
	spp_transport = fake_transport;
}

static void teardown(void)
{
	spp_done();
	spp_transport = spp_exec_run;
	if (chdir(top) == 0)
		nftw(home, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Write control/smtpplugins and read it. */
static void conf(const char *text)
{
	write_file("control/smtpplugins", text);
	ck_assert_int_eq(spp_init(), 0);
}

/* A MAIL command as qmail-smtpd makes it: address parsed, then the hook. */
static int mail(const char *a)
{
	spp_glue_set_addr(a);
	return spp_mail();
}

/* A RCPT command: *allowed from rcpthosts, the hook, then (on success)
 * qmail's own rcpthosts verdict and the accepted count. Returns the hook's
 * result, or -1 for qmail's 553. */
static int rcpt(const char *a)
{
	int r;

	spp_glue_set_addr(a);
	g.allowed = spp_glue_rcpt_allowed();
	r = spp_rcpt(g.allowed);
	if (r == SPP_CONTINUE && !g.allowed)
		return -1;
	if (r)
		r = spp_rcpt_accepted() ? r : SPP_REJECT;
	return r;
}

/* --- the semantics table ------------------------------------------------- */

enum ev { CONNECT, HELO, MAIL, RCPT, DATA, AUTH };

/* One row: a section with up to three plugins p1 p2 p3 whose (fake)
 * spp-run prints out[i] and exits status[i]; the entry point's result,
 * what the client saw, which plugins ran and what the layer kept. */
struct row {
	const char *what;
	enum ev ev;
	const char *out[3]; /* NULL: no such plugin */
	int status[3]; /* -1: the transport itself fails */
	int result;
	const char *client;
	const char *ran; /* e.g. "p1 p2" */
	const char *headers;
	const char *addr; /* after the call; NULL: unchanged */
	int drops;
	const char *log; /* substring of the log; NULL: empty log */
	size_t len0; /* length of out[0] when it holds a NUL, else 0 */
};

static const char *const event_names[] = { "connection", "helo", "mail",
					   "rcpt",	 "data", "auth" };

static const char *event_name(enum ev ev)
{
	return event_names[ev];
}

static const char *const section_of[] = { "[connection]", "[helo]", "[mail]",
					  "[rcpt]",	  "[data]", "[auth]" };

/* Keep in step with the table in smtpd-patch/README.md. */
static const struct row rows[] = {
	{ "no plugin output: continue",
	  MAIL,
	  { "", "", NULL },
	  { 0 },
	  SPP_CONTINUE,
	  "",
	  "p1 p2",
	  "",
	  NULL,
	  0,
	  NULL,
	  0 },
	{ "A: accept, no more plugins",
	  HELO,
	  { "A\n", "E550 x\n", NULL },
	  { 0 },
	  SPP_CONTINUE,
	  "",
	  "p1",
	  "",
	  NULL,
	  0,
	  NULL,
	  0 },
	{ "N: accept this command",
	  RCPT,
	  { "N\n", "E550 x\n", NULL },
	  { 0 },
	  SPP_CONTINUE,
	  "",
	  "p1",
	  "",
	  NULL,
	  0,
	  NULL,
	  0 },
	{ "O: skip qmail's checks",
	  RCPT,
	  { "O\n", "E550 x\n", NULL },
	  { 0 },
	  SPP_SKIP,
	  "",
	  "p1",
	  "",
	  NULL,
	  0,
	  NULL,
	  0 },
	{ "O at helo is still 2",
	  HELO,
	  { "O\n", NULL },
	  { 0 },
	  SPP_SKIP,
	  "",
	  "p1",
	  "",
	  NULL,
	  0,
	  NULL,
	  0 },
	{ "E: reject with its text",
	  MAIL,
	  { "E553 not you\n", "N\n", NULL },
	  { 0 },
	  SPP_REJECT,
	  "553 not you\r\n",
	  "p1",
	  "",
	  NULL,
	  0,
	  NULL,
	  0 },
	{ "E at connection replaces the greeting",
	  CONNECT,
	  { "E554 go away\n", NULL },
	  { 0 },
	  SPP_REJECT,
	  "554 go away\r\n",
	  "p1",
	  "",
	  NULL,
	  0,
	  NULL,
	  0 },
	{ "R: reply and drop",
	  RCPT,
	  { "R421 bye\n", "N\n", NULL },
	  { 0 },
	  SPP_REJECT,
	  "421 bye\r\n",
	  "p1",
	  "",
	  NULL,
	  1,
	  NULL,
	  0 },
	{ "D: drop silently",
	  DATA,
	  { "Pfirst\nD\n", NULL },
	  { 0 },
	  SPP_REJECT,
	  "first\r\n",
	  "p1",
	  "",
	  NULL,
	  1,
	  NULL,
	  0 },
	{ "P: printed at once",
	  HELO,
	  { "P250-hi\n", "Pthere\nN\n", NULL },
	  { 0 },
	  SPP_CONTINUE,
	  "250-hi\r\nthere\r\n",
	  "p1 p2",
	  "",
	  NULL,
	  0,
	  NULL,
	  0 },
	{ "H: headers in order",
	  CONNECT,
	  { "HX-A: 1\nHX-B: 2\n", "HX-C: 3\n" },
	  { 0 },
	  SPP_CONTINUE,
	  "",
	  "p1 p2",
	  "X-A: 1\nX-B: 2\nX-C: 3\n",
	  NULL,
	  0,
	  NULL,
	  0 },
	{ "H before a terminal command is kept",
	  DATA,
	  { "HX-A: 1\nN\n" },
	  { 0 },
	  SPP_CONTINUE,
	  "",
	  "p1",
	  "X-A: 1\n",
	  NULL,
	  0,
	  NULL,
	  0 },
	{ "C at MAIL changes the address",
	  MAIL,
	  { "Cnew@x.org\n", "" },
	  { 0 },
	  SPP_CONTINUE,
	  "",
	  "p1 p2",
	  "",
	  "new@x.org",
	  0,
	  NULL,
	  0 },
	{ "C at RCPT changes the address",
	  RCPT,
	  { "Cu@example.org\nN\n" },
	  { 0 },
	  SPP_CONTINUE,
	  "",
	  "p1",
	  "",
	  "u@example.org",
	  0,
	  NULL,
	  0 },
	{ "C outside MAIL/RCPT is ignored",
	  HELO,
	  { "Cnew@x.org\n" },
	  { 0 },
	  SPP_CONTINUE,
	  "",
	  "p1",
	  "",
	  "start@example.org",
	  0,
	  NULL,
	  0 },
	{ "L*: nothing now",
	  MAIL,
	  { "LM550 later\nLR550 r\nLD550 d\n", "" },
	  { 0 },
	  SPP_CONTINUE,
	  "",
	  "p1 p2",
	  "",
	  NULL,
	  0,
	  NULL,
	  0 },
	{ "unknown and empty lines ignored",
	  MAIL,
	  { "\n\nZzz\nLX550 x\nQ\nN\n", "E550 x" },
	  { 0 },
	  SPP_CONTINUE,
	  "",
	  "p1",
	  "",
	  NULL,
	  0,
	  NULL,
	  0 },
	{ "lines after a terminal command ignored",
	  RCPT,
	  { "N\nE550 late\nHX-Late: 1\n" },
	  { 0 },
	  SPP_CONTINUE,
	  "",
	  "p1",
	  "",
	  NULL,
	  0,
	  NULL,
	  0 },
	{ "deviation: last line without newline taken whole",
	  MAIL,
	  { "E550 whole" },
	  { 0 },
	  SPP_REJECT,
	  "550 whole\r\n",
	  "p1",
	  "",
	  NULL,
	  0,
	  NULL,
	  0 },
	{ "deviation: bare N without newline counts",
	  MAIL,
	  { "N", "E550 x" },
	  { 0 },
	  SPP_CONTINUE,
	  "",
	  "p1",
	  "",
	  NULL,
	  0,
	  NULL,
	  0 },
	{ "trailing CR stripped",
	  MAIL,
	  { "HX-A: 1\r\nE550 crlf\r\n" },
	  { 0 },
	  SPP_REJECT,
	  "550 crlf\r\n",
	  "p1",
	  "",
	  NULL,
	  0,
	  NULL,
	  0 },
	{ "failure: policy's verdict only (defer)",
	  RCPT,
	  { "E451 plugin failed, try again later (#4.3.0)\n", "N\n" },
	  { 111, 0 },
	  SPP_REJECT,
	  "451 plugin failed, try again later (#4.3.0)\r\n",
	  "p1",
	  "",
	  NULL,
	  0,
	  NULL,
	  0 },
	{ "failure at connection: its reply, then the end of the session",
	  CONNECT,
	  { "E451 plugin failed, try again later (#4.3.0)\n", "N\n" },
	  { 111, 0 },
	  SPP_REJECT,
	  "451 plugin failed, try again later (#4.3.0)\r\n",
	  "p1",
	  "",
	  NULL,
	  1,
	  NULL,
	  0 },
	{ "policy error at connection: the session ends",
	  CONNECT,
	  { "E451 plugin failed, try again later (#4.3.0)\n" },
	  { 100 },
	  SPP_REJECT,
	  "451 plugin failed, try again later (#4.3.0)\r\n",
	  "p1",
	  "",
	  NULL,
	  1,
	  NULL,
	  0 },
	{ "runner fails at connection: 451, the session ends",
	  CONNECT,
	  { "N\n" },
	  { -1 },
	  SPP_REJECT,
	  "451 qmail-spp failure: plugin runner failed (#4.3.0)\r\n",
	  "p1",
	  "",
	  NULL,
	  1,
	  "spp: warning: connection plugins/p1: fake: cannot run",
	  0 },
	{ "failure at connection with on-failure continue: the session goes on",
	  CONNECT,
	  { "", "E554 p2\n" },
	  { 111, 0 },
	  SPP_REJECT,
	  "554 p2\r\n",
	  "p1 p2",
	  "",
	  NULL,
	  0,
	  NULL,
	  0 },
	{ "failure: reject",
	  RCPT,
	  { "E554 plugin failed (#5.3.0)\n" },
	  { 111 },
	  SPP_REJECT,
	  "554 plugin failed (#5.3.0)\r\n",
	  "p1",
	  "",
	  NULL,
	  0,
	  NULL,
	  0 },
	{ "failure: continue",
	  RCPT,
	  { "", "E550 p2\n" },
	  { 111, 0 },
	  SPP_REJECT,
	  "550 p2\r\n",
	  "p1 p2",
	  "",
	  NULL,
	  0,
	  NULL,
	  0 },
	{ "policy error: spp-run's E451",
	  MAIL,
	  { "E451 plugin failed, try again later (#4.3.0)\n" },
	  { 100 },
	  SPP_REJECT,
	  "451 plugin failed, try again later (#4.3.0)\r\n",
	  "p1",
	  "",
	  NULL,
	  0,
	  NULL,
	  0 },
	{ "spp-run cannot be executed: 451, logged",
	  MAIL,
	  { "N\n", "N\n" },
	  { 127 },
	  SPP_REJECT,
	  "451 qmail-spp failure: plugin runner failed (#4.3.0)\r\n",
	  "p1",
	  "",
	  NULL,
	  0,
	  "spp: warning: mail plugins/p1: spp-run exited 127",
	  0 },
	{ "transport fails: 451, logged",
	  MAIL,
	  { "N\n" },
	  { -1 },
	  SPP_REJECT,
	  "451 qmail-spp failure: plugin runner failed (#4.3.0)\r\n",
	  "p1",
	  "",
	  NULL,
	  0,
	  "spp: warning: mail plugins/p1: fake: cannot run",
	  0 },
	{ "spp-run's unknown exit code fails closed",
	  DATA,
	  { "N\n" },
	  { 1 },
	  SPP_REJECT,
	  "451 qmail-spp failure: plugin runner failed (#4.3.0)\r\n",
	  "p1",
	  "",
	  NULL,
	  0,
	  "exited 1",
	  0 },
	{ "layer drops S of LD_*",
	  HELO,
	  { "SLD_PRELOAD=/x.so\nN\n" },
	  { 0 },
	  SPP_CONTINUE,
	  "",
	  "p1",
	  "",
	  NULL,
	  0,
	  "S line ignored",
	  0 },
	{ "layer drops lines with NUL",
	  HELO,
	  { "E550 a\0b\nN\n" },
	  { 0 },
	  SPP_CONTINUE,
	  "",
	  "p1",
	  "",
	  NULL,
	  0,
	  "NUL or CR",
	  11 },
	{ "auth: E refuses",
	  AUTH,
	  { "E535 no (#5.7.8)\n" },
	  { 0 },
	  SPP_REJECT,
	  "535 no (#5.7.8)\r\n",
	  "p1",
	  "",
	  NULL,
	  0,
	  NULL,
	  0 },
};

#define NROWS (sizeof(rows) / sizeof(rows[0]))

START_TEST(test_spp_table)
{
	const struct row *r = &rows[_i];
	static const char *const names[] = { "plugins/p1", "plugins/p2",
					     "plugins/p3" };
	char text[256], want_ran[256];
	int result = -1;

	snprintf(text, sizeof(text), "%s\n", section_of[r->ev]);
	want_ran[0] = '\0';
	for (int i = 0; i < 3 && r->out[i]; i++) {
		cat(text, sizeof(text), names[i]);
		cat(text, sizeof(text), "\n");
		fake_n(names[i], r->out[i],
		       i == 0 && r->len0 ? r->len0 : strlen(r->out[i]),
		       r->status[i]);
		if (r->status[i] < 0)
			fake_fail(names[i]);
	}
	conf(text);
	spp_glue_set_addr("start@example.org");
	switch (r->ev) {
	case CONNECT:
		result = spp_connect();
		break;
	case HELO:
		result = spp_helo("helo.example");
		break;
	case MAIL:
		result = spp_mail();
		break;
	case RCPT:
		result = spp_rcpt(1);
		break;
	case DATA:
		result = spp_data();
		break;
	case AUTH:
		result = spp_auth("login", "joe");
		break;
	}
	for (const char *p = r->ran; *p; p++) {
		if (*p == 'p') {
			if (want_ran[0])
				cat(want_ran, sizeof(want_ran), " ");
			cat(want_ran, sizeof(want_ran), event_name(r->ev));
			cat(want_ran, sizeof(want_ran), ":plugins/");
		}
		if (*p != ' ') {
			char c[2] = { *p, '\0' };

			cat(want_ran, sizeof(want_ran), c);
		}
	}
	ck_assert_msg(result == r->result, "%s: result %d", r->what, result);
	ck_assert_str_eq(g.out, r->client);
	ck_assert_str_eq(ran(), want_ran);
	ck_assert_str_eq(spp_headers(), r->headers);
	ck_assert_str_eq(g.addr, r->addr ? r->addr : "start@example.org");
	ck_assert_int_eq(g.drops, r->drops);
	if (r->drops)
		ck_assert_int_ge(g.flushes, 1);
	if (r->log)
		ck_assert_msg(strstr(g.log, r->log), "%s: log '%s'", r->what,
			      g.log);
	else
		ck_assert_str_eq(g.log, "");
}
END_TEST

/* --- spp_init ------------------------------------------------------------ */

START_TEST(test_spp_init_sections)
{
	conf("plugins/before-any-section\n"
	     "[connection]\nplugins/c1\n"
	     "[helo]\nplugins/h1\n"
	     "[mail]\nplugins/m1\n"
	     "[rcpt]\nplugins/r1\n"
	     "[data]\nplugins/d1\n"
	     "[auth]\nplugins/a1\n"
	     "[Mail]\nplugins/uppercase-is-unknown\n"
	     "[x]\nplugins/unknown-section\n"
	     "[c]\nplugins/c2\n"
	     "[mailfoo]\nplugins/m2\n");
	spp_connect();
	spp_helo("h");
	spp_mail();
	spp_rcpt(1);
	spp_data();
	spp_auth("plain", "u");
	ck_assert_str_eq(ran(), "connection:plugins/c1 connection:plugins/c2 "
				"helo:plugins/h1 mail:plugins/m1 "
				"mail:plugins/m2 rcpt:plugins/r1 "
				"data:plugins/d1 auth:plugins/a1");
}
END_TEST

START_TEST(test_spp_init_lines)
{
	conf("# a comment\n"
	     "\n"
	     "[helo]   \n"
	     "plugins/a \t \n"
	     "   \n"
	     " plugins/leading-space\n"
	     "#plugins/commented\n"
	     ":plugins/b arg1 arg2\n"
	     "plugins/cr\r\n"
	     "plugins/last-without-newline");
	spp_helo("h");
	ck_assert_uint_eq(t.nc, 5);
	ck_assert_str_eq(t.c[0].plugin, "plugins/a");
	ck_assert_int_eq(t.c[0].shell, 0);
	ck_assert_str_eq(t.c[1].plugin, " plugins/leading-space");
	ck_assert_str_eq(t.c[2].plugin, "plugins/b arg1 arg2");
	ck_assert_int_eq(t.c[2].shell, 1);
	/* control_readfile strips spaces and tabs, not CR */
	ck_assert_str_eq(t.c[3].plugin, "plugins/cr\r");
	ck_assert_str_eq(t.c[4].plugin, "plugins/last-without-newline");
}
END_TEST

START_TEST(test_spp_init_nul_splits)
{
	static const char text[] = "[helo]\nplugins/a\0plugins/b\n";
	int fd = open("control/smtpplugins", O_WRONLY | O_CREAT, 0644);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, sizeof(text) - 1),
			 (ssize_t)sizeof(text) - 1);
	close(fd);
	ck_assert_int_eq(spp_init(), 0);
	spp_helo("h");
	ck_assert_str_eq(ran(), "helo:plugins/a helo:plugins/b");
}
END_TEST

START_TEST(test_spp_init_missing)
{
	errno = 0;
	ck_assert_int_eq(spp_init(), -1);
	ck_assert_int_eq(errno, ENOENT);
	/* nothing runs after a failed init */
	ck_assert_int_eq(spp_connect(), SPP_CONTINUE);
	ck_assert_uint_eq(t.nc, 0);
}
END_TEST

START_TEST(test_spp_init_unreadable)
{
	/* A directory cannot be read, even by root (chmod 000 can). */
	setenv("SPPCONFFILE", "control", 1);
	errno = 0;
	ck_assert_int_eq(spp_init(), -1);
	ck_assert_int_eq(errno, EISDIR);
	if (geteuid() != 0) {
		write_file("control/smtpplugins", "[helo]\nplugins/a\n");
		ck_assert_int_eq(chmod("control/smtpplugins", 0), 0);
		unsetenv("SPPCONFFILE");
		ck_assert_int_eq(spp_init(), -1);
		ck_assert_int_eq(errno, EACCES);
	}
}
END_TEST

START_TEST(test_spp_init_nospp)
{
	/* any value, even empty; the file is not even read */
	setenv("NOSPP", "", 1);
	ck_assert_int_eq(spp_init(), 0);
	write_file("control/smtpplugins",
		   "[helo]\nplugins/a\n[mail]\nplugins/b\n");
	setenv("NOSPP", "0", 1);
	ck_assert_int_eq(spp_init(), 0);
	ck_assert_int_eq(spp_helo("h"), SPP_CONTINUE);
	ck_assert_int_eq(mail("x@y"), SPP_CONTINUE);
	ck_assert_uint_eq(t.nc, 0);
	/* 0.42 sets SMTPHELOHOST before it looks at whether plugins run */
	ck_assert_str_eq(getenv("SMTPHELOHOST"), "h");
	ck_assert_ptr_null(getenv("SMTPMAILFROM"));
}
END_TEST

START_TEST(test_spp_init_sppconffile)
{
	write_file("control/smtpplugins", "[helo]\nplugins/default\n");
	write_file("control/other", "[helo]\nplugins/other\n");
	setenv("SPPCONFFILE", "control/other", 1);
	ck_assert_int_eq(spp_init(), 0);
	spp_helo("h");
	ck_assert_str_eq(ran(), "helo:plugins/other");
	forget();
	/* empty means unset */
	setenv("SPPCONFFILE", "", 1);
	ck_assert_int_eq(spp_init(), 0);
	spp_helo("h");
	ck_assert_str_eq(ran(), "helo:plugins/default");
	forget();
	/* relative to the qmail home, the current directory */
	ck_assert_int_eq(chdir("control"), 0);
	setenv("SPPCONFFILE", "other", 1);
	ck_assert_int_eq(spp_init(), 0);
	spp_helo("h");
	ck_assert_str_eq(ran(), "helo:plugins/other");
}
END_TEST

START_TEST(test_spp_init_policy_lookup)
{
	write_file("control/spp/p1.policy", "timeout 1s\n");
	conf("[helo]\nplugins/p1\n/usr/lib/qmail/p1\nplugins/p2\n:plugins/p1\n"
	     "plugins/\n");
	spp_helo("h");
	ck_assert_uint_eq(t.nc, 5);
	ck_assert_str_eq(t.c[0].policy, "control/spp/p1.policy");
	ck_assert_str_eq(t.c[1].policy, "control/spp/p1.policy");
	ck_assert_str_eq(t.c[2].policy, "-");
	/* a ':' line: its command's program names the policy */
	ck_assert_str_eq(t.c[3].policy, "control/spp/p1.policy");
	ck_assert_str_eq(t.c[4].policy, "-");
	forget();

	write_file("control/spp/default.policy", "timeout 2s\n");
	ck_assert_int_eq(spp_init(), 0);
	spp_helo("h");
	ck_assert_str_eq(t.c[0].policy, "control/spp/p1.policy");
	ck_assert_str_eq(t.c[2].policy, "control/spp/default.policy");
	ck_assert_str_eq(t.c[3].policy, "control/spp/p1.policy");
	ck_assert_str_eq(t.c[4].policy, "control/spp/default.policy");
	forget();

	ck_assert_int_eq(mkdir("pol", 0755), 0);
	write_file("pol/p2.policy", "timeout 3s\n");
	setenv("SPPPOLICYDIR", "pol", 1);
	ck_assert_int_eq(spp_init(), 0);
	spp_helo("h");
	ck_assert_str_eq(t.c[0].policy, "-");
	ck_assert_str_eq(t.c[2].policy, "pol/p2.policy");
}
END_TEST

START_TEST(test_spp_init_spprun)
{
	conf("[helo]\nplugins/a\n");
	spp_helo("h");
	ck_assert_str_eq(t.c[0].spprun, "/fake/spp-run");
	forget();
	unsetenv("SPPRUN");
	ck_assert_int_eq(spp_init(), 0);
	spp_helo("h");
	ck_assert_str_eq(t.c[0].spprun, SPP_RUN_PATH);
}
END_TEST

START_TEST(test_spp_init_again)
{
	conf("[helo]\nplugins/a\n");
	fake("plugins/a", "A\n", 0);
	spp_helo("h");
	/* a new init starts over: A is forgotten, the new list is read */
	conf("[helo]\nplugins/b\n");
	spp_helo("h");
	ck_assert_str_eq(ran(), "helo:plugins/a helo:plugins/b");
}
END_TEST

/* --- spp_connect --------------------------------------------------------- */

START_TEST(test_spp_connect_runs_connection_section)
{
	conf("[connection]\nplugins/c\n[helo]\nplugins/h\n");
	fake("plugins/c", "P220-welcome\nHX-Conn: 1\n", 0);
	ck_assert_int_eq(spp_connect(), SPP_CONTINUE);
	ck_assert_str_eq(ran(), "connection:plugins/c");
	ck_assert_str_eq(g.out, "220-welcome\r\n");
	ck_assert_str_eq(t.c[0].event, "connection");
}
END_TEST

START_TEST(test_spp_connect_a_ends_session_plugins)
{
	conf("[connection]\nplugins/c\n[helo]\nplugins/h\n[mail]\nplugins/m\n"
	     "[rcpt]\nplugins/r\n[data]\nplugins/d\n");
	fake("plugins/c", "A\n", 0);
	ck_assert_int_eq(spp_connect(), SPP_CONTINUE);
	ck_assert_int_eq(spp_helo("h"), SPP_CONTINUE);
	ck_assert_int_eq(mail("a@b"), SPP_CONTINUE);
	ck_assert_int_eq(spp_rcpt(1), SPP_CONTINUE);
	ck_assert_int_eq(spp_data(), SPP_CONTINUE);
	spp_rset();
	ck_assert_int_eq(mail("a@b"), SPP_CONTINUE);
	ck_assert_str_eq(ran(), "connection:plugins/c");
	/* after A, 0.42 no longer sets the address variables */
	ck_assert_ptr_null(getenv("SMTPMAILFROM"));
	ck_assert_ptr_null(getenv("SMTPRCPTTO"));
}
END_TEST

/* --- spp_helo ------------------------------------------------------------ */

START_TEST(test_spp_helo_sets_helohost)
{
	conf("[helo]\nplugins/h\n");
	spp_helo("first.example");
	spp_helo("");
	ck_assert_str_eq(seen(0, "SMTPHELOHOST"), "first.example");
	ck_assert_str_eq(seen(1, "SMTPHELOHOST"), "");
	ck_assert_str_eq(t.c[0].event, "helo");
}
END_TEST

START_TEST(test_spp_helo_nomem)
{
	conf("[helo]\nplugins/h\n");
	g.env_fail = 1;
	ck_assert_int_eq(spp_helo("h"), SPP_REJECT);
	ck_assert_str_eq(g.out,
			 "451 qmail-spp failure: out of memory (#4.3.0)\r\n");
	ck_assert_uint_eq(t.nc, 0);
}
END_TEST

/* Out of memory while applying a [connection] plugin's output is a failure
 * of the run like any other: its reply, then the session ends (found by
 * fuzz_sppout: the layer's own failure did not count). */
START_TEST(test_spp_connect_nomem_ends_session)
{
	conf("[connection]\nplugins/c\n");
	fake("plugins/c", "SFOO=bar\nN\n", 0);
	g.env_fail = 1;
	ck_assert_int_eq(spp_connect(), SPP_REJECT);
	ck_assert_str_eq(g.out,
			 "451 qmail-spp failure: out of memory (#4.3.0)\r\n");
	ck_assert_int_eq(g.drops, 1);
}
END_TEST

/* --- spp_mail ------------------------------------------------------------ */

START_TEST(test_spp_mail_sets_mailfrom)
{
	conf("[mail]\nplugins/m1\nplugins/m2\n");
	fake("plugins/m1", "Cchanged@x.org\n", 0);
	ck_assert_int_eq(mail("orig@x.org"), SPP_CONTINUE);
	ck_assert_str_eq(seen(0, "SMTPMAILFROM"), "orig@x.org");
	ck_assert_str_eq(seen(1, "SMTPMAILFROM"), "changed@x.org");
	ck_assert_str_eq(getenv("SMTPMAILFROM"), "changed@x.org");
	ck_assert_str_eq(g.addr, "changed@x.org");
	ck_assert_str_eq(t.c[0].event, "mail");
}
END_TEST

START_TEST(test_spp_mail_lm_pending)
{
	conf("[helo]\nplugins/h\n[mail]\nplugins/m\n");
	fake("plugins/h", "LM550-first\nLM550 second\n", 0);
	spp_helo("h");
	forget();
	/* printed at every MAIL, plugins not run, until RSET */
	ck_assert_int_eq(mail("a@b"), SPP_REJECT);
	ck_assert_int_eq(mail("a@b"), SPP_REJECT);
	ck_assert_str_eq(g.out, "550-first\r\n550 second\r\n"
				"550-first\r\n550 second\r\n");
	ck_assert_uint_eq(t.nc, 0);
	spp_rset();
	ck_assert_int_eq(mail("a@b"), SPP_CONTINUE);
	ck_assert_str_eq(ran(), "mail:plugins/m");
}
END_TEST

START_TEST(test_spp_mail_rejected_drops_its_headers)
{
	conf("[helo]\nplugins/h\n[mail]\nplugins/m1\nplugins/m2\n");
	fake("plugins/h", "HX-Helo: 1\n", 0);
	fake("plugins/m1", "HX-Mail: 1\n", 0);
	fake("plugins/m2", "E553 no\n", 0);
	spp_helo("h");
	ck_assert_int_eq(mail("a@b"), SPP_REJECT);
	/* deviation: 0.42 kept X-Mail for the next message */
	ck_assert_str_eq(spp_headers(), "X-Helo: 1\n");
	fake("plugins/m2", "", 0);
	ck_assert_int_eq(mail("a@b"), SPP_CONTINUE);
	ck_assert_str_eq(spp_headers(), "X-Helo: 1\nX-Mail: 1\n");
}
END_TEST

START_TEST(test_spp_mail_failure_drops_its_headers)
{
	conf("[mail]\nplugins/m1\nplugins/m2\n");
	fake("plugins/m1", "HX-Mail: 1\n", 0);
	fake("plugins/m2", "E451 plugin failed, try again later (#4.3.0)\n",
	     111);
	ck_assert_int_eq(mail("a@b"), SPP_REJECT);
	ck_assert_str_eq(spp_headers(), "");
}
END_TEST

START_TEST(test_spp_mail_o_resets_bmf)
{
	conf("[mail]\nplugins/m\n");
	fake("plugins/m", "N\n", 0);
	ck_assert_int_eq(mail("a@b"), SPP_CONTINUE);
	ck_assert_int_eq(g.bmf_resets, 0);
	fake("plugins/m", "O\n", 0);
	ck_assert_int_eq(mail("a@b"), SPP_SKIP);
	ck_assert_int_eq(g.bmf_resets, 1);
}
END_TEST

START_TEST(test_spp_mail_resets_counters)
{
	conf("[rcpt]\nplugins/r\n");
	mail("a@b");
	rcpt("u@example.org");
	rcpt("v@example.org");
	mail("a@b");
	rcpt("w@example.org");
	ck_assert_str_eq(seen(2, "SMTPRCPTCOUNT"), "0");
	ck_assert_str_eq(seen(2, "SMTPRCPTCOUNTALL"), "1");
}
END_TEST

/* --- spp_rcpt ------------------------------------------------------------ */

START_TEST(test_spp_rcpt_counters)
{
	conf("[rcpt]\nplugins/r\n");
	mail("a@b");
	ck_assert_int_eq(rcpt("u1@example.org"), SPP_CONTINUE);
	fake("plugins/r", "E550 no\n", 0);
	ck_assert_int_eq(rcpt("u2@example.org"), SPP_REJECT);
	fake("plugins/r", "", 0);
	/* refused by qmail's rcpthosts: counted in ALL only */
	ck_assert_int_eq(rcpt("u3@elsewhere.example"), -1);
	ck_assert_int_eq(rcpt("u4@example.org"), SPP_CONTINUE);
	ck_assert_str_eq(seen(0, "SMTPRCPTCOUNT"), "0");
	ck_assert_str_eq(seen(0, "SMTPRCPTCOUNTALL"), "1");
	ck_assert_str_eq(seen(1, "SMTPRCPTCOUNT"), "1");
	ck_assert_str_eq(seen(1, "SMTPRCPTCOUNTALL"), "2");
	ck_assert_str_eq(seen(2, "SMTPRCPTCOUNT"), "1");
	ck_assert_str_eq(seen(2, "SMTPRCPTCOUNTALL"), "3");
	ck_assert_str_eq(seen(3, "SMTPRCPTCOUNT"), "1");
	ck_assert_str_eq(seen(3, "SMTPRCPTCOUNTALL"), "4");
	ck_assert_str_eq(seen(3, "SMTPRCPTTO"), "u4@example.org");
	ck_assert_str_eq(t.c[0].event, "rcpt");
}
END_TEST

START_TEST(test_spp_rcpt_hostsok)
{
	conf("[rcpt]\nplugins/r\n");
	mail("a@b");
	rcpt("u@example.org");
	rcpt("u@elsewhere.example");
	ck_assert_str_eq(seen(0, "SMTPRCPTHOSTSOK"), "1");
	ck_assert_str_eq(seen(1, "SMTPRCPTHOSTSOK"), "0");
}
END_TEST

START_TEST(test_spp_rcpt_o_relays)
{
	conf("[rcpt]\nplugins/r\n");
	mail("a@b");
	fake("plugins/r", "O\n", 0);
	/* 0.42: O skips rcpthosts, the message is relayed */
	ck_assert_int_eq(rcpt("u@elsewhere.example"), SPP_SKIP);
}
END_TEST

START_TEST(test_spp_rcpt_c_rechecked)
{
	conf("[rcpt]\nplugins/r1\nplugins/r2\n");
	mail("a@b");
	/* deviation: a C to a foreign domain is checked again */
	fake("plugins/r1", "Cu@elsewhere.example\n", 0);
	ck_assert_int_eq(rcpt("u@example.org"), -1);
	ck_assert_str_eq(getenv("SMTPRCPTHOSTSOK"), "0");
	ck_assert_str_eq(seen(1, "SMTPRCPTTO"), "u@elsewhere.example");
	/* and may make a foreign address local */
	fake("plugins/r1", "Cu@example.org\nN\n", 0);
	ck_assert_int_eq(rcpt("u@elsewhere.example"), SPP_CONTINUE);
	ck_assert_str_eq(getenv("SMTPRCPTHOSTSOK"), "1");
	/* unless the plugin said O */
	fake("plugins/r1", "Cu@elsewhere.example\nO\n", 0);
	g.rcpt_checks = 0;
	spp_glue_set_addr("u@example.org");
	ck_assert_int_eq(spp_rcpt(1), SPP_SKIP);
	ck_assert_int_eq(g.rcpt_checks, 0);
	ck_assert_str_eq(g.addr, "u@elsewhere.example");
	/* no C, no second check */
	fake("plugins/r1", "N\n", 0);
	spp_glue_set_addr("u@example.org");
	g.allowed = 7;
	ck_assert_int_eq(spp_rcpt(1), SPP_CONTINUE);
	ck_assert_int_eq(g.rcpt_checks, 0);
	ck_assert_int_eq(g.allowed, 7); /* untouched */
}
END_TEST

START_TEST(test_spp_rcpt_lr_pending)
{
	conf("[rcpt]\nplugins/r\n");
	mail("a@b");
	fake("plugins/r", "LR450 later\n", 0);
	ck_assert_int_eq(rcpt("u@example.org"), SPP_CONTINUE);
	forget();
	ck_assert_int_eq(rcpt("v@example.org"), SPP_REJECT);
	ck_assert_str_eq(g.out, "450 later\r\n");
	ck_assert_uint_eq(t.nc, 0);
	/* LR does not touch MAIL */
	ck_assert_int_eq(mail("a@b"), SPP_CONTINUE);
	/* the end of DATA clears it */
	spp_rset();
	ck_assert_int_eq(rcpt("v@example.org"), SPP_CONTINUE);
}
END_TEST

/* --- spp_rcpt_accepted --------------------------------------------------- */

START_TEST(test_spp_rcpt_accepted_counts)
{
	conf("[rcpt]\nplugins/r\n[pass]\nplugins/p\n");
	mail("a@b");
	ck_assert_int_eq(spp_rcpt(1), SPP_CONTINUE);
	ck_assert_int_eq(spp_rcpt_accepted(), SPP_CONTINUE);
	/* sagredo's no-chkuser tree calls it twice: counted once */
	ck_assert_int_eq(spp_rcpt_accepted(), SPP_CONTINUE);
	ck_assert_int_eq(spp_rcpt(1), SPP_CONTINUE);
	ck_assert_int_eq(spp_rcpt_accepted(), SPP_CONTINUE);
	spp_rcpt(1);
	ck_assert_str_eq(seen(2, "SMTPRCPTCOUNT"), "2");
	ck_assert_str_eq(seen(2, "SMTPRCPTCOUNTALL"), "3");
	/* 0.42 has no [pass]: its plugin never ran */
	ck_assert_str_eq(ran(), "rcpt:plugins/r rcpt:plugins/r rcpt:plugins/r");
}
END_TEST

/* sagredo's dialect: [pass] after each accepted recipient, with the count
 * including it; its E refuses the recipient. */
START_TEST(test_spp_rcpt_accepted_pass_sagredo)
{
	spp_set_dialect(SPP_DIALECT_SAGREDO);
	setenv("ENABLE_SPP", "0", 1); /* any value enables, as sagredo's */
	conf("[rcpt]\nplugins/r\n[pass]\nplugins/p\n");
	mail("a@b");
	fake("plugins/p", "", 0);
	ck_assert_int_eq(rcpt("u@example.org"), SPP_CONTINUE);
	ck_assert_str_eq(seen(1, "SMTPRCPTCOUNT"), "1");
	ck_assert_str_eq(seen(1, "SMTPRCPTTO"), "u@example.org");
	fake("plugins/p", "E550 not this one\n", 0);
	ck_assert_int_eq(rcpt("v@example.org"), SPP_REJECT);
	ck_assert_str_eq(g.out, "550 not this one\r\n");
	ck_assert_str_eq(seen(3, "SMTPRCPTCOUNT"), "2");
	ck_assert_str_eq(ran(), "rcpt:plugins/r pass:plugins/p "
				"rcpt:plugins/r pass:plugins/p");
	unsetenv("ENABLE_SPP");
	spp_set_dialect(SPP_DIALECT_042);
}
END_TEST

/* sagredo's no-chkuser branch calls spp_rcpt_accepted() twice per RCPT,
 * ignoring the first result: [pass] runs once, its E is answered once and
 * the second call repeats the result (its own qmail-spp ran the plugins
 * twice and answered twice, putting the dialogue a reply out of step). */
START_TEST(test_spp_rcpt_accepted_pass_once)
{
	spp_set_dialect(SPP_DIALECT_SAGREDO);
	setenv("ENABLE_SPP", "", 1);
	conf("[rcpt]\nplugins/r\n[pass]\nplugins/p\n");
	mail("a@b");
	fake("plugins/p", "E550 not this one\n", 0);
	ck_assert_int_eq(spp_rcpt(1), SPP_CONTINUE);
	ck_assert_int_eq(spp_rcpt_accepted(), SPP_REJECT);
	ck_assert_int_eq(spp_rcpt_accepted(), SPP_REJECT);
	ck_assert_str_eq(g.out, "550 not this one\r\n");
	ck_assert_str_eq(ran(), "rcpt:plugins/r pass:plugins/p");
	fake("plugins/p", "", 0);
	ck_assert_int_eq(spp_rcpt(1), SPP_CONTINUE);
	ck_assert_int_eq(spp_rcpt_accepted(), SPP_CONTINUE);
	ck_assert_int_eq(spp_rcpt_accepted(), SPP_CONTINUE);
	ck_assert_str_eq(seen(3, "SMTPRCPTCOUNT"), "2");
	ck_assert_str_eq(ran(), "rcpt:plugins/r pass:plugins/p "
				"rcpt:plugins/r pass:plugins/p");
	unsetenv("ENABLE_SPP");
	spp_set_dialect(SPP_DIALECT_042);
}
END_TEST

/* sagredo's switch: plugins run only with ENABLE_SPP set; NOSPP means
 * nothing there. 0.42: the other way round. */
START_TEST(test_spp_init_dialect_switch)
{
	spp_set_dialect(SPP_DIALECT_SAGREDO);
	unsetenv("ENABLE_SPP");
	conf("[helo]\nplugins/h\n");
	ck_assert_int_eq(spp_helo("x"), SPP_CONTINUE);
	ck_assert_str_eq(ran(), "");
	setenv("ENABLE_SPP", "", 1);
	setenv("NOSPP", "1", 1);
	conf("[helo]\nplugins/h\n");
	ck_assert_int_eq(spp_helo("x"), SPP_CONTINUE);
	ck_assert_str_eq(ran(), "helo:plugins/h");
	unsetenv("ENABLE_SPP");
	unsetenv("NOSPP");
	spp_set_dialect(SPP_DIALECT_042);
}
END_TEST

/* --- spp_data ------------------------------------------------------------ */

START_TEST(test_spp_data_runs_data_section)
{
	conf("[data]\nplugins/d\n");
	fake("plugins/d", "HX-Data: 1\nN\n", 0);
	ck_assert_int_eq(spp_data(), SPP_CONTINUE);
	ck_assert_str_eq(ran(), "data:plugins/d");
	ck_assert_str_eq(spp_headers(), "X-Data: 1\n");
}
END_TEST

START_TEST(test_spp_data_ld_pending)
{
	conf("[rcpt]\nplugins/r\n[data]\nplugins/d\n");
	fake("plugins/r", "LD554 no data for you\n", 0);
	mail("a@b");
	rcpt("u@example.org");
	forget();
	ck_assert_int_eq(spp_data(), SPP_REJECT);
	ck_assert_str_eq(g.out, "554 no data for you\r\n");
	ck_assert_uint_eq(t.nc, 0);
	/* a new MAIL does not clear it: RSET does */
	ck_assert_int_eq(mail("a@b"), SPP_CONTINUE);
	ck_assert_int_eq(spp_data(), SPP_REJECT);
	spp_rset();
	ck_assert_int_eq(spp_data(), SPP_CONTINUE);
}
END_TEST

/* --- spp_auth ------------------------------------------------------------ */

START_TEST(test_spp_auth_sets_user_and_method)
{
	conf("[auth]\nplugins/a\n");
	fake("plugins/a", "N\n", 0);
	ck_assert_int_eq(spp_auth("cram-md5", "joe"), SPP_CONTINUE);
	ck_assert_str_eq(seen(0, "SMTPAUTHMETHOD"), "cram-md5");
	ck_assert_str_eq(seen(0, "SMTPAUTHUSER"), "joe");
	ck_assert_str_eq(t.c[0].event, "auth");
}
END_TEST

/* E refuses the login, and so does a plugin that failed; the refused
 * user does not stay for later plugins (deviation from 0.42). */
START_TEST(test_spp_auth_refused)
{
	conf("[auth]\nplugins/a\n[mail]\nplugins/m\n");
	fake("plugins/a", "E535 not you (#5.7.8)\n", 0);
	ck_assert_int_eq(spp_auth("login", "bob"), SPP_REJECT);
	ck_assert_str_eq(g.out, "535 not you (#5.7.8)\r\n");
	ck_assert_ptr_null(getenv("SMTPAUTHUSER"));
	ck_assert_ptr_null(getenv("SMTPAUTHMETHOD"));
	ck_assert_int_eq(mail("a@b"), SPP_CONTINUE);
	ck_assert_str_eq(seen(1, "SMTPAUTHUSER"), "-");
	forget();
	fake("plugins/a", "E451 plugin failed, try again later (#4.3.0)\n",
	     111);
	ck_assert_int_eq(spp_auth("plain", "bob"), SPP_REJECT);
	ck_assert_str_eq(g.out,
			 "451 plugin failed, try again later (#4.3.0)\r\n");
	ck_assert_ptr_null(getenv("SMTPAUTHUSER"));
	forget();
	fake("plugins/a", "N\n", 0);
	ck_assert_int_eq(spp_auth("plain", "alice"), SPP_CONTINUE);
	ck_assert_str_eq(getenv("SMTPAUTHUSER"), "alice");
}
END_TEST

/* --- spp_rset ------------------------------------------------------------ */

START_TEST(test_spp_rset_clears)
{
	conf("[helo]\nplugins/h\n[rcpt]\nplugins/r\n");
	fake("plugins/h", "HX-A: 1\nLM550 m\nLR550 r\nLD550 d\n", 0);
	spp_helo("h");
	spp_rset();
	ck_assert_str_eq(spp_headers(), "");
	forget();
	ck_assert_int_eq(mail("a@b"), SPP_CONTINUE);
	ck_assert_int_eq(rcpt("u@example.org"), SPP_CONTINUE);
	ck_assert_int_eq(spp_data(), SPP_CONTINUE);
	ck_assert_str_eq(g.out, "");
	spp_rcpt_accepted();
	spp_rset();
	rcpt("v@example.org");
	ck_assert_str_eq(seen(1, "SMTPRCPTCOUNT"), "0");
	ck_assert_str_eq(seen(1, "SMTPRCPTCOUNTALL"), "1");
}
END_TEST

START_TEST(test_spp_rset_a_survives)
{
	conf("[mail]\nplugins/m\n");
	fake("plugins/m", "A\n", 0);
	mail("a@b");
	spp_rset();
	mail("a@b");
	ck_assert_str_eq(ran(), "mail:plugins/m");
}
END_TEST

/* --- spp_headers --------------------------------------------------------- */

START_TEST(test_spp_headers_first_message_only)
{
	conf("[connection]\nplugins/c\n[helo]\nplugins/h\n[rcpt]\nplugins/r\n");
	ck_assert_str_eq(spp_headers(), "");
	fake("plugins/c", "HX-Conn: 1\n", 0);
	fake("plugins/h", "HX-Helo: 1\n", 0);
	fake("plugins/r", "HX-Rcpt: 1\n", 0);
	spp_connect();
	spp_helo("h");
	mail("a@b");
	rcpt("u@example.org");
	rcpt("v@example.org");
	ck_assert_str_eq(spp_headers(),
			 "X-Conn: 1\nX-Helo: 1\nX-Rcpt: 1\nX-Rcpt: 1\n");
	/* the end of DATA, as qmail-smtpd calls it */
	spp_rset();
	mail("a@b");
	rcpt("u@example.org");
	ck_assert_str_eq(spp_headers(), "X-Rcpt: 1\n");
}
END_TEST

/* qmail-smtpd's sppheaders follows every change. */
START_TEST(test_spp_headers_mirrored)
{
	conf("[helo]\nplugins/h\n[mail]\nplugins/m\n");
	fake("plugins/h", "HX-Helo: 1\n", 0);
	spp_helo("h");
	ck_assert_str_eq(g.sppheaders, "X-Helo: 1\n");
	fake("plugins/m", "HX-Mail: 1\nE550 no\n", 0);
	ck_assert_int_eq(mail("a@b"), SPP_REJECT);
	ck_assert_str_eq(g.sppheaders, "X-Helo: 1\n");
	spp_rset();
	ck_assert_str_eq(g.sppheaders, "");
	/* spp_init again starts over: the copy is emptied too (found by
	 * fuzz_sppout: the copy kept the old session's headers) */
	spp_helo("h");
	ck_assert_str_eq(g.sppheaders, "X-Helo: 1\n");
	conf("[helo]\nplugins/h\n");
	ck_assert_str_eq(spp_headers(), "");
	ck_assert_str_eq(g.sppheaders, "");
}
END_TEST

START_TEST(test_spp_headers_never_null)
{
	ck_assert_ptr_nonnull(spp_headers());
	ck_assert_str_eq(spp_headers(), "");
	spp_done();
	ck_assert_str_eq(spp_headers(), "");
}
END_TEST

/* --- spp_done ------------------------------------------------------------ */

START_TEST(test_spp_done_forgets)
{
	conf("[helo]\nplugins/h\n");
	fake("plugins/h", "HX-A: 1\n", 0);
	spp_helo("h");
	spp_done();
	spp_done();
	ck_assert_str_eq(spp_headers(), "");
	forget();
	ck_assert_int_eq(spp_helo("h"), SPP_CONTINUE);
	ck_assert_uint_eq(t.nc, 0);
}
END_TEST

/* --- spp_exec_run: the real transport, with a fake spp-run script ------ */

/* The fake prints its arguments, FOO, where its stdin comes from and
 * whether descriptor 37 (held open by the test) reached it; then does
 * what its last argument says. */
static const char fake_spprun[] =
	"#!/bin/sh\n"
	"printf 'args:'; for a; do printf ' [%s]' \"$a\"; done; echo\n"
	"echo \"FOO=${FOO-unset}\"\n"
	"echo \"stdin=$(readlink /proc/$$/fd/0)\"\n"
	"if [ -e /proc/$$/fd/37 ]; then echo fd37=open; else echo fd37=closed;"
	" fi\n"
	"for last; do :; done\n"
	"case $last in\n"
	"stderr) echo to-stderr >&2 ;;\n"
	"exit111) exit 111 ;;\n"
	"crash) kill -9 $$ ;;\n"
	"big) head -c 1100000 /dev/zero ;;\n"
	"esac\n"
	"exit 0\n";

static void install_fake_spprun(void)
{
	write_file("fake-spp-run", fake_spprun);
	ck_assert_int_eq(chmod("fake-spp-run", 0755), 0);
}

static int run_fake(const char *plugin, int shell, const char *policy,
		    struct spp_run_reply *rep)
{
	char foo[] = "FOO=bar";
	char *envp[] = { foo, NULL };
	char path[4200];
	struct spp_run_req req = { path,   "rcpt", plugin, shell,
				   policy, envp,   0,	   NULL };

	snprintf(path, sizeof(path), "%s/fake-spp-run", home);
	return spp_exec_run(&req, rep);
}

START_TEST(test_spp_exec_run_argv_env_fds)
{
	struct spp_run_reply rep;
	int p[2];

	install_fake_spprun();
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(dup2(p[0], 37), 37);
	ck_assert_int_eq(run_fake("plugins/x", 0, "control/spp/x.policy", &rep),
			 0);
	ck_assert_int_eq(rep.status, 0);
	ck_assert_str_eq(rep.out, "args: [--inherit-env] [--event] [rcpt] "
				  "[--policy] [control/spp/x.policy] [--] "
				  "[plugins/x]\n"
				  "FOO=bar\n"
				  "stdin=/dev/null\n"
				  "fd37=closed\n");
	ck_assert_uint_eq(rep.len, strlen(rep.out));
	free(rep.out);
	close(37);
	close(p[0]);
	close(p[1]);
}
END_TEST

START_TEST(test_spp_exec_run_shell_line)
{
	struct spp_run_reply rep;

	install_fake_spprun();
	ck_assert_int_eq(run_fake("plugins/x 'a b'", 1, NULL, &rep), 0);
	ck_assert_ptr_nonnull(strstr(rep.out,
				     "args: [--inherit-env] [--event] [rcpt] "
				     "[--shell] [--] [plugins/x 'a b']\n"));
	free(rep.out);
}
END_TEST

START_TEST(test_spp_exec_run_stderr_inherited)
{
	struct spp_run_reply rep;
	char buf[256] = "";
	int save = dup(2), fd;
	ssize_t n;

	install_fake_spprun();
	fd = open("stderr.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(dup2(fd, 2), 2);
	ck_assert_int_eq(run_fake("stderr", 0, NULL, &rep), 0);
	dup2(save, 2);
	close(save);
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	close(fd);
	ck_assert_int_gt(n, 0);
	ck_assert_str_eq(buf, "to-stderr\n");
	free(rep.out);
}
END_TEST

START_TEST(test_spp_exec_run_exit_status)
{
	struct spp_run_reply rep;

	install_fake_spprun();
	ck_assert_int_eq(run_fake("exit111", 0, NULL, &rep), 0);
	ck_assert_int_eq(rep.status, 111);
	ck_assert_ptr_nonnull(rep.out);
	free(rep.out);
}
END_TEST

START_TEST(test_spp_exec_run_killed)
{
	struct spp_run_reply rep;

	install_fake_spprun();
	ck_assert_int_eq(run_fake("crash", 0, NULL, &rep), -1);
	ck_assert_ptr_null(rep.out);
	ck_assert_str_eq(rep.why, "spp-run killed by signal 9");
}
END_TEST

START_TEST(test_spp_exec_run_too_much_output)
{
	struct spp_run_reply rep;

	install_fake_spprun();
	ck_assert_int_eq(run_fake("big", 0, NULL, &rep), -1);
	ck_assert_ptr_null(rep.out);
	ck_assert_ptr_nonnull(strstr(rep.why, "more than"));
}
END_TEST

START_TEST(test_spp_exec_run_cannot_exec)
{
	struct spp_run_reply rep;
	char *envp[] = { NULL };
	struct spp_run_req req = { "/nonexistent/spp-run",
				   "helo",
				   "plugins/x",
				   0,
				   NULL,
				   envp,
				   0,
				   NULL };

	ck_assert_int_eq(spp_exec_run(&req, &rep), 0);
	ck_assert_int_eq(rep.status, 127);
	ck_assert_str_eq(rep.out, "");
	ck_assert_ptr_nonnull(strstr(rep.why, "cannot execute"));
	free(rep.out);
}
END_TEST

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/* Whatever spp-run does, no descriptor and no child is left behind. */
START_TEST(test_spp_exec_run_no_leak)
{
	static const char *const how[] = { "plugins/x", "exit111", "crash",
					   "big" };
	struct spp_run_reply rep;
	int before;

	install_fake_spprun();
	before = count_fds();
	for (int round = 0; round < 5; round++) {
		for (size_t i = 0; i < sizeof(how) / sizeof(how[0]); i++) {
			run_fake(how[i], 0, NULL, &rep);
			free(rep.out);
		}
	}
	ck_assert_int_eq(count_fds(), before);
	errno = 0;
	ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);
	ck_assert_int_eq(errno, ECHILD);
}
END_TEST

/* The layer over the real transport: a failed exec of spp-run fails the
 * command closed. */
START_TEST(test_spp_exec_run_layer_fails_closed)
{
	spp_transport = spp_exec_run;
	setenv("SPPRUN", "/nonexistent/spp-run", 1);
	conf("[mail]\nplugins/m\n");
	ck_assert_int_eq(mail("a@b"), SPP_REJECT);
	ck_assert_str_eq(g.out, "451 qmail-spp failure: plugin runner failed "
				"(#4.3.0)\r\n");
	ck_assert_ptr_nonnull(strstr(g.log, "cannot execute"));
}
END_TEST

/* --- suite --------------------------------------------------------------- */

static TCase *tcase(const char *name)
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, setup, teardown);
	return tc;
}

static Suite *spp_suite(void)
{
	Suite *s = suite_create("spp");
	TCase *tc;

	tc = tcase("semantics");
	tcase_add_loop_test(tc, test_spp_table, 0, NROWS);
	suite_add_tcase(s, tc);

	tc = tcase("spp_init");
	tcase_add_test(tc, test_spp_init_sections);
	tcase_add_test(tc, test_spp_init_lines);
	tcase_add_test(tc, test_spp_init_nul_splits);
	tcase_add_test(tc, test_spp_init_missing);
	tcase_add_test(tc, test_spp_init_unreadable);
	tcase_add_test(tc, test_spp_init_nospp);
	tcase_add_test(tc, test_spp_init_sppconffile);
	tcase_add_test(tc, test_spp_init_policy_lookup);
	tcase_add_test(tc, test_spp_init_spprun);
	tcase_add_test(tc, test_spp_init_again);
	suite_add_tcase(s, tc);

	tc = tcase("spp_connect");
	tcase_add_test(tc, test_spp_connect_runs_connection_section);
	tcase_add_test(tc, test_spp_connect_a_ends_session_plugins);
	tcase_add_test(tc, test_spp_connect_nomem_ends_session);
	suite_add_tcase(s, tc);

	tc = tcase("spp_helo");
	tcase_add_test(tc, test_spp_helo_sets_helohost);
	tcase_add_test(tc, test_spp_helo_nomem);
	suite_add_tcase(s, tc);

	tc = tcase("spp_mail");
	tcase_add_test(tc, test_spp_mail_sets_mailfrom);
	tcase_add_test(tc, test_spp_mail_lm_pending);
	tcase_add_test(tc, test_spp_mail_rejected_drops_its_headers);
	tcase_add_test(tc, test_spp_mail_failure_drops_its_headers);
	tcase_add_test(tc, test_spp_mail_o_resets_bmf);
	tcase_add_test(tc, test_spp_mail_resets_counters);
	suite_add_tcase(s, tc);

	tc = tcase("spp_rcpt");
	tcase_add_test(tc, test_spp_rcpt_counters);
	tcase_add_test(tc, test_spp_rcpt_hostsok);
	tcase_add_test(tc, test_spp_rcpt_o_relays);
	tcase_add_test(tc, test_spp_rcpt_c_rechecked);
	tcase_add_test(tc, test_spp_rcpt_lr_pending);
	suite_add_tcase(s, tc);

	tc = tcase("spp_rcpt_accepted");
	tcase_add_test(tc, test_spp_rcpt_accepted_counts);
	tcase_add_test(tc, test_spp_rcpt_accepted_pass_sagredo);
	tcase_add_test(tc, test_spp_rcpt_accepted_pass_once);
	tcase_add_test(tc, test_spp_init_dialect_switch);
	suite_add_tcase(s, tc);

	tc = tcase("spp_data");
	tcase_add_test(tc, test_spp_data_runs_data_section);
	tcase_add_test(tc, test_spp_data_ld_pending);
	suite_add_tcase(s, tc);

	tc = tcase("spp_auth");
	tcase_add_test(tc, test_spp_auth_sets_user_and_method);
	tcase_add_test(tc, test_spp_auth_refused);
	suite_add_tcase(s, tc);

	tc = tcase("spp_rset");
	tcase_add_test(tc, test_spp_rset_clears);
	tcase_add_test(tc, test_spp_rset_a_survives);
	suite_add_tcase(s, tc);

	tc = tcase("spp_headers");
	tcase_add_test(tc, test_spp_headers_first_message_only);
	tcase_add_test(tc, test_spp_headers_never_null);
	tcase_add_test(tc, test_spp_headers_mirrored);
	suite_add_tcase(s, tc);

	tc = tcase("spp_done");
	tcase_add_test(tc, test_spp_done_forgets);
	suite_add_tcase(s, tc);

	tc = tcase("spp_exec_run");
	tcase_add_test(tc, test_spp_exec_run_argv_env_fds);
	tcase_add_test(tc, test_spp_exec_run_shell_line);
	tcase_add_test(tc, test_spp_exec_run_stderr_inherited);
	tcase_add_test(tc, test_spp_exec_run_exit_status);
	tcase_add_test(tc, test_spp_exec_run_killed);
	tcase_add_test(tc, test_spp_exec_run_too_much_output);
	tcase_add_test(tc, test_spp_exec_run_cannot_exec);
	tcase_add_test(tc, test_spp_exec_run_no_leak);
	tcase_add_test(tc, test_spp_exec_run_layer_fails_closed);
	suite_add_tcase(s, tc);

	return s;
}

int main(void)
{
	if (!getcwd(top, sizeof(top) - 32))
		return EXIT_FAILURE;
	return tap_run(spp_suite());
}
