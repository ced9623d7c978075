/* SPDX-License-Identifier: GPL-2.0-or-later */
/* rbl: qmail-spp [connection] plugin looking TCPREMOTEIP up in DNS
 * blocklists (IPv4 and IPv6) with a small own DNS client over UDP (and TCP
 * for truncated answers), so the resolver's address is configurable. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PROG "rbl"

#ifdef SPP_ESCAPE /* test-only variant, see tests/plugins/escape.h */
#include "escape.h"
#else
static void escape(void)
{
}
#endif
#define MAXZONES 32
#define MAXNAME 256
#define MAXREASON 400
#define T_A 1
#define T_TXT 16

struct zone {
	const char *name;
	int defer;
};

struct resolver {
	struct sockaddr_storage ss;
	socklen_t len;
};

enum { LOOKUP_NO = 0, LOOKUP_YES = 1, LOOKUP_FAIL = -1 };

static long deadline_ms;
static unsigned short qid;

static void fatal(const char *what, const char *why)
{
	fprintf(stderr, PROG ": fatal: %s%s%s\n", what, why ? ": " : "",
		why ? why : "");
	/* Fail closed: qmail-spp only sees stdout. */
	printf("E451 " PROG ": configuration error (#4.3.5)\n");
	fflush(stdout);
	exit(100);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Parse "ip", "ip:port", "[ip6]:port" or "ip6" into r. */
static int parse_resolver(const char *s, struct resolver *r)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *port = NULL, *colon;
	unsigned long p = 53;
	struct sockaddr_in *sin = (struct sockaddr_in *)&r->ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&r->ss;
	size_t n;

	if (*s == '[') {
		const char *end = strchr(s, ']');

		if (!end || (end[1] && end[1] != ':'))
			return -1;
		n = (size_t)(end - s - 1);
		if (end[1] == ':')
			port = end + 2;
		s++;
	} else {
		colon = strchr(s, ':');
		if (colon && !strchr(colon + 1, ':')) {
			n = (size_t)(colon - s);
			port = colon + 1;
		} else {
			n = strlen(s);
		}
	}
	if (n == 0 || n >= sizeof(host))
		return -1;
	memcpy(host, s, n);
	host[n] = '\0';
	if (port) {
		char *end;

		errno = 0;
		p = strtoul(port, &end, 10);
		if (errno || end == port || *end || p == 0 || p > 65535)
			return -1;
	}
	memset(&r->ss, 0, sizeof(r->ss));
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((unsigned short)p);
		r->len = sizeof(*sin);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((unsigned short)p);
		r->len = sizeof(*sin6);
		return 0;
	}
	return -1;
}

/* The first nameserver of /etc/resolv.conf, or 127.0.0.1 as glibc does. */
static void default_resolver(struct resolver *r)
{
	char line[512];
	FILE *f = fopen("/etc/resolv.conf", "re");

	if (f) {
		while (fgets(line, sizeof(line), f)) {
			char *p = line, *q;

			if (strncmp(p, "nameserver", 10) != 0 ||
			    (p[10] != ' ' && p[10] != '\t'))
				continue;
			p += 10;
			p += strspn(p, " \t");
			q = p + strcspn(p, " \t\r\n%");
			*q = '\0';
			/* A bare IPv6 address: no port part. */
			if (strchr(p, ':')) {
				char buf[INET6_ADDRSTRLEN + 8];

				snprintf(buf, sizeof(buf), "[%s]", p);
				if (parse_resolver(buf, r) == 0)
					goto done;
			} else if (parse_resolver(p, r) == 0) {
				goto done;
			}
		}
done:
		fclose(f);
		if (r->len)
			return;
	}
	parse_resolver("127.0.0.1", r);
}

/* The query name for ip in zone: reversed octets or nibbles; IPv4-mapped
 * IPv6 addresses (::ffff:a.b.c.d) as IPv4. */
static int query_name(const char *ip, const char *zone, char *out, size_t size)
{
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0,    0,
						  0, 0, 0, 0, 0xff, 0xff };
	static const char hex[] = "0123456789abcdef";
	unsigned char a[16];
	size_t off = 0;
	int n, i;

	if (inet_pton(AF_INET, ip, a + 12) != 1) {
		if (inet_pton(AF_INET6, ip, a) != 1)
			return -1;
		if (memcmp(a, mapped, 12) != 0) {
			for (i = 15; i >= 0; i--) {
				out[off++] = hex[a[i] & 15];
				out[off++] = '.';
				out[off++] = hex[a[i] >> 4];
				out[off++] = '.';
			} /* 64 bytes: size is MAXNAME */
			n = snprintf(out + off, size - off, "%s", zone);
			return n < 0 || (size_t)n >= size - off ? -1 : 0;
		}
	}
	n = snprintf(out, size, "%u.%u.%u.%u.%s", a[15], a[14], a[13], a[12],
		     zone);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* Encode a DNS query for name/type into buf; returns its length or -1. */
static int build_query(const char *name, int type, unsigned char *buf,
		       size_t size)
{
	size_t off = 12;
	const char *p = name;

	if (size < 12 + strlen(name) + 6)
		return -1;
	qid = (unsigned short)(qid * 31421u + 6927u + (unsigned)now_ms());
	memset(buf, 0, 12);
	buf[0] = (unsigned char)(qid >> 8);
	buf[1] = (unsigned char)qid;
	buf[2] = 0x01; /* RD */
	buf[5] = 1; /* QDCOUNT */
	while (*p) {
		size_t len = strcspn(p, ".");

		if (len == 0 || len > 63)
			return -1;
		buf[off++] = (unsigned char)len;
		memcpy(buf + off, p, len);
		off += len;
		p += len;
		if (*p == '.')
			p++;
	}
	buf[off++] = 0;
	buf[off++] = 0;
	buf[off++] = (unsigned char)type;
	buf[off++] = 0;
	buf[off++] = 1; /* IN */
	return (int)off;
}

/* Skip a (possibly compressed) name at off; returns the new offset or -1. */
static int skip_name(const unsigned char *m, int len, int off)
{
	while (off < len) {
		if (m[off] == 0)
			return off + 1;
		if ((m[off] & 0xc0) == 0xc0)
			return off + 2 <= len ? off + 2 : -1;
		if (m[off] & 0xc0)
			return -1;
		off += m[off] + 1;
	}
	return -1;
}

static int wait_fd(int fd, short ev)
{
	struct pollfd pfd = { .fd = fd, .events = ev };
	long left = deadline_ms - now_ms();
	int rc;

	if (left <= 0)
		return -1;
	if (left > 2000)
		left = 2000; /* then resend */
	rc = poll(&pfd, 1, (int)left);
	return rc;
}

/* A query over TCP, for truncated answers. Returns the answer length. */
static int ask_tcp(const struct resolver *r, const unsigned char *q, int qlen,
		   unsigned char *ans, int size)
{
	unsigned char pre[2] = { (unsigned char)(qlen >> 8),
				 (unsigned char)qlen };
	int fd, got = 0, want = -1, rc;

	fd = socket(r->ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (const struct sockaddr *)&r->ss, r->len) < 0 ||
	    write(fd, pre, 2) != 2 || write(fd, q, (size_t)qlen) != qlen)
		goto fail;
	for (;;) {
		unsigned char buf[2];

		if (wait_fd(fd, POLLIN) <= 0)
			goto fail;
		if (want < 0) {
			rc = (int)read(fd, buf + got, (size_t)(2 - got));
			if (rc <= 0)
				goto fail;
			got += rc;
			if (got == 2) {
				want = buf[0] << 8 | buf[1];
				if (want > size)
					goto fail;
				got = 0;
			}
			continue;
		}
		rc = (int)read(fd, ans + got, (size_t)(want - got));
		if (rc <= 0)
			goto fail;
		got += rc;
		if (got == want)
			break;
	}
	close(fd);
	return got;
fail:
	close(fd);
	return -1;
}

/*
 * Ask for name/type. Returns LOOKUP_YES with the answer section's matching
 * records in text (A: nothing; TXT: the strings, joined), LOOKUP_NO for
 * NXDOMAIN or no such record, LOOKUP_FAIL on any failure.
 */
static int lookup(const struct resolver *r, const char *name, int type,
		  char *text, size_t tsize)
{
	unsigned char q[MAXNAME + 32], m[4096];
	int qlen, len = -1, tries, off, i, an, found = 0;
	int fd;

	if (text && tsize)
		text[0] = '\0';
	qlen = build_query(name, type, q, sizeof(q));
	if (qlen < 0)
		return LOOKUP_FAIL;
	fd = socket(r->ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(stderr, PROG ": warning: socket: %s\n",
			strerror(errno));
		return LOOKUP_FAIL;
	}
	if (connect(fd, (const struct sockaddr *)&r->ss, r->len) < 0) {
		fprintf(stderr, PROG ": warning: connect: %s\n",
			strerror(errno));
		close(fd);
		return LOOKUP_FAIL;
	}
	for (tries = 0; tries < 3 && len < 0; tries++) {
		if (send(fd, q, (size_t)qlen, 0) != qlen) {
			fprintf(stderr, PROG ": warning: send: %s\n",
				strerror(errno));
			break;
		}
		while (wait_fd(fd, POLLIN) > 0) {
			int n = (int)recv(fd, m, sizeof(m), 0);

			if (n < 0) {
				fprintf(stderr, PROG ": warning: recv: %s\n",
					strerror(errno));
				tries = 3;
				break;
			}
			/* Only our answer, to our question. */
			if (n < 12 || m[0] != q[0] || m[1] != q[1] ||
			    !(m[2] & 0x80) || n < qlen ||
			    memcmp(m + 12, q + 12, (size_t)qlen - 12) != 0)
				continue;
			len = n;
			break;
		}
		if (deadline_ms - now_ms() <= 0)
			break;
	}
	close(fd);
	if (len < 0) {
		fprintf(stderr, PROG ": warning: no answer for %s\n", name);
		return LOOKUP_FAIL;
	}
	if (m[2] & 0x02) { /* TC: ask again over TCP */
		len = ask_tcp(r, q, qlen, m, sizeof(m));
		if (len < 12 || m[0] != q[0] || m[1] != q[1]) {
			fprintf(stderr,
				PROG ": warning: TCP query failed: %s\n", name);
			return LOOKUP_FAIL;
		}
	}
	switch (m[3] & 0x0f) {
	case 0:
		break;
	case 3:
		return LOOKUP_NO; /* NXDOMAIN */
	default:
		fprintf(stderr, PROG ": warning: %s: DNS error rcode %d\n",
			name, m[3] & 0x0f);
		return LOOKUP_FAIL;
	}
	an = m[6] << 8 | m[7];
	off = qlen;
	for (i = 0; i < an; i++) {
		int rtype, rdlen, p;

		off = skip_name(m, len, off);
		if (off < 0 || off + 10 > len)
			return LOOKUP_FAIL;
		rtype = m[off] << 8 | m[off + 1];
		rdlen = m[off + 8] << 8 | m[off + 9];
		off += 10;
		if (off + rdlen > len)
			return LOOKUP_FAIL;
		if (rtype == type) {
			found = 1;
			for (p = off; type == T_TXT && p < off + rdlen;) {
				int sl = m[p++];
				size_t have = strlen(text), take = (size_t)sl;

				if (p + sl > off + rdlen)
					return LOOKUP_FAIL;
				if (have + take >= tsize)
					take = tsize - 1 - have; /* cut */
				memcpy(text + have, m + p, take);
				text[have + take] = '\0';
				p += sl;
			}
			if (type == T_TXT)
				break; /* the first TXT record is the reason */
		}
		off += rdlen;
	}
	return found ? LOOKUP_YES : LOOKUP_NO;
}

/* Keep printable ASCII only: the reason goes into an SMTP reply line. */
static void clean(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			*s = '?';
}

static int add_zone(struct zone *z, int n, char *word)
{
	int defer = 0;

	if (*word == '-') {
		defer = 1;
		word++;
	}
	while (*word == '.')
		word++;
	if (!*word)
		return n;
	if (strlen(word) > MAXNAME - 80 ||
	    strspn(word,
		   "abcdefghijklmnopqrstuvwxyz"
		   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") != strlen(word))
		fatal("bad zone name", word);
	if (n >= MAXZONES)
		fatal("too many zones", NULL);
	z[n].name = word;
	z[n].defer = defer;
	return n + 1;
}

static int split_zones(char *s, struct zone *z, int n)
{
	char *save = s;

	while (*save) {
		char *w = save + strspn(save, " \t\r\n");
		size_t len = strcspn(w, " \t\r\n");

		if (!*w)
			break;
		if (*w == '#') { /* comment to the end of line */
			save = w + strcspn(w, "\n");
			continue;
		}
		save = w + len;
		if (*save)
			*save++ = '\0';
		n = add_zone(z, n, w);
	}
	return n;
}

/* control/rblservers, relative to the qmail home; NULL when absent. */
static char *read_control(void)
{
	static char buf[8192];
	ssize_t n;
	size_t got = 0;
	int fd = open("control/rblservers", O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		if (errno == ENOENT)
			return NULL;
		fatal("cannot open control/rblservers", strerror(errno));
	}
	while ((n = read(fd, buf + got, sizeof(buf) - 1 - got)) > 0)
		got += (size_t)n;
	if (n < 0)
		fatal("cannot read control/rblservers", strerror(errno));
	close(fd);
	buf[got] = '\0';
	return buf;
}

int main(void)
{
	struct zone zones[MAXZONES];
	struct resolver res = { .len = 0 };
	char name[MAXNAME], reason[MAXREASON];
	const char *ip = getenv("TCPREMOTEIP");
	const char *env = getenv("RBLSERVERS");
	const char *rs = getenv("RBL_RESOLVER");
	const char *to = getenv("RBL_TIMEOUT");
	char *list;
	unsigned long timeout = 5;
	int nz, i, failed = 0;

	escape();
	if (getenv("RELAYCLIENT"))
		return 0; /* a relay client is trusted: no lookups */
	if (to && *to) {
		char *end;

		errno = 0;
		timeout = strtoul(to, &end, 10);
		if (errno || end == to || *end || timeout == 0 || timeout > 60)
			fatal("RBL_TIMEOUT must be 1 to 60 seconds", to);
	}
	if (env && *env) {
		list = strdup(env);
		if (!list)
			fatal("out of memory", NULL);
	} else {
		list = read_control();
	}
	if (!list)
		fatal("no zones: set RBLSERVERS or control/rblservers", NULL);
	nz = split_zones(list, zones, 0);
	if (nz == 0)
		return 0; /* an empty list checks nothing */
	if (rs && *rs) {
		if (parse_resolver(rs, &res) < 0)
			fatal("bad RBL_RESOLVER (ip[:port] or [ip6]:port)", rs);
	} else {
		default_resolver(&res);
	}
	if (!ip || !*ip) {
		fprintf(stderr, PROG ": warning: TCPREMOTEIP not set\n");
		return 0;
	}
	deadline_ms = now_ms() + (long)timeout * 1000;
	for (i = 0; i < nz; i++) {
		int rc;

		if (query_name(ip, zones[i].name, name, sizeof(name)) < 0) {
			fprintf(stderr,
				PROG ": warning: not an IP address: %.64s\n",
				ip);
			return 0;
		}
		rc = lookup(&res, name, T_A, NULL, 0);
		if (rc == LOOKUP_FAIL) {
			failed = 1;
			continue;
		}
		if (rc == LOOKUP_NO)
			continue;
		if (lookup(&res, name, T_TXT, reason, sizeof(reason)) !=
			    LOOKUP_YES ||
		    !reason[0])
			snprintf(reason, sizeof(reason),
				 "%s %s is listed in %s (#%s)",
				 zones[i].defer ? "temporarily refused:" :
						  "refused:",
				 ip, zones[i].name,
				 zones[i].defer ? "4.7.1" : "5.7.1");
		clean(reason);
		fprintf(stderr, PROG ": info: %s listed in %s\n", ip,
			zones[i].name);
		printf("E%s %s\n", zones[i].defer ? "451" : "553", reason);
		return 0;
	}
	if (failed)
		printf("E451 " PROG ": DNS lookup failed (#4.3.0)\n");
	return 0;
}
