/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Verdict validator: checks the command lines a plugin prints against the
 * qmail-spp 0.42 protocol and a policy's allowlists. Shared by spp-run and
 * the hook layer. */
#ifndef SBX_VERDICT_H
#define SBX_VERDICT_H

#include <stddef.h>

#include "sbx.h"

/* Longest verdict line accepted, in bytes, without the newline (RFC 5321
 * caps a reply line at 512 and RFC 5322 a header line at 998). */
#define SBX_VERDICT_LINE_MAX 998

/* Check one line (no trailing LF; a single trailing CR must already be
 * stripped). cmds: SBX_CMD_* bits allowed; setvars: names S/U may touch
 * beyond the safe ones (may be NULL). On success returns 0 and stores the
 * command bit in *cmd. On rejection returns -1 and points *why at a static
 * reason ("unknown command", "CR inside line", ...). */
int sbx_verdict_check(const char *line, size_t len, unsigned int cmds,
		      const struct sbx_strv *setvars, unsigned int *cmd,
		      const char **why);

/* Is NAME (len bytes) a variable S/U may never touch unless allowed in
 * setvars? LD_* is refused even when listed. Returns 1 when refused. */
int sbx_verdict_var_refused(const char *name, size_t len,
			    const struct sbx_strv *setvars);

/* Called for every dropped line; line is raw (may hold any byte). */
typedef void (*sbx_verdict_reject_fn)(void *ctx, const char *line, size_t len,
				      const char *why);

/* Split a plugin's whole stdout into lines and validate each, as qmail-spp
 * reads them: empty lines are skipped, a final line without newline is
 * taken whole, one trailing CR is stripped, and reading stops after the
 * first terminal command (A N O D E R). Accepted lines are appended to a
 * new buffer *out (each ending in "\n", NUL-terminated, caller frees).
 * Returns the terminal command's bit, 0 when there was none, -1 with *err
 * when out of memory, or SBX_VERDICT_UNUSABLE (*out NULL) when the first
 * terminal line was dropped: the plugin's decision is lost, the caller
 * must treat the run as failed. */
#define SBX_VERDICT_UNUSABLE (-2)
int sbx_verdict_filter(const char *buf, size_t len, unsigned int cmds,
		       const struct sbx_strv *setvars, char **out,
		       size_t *outlen, sbx_verdict_reject_fn reject, void *ctx,
		       struct sbx_error *err);

/* The commands a plugin's stdout holds, as qmail-spp reads it (up to the
 * first terminal one), valid ones only: SBX_CMD_* bits. */
unsigned int sbx_verdict_bits(const char *buf, size_t len);

/* "A", "LM", ... for one SBX_CMD_* bit; "-" for 0 or an unknown bit. */
const char *sbx_cmd_name(unsigned int cmd);

/* Parse a list like "E,R,N,P,H" or "all" into SBX_CMD_* bits. Returns 0,
 * or -1 with *err naming the bad item. */
int sbx_cmd_parse_list(const char *s, unsigned int *cmds,
		       struct sbx_error *err);

#endif
