/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Policy files: parse the text format into a struct sbx_policy, and dump a
 * policy back as canonical text (the format is described in pol.c). */
#ifndef POL_H
#define POL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "sbx.h"

/* Largest policy file accepted, in bytes. */
/* Bounds that keep a sandbox buildable and any dump under POL_FILE_MAX. */
#define POL_PATHS_MAX 24 /* ro and rw paths together */
#define POL_VARS_MAX 64 /* names in env, in setvars */
#define POL_VAR_LEN 64 /* bytes of one such name */
#define POL_FILE_MAX (64 * 1024)
/* Longest line accepted, in bytes, without its newline. */
#define POL_LINE_MAX 1024
/* Longest path accepted in ro, rw and workdir, in bytes, without the NUL. */
#define POL_PATH_MAX 4095

/* Parse a size: decimal digits and an optional unit K, M or G (powers of
 * 1024; no unit means bytes), e.g. "512", "4K", "64M". Returns 0 and stores
 * the byte count in *out, or -1 with err (code EINVAL or ERANGE, message
 * "bad size 'S': why") on an empty string, a sign, an unknown unit,
 * trailing characters or overflow. *out is untouched on error. */
int pol_parse_size(const char *s, uint64_t *out, struct sbx_error *err);

/* Parse a duration: decimal digits and a mandatory unit ms, s or m, e.g.
 * "250ms", "5s", "2m". Returns 0 and stores milliseconds in *ms, or -1 with
 * err (EINVAL or ERANGE, "bad time 'S': why"); a bare number is an error. */
int pol_parse_time(const char *s, uint64_t *ms, struct sbx_error *err);

/* Write v as the shortest exact size ("64M", "1536", "0") or duration
 * ("2m", "5s", "250ms") that the parsers above read back to the same
 * value. Always NUL-terminates buf (24 bytes are always enough). */
void pol_format_size(uint64_t v, char *buf, size_t len);
void pol_format_time(uint64_t ms, char *buf, size_t len);

/* Parse a policy held in memory (len bytes, need not be NUL-terminated;
 * name is used only in error messages). *p is overwritten, not freed
 * first: it starts as sbx_policy_default() and each directive changes it.
 *
 * One directive per line, tokens separated by blanks (space, tab), no
 * quoting; a token starting with '#' starts a comment. NUL, CR and other
 * control bytes are refused, and so are lines over POL_LINE_MAX bytes.
 *   timeout TIME | cpu TIME            1ms..60m
 *   memory SIZE                        >= 16M
 *   procs N (1..4096) | files N (8..65536) | fsize SIZE
 *   stdout SIZE (1K..16M) | stderr SIZE (0..16M) | tmpfs SIZE (4K..1G)
 *   network none|loopback|host   syscall-default kill|eperm|complain
 *   on-failure defer|continue|reject   verdicts LIST|all|none
 *   exit-status ignore|fail
 *   workdir PATH | user NAME|UID | group NAME|GID (never 0)
 *   families unix|inet|inet6|netlink...
 *   ro PATH... | rw PATH...            absolute, no "." or "..", not "/"
 *   syscalls ITEM...                   name, -name, @group, -@group
 *   setvars NAME... | env NAME|PREFIX*...   (nothing matching LD_*)
 * The scalar directives may be given once, with exactly one value. List
 * directives may be repeated and add up, but their first line replaces
 * the default list: a policy that says `env FOO` passes only FOO, one
 * that says `syscalls @default -socket` allows the default set but
 * socket. `none` as the only value says "empty list". A syscall group
 * contributes the members the architecture knows, minus the always-denied
 * ones; naming an always-denied syscall outright is an error.
 *
 * Returns 0 with *p the effective policy (free it with sbx_policy_clear()),
 * or -1 at the first error with *p cleared and err->msg "NAME:LINE: why"
 * (code EINVAL, ERANGE for a value out of range, ENOMEM when out of
 * memory; EFBIG and "NAME: why" when len exceeds POL_FILE_MAX). */
int pol_parse_buf(const char *name, const char *buf, size_t len,
		  struct sbx_policy *p, struct sbx_error *err);

/* Read the whole policy file at path into a new buffer *out (*outlen
 * bytes, not NUL-terminated; caller frees), and its owner into *owner
 * (may be NULL). Refused, with -1 and *err "PATH: why": a file that cannot
 * be opened or read (the errno as code), one that is not a regular file
 * (EINVAL), one that others may write (EPERM: o+w, or g+w for a group
 * other than root), one over POL_FILE_MAX bytes (EFBIG), and, with EBUSY,
 * one that is plainly being written: empty, without a newline at its end,
 * or changed while read. */
int pol_read_file(const char *path, char **out, size_t *outlen, uid_t *owner,
		  struct sbx_error *err);

/* Read the file at path with pol_read_file() and parse it as
 * pol_parse_buf() does, with path as the name; p->owner is the file's
 * owner. Returns 0, or -1 with *err as those two give it. */
int pol_parse_file(const char *path, struct sbx_policy *p,
		   struct sbx_error *err);

/* Dump the effective policy *p as canonical policy text: every directive
 * once, in a fixed order, sizes and times in their shortest exact form,
 * paths sorted, syscalls sorted and wrapped over several `syscalls` lines.
 * Parsing the dump gives back the same policy. On success returns 0 and
 * stores a new NUL-terminated string in *out (caller frees) and its length
 * in *len; returns -1 with errno ENOMEM when out of memory. */
int pol_dump(const struct sbx_policy *p, char **out, size_t *len);

/* The time limit of a run in learn mode: a slow plugin must finish, or
 * what its path needs after the wait is never learned. */
#define POL_LEARN_TIMEOUT_MS (60 * 1000)

/* One run in learn mode (sbx_jail_set_learn), as pol_learned_policy()
 * reads it. */
struct pol_learn_run {
	const struct sbx_learned *learned; /* what it used */
	double wall_ms; /* how long it took */
	int timed_out; /* it was cut off by the time limit */
	unsigned int verdicts; /* SPP_CMD_* it printed (spp_verdict_bits) */
	char *const *env; /* the environment it was given */
};

/* The policy one run calls for, into *p (free with sbx_policy_clear):
 * the default's, but for what the run shows: network mode and ports,
 * socket families, the host paths it read (ro) or wrote (rw), its system
 * calls (none always denied), the commands it printed (E when none), a
 * timeout of four times its wall time in whole seconds (at least 2s; a
 * minute when it was cut off), and an env list of the protocol's
 * patterns plus every other variable it was given but the ones every
 * process has (HOME, LANG, LC_*, ...; PATH passes). Returns 0, or -1 with *err
 * when out of memory. */
int pol_learned_policy(const struct pol_learn_run *run, struct sbx_policy *p,
		       struct sbx_error *err);

/* Widen *dst to allow what *src allows too: the larger limits and
 * network mode, the union of families, ports, paths (rw wins over ro),
 * syscalls, verdicts, setvars and env. Identity, workdir and failure
 * settings stay dst's. Returns 0, or -1 with *err. */
int pol_merge(struct sbx_policy *dst, const struct sbx_policy *src,
	      struct sbx_error *err);

/* Write *p to path as a learned policy (a header naming plugin, then the
 * canonical dump), atomically (sbx_file_replace). Returns 0 or -1. */
int pol_learned_write(const char *path, const char *plugin,
		      const struct sbx_policy *p, struct sbx_error *err);

/* Merge what run learned into the policy file at path (made when
 * missing): several runs over several dialogues converge on the policy
 * of every code path they took. Returns 0, or -1 with *err (a file that
 * exists but is no valid policy stays as it is). */
int pol_learned_into(const char *path, const char *plugin,
		     const struct pol_learn_run *run, struct sbx_error *err);

#endif
