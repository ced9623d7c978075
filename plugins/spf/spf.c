/* SPDX-License-Identifier: GPL-2.0-or-later */
/* qmail-spp [mail] plugin: SPF check (libspf2) of the MAIL FROM domain, or
 * of the HELO name for the null sender, and the client IP; adds a
 * Received-SPF header, rejects or defers on fail, defers when DNS fails. */
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <spf2/spf.h>
#include <spf2/spf_dns.h>
#include <spf2/spf_dns_rr.h>

/* libspf2's own resolver layer keeps a private res_state per thread, set
 * up by res_ninit from /etc/resolv.conf, so it cannot be pointed at a
 * resolver on another address or port.  This layer does the same lookups
 * on a res_state of our own, whose name server SPF_RESOLVER can set. */
static struct __res_state res;

enum fail_action { FAIL_REJECT, FAIL_DEFER, FAIL_HEADER };

static void defer(const char *why)
{
	printf("E451 SPF check temporarily unavailable: %s (#4.4.3)\n", why);
}

static int resolver_set(const char *spec)
{
	char host[INET_ADDRSTRLEN];
	const char *colon = strrchr(spec, ':');
	size_t len = colon ? (size_t)(colon - spec) : strlen(spec);
	unsigned long port = 53;
	struct in_addr a;
	char *end;

	if (len == 0 || len >= sizeof(host))
		return -1;
	memcpy(host, spec, len);
	host[len] = '\0';
	if (inet_pton(AF_INET, host, &a) != 1)
		return -1;
	if (colon) {
		errno = 0;
		port = strtoul(colon + 1, &end, 10);
		if (errno || end == colon + 1 || *end || port < 1 ||
		    port > 65535)
			return -1;
	}
	memset(&res.nsaddr_list[0], 0, sizeof(res.nsaddr_list[0]));
	res.nsaddr_list[0].sin_family = AF_INET;
	res.nsaddr_list[0].sin_port = htons((unsigned short)port);
	res.nsaddr_list[0].sin_addr = a;
	res.nscount = 1;
	return 0;
}

/* Copies one answer record's data into rr->rr[n]; 0, or -1 to skip it. */
static int rr_take(SPF_dns_rr_t *rr, int n, ns_msg *msg, ns_rr *r)
{
	const unsigned char *p = ns_rr_rdata(*r);
	size_t rdlen = ns_rr_rdlen(*r);
	char name[NS_MAXDNAME];
	size_t len, off;

	switch (ns_rr_type(*r)) {
	case ns_t_a:
		if (rdlen != 4 ||
		    SPF_dns_rr_buf_realloc(rr, n, 4) != SPF_E_SUCCESS)
			return -1;
		memcpy(&rr->rr[n]->a, p, 4);
		return 0;
	case ns_t_aaaa:
		if (rdlen != 16 ||
		    SPF_dns_rr_buf_realloc(rr, n, 16) != SPF_E_SUCCESS)
			return -1;
		memcpy(&rr->rr[n]->aaaa, p, 16);
		return 0;
	case ns_t_mx:
		if (rdlen < 2)
			return -1;
		p += 2;
		/* fall through */
	case ns_t_ptr:
		if (ns_name_uncompress(ns_msg_base(*msg), ns_msg_end(*msg), p,
				       name, sizeof(name)) < 0)
			return -1;
		len = strlen(name) + 1;
		if (SPF_dns_rr_buf_realloc(rr, n, len) != SPF_E_SUCCESS)
			return -1;
		memcpy(rr->rr[n]->ptr, name, len);
		return 0;
	case ns_t_txt:
	case ns_t_spf:
		/* The character-strings of one record, concatenated. */
		if (SPF_dns_rr_buf_realloc(rr, n, rdlen + 1) != SPF_E_SUCCESS)
			return -1;
		len = 0;
		for (off = 0; off < rdlen; off += 1 + (size_t)p[off]) {
			size_t sl = p[off];

			if (off + 1 + sl > rdlen)
				return -1;
			memcpy(rr->rr[n]->txt + len, p + off + 1, sl);
			len += sl;
		}
		rr->rr[n]->txt[len] = '\0';
		return 0;
	default:
		return -1;
	}
}

static SPF_dns_rr_t *lookup(SPF_dns_server_t *server, const char *domain,
			    ns_type type, int should_cache)
{
	unsigned char ans[NS_MAXMSG];
	SPF_dns_rr_t *rr;
	ns_msg msg;
	int len, i, n = 0;
	int ttl = 0;

	(void)should_cache;
	len = res_nquery(&res, domain, ns_c_in, type, ans, sizeof(ans));
	if (len < 0) {
		int herr = res.res_h_errno;

		/* NXDOMAIN and no data are answers; anything else is a
		 * resolver failure, which SPF calls temperror. */
		if (herr != HOST_NOT_FOUND && herr != NO_DATA)
			herr = TRY_AGAIN;
		return SPF_dns_rr_new_init(server, domain, type, 0, herr);
	}
	if (ns_initparse(ans, len, &msg) < 0)
		return SPF_dns_rr_new_init(server, domain, type, 0, TRY_AGAIN);
	rr = SPF_dns_rr_new_init(server, domain, type, 0, NETDB_SUCCESS);
	if (!rr)
		return NULL;
	for (i = 0; i < ns_msg_count(msg, ns_s_an); i++) {
		ns_rr r;

		if (ns_parserr(&msg, ns_s_an, i, &r) < 0)
			break;
		if (ns_rr_type(r) != type || ns_rr_class(r) != ns_c_in)
			continue; /* CNAMEs: the resolver followed them */
		if (rr_take(rr, n, &msg, &r) < 0)
			continue;
		if (n == 0 || (int)ns_rr_ttl(r) < ttl)
			ttl = (int)ns_rr_ttl(r);
		n++;
	}
	rr->num_rr = n;
	rr->ttl = ttl;
	if (n == 0)
		rr->herrno = NO_DATA;
	return rr;
}

static SPF_dns_server_t dns_layer = {
	.lookup = lookup,
	.name = "spp-spf",
};

/* A header or reply must stay on one line. */
static void one_line(char *s)
{
	for (; *s; s++)
		if (*s == '\r' || *s == '\n' || (unsigned char)*s < 0x20)
			*s = ' ';
}

static int fail_action_get(enum fail_action *fa)
{
	const char *v = getenv("SPF_FAIL_ACTION");

	if (!v || !*v || !strcmp(v, "reject"))
		*fa = FAIL_REJECT;
	else if (!strcmp(v, "defer"))
		*fa = FAIL_DEFER;
	else if (!strcmp(v, "header"))
		*fa = FAIL_HEADER;
	else
		return -1;
	return 0;
}

int main(void)
{
	const char *ip = getenv("TCPREMOTEIP");
	const char *from = getenv("SMTPMAILFROM");
	const char *helo = getenv("SMTPHELOHOST");
	const char *resolver = getenv("SPF_RESOLVER");
	const char *recdom = getenv("TCPLOCALHOST");
	const char *auth = getenv("SMTPAUTHUSER");
	SPF_response_t *resp = NULL;
	SPF_request_t *req = NULL;
	SPF_server_t *spf = NULL;
	enum fail_action fa;
	char *hdr = NULL, *smtp = NULL, *sender = NULL;
	SPF_errcode_t qerr;
	const char *s;
	struct in6_addr a6;
	struct in_addr a4;
	int status = 0;

	/* Relaying and authenticated clients are ours: no SPF. */
	if (getenv("RELAYCLIENT") || (auth && *auth))
		return 0;
	if (fail_action_get(&fa) < 0) {
		fprintf(stderr, "spf: fatal: SPF_FAIL_ACTION must be reject, "
				"defer or header\n");
		defer("configuration error");
		return 0;
	}
	if (!ip || !*ip) {
		fprintf(stderr, "spf: fatal: TCPREMOTEIP not set\n");
		defer("configuration error");
		return 0;
	}
	if (res_ninit(&res) < 0) {
		fprintf(stderr, "spf: fatal: res_ninit failed\n");
		defer("resolver error");
		return 0;
	}
	res.retrans = 2;
	res.retry = 2;
	if (resolver && *resolver && resolver_set(resolver) < 0) {
		fprintf(stderr, "spf: fatal: bad SPF_RESOLVER %s\n", resolver);
		defer("configuration error");
		goto out;
	}
	if (!from || !*from) {
		/* Null sender (a bounce): RFC 7208 2.4 checks the HELO
		 * name as postmaster@HELO. */
		if (!helo || !*helo)
			goto out; /* nothing to check: no header */
		if (asprintf(&sender, "postmaster@%s", helo) < 0)
			goto nomem;
		from = sender;
	}
	spf = SPF_server_new_dns(&dns_layer, 0);
	if (!spf)
		goto nomem;
	if (recdom && *recdom)
		SPF_server_set_rec_dom(spf, recdom);
	req = SPF_request_new(spf);
	if (!req)
		goto nomem;
	if (inet_pton(AF_INET, ip, &a4) == 1)
		SPF_request_set_ipv4(req, a4);
	else if (inet_pton(AF_INET6, ip, &a6) == 1) {
		/* tcpserver's ::ffff:a.b.c.d is an IPv4 client. */
		if (IN6_IS_ADDR_V4MAPPED(&a6)) {
			memcpy(&a4, &a6.s6_addr[12], 4);
			SPF_request_set_ipv4(req, a4);
		} else {
			SPF_request_set_ipv6(req, a6);
		}
	} else {
		fprintf(stderr, "spf: fatal: bad TCPREMOTEIP %s\n", ip);
		defer("configuration error");
		goto out;
	}
	if (helo && *helo)
		SPF_request_set_helo_dom(req, helo);
	if (SPF_request_set_env_from(req, from) != 0) {
		/* Not an address SPF can check (no domain): no opinion. */
		fprintf(stderr, "spf: warning: cannot check sender %s\n", from);
		goto out;
	}
	qerr = SPF_request_query_mailfrom(req, &resp);
	if (!resp)
		goto nomem;
	s = SPF_response_get_received_spf(resp);
	if (s && !(hdr = strdup(s)))
		goto nomem;
	s = SPF_response_get_header_comment(resp);
	if (s && !(smtp = strdup(s)))
		goto nomem;
	if (hdr)
		one_line(hdr);
	if (smtp)
		one_line(smtp);

	switch (SPF_response_result(resp)) {
	case SPF_RESULT_FAIL:
		if (fa == FAIL_REJECT) {
			printf("E550 SPF fail: %s (#5.7.23)\n",
			       smtp ? smtp : "sender not permitted");
			goto out;
		}
		if (fa == FAIL_DEFER) {
			printf("E451 SPF fail: %s (#4.7.23)\n",
			       smtp ? smtp : "sender not permitted");
			goto out;
		}
		break;
	case SPF_RESULT_TEMPERROR:
	case SPF_RESULT_INVALID:
		/* libspf2 leaves the result unset when the lookup of the
		 * sender's own record fails (SPF_E_DNS_ERROR): temperror. */
		fprintf(stderr, "spf: warning: checking %s: %s\n", from,
			qerr ? SPF_strerror(qerr) : "temporary DNS error");
		defer("DNS failure");
		goto out;
	default:
		break;
	}
	if (hdr)
		printf("H%s\n", hdr);
	goto out;
nomem:
	fprintf(stderr, "spf: fatal: out of memory\n");
	defer("out of memory");
out:
	if (fflush(stdout) != 0)
		status = 111;
	free(hdr);
	free(smtp);
	free(sender);
	if (resp)
		SPF_response_free(resp);
	if (req)
		SPF_request_free(req);
	if (spf)
		SPF_server_free(spf);
	res_nclose(&res);
	return status;
}
