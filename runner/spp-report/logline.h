/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One line of a log that holds spp-run's report lines: its time stamp
 * (multilog, tai64nlocal, journalctl) and, when it is a report line or an
 * spp-run note, what it says. Pure: no allocation, no I/O. */
#ifndef SPP_REPORT_LOGLINE_H
#define SPP_REPORT_LOGLINE_H

#include <stddef.h>
#include <time.h>

/* Longest line read whole; longer ones are cut there (see rep_line_parse) */
#define REP_LINE_MAX 4096
#define REP_WHEN_MAX 40
#define REP_EVENT_MAX 32
/* spp-run escapes the program's name into 200 bytes */
#define REP_PROGRAM_MAX 256
#define REP_SYSCALL_MAX 64
#define REP_VERDICT_MAX 8
#define REP_CGROUP_MAX 8
#define REP_CLIENT_MAX 64

enum rep_kind {
	REP_LINE_OTHER, /* not spp's: ignored */
	REP_LINE_RUN, /* an "spp: " report line */
	REP_LINE_NOTE, /* an "spp-run: " line: warnings, diagnoses */
	REP_LINE_BAD, /* an spp line that does not parse */
};

enum rep_stamp {
	REP_STAMP_NONE,
	REP_STAMP_UTC, /* TAI64N, ISO 8601 with a zone, short-unix */
	REP_STAMP_LOCAL, /* a clock reading without zone, ordered as if UTC */
	REP_STAMP_MONOTONIC, /* journalctl short-monotonic: since boot */
};

/* How a run ended, as the report line says it. */
enum rep_end {
	REP_END_EXIT,
	REP_END_TIMEOUT,
	REP_END_CPU,
	REP_END_MEMORY,
	REP_END_OUTPUT,
	REP_END_SIGNAL,
	REP_END_SYSCALL,
};

/* What an spp-run note says about a run that follows it. */
enum rep_note {
	REP_NOTE_OTHER,
	REP_NOTE_CANNOT_START, /* "PROGRAM: cannot start: ..." */
	REP_NOTE_DROPPED, /* "PROGRAM: its verdict was dropped: failing" */
};

struct rep_line {
	enum rep_kind kind;
	enum rep_stamp stamp;
	double time; /* seconds since the epoch (since boot: MONOTONIC) */
	char when[REP_WHEN_MAX]; /* the stamp for people; "" without one */
	/* REP_LINE_RUN; program also for REP_NOTE_CANNOT_START/DROPPED */
	char event[REP_EVENT_MAX];
	char program[REP_PROGRAM_MAX];
	long pid;
	enum rep_end end;
	int code; /* REP_END_EXIT: exit code; REP_END_SIGNAL: signal */
	char syscall[REP_SYSCALL_MAX]; /* REP_END_SYSCALL */
	char verdict[REP_VERDICT_MAX]; /* "E", "A", "LM", ... or "-" */
	double wall_ms;
	double cpu_ms;
	/* fields older spp-run versions did not print: -1 or "" */
	long maxrss_kb;
	char cgroup[REP_CGROUP_MAX];
	long smtpd;
	char client[REP_CLIENT_MAX];
	/* REP_LINE_NOTE */
	enum rep_note note;
	/* REP_LINE_BAD: why, a static string */
	const char *why;
};

/*
 * Parse one line of len bytes (without its newline; it may hold NUL
 * bytes) into *out, which is wholly overwritten. now is the current time:
 * a journalctl stamp without a year gets the latest year that does not put
 * it more than a day after now. Recognised stamps: multilog's "@" and 24
 * hex digits, tai64nlocal's "YYYY-MM-DD HH:MM:SS.N", and journalctl's
 * short, short-precise, short-iso, short-iso-precise, short-full,
 * short-unix and short-monotonic forms ("STAMP host ident: "). A line
 * longer than REP_LINE_MAX is judged by its first REP_LINE_MAX bytes and
 * is bad if it is spp's. Returns out->kind.
 */
enum rep_kind rep_line_parse(const char *line, size_t len, time_t now,
			     struct rep_line *out);

/* The failure cause of a run as its report line says it ("timeout",
 * "syscall ptrace", "signal 11", "exit 3"), into buf of len bytes, or ""
 * for a run that exited 0. A run that could not start is decided by the
 * caller (it needs the note before). Returns buf. */
char *rep_line_cause(const struct rep_line *l, char *buf, size_t len);

/* How the run ended as the report line says it ("exit 0", "killed
 * timeout", "killed syscall ptrace"), into buf. Returns buf. */
char *rep_line_how(const struct rep_line *l, char *buf, size_t len);

/* Days from 1970-01-01 to the given day of the proleptic Gregorian
 * calendar (month 1 to 12). */
long rep_days_from_civil(long year, int month, int day);

#endif
