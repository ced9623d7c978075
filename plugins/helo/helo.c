/* SPDX-License-Identifier: GPL-2.0-or-later */
/* helo: qmail-spp [helo] plugin checking the HELO/EHLO name: empty, bare IP
 * address, our own name, no dot, invalid characters; each check rejects,
 * defers or is off (HELO_ACTION, HELO_ACTION_<CHECK>). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define PROG "helo"

#ifdef SPP_ESCAPE /* test-only variant, see tests/plugins/escape.h */
#include "escape.h"
#else
static void escape(void)
{
}
#endif

enum action { ACT_OFF, ACT_REJECT, ACT_DEFER };

struct check {
	const char *env; /* HELO_ACTION_<env> */
	const char *text;
	enum action act;
};

enum { C_EMPTY, C_BAREIP, C_OWNNAME, C_NODOT, C_SYNTAX, NCHECKS };

static struct check checks[NCHECKS] = {
	[C_EMPTY] = { "EMPTY", "empty HELO", ACT_REJECT },
	[C_BAREIP] = { "BAREIP", "HELO is a bare IP address, use [address]",
		       ACT_REJECT },
	[C_OWNNAME] = { "OWNNAME", "HELO with our own name", ACT_REJECT },
	[C_NODOT] = { "NODOT", "HELO is not a fully qualified name",
		      ACT_REJECT },
	[C_SYNTAX] = { "SYNTAX", "HELO has invalid characters", ACT_REJECT },
};

static void fatal(const char *what, const char *val)
{
	fprintf(stderr, PROG ": fatal: %s: %.100s\n", what, val);
	printf("E451 " PROG ": configuration error (#4.3.5)\n");
	fflush(stdout);
	exit(100);
}

static enum action parse_action(const char *name, const char *v)
{
	if (strcmp(v, "reject") == 0)
		return ACT_REJECT;
	if (strcmp(v, "defer") == 0)
		return ACT_DEFER;
	if (strcmp(v, "off") == 0)
		return ACT_OFF;
	fatal(name, v);
	return ACT_OFF;
}

static void configure(void)
{
	const char *v = getenv("HELO_ACTION");
	char name[64];
	int i;

	if (v && *v) {
		enum action a =
			parse_action("HELO_ACTION (reject|defer|off)", v);

		for (i = 0; i < NCHECKS; i++)
			checks[i].act = a;
	}
	for (i = 0; i < NCHECKS; i++) {
		snprintf(name, sizeof(name), "HELO_ACTION_%s", checks[i].env);
		v = getenv(name);
		if (v && *v)
			checks[i].act = parse_action(name, v);
	}
}

/* The name without one trailing dot, lower-cased, into out. */
static void canon(const char *s, size_t len, char *out, size_t size)
{
	size_t i;

	if (len && s[len - 1] == '.')
		len--;
	if (len >= size)
		len = size - 1;
	for (i = 0; i < len; i++)
		out[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) :
							s[i];
	out[len] = '\0';
}

static int in_list(const char *host, const char *list)
{
	char a[256], b[256];

	canon(host, strlen(host), a, sizeof(a));
	while (*list) {
		size_t len;

		list += strspn(list, " \t\r\n");
		len = strcspn(list, " \t\r\n");
		if (!len)
			break;
		canon(list, len, b, sizeof(b));
		if (strcmp(a, b) == 0)
			return 1;
		list += len;
	}
	return 0;
}

/* control/me (first line), relative to the qmail home, or "". */
static const char *control_me(void)
{
	static char buf[256];
	ssize_t n;
	int fd = open("control/me", O_RDONLY | O_CLOEXEC);

	buf[0] = '\0';
	if (fd < 0) {
		if (errno != ENOENT)
			fprintf(stderr, PROG ": warning: control/me: %s\n",
				strerror(errno));
		return buf;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		n = 0;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

static int is_ip(const char *s)
{
	unsigned char a[16];
	char tmp[64];

	if (inet_pton(AF_INET, s, a) == 1 || inet_pton(AF_INET6, s, a) == 1)
		return 1;
	/* "1.2.3.4." is a bare IP too */
	if (strlen(s) < sizeof(tmp)) {
		canon(s, strlen(s), tmp, sizeof(tmp));
		if (inet_pton(AF_INET, tmp, a) == 1)
			return 1;
	}
	return 0;
}

/* An address literal: [1.2.3.4] or [IPv6:...]. */
static int literal_ok(const char *s)
{
	unsigned char a[16];
	char tmp[64];
	size_t len = strlen(s);

	if (len < 3 || len >= sizeof(tmp) || s[len - 1] != ']')
		return 0;
	memcpy(tmp, s + 1, len - 2);
	tmp[len - 2] = '\0';
	if (strncasecmp(tmp, "IPv6:", 5) == 0)
		return inet_pton(AF_INET6, tmp + 5, a) == 1;
	return inet_pton(AF_INET, tmp, a) == 1;
}

/* Letters, digits, '-', '_' (seen in real client names) and dots. */
static int syntax_ok(const char *s)
{
	size_t len = strlen(s);

	if (len > 255 || s[0] == '.' || s[0] == '-' || strstr(s, ".."))
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			 "0123456789-_.") == len;
}

static int verdict(int c, const char *host)
{
	char shown[80];
	size_t i;

	if (checks[c].act == ACT_OFF)
		return 0;
	/* The client's name goes to the log escaped, never raw. */
	for (i = 0; host[i] && i < sizeof(shown) - 1; i++)
		shown[i] = ((unsigned char)host[i] < 0x20 ||
			    (unsigned char)host[i] > 0x7e) ?
				   '?' :
				   host[i];
	shown[i] = '\0';
	fprintf(stderr, PROG ": info: %s: %s\n", checks[c].text, shown);
	if (checks[c].act == ACT_DEFER)
		printf("E451 %s (#4.7.1)\n", checks[c].text);
	else
		printf("E550 %s (#5.7.1)\n", checks[c].text);
	return 1;
}

int main(void)
{
	const char *host = getenv("SMTPHELOHOST");
	const char *own = getenv("HELO_OWNNAMES");

	escape();
	configure();
	if (!host || !*host) {
		verdict(C_EMPTY, "");
		return 0;
	}
	if (host[0] == '[') {
		if (!literal_ok(host))
			verdict(C_SYNTAX, host);
		return 0;
	}
	if (is_ip(host)) {
		verdict(C_BAREIP, host);
		return 0;
	}
	if (!syntax_ok(host)) {
		verdict(C_SYNTAX, host);
		return 0;
	}
	if (!strchr(host, '.') && verdict(C_NODOT, host))
		return 0;
	if (!own || !*own)
		own = control_me();
	if (*own && in_list(host, own))
		verdict(C_OWNNAME, host);
	return 0;
}
