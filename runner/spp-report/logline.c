/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One log line: the stamp a logger put before it, then spp-run's report
 * line or note (their format: spp-run(8), "Standard error"). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "logline.h"

static const char *const months[12] = { "Jan", "Feb", "Mar", "Apr",
					"May", "Jun", "Jul", "Aug",
					"Sep", "Oct", "Nov", "Dec" };

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Exactly n decimal digits at s, or -1. */
static long fixed_digits(const char *s, int n)
{
	long v = 0;

	for (int i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Digits at *p up to max (no sign, no leading blanks); advances *p. */
static int read_ulong(const char **p, unsigned long max, unsigned long *v)
{
	const char *s = *p;
	unsigned long n = 0;

	if (!is_digit(*s))
		return -1;
	for (; is_digit(*s); s++) {
		unsigned long d = (unsigned long)(*s - '0');

		if (n > (max - d) / 10)
			return -1;
		n = n * 10 + d;
	}
	*p = s;
	*v = n;
	return 0;
}

/* "DIGITS[.DIGITS]" at *p, without strtod's signs, exponents, "inf" or
 * locale, and below 10^15 (so it converts to a long or a time_t); advances
 * *p. */
static int read_decimal(const char **p, double *v)
{
	const char *s = *p;
	double n = 0, scale = 1;

	if (!is_digit(*s))
		return -1;
	for (; is_digit(*s); s++) {
		if (s - *p >= 15)
			return -1;
		n = n * 10 + (*s - '0');
	}
	if (*s == '.') {
		s++;
		if (!is_digit(*s))
			return -1;
		for (; is_digit(*s); s++) {
			scale /= 10;
			n += (*s - '0') * scale;
		}
	}
	*p = s;
	*v = n;
	return 0;
}

/* ".DIGITS" at *p as a fraction of a second (none: 0); advances *p. */
static double read_fraction(const char **p)
{
	const char *s = *p;
	double f = 0, scale = 1;

	if (*s != '.' || !is_digit(s[1]))
		return 0;
	for (s++; is_digit(*s); s++) {
		scale /= 10;
		f += (*s - '0') * scale;
	}
	*p = s;
	return f;
}

/* Consume the literal lit at *p. */
static int literal(const char **p, const char *lit)
{
	size_t n = strlen(lit);

	if (strncmp(*p, lit, n) != 0)
		return -1;
	*p += n;
	return 0;
}

static int in_set(char c, const char *set)
{
	return c && strchr(set, c) != NULL;
}

/* A run of 1 to len-1 characters of set at *p, copied into buf. */
static int read_word(const char **p, const char *set, char *buf, size_t len)
{
	size_t n = 0;

	while (in_set((*p)[n], set))
		n++;
	if (n == 0 || n >= len)
		return -1;
	memcpy(buf, *p, n);
	buf[n] = '\0';
	*p += n;
	return 0;
}

/* Copy n bytes into buf of len, cut to fit. */
static void copy_cut(char *buf, size_t len, const char *s, size_t n)
{
	if (n >= len)
		n = len - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
}

long rep_days_from_civil(long year, int month, int day)
{
	/* H. Hinnant, "chrono-Compatible Low-Level Date Algorithms" */
	long y = year - (month <= 2);
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

static double civil_seconds(long year, int month, int day, int h, int m, int s)
{
	return (double)rep_days_from_civil(year, month, day) * 86400 +
	       h * 3600 + m * 60 + s;
}

/* "YYYY-MM-DD" at s, checked. */
static int read_date(const char *s, long *y, int *mo, int *d)
{
	*y = fixed_digits(s, 4);
	*mo = (int)fixed_digits(s + 5, 2);
	*d = (int)fixed_digits(s + 8, 2);
	if (*y < 0 || s[4] != '-' || s[7] != '-' || *mo < 1 || *mo > 12 ||
	    *d < 1 || *d > 31)
		return -1;
	return 0;
}

/* "HH:MM:SS" at s, checked (a leap second's 60 passes). */
static int read_clock(const char *s, int *h, int *m, int *sec)
{
	*h = (int)fixed_digits(s, 2);
	*m = (int)fixed_digits(s + 3, 2);
	*sec = (int)fixed_digits(s + 6, 2);
	if (*h < 0 || *h > 23 || s[2] != ':' || *m < 0 || *m > 59 ||
	    s[5] != ':' || *sec < 0 || *sec > 60)
		return -1;
	return 0;
}

/* syslog's "host ident: " after a journalctl stamp; where the message
 * starts, or NULL when the line does not have that shape. */
static const char *after_host_ident(const char *p)
{
	size_t host = strcspn(p, " ");
	size_t ident;

	if (host == 0 || p[host] != ' ')
		return NULL;
	p += host + 1;
	ident = strcspn(p, " ");
	if (ident < 2 || p[ident - 1] != ':' || p[ident] != ' ')
		return NULL;
	return p + ident + 1;
}

static void set_when(struct rep_line *out, const char *start, const char *end)
{
	copy_cut(out->when, sizeof(out->when), start, (size_t)(end - start));
}

/* multilog: "@" and a TAI64N label in 24 hex digits. */
static const char *stamp_multilog(const char *s, struct rep_line *out)
{
	/* TAI64 label of 1970-01-01 00:00:10 TAI, which daemontools takes
	 * for the epoch (TAI was 10 s ahead of UTC in 1972) */
	const uint64_t epoch = ((uint64_t)1 << 62) + 10;
	uint64_t secs = 0;
	uint32_t nano = 0;
	long days, rem;
	int y, mo, d;
	char text[80];

	if (s[0] != '@')
		return NULL;
	/* the digits first: a short line ends at a NUL, which is no digit */
	for (int i = 1; i <= 24; i++) {
		int v = hex_value(s[i]);

		if (v < 0)
			return NULL;
		if (i <= 16)
			secs = secs << 4 | (uint64_t)v;
		else
			nano = nano << 4 | (uint32_t)v;
	}
	if (s[25] != ' ' || secs < epoch || secs - epoch > (uint64_t)1 << 40 ||
	    nano >= 1000000000)
		return NULL;
	out->stamp = REP_STAMP_UTC;
	out->time = (double)(secs - epoch) + nano / 1e9;
	/* the label as a UTC date, in days and seconds of the day */
	days = (long)((secs - epoch) / 86400);
	rem = (long)((secs - epoch) % 86400);
	{
		/* civil_from_days (Hinnant) */
		long z = days + 719468;
		long era = z / 146097;
		long doe = z - era * 146097;
		long yoe =
			(doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
		long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
		long mp = (5 * doy + 2) / 153;

		d = (int)(doy - (153 * mp + 2) / 5 + 1);
		mo = (int)(mp < 10 ? mp + 3 : mp - 9);
		y = (int)(yoe + era * 400 + (mo <= 2));
	}
	/* roomier than when[] for the compiler, which cannot bound y */
	snprintf(text, sizeof(text), "%04d-%02d-%02dT%02ld:%02ld:%02ld.%06uZ",
		 y, mo, d, rem / 3600, rem / 60 % 60, rem % 60,
		 (unsigned int)(nano / 1000));
	copy_cut(out->when, sizeof(out->when), text, strlen(text));
	return s + 26;
}

/* journalctl -o short-iso / short-iso-precise, and RFC 3339 syslog files:
 * "YYYY-MM-DDTHH:MM:SS[.F](Z|+HHMM|+HH:MM) host ident: ". */
static const char *stamp_iso(const char *s, struct rep_line *out)
{
	const char *p = s + 19;
	long y, oh = 0, om = 0;
	int mo, d, h, m, sec, sign = 0;
	double frac;

	if (read_date(s, &y, &mo, &d) < 0 || s[10] != 'T' ||
	    read_clock(s + 11, &h, &m, &sec) < 0)
		return NULL;
	frac = read_fraction(&p);
	if (*p == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '+' ? 1 : -1;
		/* each check before the step past it: never beyond the NUL */
		oh = fixed_digits(p + 1, 2);
		if (oh < 0 || oh > 23)
			return NULL;
		p += 3;
		if (*p == ':')
			p++;
		om = fixed_digits(p, 2);
		if (om < 0 || om > 59)
			return NULL;
		p += 2;
	} else {
		return NULL;
	}
	if (*p != ' ')
		return NULL;
	out->stamp = REP_STAMP_UTC;
	out->time = civil_seconds(y, mo, d, h, m, sec) + frac -
		    sign * (oh * 3600 + om * 60);
	set_when(out, s, p);
	return after_host_ident(p + 1);
}

/* tai64nlocal: "YYYY-MM-DD HH:MM:SS[.N] " and the message. */
static const char *stamp_tai64nlocal(const char *s, struct rep_line *out)
{
	const char *p = s + 19;
	long y;
	int mo, d, h, m, sec;
	double frac;

	if (read_date(s, &y, &mo, &d) < 0 || s[10] != ' ' ||
	    read_clock(s + 11, &h, &m, &sec) < 0)
		return NULL;
	frac = read_fraction(&p);
	if (*p != ' ')
		return NULL;
	out->stamp = REP_STAMP_LOCAL;
	out->time = civil_seconds(y, mo, d, h, m, sec) + frac;
	set_when(out, s, p);
	return p + 1;
}

static int month_number(const char *s)
{
	for (int i = 0; i < 12; i++)
		if (strncmp(s, months[i], 3) == 0)
			return i + 1;
	return 0;
}

/* journalctl -o short / short-precise, and classic syslog files:
 * "Mmm DD HH:MM:SS[.F] host ident: " (DD also " D"); no year. */
static const char *stamp_short(const char *s, time_t now, struct rep_line *out)
{
	const char *p = s + 15;
	int mo = month_number(s), d, h, m, sec;
	long year = 1970 + (long)(now / 86400 / 365) + 1;
	double frac, t;

	if (!mo || s[3] != ' ' || s[6] != ' ' ||
	    read_clock(s + 7, &h, &m, &sec) < 0)
		return NULL;
	d = s[4] == ' ' ? (int)fixed_digits(s + 5, 1) :
			  (int)fixed_digits(s + 4, 2);
	if (d < 1 || d > 31)
		return NULL;
	frac = read_fraction(&p);
	if (*p != ' ')
		return NULL;
	/* the latest year that does not put the line more than a day after
	 * now (the estimate above is at or above now's year) */
	do
		t = civil_seconds(year--, mo, d, h, m, sec) + frac;
	while (t > (double)now + 86400 && year > 1970);
	out->stamp = REP_STAMP_LOCAL;
	out->time = t;
	set_when(out, s, p);
	return after_host_ident(p + 1);
}

/* journalctl -o short-full: "Www YYYY-MM-DD HH:MM:SS ZONE host ident: ". */
static const char *stamp_full(const char *s, struct rep_line *out)
{
	const char *p = s + 23;
	long y;
	int mo, d, h, m, sec;
	size_t zone;
	double frac;

	if (s[3] != ' ' || read_date(s + 4, &y, &mo, &d) < 0 || s[14] != ' ' ||
	    read_clock(s + 15, &h, &m, &sec) < 0)
		return NULL;
	frac = read_fraction(&p);
	if (*p != ' ')
		return NULL;
	zone = strspn(p + 1,
		      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		      "0123456789+-");
	if (zone == 0 || p[1 + zone] != ' ')
		return NULL;
	/* only UTC's name says which zone it is without a zone database */
	out->stamp = (zone == 3 && (strncmp(p + 1, "UTC", 3) == 0 ||
				    strncmp(p + 1, "GMT", 3) == 0)) ?
			     REP_STAMP_UTC :
			     REP_STAMP_LOCAL;
	out->time = civil_seconds(y, mo, d, h, m, sec) + frac;
	p += 1 + zone;
	set_when(out, s, p);
	return after_host_ident(p + 1);
}

/* journalctl -o short-unix "SECONDS.F host ident: " and short-monotonic
 * "[ SECONDS.F] host ident: ". */
static const char *stamp_seconds(const char *s, struct rep_line *out)
{
	const char *p = s, *start;
	int mono = *p == '[';
	double t;

	if (mono)
		for (p++; *p == ' '; p++)
			;
	start = p;
	if (read_decimal(&p, &t) < 0)
		return NULL;
	/* the decimal point is required: a bare number starts many lines */
	if (!memchr(start, '.', (size_t)(p - start)) || (mono && *p++ != ']') ||
	    *p != ' ')
		return NULL;
	out->stamp = mono ? REP_STAMP_MONOTONIC : REP_STAMP_UTC;
	out->time = t;
	set_when(out, s, p);
	return after_host_ident(p + 1);
}

/* Where the message starts after a recognised stamp (filling out's stamp
 * fields), or NULL. */
static const char *strip_stamp(const char *s, time_t now, struct rep_line *out)
{
	size_t len = strlen(s);
	const char *msg = NULL;

	/* each form's fixed part fits in len before its parser reads it */
	if (s[0] == '@')
		msg = stamp_multilog(s, out);
	else if (len > 20 && is_digit(s[0]) && s[4] == '-' && s[10] == 'T')
		msg = stamp_iso(s, out);
	else if (len > 20 && is_digit(s[0]) && s[4] == '-')
		msg = stamp_tai64nlocal(s, out);
	else if (len > 16 && month_number(s))
		msg = stamp_short(s, now, out);
	else if (len > 24 && s[3] == ' ' && is_digit(s[4]))
		msg = stamp_full(s, out);
	else if (is_digit(s[0]) || s[0] == '[')
		msg = stamp_seconds(s, out);
	if (!msg) {
		out->stamp = REP_STAMP_NONE;
		out->time = 0;
		out->when[0] = '\0';
	}
	return msg;
}

/* The part of a report line after "pid ": "N exit C|killed R verdict V
 * wall Tms cpu Tms" and what later versions added, in their order. */
static const char *parse_tail(const char *p, struct rep_line *out)
{
	unsigned long v;

	/* pid 0: the plugin never started */
	if (read_ulong(&p, 0x7fffffff, &v) < 0)
		return "bad pid";
	out->pid = (long)v;
	if (literal(&p, " exit ") == 0) {
		if (read_ulong(&p, 255, &v) < 0)
			return "bad exit code";
		out->end = REP_END_EXIT;
		out->code = (int)v;
	} else if (literal(&p, " killed ") == 0) {
		if (literal(&p, "timeout") == 0) {
			out->end = REP_END_TIMEOUT;
		} else if (literal(&p, "cpu") == 0) {
			out->end = REP_END_CPU;
		} else if (literal(&p, "memory") == 0) {
			out->end = REP_END_MEMORY;
		} else if (literal(&p, "output") == 0) {
			out->end = REP_END_OUTPUT;
		} else if (literal(&p, "signal ") == 0) {
			if (read_ulong(&p, 255, &v) < 0 || v == 0)
				return "bad signal";
			out->end = REP_END_SIGNAL;
			out->code = (int)v;
		} else if (literal(&p, "syscall ") == 0) {
			if (read_word(&p,
				      "abcdefghijklmnopqrstuvwxyz"
				      "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_:",
				      out->syscall, sizeof(out->syscall)) < 0)
				return "bad syscall name";
			out->end = REP_END_SYSCALL;
		} else {
			return "unknown kill reason";
		}
	} else {
		return "neither exit nor killed";
	}
	if (literal(&p, " verdict ") < 0 ||
	    read_word(&p, "ABCDEFGHIJKLMNOPQRSTUVWXYZ-", out->verdict, 5) < 0 ||
	    (out->verdict[0] == '-' && out->verdict[1]))
		return "bad verdict";
	if (literal(&p, " wall ") < 0 || read_decimal(&p, &out->wall_ms) < 0 ||
	    literal(&p, "ms") < 0)
		return "bad wall time";
	if (literal(&p, " cpu ") < 0 || read_decimal(&p, &out->cpu_ms) < 0 ||
	    literal(&p, "ms") < 0)
		return "bad cpu time";
	if (literal(&p, " maxrss ") == 0) {
		double kb;

		if (read_decimal(&p, &kb) < 0 || !in_set(*p, "KMG"))
			return "bad maxrss";
		kb *= *p == 'G' ? 1024.0 * 1024 : *p == 'M' ? 1024 : 1;
		if (kb >= 1e15)
			return "bad maxrss";
		out->maxrss_kb = (long)(kb + 0.5);
		p++;
	}
	if (literal(&p, " cgroup ") == 0 &&
	    read_word(&p, "abcdefghijklmnopqrstuvwxyz0123456789", out->cgroup,
		      sizeof(out->cgroup)) < 0)
		return "bad cgroup";
	if (literal(&p, " smtpd ") == 0) {
		if (read_ulong(&p, 0x7fffffff, &v) < 0)
			return "bad smtpd pid";
		out->smtpd = (long)v;
	}
	if (literal(&p, " client ") == 0) {
		/* the rest: TCPREMOTEIP as spp-run escaped it */
		size_t n = strlen(p);

		if (n == 0 || n >= sizeof(out->client))
			return "bad client";
		memcpy(out->client, p, n + 1);
		p += n;
	}
	if (*p)
		return "unexpected text at the end";
	return NULL;
}

/* "EVENT PROGRAM pid ..." after "spp: ". The program's name may hold
 * spaces (a ':' line of smtpplugins is its whole command): the first
 * " pid " whose tail parses ends it. */
static const char *parse_report(const char *p, struct rep_line *out)
{
	const char *why = "no pid field", *rest, *at;
	int first = 1;

	for (const char *c = p; *c; c++)
		if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
			return "not printable ASCII (spp-run escapes)";
	if (read_word(&p, "abcdefghijklmnopqrstuvwxyz0123456789_-", out->event,
		      sizeof(out->event)) < 0 ||
	    *p != ' ')
		return "bad event";
	rest = p + 1;
	for (at = strstr(rest, " pid "); at; at = strstr(at + 1, " pid ")) {
		const char *tail_why;

		if (at == rest)
			continue;
		tail_why = parse_tail(at + 5, out);
		if (!tail_why) {
			if ((size_t)(at - rest) >= sizeof(out->program))
				return "program name too long";
			copy_cut(out->program, sizeof(out->program), rest,
				 (size_t)(at - rest));
			return NULL;
		}
		/* the first candidate's complaint is the likely one */
		if (first)
			why = tail_why;
		first = 0;
	}
	return why;
}

/* "spp-run: warning: PROGRAM: cannot start: ..." and "... its verdict
 * was dropped: failing" say what the report after them means. */
static void parse_note(const char *p, struct rep_line *out)
{
	static const char cannot[] = ": cannot start: ";
	static const char dropped[] = ": its verdict was dropped: failing";
	const char *end;
	size_t n, nd = sizeof(dropped) - 1;

	out->note = REP_NOTE_OTHER;
	if (literal(&p, "warning: ") < 0)
		return;
	n = strlen(p);
	if ((end = strstr(p, cannot)) != NULL) {
		out->note = REP_NOTE_CANNOT_START;
	} else if (n > nd && strcmp(p + n - nd, dropped) == 0) {
		end = p + n - nd;
		out->note = REP_NOTE_DROPPED;
	} else {
		return;
	}
	copy_cut(out->program, sizeof(out->program), p, (size_t)(end - p));
}

enum rep_kind rep_line_parse(const char *line, size_t len, time_t now,
			     struct rep_line *out)
{
	char buf[REP_LINE_MAX + 1];
	const char *msg;
	size_t n = len > REP_LINE_MAX ? REP_LINE_MAX : len;

	memset(out, 0, sizeof(*out));
	out->maxrss_kb = -1;
	out->smtpd = -1;
	memcpy(buf, line, n);
	buf[n] = '\0';
	/* a NUL byte becomes DEL: still not printable (so a report line
	 * holding one is bad), and it no longer ends the string */
	for (size_t i = 0; i < n; i++)
		if (buf[i] == '\0')
			buf[i] = 0x7f;
	msg = strip_stamp(buf, now, out);
	if (!msg) {
		size_t sp = strcspn(buf, " ");

		msg = buf;
		/* a multilog line whose stamp is broken still is spp's */
		if (buf[0] == '@' && buf[sp] == ' ' &&
		    (strncmp(buf + sp + 1, "spp: ", 5) == 0 ||
		     strncmp(buf + sp + 1, "spp-run: ", 9) == 0)) {
			out->why = "bad multilog stamp";
			return out->kind = REP_LINE_BAD;
		}
	}
	if (strncmp(msg, "spp: ", 5) == 0) {
		out->why = parse_report(msg + 5, out);
		if (!out->why && len > REP_LINE_MAX)
			out->why = "line too long";
		out->kind = out->why ? REP_LINE_BAD : REP_LINE_RUN;
	} else if (strncmp(msg, "spp-run: ", 9) == 0) {
		parse_note(msg + 9, out);
		out->kind = REP_LINE_NOTE;
	} else {
		out->kind = REP_LINE_OTHER;
	}
	return out->kind;
}

char *rep_line_cause(const struct rep_line *l, char *buf, size_t len)
{
	switch (l->end) {
	case REP_END_EXIT:
		if (l->code)
			snprintf(buf, len, "exit %d", l->code);
		else
			snprintf(buf, len, "%s", "");
		break;
	case REP_END_TIMEOUT:
		snprintf(buf, len, "timeout");
		break;
	case REP_END_CPU:
		snprintf(buf, len, "cpu");
		break;
	case REP_END_MEMORY:
		snprintf(buf, len, "memory");
		break;
	case REP_END_OUTPUT:
		snprintf(buf, len, "output");
		break;
	case REP_END_SIGNAL:
		snprintf(buf, len, "signal %d", l->code);
		break;
	case REP_END_SYSCALL:
		snprintf(buf, len, "syscall %s", l->syscall);
		break;
	}
	return buf;
}

char *rep_line_how(const struct rep_line *l, char *buf, size_t len)
{
	char cause[REP_SYSCALL_MAX + 16];

	if (l->end == REP_END_EXIT)
		snprintf(buf, len, "exit %d", l->code);
	else
		snprintf(buf, len, "killed %s",
			 rep_line_cause(l, cause, sizeof(cause)));
	return buf;
}
