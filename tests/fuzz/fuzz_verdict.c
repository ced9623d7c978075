/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target for the verdict validator (runner/proto/verdict.c): a plugin's
 * stdout through spp_verdict_filter(), checked against a line-by-line model
 * and the protocol's rules; allowlists come from the input's first bytes. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbx.h"
#include "verdict.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* abort() rather than assert(): the check must survive -DNDEBUG. */
#define CHECK(cond)              \
	do {                     \
		if (!(cond))     \
			abort(); \
	} while (0)

#define TERMINAL \
	(SPP_CMD_A | SPP_CMD_N | SPP_CMD_O | SPP_CMD_D | SPP_CMD_E | SPP_CMD_R)

/* Input: 3 header bytes, then the plugin's output.
 *   byte 0, bit 0: the allowlist is a text list (spp_cmd_parse_list) read
 *                  from after the header up to the first LF;
 *   bytes 0-1:     otherwise (or when the list is refused) bits 1-14 of
 *                  the little-endian pair are the SPP_CMD_* mask;
 *   byte 2:        bits 0-6 pick setvars names from the table below; 0
 *                  means no list (NULL), 0x80 alone an empty one. */
#define HDR_LEN 3
#define LIST_MAX 256

static char sv0[] = "RELAYCLIENT";
static char sv1[] = "PATH";
static char sv2[] = "LD_PRELOAD";
static char sv3[] = "TCPREMOTEIP";
static char sv4[] = "HOME";
static char sv5[] = "GREYLISTED";
static char sv6[] = "SPPRUN";
static char *sv_table[] = { sv0, sv1, sv2, sv3, sv4, sv5, sv6 };

#define NSV (sizeof(sv_table) / sizeof(sv_table[0]))

/* The validator takes setvars as a NULL-terminated list: the model's
 * sbx_strv keeps one. */
#define NAMES(sv) ((sv) ? (const char *const *)(sv)->v : NULL)

/* Names S and U must never touch unless setvars lists them (a subset of
 * verdict.c's tables, written out again on purpose), each between spaces;
 * and the prefixes of whole families. */
static const char must_refuse[] = " PATH IFS HOME RELAYCLIENT NOSPP"
				  " SPPCONFFILE SPPPOLICYDIR SPPRUN"
				  " GCONV_PATH GLIBC_TUNABLES ";
static const char *const must_refuse_prefix[] = {
	"TCP", "QMAIL", "SMTPAUTH", "BASH_FUNC_", "SPPSANDBOX", NULL,
};

static int slice_is(const char *s, size_t len, const char *name)
{
	return strlen(name) == len && memcmp(s, name, len) == 0;
}

static int slice_has_prefix(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && memcmp(s, prefix, n) == 0;
}

static int listed(const struct sbx_strv *sv, const char *s, size_t len)
{
	for (size_t i = 0; sv && i < sv->n; i++)
		if (slice_is(s, len, sv->v[i]))
			return 1;
	return 0;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static size_t count(const char *s, size_t len, char c)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		n += s[i] == c;
	return n;
}

/* An accepted S or U name: shell-style, short, never LD_*, never one of
 * the refused names unless listed. */
static void check_var_name(const char *s, size_t len, const struct sbx_strv *sv)
{
	char key[64 + 3];

	CHECK(len >= 1 && len <= 64);
	CHECK(s[0] == '_' || (s[0] >= 'A' && s[0] <= 'Z') ||
	      (s[0] >= 'a' && s[0] <= 'z'));
	for (size_t i = 0; i < len; i++)
		CHECK(s[i] == '_' || is_digit(s[i]) ||
		      (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= 'a' && s[i] <= 'z'));
	CHECK(!slice_has_prefix(s, len, "LD_"));
	key[0] = ' ';
	memcpy(key + 1, s, len);
	key[len + 1] = ' ';
	key[len + 2] = '\0';
	if (strstr(must_refuse, key))
		CHECK(listed(sv, s, len));
	for (size_t i = 0; must_refuse_prefix[i]; i++)
		if (slice_has_prefix(s, len, must_refuse_prefix[i]))
			CHECK(listed(sv, s, len));
	CHECK(spp_verdict_var_refused(s, len, NAMES(sv)) == 0);
}

/* A reply qmail-spp prints: 4xx or 5xx, then end, space or (multiline)
 * '-'. */
static void check_reply(const char *s, size_t len, int multiline)
{
	CHECK(len >= 3);
	CHECK(s[0] == '4' || s[0] == '5');
	CHECK(s[1] >= '0' && s[1] <= '5');
	CHECK(is_digit(s[2]));
	CHECK(len == 3 || s[3] == ' ' || (multiline && s[3] == '-'));
}

/* Everything an accepted line must be, whatever verdict.c thinks. */
static void check_accepted(const char *line, size_t len, unsigned int cmds,
			   const struct sbx_strv *sv, unsigned int cmd)
{
	const char *name = spp_cmd_name(cmd), *arg;
	size_t skip = strlen(name), alen;
	const char *colon, *eq;

	CHECK(len >= 1 && len <= SPP_VERDICT_LINE_MAX);
	CHECK(cmd != 0 && (cmd & (cmd - 1)) == 0 && (cmds & cmd));
	CHECK(name[0] != '-' && len >= skip && memcmp(line, name, skip) == 0);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];

		CHECK(c != '\0' && c != '\r' && c != '\n' && c != 0x7f);
		CHECK(c >= 0x20 || c == '\t');
	}
	arg = line + skip;
	alen = len - skip;
	switch (cmd) {
	case SPP_CMD_E:
	case SPP_CMD_R:
		check_reply(arg, alen, 0);
		break;
	case SPP_CMD_LM:
	case SPP_CMD_LR:
	case SPP_CMD_LD:
		check_reply(arg, alen, 1);
		break;
	case SPP_CMD_H:
		colon = memchr(arg, ':', alen);
		CHECK(colon && colon > arg && colon - arg <= 76);
		for (const char *p = arg; p < colon; p++)
			CHECK(*p > ' ' && *p < 0x7f);
		break;
	case SPP_CMD_C:
		CHECK(alen <= 254);
		if (!alen)
			break;
		CHECK(arg[0] != '@' && arg[alen - 1] != '@');
		CHECK(count(arg, alen, '@') <= 1);
		for (size_t i = 0; i < alen; i++)
			CHECK(arg[i] > ' ' && arg[i] < 0x7f &&
			      !strchr("<>(),;\\\"", arg[i]));
		break;
	case SPP_CMD_S:
		eq = memchr(arg, '=', alen);
		CHECK(eq);
		check_var_name(arg, (size_t)(eq - arg), sv);
		break;
	case SPP_CMD_U:
		check_var_name(arg, alen, sv);
		break;
	}
}

/* One line through spp_verdict_check, with the properties that must hold
 * whatever the outcome: a wider allowlist or a longer setvars list never
 * refuses what a narrower one accepts. */
static int check_one(const char *line, size_t len, unsigned int cmds,
		     const struct sbx_strv *sv, unsigned int *cmd,
		     const char **why)
{
	unsigned int c2 = 1;
	const char *w2 = NULL;
	int rc;

	*why = NULL;
	rc = spp_verdict_check(line, len, cmds, NAMES(sv), cmd, why);
	if (rc < 0) {
		CHECK(rc == -1 && *cmd == 0 && *why && (*why)[0]);
		/* Refused with everything allowed: refused with less. */
		if (spp_verdict_check(line, len, SPP_CMD_ALL, NAMES(sv), &c2,
				      &w2) < 0)
			CHECK(c2 == 0 && w2 && w2[0]);
		return -1;
	}
	CHECK(rc == 0);
	check_accepted(line, len, cmds, sv, *cmd);
	CHECK(spp_verdict_check(line, len, SPP_CMD_ALL, NAMES(sv), &c2, &w2) ==
	      0);
	CHECK(c2 == *cmd);
	if (!sv) {
		char *every[NSV + 1];

		memcpy(every, sv_table, sizeof(sv_table));
		every[NSV] = NULL;
		CHECK(spp_verdict_check(line, len, cmds,
					(const char *const *)every, &c2,
					&w2) == 0);
		CHECK(c2 == *cmd);
	}
	return 0;
}

struct rejects {
	const char *buf, *end;
	unsigned int cmds;
	const struct sbx_strv *sv;
	size_t n;
};

/* Every dropped line lies inside the input and is refused again, for the
 * same reason. */
static void on_reject(void *ctx, const char *line, size_t len, const char *why)
{
	struct rejects *r = ctx;
	unsigned int cmd = 1;
	const char *w = NULL;

	CHECK(line >= r->buf && len >= 1 && len <= (size_t)(r->end - line));
	CHECK(why && why[0]);
	CHECK(spp_verdict_check(line, len, r->cmds, NAMES(r->sv), &cmd, &w) ==
	      -1);
	CHECK(w && strcmp(w, why) == 0 && cmd == 0);
	r->n++;
}

struct model {
	char *out;
	size_t len;
	int rc;
	size_t rejects;
};

/* qmail-spp's reading of a plugin's output, written out again: lines split
 * at LF, one trailing CR dropped, empty lines skipped, the first terminal
 * line (valid or not) ends it; a refused terminal line loses the verdict. */
static void model_filter(const char *buf, size_t len, unsigned int cmds,
			 const struct sbx_strv *sv, struct model *m)
{
	size_t p = 0;

	m->out = malloc(len + 2);
	CHECK(m->out);
	m->len = 0;
	m->rc = 0;
	m->rejects = 0;
	while (p < len) {
		const char *line = buf + p, *nl;
		size_t l, rest = len - p;
		unsigned int cmd;
		const char *why, *w2;

		nl = memchr(line, '\n', rest);
		l = nl ? (size_t)(nl - line) : rest;
		p += nl ? l + 1 : l;
		if (l && line[l - 1] == '\r')
			l--;
		if (!l)
			continue;
		if (check_one(line, l, cmds, sv, &cmd, &why) < 0) {
			unsigned int c2;

			m->rejects++;
			/* the reason is stable */
			CHECK(spp_verdict_check(line, l, cmds, NAMES(sv), &c2,
						&w2) == -1);
			CHECK(strcmp(w2, why) == 0);
			if (line[0] && strchr("ANODER", line[0])) {
				m->rc = SPP_VERDICT_UNUSABLE;
				return;
			}
			continue;
		}
		memcpy(m->out + m->len, line, l);
		m->len += l;
		m->out[m->len++] = '\n';
		if (cmd & TERMINAL) {
			m->rc = (int)cmd;
			return;
		}
	}
}

/* The filter's result, looked at on its own terms. */
static void check_output(const char *out, size_t outlen, int rc, size_t inlen,
			 unsigned int cmds, const struct sbx_strv *sv)
{
	const char *p = out, *end = out + outlen;
	unsigned int last = 0;

	CHECK(out && out[outlen] == '\0' && strlen(out) == outlen);
	CHECK(outlen <= inlen + 1);
	CHECK(!memchr(out, '\r', outlen));
	CHECK(outlen == 0 || out[outlen - 1] == '\n');
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		unsigned int cmd;
		const char *why;

		CHECK(nl && nl > p);
		/* only the last line may be terminal */
		CHECK(!(last & TERMINAL));
		CHECK(check_one(p, (size_t)(nl - p), cmds, sv, &cmd, &why) ==
		      0);
		last = cmd;
		p = nl + 1;
	}
	if (rc == 0)
		CHECK(!(last & TERMINAL));
	else
		CHECK(last == (unsigned int)rc && (last & TERMINAL));
}

/* A list spp_cmd_parse_list() takes back to the same bits. */
static void check_list_roundtrip(unsigned int cmds)
{
	const char *bad;
	size_t badlen;
	char text[128] = "";
	unsigned int again = 0;
	size_t n = 0;

	for (unsigned int bit = 1; bit & SPP_CMD_ALL; bit <<= 1) {
		if (!(cmds & bit))
			continue;
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s%s",
				      n ? "," : "", spp_cmd_name(bit));
		CHECK(n < sizeof(text));
	}
	CHECK(spp_cmd_parse_list(text, &again, &bad, &badlen) == 0);
	CHECK(again == cmds);
}

/* The allowlist from the input: a text list, else the header bits. */
static unsigned int parse_mask(const uint8_t *data, size_t size, size_t *used)
{
	unsigned int cmds = ((unsigned int)data[0] | data[1] << 8) >> 1 &
			    SPP_CMD_ALL;
	unsigned int parsed = 0xdead;
	const char *bad = NULL;
	size_t badlen = 0;
	const uint8_t *nl;
	char list[LIST_MAX + 1];
	size_t n;

	*used = HDR_LEN;
	if (!(data[0] & 1))
		return cmds;
	nl = memchr(data + HDR_LEN, '\n', size - HDR_LEN);
	n = nl ? (size_t)(nl - data) - HDR_LEN : size - HDR_LEN;
	*used += nl ? n + 1 : n;
	if (n > LIST_MAX)
		return cmds;
	/* spp_cmd_parse_list() reads a C string: a NUL ends the list. */
	memcpy(list, data + HDR_LEN, n);
	list[n] = '\0';
	if (spp_cmd_parse_list(list, &parsed, &bad, &badlen) < 0) {
		/* The refused item lies inside the list, whole. */
		CHECK(parsed == 0xdead);
		CHECK(bad >= list && bad + badlen <= list + n);
		return cmds;
	}
	CHECK(parsed != 0 && (parsed & ~(unsigned int)SPP_CMD_ALL) == 0);
	check_list_roundtrip(parsed);
	return parsed;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *names[NSV + 1];
	struct sbx_strv svl = { names, 0 }, *sv = NULL;
	struct rejects rej = { NULL, NULL, 0, NULL, 0 };
	struct model m;
	unsigned int cmds, cmd;
	const char *buf, *why;
	char *out = NULL, *out2 = NULL;
	size_t used, len, outlen = 1, outlen2 = 1;
	int rc, rc2;

	if (size < HDR_LEN)
		return 0;
	cmds = parse_mask(data, size, &used);
	if (data[2]) {
		for (size_t i = 0; i < NSV; i++)
			if (data[2] & (1u << i))
				names[svl.n++] = sv_table[i];
		names[svl.n] = NULL;
		sv = &svl;
	}
	buf = (const char *)data + used;
	len = size - used;

	/* The whole rest as one line. */
	if (len)
		check_one(buf, len, cmds, sv, &cmd, &why);

	model_filter(buf, len, cmds, sv, &m);
	rej.buf = buf;
	rej.end = buf + len;
	rej.cmds = cmds;
	rej.sv = sv;
	rc = spp_verdict_filter(len ? buf : NULL, len, cmds, NAMES(sv), &out,
				&outlen, on_reject, &rej);
	CHECK(rc == m.rc);
	CHECK(rej.n == m.rejects);
	if (rc == SPP_VERDICT_UNUSABLE) {
		CHECK(out == NULL);
	} else {
		CHECK(rc >= 0);
		CHECK(outlen == m.len && memcmp(out, m.out, m.len) == 0);
		check_output(out, outlen, rc, len, cmds, sv);
	}
	/* The callback changes nothing. */
	rc2 = spp_verdict_filter(len ? buf : NULL, len, cmds, NAMES(sv), &out2,
				 &outlen2, NULL, NULL);
	CHECK(rc2 == rc && outlen2 == outlen);
	CHECK(!out2 == !out && (!out || memcmp(out, out2, outlen) == 0));
	free(out);
	free(out2);
	free(m.out);
	return 0;
}
