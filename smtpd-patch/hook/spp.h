/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The hook layer: qmail-spp 0.42's plugin hooks for qmail-smtpd, with every
 * plugin run delegated to spp-run. Entry points are called by the patched
 * qmail-smtpd (or spp-session); the spp_glue_* functions are provided by it. */
#ifndef SPP_H
#define SPP_H

#include <stddef.h>

/* What an entry point tells qmail-smtpd; the same values as qmail-spp 0.42
 * (the patch tests them as 0, 1 and 2). */
enum spp_result {
	SPP_REJECT = 0, /* the command was answered (E, L*, failure): stop it */
	SPP_CONTINUE = 1, /* go on with qmail-smtpd's own checks */
	SPP_SKIP = 2, /* O: go on, skipping qmail-smtpd's own checks */
};

/* Where the layer looks for files and programs; each can be overridden by
 * the environment variable of the same name (paths relative to the qmail
 * home, qmail-smtpd's working directory). SPP_RUN_PATH is set at build
 * time to configure's $(bindir)/spp-run. */
#define SPP_CONF_DEFAULT "control/smtpplugins" /* $SPPCONFFILE */
#define SPP_POLICY_DIR_DEFAULT "control/spp" /* $SPPPOLICYDIR */
#ifndef SPP_RUN_PATH
#define SPP_RUN_PATH "/usr/local/bin/spp-run" /* $SPPRUN */
#endif

/* --- Dialects -------------------------------------------------------------
 * The qmail trees that carry qmail-spp call the same entry points, with
 * two dialects: qmail-spp 0.42's (netqmail, the TLS+AUTH toasters) and
 * sagredo-dev/qmail's (plugins off unless ENABLE_SPP is set, a [pass]
 * section run when a recipient is accepted). Chosen when the layer is
 * built (SPP_DIALECT; the drop-in finds sagredo's tree by its qregex.h),
 * changeable for tests and spp-session. */
#define SPP_DIALECT_042 0
#define SPP_DIALECT_SAGREDO 1
#ifndef SPP_DIALECT
#define SPP_DIALECT SPP_DIALECT_042
#endif
void spp_set_dialect(int dialect);

/* --- Entry points, called at qmail-spp's hook points ---------------------- */

/* Read the plugin list (control/smtpplugins, or $SPPCONFFILE when set and
 * not empty) and look up each plugin's policy. Plugins are off, nothing is
 * read and no plugin ever runs, with $NOSPP set (any value, even empty)
 * in the 0.42 dialect, without $ENABLE_SPP (with any value, even "0") in
 * sagredo's. Returns 0, or -1 with errno set when the file is missing or
 * unreadable (or out of memory): the caller then refuses the connection
 * with 421, as 0.42 did. Calling it again starts over. */
int spp_init(void);

/* Run [connection] plugins. SPP_REJECT means a plugin printed the
 * greeting's replacement (E): qmail-smtpd skips its 220 greeting and
 * carries on with the session, as 0.42 did. A plugin that failed (its
 * failure reply was printed, or the runner failed) ends the session as R
 * does: spp_glue_flush(), spp_glue_drop(), then SPP_REJECT if that
 * returns. */
int spp_connect(void);

/* Set SMTPHELOHOST to arg (borrowed), run [helo] plugins. */
int spp_helo(const char *arg);

/* At MAIL, after the address was parsed into the glue's address: print
 * pending LM errors and reject, or reset the recipient counters, set
 * SMTPMAILFROM and run [mail] plugins. A rejected MAIL drops the headers
 * its plugins added; SPP_SKIP (O) also calls spp_glue_bmf_reset(). */
int spp_mail(void);

/* At RCPT, after the address was parsed, with what rcpthosts said of it
 * (1 when RELAYCLIENT is set): print pending LR errors and reject, or set
 * SMTPRCPTCOUNT, SMTPRCPTCOUNTALL, SMTPRCPTHOSTSOK and SMTPRCPTTO and run
 * [rcpt] plugins. When a plugin changed the address (C) and the result is
 * SPP_CONTINUE, rcpthosts is asked again (spp_glue_rcpt_allowed) and the
 * answer handed to qmail-smtpd (spp_glue_set_allowed). */
int spp_rcpt(int allowed);

/* The recipient was accepted by qmail-smtpd: count it. In sagredo's
 * dialect, also set SMTPRCPTCOUNT (this one included) and run the [pass]
 * plugins; the result as spp_rcpt()'s. In 0.42's, SPP_CONTINUE. Once per
 * spp_rcpt(): a second call (sagredo's no-chkuser branch calls it twice
 * per RCPT, the first time ignoring the result) returns the first call's
 * result without counting or running a plugin again. */
int spp_rcpt_accepted(void);

/* At DATA, before the queue is opened: print pending LD errors and
 * reject, or run [data] plugins. */
int spp_data(void);

/* After a successful SMTP AUTH, before it takes effect: set SMTPAUTHMETHOD
 * and SMTPAUTHUSER (borrowed), run [auth] plugins. SPP_REJECT (a plugin's
 * E, or a plugin that failed): the client stays unauthenticated, and the
 * two variables are unset again (0.42 left them for later plugins and the
 * queue). Argument order as in qmail-spp 0.42. */
int spp_auth(const char *method, const char *user);

/* RSET, and the end of DATA: forget added headers, pending L* errors and
 * the recipient counters. A (accept the session) survives it. */
void spp_rset(void);

/* The headers plugins added since the last spp_rset(), each "Name: value\n",
 * for qmail-smtpd to write right after its Received line. Borrowed; valid
 * until the next entry point call. Never NULL. qmail-smtpd gets them through
 * spp_glue_headers() too, as the stralloc sppheaders it writes. */
const char *spp_headers(void);

/* Free everything spp_init() and the session allocated (for spp-session
 * and tests; qmail-smtpd just exits). */
void spp_done(void);

/* The name of a plugin line's policy (NAME.policy): the last component of
 * its program, for a ':' line of the program of its command (the first
 * word after VAR=value assignments and exec), into name (len bytes).
 * Returns 1, or 0 when there is none (the line then runs under
 * default.policy, else the built-in default). */
int spp_plugin_name(const char *line, char *name, size_t len);

/* The policy file of a plugin line (as written in control/smtpplugins,
 * with the ':' of a shell line) in the policy directory dir: dir/NAME.policy
 * when it exists, else dir/default.policy, else NULL (the built-in
 * default), into *policy (the caller frees). A path that cannot be
 * checked counts as there, so the run fails on it. Returns 0, or -1 with
 * errno ENOMEM. spp_init() uses it for each plugin; spp-sandboxd too. */
int spp_policy_find(const char *dir, const char *line, char **policy);

/* After spp_init(): plugin i of section (0 connection, 1 helo, 2 mail,
 * 3 rcpt, 4 data, 5 auth, 6 pass): the section's name, the line as
 * written, and the policy file the layer will hand spp-run (NULL: the
 * built-in default). All borrowed until spp_done(). Returns 0 past the
 * end. */
#define SPP_SECTIONS 7
int spp_plugin_at(int section, size_t i, const char **name, const char **line,
		  const char **policy);

/* --- Glue: provided by qmail-smtpd's patch, spp-session or a test -------- */

/* Send s (NUL-terminated, may hold several CRLF-ended lines) to the SMTP
 * client, buffered; and flush that buffer. */
void spp_glue_out(const char *s);
void spp_glue_flush(void);

/* The address of the current MAIL or RCPT command, without <> (qmail's
 * addr). spp_glue_set_addr() replaces it with a copy of a (C); returns 0,
 * or -1 when out of memory. */
const char *spp_glue_addr(void);
int spp_glue_set_addr(const char *a);

/* Is the current address allowed by rcpthosts (or is RELAYCLIENT set)?
 * 1 or 0; qmail-smtpd's addrallowed(). spp_glue_set_allowed() hands the
 * answer for an address changed by C back (qmail-smtpd's global allowed,
 * which it tests after spp_rcpt()). */
int spp_glue_rcpt_allowed(void);
void spp_glue_set_allowed(int allowed);

/* The headers changed (an H line, a rejected MAIL, RSET, spp_init()
 * starting over): s, len bytes, is what qmail-smtpd writes after its
 * Received line (sppheaders). Returns 0, or -1 when out of memory. */
int spp_glue_headers(const char *s, size_t len);

/* A MAIL plugin said O: forget the badmailfrom result of an earlier MAIL
 * (qmail-smtpd: flagbarf = 0), since bmfcheck() is skipped this time. */
void spp_glue_bmf_reset(void);

/* R or D: end the session now (qmail-smtpd: flush and _exit(0)). If it
 * returns (tests), the entry point returns SPP_REJECT. */
void spp_glue_drop(void);

/* Change qmail-smtpd's own environment (qmail's env_put2/env_unset: it
 * keeps environ itself, so libc's setenv must not touch it). The child
 * processes get environ as it is. Return 0, or -1 when out of memory. */
int spp_glue_setenv(const char *name, const char *value);
int spp_glue_unsetenv(const char *name);

/* One log line for stderr (multilog), without newline; the layer writes
 * only warnings (the runner could not run) there: spp-run logs each run. */
void spp_glue_log(const char *line);

/* --- The transport: one plugin run, request in, verdict out -------------- */

struct spp_run_req {
	const char *spprun; /* spp-run's path */
	const char *event; /* "connection", "helo", "mail", "rcpt", ... */
	const char *plugin; /* the program, or the command of a ':' line */
	int shell; /* a ':' line: run /bin/sh -c plugin */
	const char *policy; /* policy file; NULL: spp-run's built-in */
	char *const *envp; /* spp-run's environment (qmail-smtpd's) */
	int diagnose; /* spp-run --diagnose (spp-session --compare) */
	const char *learn; /* spp-run --learn FILE (spp-session --learn) */
};

struct spp_run_reply {
	char *out; /* spp-run's stdout, NUL-terminated; the caller frees */
	size_t len;
	int status; /* spp-run's exit code */
	char why[160]; /* why the run failed, when it did */
};

/* Bytes of spp-run's stdout kept; more fails the run. spp-run relays at
 * most one terminal line and the policy's stdout cap (64K by default). */
#define SPP_RUN_OUT_MAX (1024 * 1024)

/* Run `spp-run --inherit-env --event EVENT [--policy FILE] -- PLUGIN` (or
 * `--shell -- CMD`) with stdin /dev/null, stdout a pipe read up to
 * SPP_RUN_OUT_MAX, stderr inherited and every other descriptor closed, and
 * wait for it. Returns 0 when spp-run exited (its code in rep->status, its
 * stdout in rep->out), -1 with rep->why when it could not be run, was
 * killed or printed too much (rep->out NULL). rep is overwritten. */
int spp_exec_run(const struct spp_run_req *req, struct spp_run_reply *rep);

/* The transport the layer uses; spp_exec_run unless a test or the
 * benchmark installs another one. */
extern int (*spp_transport)(const struct spp_run_req *req,
			    struct spp_run_reply *rep);

#endif
