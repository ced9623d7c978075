/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The qmail-spp 0.42 verdict protocol: the command lines a plugin prints,
 * checked against the protocol's grammar and a policy's allowlists. Needs
 * only libc: the sandbox library, the policy language and the programs
 * all build on it. (The hook layer, compiled into qmail-smtpd, reads the
 * lines spp-run relayed with its own small reader: qmail-smtpd links
 * nothing of spp-sandbox's.) */
#ifndef SPP_VERDICT_H
#define SPP_VERDICT_H

#include <stddef.h>

/* qmail-spp 0.42 plugin commands, one bit each, for verdict allowlists. */
enum spp_cmd {
	SPP_CMD_A = 1u << 0, /* accept the session */
	SPP_CMD_N = 1u << 1, /* accept this command */
	SPP_CMD_O = 1u << 2, /* accept, skip qmail's own checks */
	SPP_CMD_E = 1u << 3, /* reject now */
	SPP_CMD_LM = 1u << 4, /* reject MAIL later */
	SPP_CMD_LR = 1u << 5, /* reject RCPT later */
	SPP_CMD_LD = 1u << 6, /* reject DATA later */
	SPP_CMD_R = 1u << 7, /* reply and drop the connection */
	SPP_CMD_D = 1u << 8, /* drop the connection silently */
	SPP_CMD_S = 1u << 9, /* set an environment variable */
	SPP_CMD_U = 1u << 10, /* unset an environment variable */
	SPP_CMD_H = 1u << 11, /* add a header */
	SPP_CMD_C = 1u << 12, /* change the last MAIL/RCPT address */
	SPP_CMD_P = 1u << 13, /* print a line to the client */
	SPP_CMD_ALL = (1u << 14) - 1,
	/* What a plugin may print without a `verdicts` line: everything but
	 * what widens what qmail-smtpd accepts. A skips every later plugin of
	 * the session (a recipient check, say); O skips qmail's own checks
	 * (at RCPT: rcpthosts, so the host relays). A policy grants them by
	 * name. */
	SPP_CMD_DEFAULT = SPP_CMD_ALL & ~(SPP_CMD_A | SPP_CMD_O),
};

/* Longest verdict line accepted, in bytes, without the newline (RFC 5321
 * caps a reply line at 512 and RFC 5322 a header line at 998). */
#define SPP_VERDICT_LINE_MAX 998

/* Check one line (no trailing LF; a single trailing CR must already be
 * stripped). cmds: SPP_CMD_* bits allowed; setvars: names S/U may touch
 * beyond the safe ones (NULL-terminated, or NULL for none). On success returns 0 and stores the
 * command bit in *cmd. On rejection returns -1 and points *why at a static
 * reason ("unknown command", "CR inside line", ...). */
int spp_verdict_check(const char *line, size_t len, unsigned int cmds,
		      const char *const *setvars, unsigned int *cmd,
		      const char **why);

/* Is NAME (len bytes) a start-up hook: a variable that makes the loader,
 * libc, a shell, an interpreter or a library load or run code, or trust
 * files, it was not given (LD_*, GCONV_PATH, BASH_ENV, BASH_FUNC_*,
 * PERL5OPT, PYTHON*, OPENSSL_CONF, SSL_*...)? Returns 1 when it is. Every
 * hook is also refused to S/U (spp_verdict_var_refused). */
int spp_verdict_var_is_hook(const char *name, size_t len);

/* Is NAME (len bytes) a variable S/U may never touch unless allowed in
 * setvars? LD_* is refused even when listed. Returns 1 when refused. */
int spp_verdict_var_refused(const char *name, size_t len,
			    const char *const *setvars);

/* Called for every dropped line; line is raw (may hold any byte). */
typedef void (*spp_verdict_reject_fn)(void *ctx, const char *line, size_t len,
				      const char *why);

/* Split a plugin's whole stdout into lines and validate each, as qmail-spp
 * reads them: empty lines are skipped, a final line without newline is
 * taken whole, one trailing CR is stripped, and reading stops after the
 * first terminal command (A N O D E R). Accepted lines are appended to a
 * new buffer *out (each ending in "\n", NUL-terminated, caller frees).
 * Returns the terminal command's bit, 0 when there was none, -1 with errno
 * when out of memory, or SPP_VERDICT_UNUSABLE (*out NULL) when the first
 * terminal line was dropped: the plugin's decision is lost, the caller
 * must treat the run as failed. */
#define SPP_VERDICT_UNUSABLE (-2)
int spp_verdict_filter(const char *buf, size_t len, unsigned int cmds,
		       const char *const *setvars, char **out, size_t *outlen,
		       spp_verdict_reject_fn reject, void *ctx);

/* The commands a plugin's stdout holds, as qmail-spp reads it (up to the
 * first terminal one), valid ones only: SPP_CMD_* bits. */
unsigned int spp_verdict_bits(const char *buf, size_t len);

/* "A", "LM", ... for one SPP_CMD_* bit; "-" for 0 or an unknown bit. */
const char *spp_cmd_name(unsigned int cmd);

/* Parse a list like "E,R,N,P,H" or "all" into SPP_CMD_* bits. Returns 0,
 * or -1 with *bad pointing at the unknown item (*badlen bytes), or
 * *badlen 0 for an empty list. */
int spp_cmd_parse_list(const char *s, unsigned int *cmds, const char **bad,
		       size_t *badlen);

#endif
