// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * greylist: qmail-spp [rcpt] plugin greylisting (client /24 or /64, sender,
 * recipient) in SQLite, or in Redis so that several MX hosts share triplets.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include <sqlite3.h>
#ifdef HAVE_HIREDIS
#include <hiredis/hiredis.h>
#endif

#define GL_DEFAULT_DB "/var/lib/spp-greylist/greylist.sqlite"
#define GL_MAX_KEY 2200

struct gl_conf {
	long delay; /* a retry is accepted this long after first sight */
	long expire; /* an unretried triplet is forgotten after this */
	long passed_ttl; /* a passed triplet stays passed this long unused */
};

/* The state of one triplet: first sight, last use, passed. */
struct gl_entry {
	long long first;
	long long last;
	int passed;
};

static void say(const char *line)
{
	fputs(line, stdout);
	fputc('\n', stdout);
	fflush(stdout);
}

static void defer(const char *what, const char *why)
{
	fprintf(stderr, "greylist: warning: %s: %s\n", what, why);
	say("E451 greylisting unavailable, try again later (#4.3.0)");
}

/* Seconds with an optional unit s, m, h or d; -1 when malformed. */
static long parse_time(const char *s)
{
	char *end;
	long v, mul = 1;

	if (!s || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno)
		return -1;
	if (*end) {
		switch (*end) {
		case 's':
			mul = 1;
			break;
		case 'm':
			mul = 60;
			break;
		case 'h':
			mul = 3600;
			break;
		case 'd':
			mul = 86400;
			break;
		default:
			return -1;
		}
		if (end[1])
			return -1;
	}
	if (v > 100L * 365 * 86400 / mul)
		return -1;
	return v * mul;
}

static int conf_time(const char *name, long def, long *out)
{
	const char *s = getenv(name);

	*out = def;
	if (!s || !*s)
		return 0;
	*out = parse_time(s);
	if (*out < 0) {
		defer(name, "bad time (digits and an optional s, m, h or d)");
		return -1;
	}
	return 0;
}

/* The client's network: a.b.c.0/24, or the first 64 bits of IPv6. */
static int client_net(const char *ip, char *net, size_t size)
{
	unsigned char a[16];
	char buf[INET6_ADDRSTRLEN];

	if (inet_pton(AF_INET, ip, a) == 1) {
		snprintf(net, size, "%u.%u.%u.0/24", a[0], a[1], a[2]);
		return 0;
	}
	if (inet_pton(AF_INET6, ip, a) == 1) {
		if (!memcmp(a, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12)) {
			snprintf(net, size, "%u.%u.%u.0/24", a[12], a[13],
				 a[14]);
			return 0;
		}
		memset(a + 8, 0, 8);
		inet_ntop(AF_INET6, a, buf, sizeof(buf));
		snprintf(net, size, "%s/64", buf);
		return 0;
	}
	return -1;
}

/*
 * Decide for one triplet: 1 pass, 0 greylist; updates *e for storing and
 * sets *ttl to how long the stored entry matters.
 */
static int decide(const struct gl_conf *c, struct gl_entry *e, int found,
		  long long now, long *ttl)
{
	if (found && e->passed && now - e->last <= c->passed_ttl) {
		e->last = now;
		*ttl = c->passed_ttl;
		return 1;
	}
	if (found && !e->passed && now - e->first <= c->expire) {
		if (now - e->first >= c->delay) {
			e->passed = 1;
			e->last = now;
			*ttl = c->passed_ttl;
			return 1;
		}
		*ttl = c->expire;
		return 0; /* too early: first sight stays */
	}
	/* Unknown or stale: first sight now. */
	e->first = now;
	e->last = now;
	e->passed = 0;
	*ttl = c->expire;
	return 0;
}

/* SQLite: -1 with the reason deferred; else the decision. */
static int sqlite_check(const struct gl_conf *c, const char *path,
			const char *key, long long now)
{
	static const char *schema =
		"CREATE TABLE IF NOT EXISTS triplet (key TEXT PRIMARY KEY,"
		" first INTEGER NOT NULL, last INTEGER NOT NULL,"
		" passed INTEGER NOT NULL)";
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	struct gl_entry e = { 0, 0, 0 };
	int found = 0, r, pass = -1;
	long ttl;

	if (sqlite3_open_v2(path, &db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
			    NULL) != SQLITE_OK)
		goto fail;
	sqlite3_busy_timeout(db, 2000);
	if (sqlite3_exec(db, schema, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	if (sqlite3_prepare_v2(db,
			       "SELECT first, last, passed FROM triplet"
			       " WHERE key = ?1",
			       -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC) != SQLITE_OK)
		goto fail;
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		found = 1;
		e.first = sqlite3_column_int64(st, 0);
		e.last = sqlite3_column_int64(st, 1);
		e.passed = sqlite3_column_int(st, 2) != 0;
	} else if (r != SQLITE_DONE) {
		goto fail;
	}
	sqlite3_finalize(st);
	st = NULL;
	pass = decide(c, &e, found, now, &ttl);
	if (sqlite3_prepare_v2(db,
			       "INSERT OR REPLACE INTO triplet"
			       " (key, first, last, passed)"
			       " VALUES (?1, ?2, ?3, ?4)",
			       -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, e.first) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 3, e.last) != SQLITE_OK ||
	    sqlite3_bind_int(st, 4, e.passed) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(st);
	st = NULL;
	/* Now and then, forget what can no longer matter. */
	if (now % 64 == 0) {
		char sql[160];

		snprintf(
			sql, sizeof(sql),
			"DELETE FROM triplet WHERE (passed = 0 AND first < %lld)"
			" OR (passed = 1 AND last < %lld)",
			now - c->expire, now - c->passed_ttl);
		if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
			goto fail;
	}
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_close(db);
	return pass;
fail:
	defer(path, db ? sqlite3_errmsg(db) : "out of memory");
	sqlite3_finalize(st);
	sqlite3_close(db);
	return -1;
}

#ifdef HAVE_HIREDIS
/* Redis: one key per triplet, "first last passed", expiring with its TTL. */
static int redis_check(const struct gl_conf *c, const char *where,
		       const char *key, long long now)
{
	struct timeval tv = { 2, 0 };
	struct gl_entry e = { 0, 0, 0 };
	redisContext *rc = NULL;
	redisReply *rep = NULL;
	char host[256], val[80];
	const char *colon = strrchr(where, ':');
	char *end;
	long port = 6379, ttl;
	int found = 0, pass = -1;
	size_t hl = colon ? (size_t)(colon - where) : strlen(where);

	if (colon) {
		errno = 0;
		port = strtol(colon + 1, &end, 10);
		if (errno || *end || port < 1 || port > 65535) {
			defer("GREYLIST_REDIS", "bad port");
			return -1;
		}
	}
	if (hl == 0 || hl >= sizeof(host)) {
		defer("GREYLIST_REDIS", "bad host");
		return -1;
	}
	memcpy(host, where, hl);
	host[hl] = '\0';
	rc = redisConnectWithTimeout(host, (int)port, tv);
	if (!rc || rc->err)
		goto fail;
	if (redisSetTimeout(rc, tv) != REDIS_OK)
		goto fail;
	rep = redisCommand(rc, "GET %s", key);
	if (!rep ||
	    (rep->type != REDIS_REPLY_STRING && rep->type != REDIS_REPLY_NIL))
		goto fail;
	if (rep->type == REDIS_REPLY_STRING &&
	    sscanf(rep->str, "%lld %lld %d", &e.first, &e.last, &e.passed) == 3)
		found = 1;
	freeReplyObject(rep);
	pass = decide(c, &e, found, now, &ttl);
	snprintf(val, sizeof(val), "%lld %lld %d", e.first, e.last, e.passed);
	rep = redisCommand(rc, "SET %s %s EX %ld", key, val, ttl + 1);
	if (!rep || rep->type != REDIS_REPLY_STATUS)
		goto fail;
	freeReplyObject(rep);
	redisFree(rc);
	return pass;
fail:
	defer(where, rc && rc->err ? rc->errstr :
		     rep && rep->type == REDIS_REPLY_ERROR ?
				     rep->str :
				     "connection failed");
	if (rep)
		freeReplyObject(rep);
	if (rc)
		redisFree(rc);
	return -1;
}
#endif

/* Lower case, with <> for the null sender; -1 on a control character. */
static int add_lower(char *buf, size_t size, size_t *len, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch < ' ' || ch == 0x7f || *len + 2 >= size)
			return -1;
		buf[(*len)++] = (char)tolower(ch);
	}
	buf[*len] = '\0';
	return 0;
}

int main(void)
{
	const char *ip = getenv("TCPREMOTEIP");
	const char *from = getenv("SMTPMAILFROM");
	const char *rcpt = getenv("SMTPRCPTTO");
	const char *auth = getenv("SMTPAUTHUSER");
	const char *redis = getenv("GREYLIST_REDIS");
	const char *db = getenv("GREYLIST_DB");
	struct gl_conf c;
	char key[GL_MAX_KEY], net[64];
	size_t len;
	long long now;
	int pass;

	if (getenv("RELAYCLIENT") || (auth && *auth))
		return 0;
	if (conf_time("GREYLIST_DELAY", 300, &c.delay) < 0 ||
	    conf_time("GREYLIST_EXPIRE", 86400, &c.expire) < 0 ||
	    conf_time("GREYLIST_PASSED_TTL", 36 * 86400, &c.passed_ttl) < 0)
		return 100;
	if (!ip || client_net(ip, net, sizeof(net)) < 0) {
		defer("TCPREMOTEIP", "missing or not an IP address");
		return 100;
	}
	if (!rcpt || !*rcpt) {
		defer("SMTPRCPTTO", "not set");
		return 100;
	}
	len = (size_t)snprintf(key, sizeof(key), "greylist:%s|", net);
	if (add_lower(key, sizeof(key), &len, from && *from ? from : "<>") ||
	    add_lower(key, sizeof(key), &len, "|") ||
	    add_lower(key, sizeof(key), &len, rcpt)) {
		defer("SMTPMAILFROM or SMTPRCPTTO", "too long or bad byte");
		return 100;
	}
	now = (long long)time(NULL);
	if (redis && *redis) {
#ifdef HAVE_HIREDIS
		pass = redis_check(&c, redis, key, now);
#else
		defer("GREYLIST_REDIS", "built without Redis support");
		return 100;
#endif
	} else {
		pass = sqlite_check(&c, db && *db ? db : GL_DEFAULT_DB,
				    key + strlen("greylist:"), now);
	}
	if (pass < 0)
		return 111;
	if (!pass)
		say("E451 greylisted, try again later (#4.7.1)");
	return 0;
}
