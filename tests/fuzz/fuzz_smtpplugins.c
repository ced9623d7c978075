/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target for the hook layer's control/smtpplugins reader
 * (smtpd-patch/hook/spp.c): the input is the file; spp_init() reads it and every
 * event's plugins, policies included, must be those a model finds in it. */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spp.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

extern char **environ;

/* abort() rather than assert(): the check must survive -DNDEBUG. */
#define CHECK(cond)              \
	do {                     \
		if (!(cond))     \
			abort(); \
	} while (0)

#define SPPRUN "/fuzz/spp-run"
#define NAME_MAX_ 255 /* a longer component fails stat() with ENAMETOOLONG */

enum { EV_CONNECT, EV_HELO, EV_MAIL, EV_RCPT, EV_DATA, EV_AUTH, EV_N };

static const char *const event_names[EV_N] = {
	"connection", "helo", "mail", "rcpt", "data", "auth",
};

/* Two policy directories: pol-a has p1, p2 and default; pol-b only p1. */
static const struct {
	const char *dir;
	const char *const files[3];
	int has_default;
} pol_dirs[] = {
	{ "pol-a", { "p1", "p2", NULL }, 1 },
	{ "pol-b", { "p1", NULL, NULL }, 0 },
};

#define NDIRS (sizeof(pol_dirs) / sizeof(pol_dirs[0]))

static char tmp[64]; /* private directory, made once */
static char conf[128];
static char dirs[NDIRS][128];

/* One plugin the model expects, in the order it must run. */
struct want {
	const char *cmd; /* slice of the model's copy of the input */
	size_t len;
	int shell;
	char *policy; /* NULL: spp-run's built-in */
};

struct wants {
	struct want *v;
	size_t n, cap;
};

static struct {
	struct wants ev[EV_N];
	int cur; /* event whose plugins the transport expects */
	size_t next;
} m;

static void rm_tree(void)
{
	char p[256];

	for (size_t d = 0; d < NDIRS; d++) {
		for (size_t i = 0; pol_dirs[d].files[i]; i++) {
			snprintf(p, sizeof(p), "%s/%s.policy", dirs[d],
				 pol_dirs[d].files[i]);
			unlink(p);
		}
		snprintf(p, sizeof(p), "%s/default.policy", dirs[d]);
		unlink(p);
		rmdir(dirs[d]);
	}
	unlink(conf);
	rmdir(tmp);
}

static void touch(const char *dir, const char *name)
{
	char p[256];
	int fd;

	snprintf(p, sizeof(p), "%s/%s.policy", dir, name);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	CHECK(fd >= 0);
	close(fd);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *t = getenv("TMPDIR");

	(void)argc;
	(void)argv;
	snprintf(tmp, sizeof(tmp), "%s/spp-fuzz.XXXXXX",
		 t && *t && strlen(t) < 40 ? t : "/tmp");
	CHECK(mkdtemp(tmp));
	atexit(rm_tree);
	for (size_t d = 0; d < NDIRS; d++) {
		snprintf(dirs[d], sizeof(dirs[d]), "%s/%s", tmp,
			 pol_dirs[d].dir);
		CHECK(mkdir(dirs[d], 0755) == 0);
		for (size_t i = 0; pol_dirs[d].files[i]; i++)
			touch(dirs[d], pol_dirs[d].files[i]);
		if (pol_dirs[d].has_default)
			touch(dirs[d], "default");
	}
	snprintf(conf, sizeof(conf), "%s/smtpplugins", tmp);
	CHECK(setenv("SPPCONFFILE", conf, 1) == 0);
	CHECK(setenv("SPPRUN", SPPRUN, 1) == 0);
	CHECK(unsetenv("NOSPP") == 0);
	return 0;
}

/* --- glue: a configuration alone never reaches the client or the log ----- */

void spp_glue_out(const char *s)
{
	(void)s;
	abort();
}

void spp_glue_flush(void)
{
}

const char *spp_glue_addr(void)
{
	return "a@example.org";
}

int spp_glue_set_addr(const char *a)
{
	(void)a;
	abort();
}

int spp_glue_rcpt_allowed(void)
{
	return 1;
}

void spp_glue_set_allowed(int allowed)
{
	(void)allowed;
}

int spp_glue_headers(const char *s, size_t len)
{
	(void)s;
	(void)len;
	abort();
}

void spp_glue_bmf_reset(void)
{
	abort();
}

void spp_glue_drop(void)
{
	abort();
}

int spp_glue_setenv(const char *name, const char *value)
{
	(void)name;
	(void)value;
	return 0;
}

int spp_glue_unsetenv(const char *name)
{
	(void)name;
	abort();
}

void spp_glue_log(const char *line)
{
	(void)line;
	abort();
}

/* --- the model ----------------------------------------------------------- */

static void want_add(struct wants *w, const char *cmd, size_t len, int shell,
		     char *policy)
{
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 8;
		w->v = realloc(w->v, w->cap * sizeof(*w->v));
		CHECK(w->v);
	}
	w->v[w->n++] = (struct want){ cmd, len, shell, policy };
}

static void wants_clear(void)
{
	for (int e = 0; e < EV_N; e++) {
		for (size_t i = 0; i < m.ev[e].n; i++)
			free(m.ev[e].v[i].policy);
		free(m.ev[e].v);
		m.ev[e].v = NULL;
		m.ev[e].n = m.ev[e].cap = 0;
	}
}

static char *path_of(size_t d, const char *name, size_t len)
{
	size_t n = strlen(dirs[d]) + 1 + len + sizeof(".policy");
	char *p = malloc(n);

	CHECK(p);
	snprintf(p, n, "%s/%.*s.policy", dirs[d], (int)len, name);
	return p;
}

/* README "Lookup": DIR/NAME.policy for the last path component of the
 * program (for a ':' line the first word after VAR=value words and exec),
 * else DIR/default.policy, else none. A name the shell would expand or
 * quote gets the default; one too long for stat() (but short enough to
 * be a name at all) counts as present, so that spp-run fails on it. */
static char *want_policy(size_t d, const char *cmd, size_t len, int shell)
{
	static const char special[] = "'\"\\$`;&|<>(){}*?[]~#";
	const char *end = cmd + len, *w = cmd, *name;
	size_t n;

	if (shell) {
		for (;;) {
			while (w < end && (*w == ' ' || *w == '\t'))
				w++;
			for (n = 0; w + n < end && w[n] != ' ' && w[n] != '\t';)
				n++;
			if (!n || (!memchr(w, '=', n) &&
				   !(n == 4 && memcmp(w, "exec", 4) == 0)))
				break;
			w += n;
		}
		end = w + n;
	}
	name = w;
	for (const char *c = w; c < end; c++)
		if (*c == '/')
			name = c + 1;
	n = (size_t)(end - name);
	for (size_t i = 0; i < n; i++)
		if (memchr(special, name[i], sizeof(special) - 1))
			n = 0;
	if (n && n < 256 && !(n == 1 && name[0] == '.') &&
	    !(n == 2 && name[0] == '.' && name[1] == '.')) {
		if (n + strlen(".policy") > NAME_MAX_)
			return path_of(d, name, n);
		for (size_t i = 0; pol_dirs[d].files[i]; i++)
			if (strlen(pol_dirs[d].files[i]) == n &&
			    memcmp(pol_dirs[d].files[i], name, n) == 0)
				return path_of(d, name, n);
	}
	return pol_dirs[d].has_default ? path_of(d, "default", 7) : NULL;
}

/* control_readfile() as README row 4 and 5 put it: lines, trailing blanks
 * gone, '#' and empty lines skipped, NUL splitting a line into entries; an
 * entry "[x..." picks the section of letter x (none if unknown), any other
 * is a plugin of the current section. */
static void model(const char *s, size_t len, size_t d)
{
	static const char letters[] = "chmrda";
	size_t i = 0;
	int cur = -1;

	while (i < len) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - s) : len, t = end;

		while (t > i && (s[t - 1] == ' ' || s[t - 1] == '\t'))
			t--;
		for (size_t j = i; t > i && s[i] != '#' && j < t;) {
			const char *z = memchr(s + j, '\0', t - j);
			size_t k = z ? (size_t)(z - s) : t;
			const char *e = s + j;
			size_t n = k - j;

			if (n && e[0] == '[') {
				const char *l = n > 1 && e[1] ?
							strchr(letters, e[1]) :
							NULL;

				cur = l ? (int)(l - letters) : -1;
			} else if (n && cur >= 0) {
				size_t sh = e[0] == ':';

				want_add(&m.ev[cur], e + sh, n - sh, (int)sh,
					 want_policy(d, e + sh, n - sh,
						     (int)sh));
			}
			j = k + 1;
		}
		i = end + 1;
	}
}

/* --- transport: each run must be the model's next plugin ----------------- */

static int transport(const struct spp_run_req *req, struct spp_run_reply *rep)
{
	const struct wants *w = &m.ev[m.cur];
	const struct want *x;

	CHECK(m.cur >= 0 && m.next < w->n);
	x = &w->v[m.next++];
	CHECK(strcmp(req->spprun, SPPRUN) == 0);
	CHECK(strcmp(req->event, event_names[m.cur]) == 0);
	CHECK(req->shell == x->shell);
	CHECK(strlen(req->plugin) == x->len &&
	      memcmp(req->plugin, x->cmd, x->len) == 0);
	CHECK(!req->policy == !x->policy);
	CHECK(!req->policy || strcmp(req->policy, x->policy) == 0);
	CHECK(req->envp == environ);
	memset(rep, 0, sizeof(*rep));
	rep->out = calloc(1, 1);
	CHECK(rep->out);
	return 0;
}

static void expect(int ev)
{
	m.cur = ev;
	m.next = 0;
}

static void ran_all(int result)
{
	CHECK(result == SPP_CONTINUE);
	CHECK(m.next == m.ev[m.cur].n);
}

static void write_conf(const uint8_t *data, size_t size)
{
	int fd = open(conf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	CHECK(fd >= 0);
	for (size_t off = 0; off < size;) {
		ssize_t n = write(fd, data + off, size - off);

		CHECK(n > 0);
		off += (size_t)n;
	}
	CHECK(close(fd) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1);

	CHECK(copy);
	memcpy(copy, data, size);
	copy[size] = '\0';
	write_conf(data, size);
	spp_transport = transport;
	/* Each directory in turn: a second spp_init() starts over. */
	for (size_t d = 0; d < NDIRS; d++) {
		CHECK(setenv("SPPPOLICYDIR", dirs[d], 1) == 0);
		model(copy, size, d);
		CHECK(spp_init() == 0);
		expect(EV_CONNECT);
		ran_all(spp_connect());
		expect(EV_HELO);
		ran_all(spp_helo("helo.example"));
		expect(EV_MAIL);
		ran_all(spp_mail());
		expect(EV_RCPT);
		ran_all(spp_rcpt(1));
		expect(EV_DATA);
		ran_all(spp_data());
		expect(EV_AUTH);
		ran_all(spp_auth("plain", "user"));
		CHECK(strcmp(spp_headers(), "") == 0);
		wants_clear();
	}
	/* spp_done() frees it all: LeakSanitizer checks after each input. */
	spp_done();
	free(copy);
	return 0;
}
