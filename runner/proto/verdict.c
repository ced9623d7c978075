/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Verdict validator: checks each command line a plugin prints against the
 * qmail-spp 0.42 protocol and a policy's allowlists, before qmail sees it. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "verdict.h"

/* Commands after which qmail-spp reads no more lines from the plugin. */
#define TERMINAL_CMDS \
	(SPP_CMD_A | SPP_CMD_N | SPP_CMD_O | SPP_CMD_D | SPP_CMD_E | SPP_CMD_R)

#define VAR_NAME_MAX 64
#define HDR_NAME_MAX 76
#define ADDR_MAX 254

struct cmd_info {
	unsigned int bit;
	const char *name;
	const char *denied; /* reason when the policy does not allow it */
};

static const struct cmd_info cmd_table[] = {
	{ SPP_CMD_A, "A", "command A not allowed by policy" },
	{ SPP_CMD_N, "N", "command N not allowed by policy" },
	{ SPP_CMD_O, "O", "command O not allowed by policy" },
	{ SPP_CMD_E, "E", "command E not allowed by policy" },
	{ SPP_CMD_LM, "LM", "command LM not allowed by policy" },
	{ SPP_CMD_LR, "LR", "command LR not allowed by policy" },
	{ SPP_CMD_LD, "LD", "command LD not allowed by policy" },
	{ SPP_CMD_R, "R", "command R not allowed by policy" },
	{ SPP_CMD_D, "D", "command D not allowed by policy" },
	{ SPP_CMD_S, "S", "command S not allowed by policy" },
	{ SPP_CMD_U, "U", "command U not allowed by policy" },
	{ SPP_CMD_H, "H", "command H not allowed by policy" },
	{ SPP_CMD_C, "C", "command C not allowed by policy" },
	{ SPP_CMD_P, "P", "command P not allowed by policy" },
};

#define NCMDS (sizeof(cmd_table) / sizeof(cmd_table[0]))

/* Variables a plugin may never set or unset with S/U unless its policy
 * lists them in `setvars` (LD_* not even then): they change how
 * qmail-smtpd, the queue program, the dynamic loader, libc, a shell or an
 * interpreter behave, so a plugin setting them would steer the rest of the
 * session or run code in later plugins under their (wider) policies. Built
 * from the sources of truth, one group per source; documented in spp-run(8).
 * Two lists: the hooks (a program given one loads or runs code, or trusts
 * files, it did not name: spp_verdict_var_is_hook) and the rest, which
 * steer qmail-smtpd or a shell but run nothing by themselves. */
static const char *const hook_names[] = {
	/* glibc: the variables ld.so drops for setuid programs
	 * (sysdeps/generic/unsecvars.h, but TMPDIR), and the resolver's */
	"GCONV_PATH",
	"GETCONF_DIR",
	"GLIBC_TUNABLES",
	"HOSTALIASES",
	"LOCALDOMAIN",
	"LOCPATH",
	"MALLOC_TRACE",
	"NIS_PATH",
	"NLSPATH",
	"RESOLV_HOST_CONF",
	"RES_OPTIONS",
	"TZDIR",
	/* POSIX sh, bash, dash, ksh: code run at start-up or on every command */
	"ENV",
	"BASH_ENV",
	"SHELLOPTS",
	"BASHOPTS",
	"PS4",
	"PROMPT_COMMAND",
	"FPATH",
	/* interpreters and runtimes */
	"JAVA_TOOL_OPTIONS",
	"_JAVA_OPTIONS",
	"JDK_JAVA_OPTIONS",
	"CLASSPATH",
	"PHPRC",
	"PHP_INI_SCAN_DIR",
	"TCLLIBPATH",
	"R_PROFILE",
	/* libraries: TLS keys and trust, HTTP clients' configuration */
	"SSLKEYLOGFILE",
	"CURL_CA_BUNDLE",
	"CURL_HOME",
	"REQUESTS_CA_BUNDLE",
	"WGETRC",
	NULL,
};

static const char *const steer_names[] = {
	/* qmail-smtpd, qmail-spp and its dialects, spp-sandbox */
	"RELAYCLIENT",
	"NOSPP",
	"ENABLE_SPP",
	"SPPCONFFILE",
	"DATABYTES",
	"REQUIRE_AUTH",
	"FORCETLS",
	"DENY_TLS",
	"SMTPS",
	"MAXRCPT",
	"SPFBEHAVIOR",
	/* libc: where files go, the time zone */
	"TMPDIR",
	"TZ",
	/* POSIX sh, bash, dash, ksh: how commands are found and read */
	"PATH",
	"IFS",
	"CDPATH",
	"GLOBIGNORE",
	"PS1",
	"PS2",
	"PS3",
	"EXECIGNORE",
	"POSIXLY_CORRECT",
	"HISTFILE",
	"INPUTRC",
	"HOME",
	"SHELL",
	"MAIL",
	"MAILPATH",
	"MAILCHECK",
	"HOSTFILE",
	"TERMINFO",
	"TERMINFO_DIRS",
	/* programs that run other programs */
	"EDITOR",
	"VISUAL",
	"PAGER",
	"BROWSER",
	NULL,
};

/* Whole families. Hooks: libc's LD_* (never, see below), MALLOC_*,
 * GLIBC_*, GCONV*; shells' BASH_* (BASH_FUNC_* exported functions,
 * BASH_XTRACEFD, BASH_LOADABLES_PATH); interpreters' PERL* (PERL5OPT with
 * PERL5DB runs code), PYTHON*, RUBY*, GEM_*, NODE_*, LUA_*, JAVA*;
 * libraries' OPENSSL_* (its configuration loads modules), SSL_*
 * (certificate stores), GNUTLS_*, KRB5*. Steering: qmail and its patches'
 * TCP* (tcpserver's view of the client), QMAIL* (queue program),
 * SMTPAUTH* (who authenticated), SPP* (our own and qmail-spp's settings),
 * CHKUSER_* and SPF* (recipient and checks of the patched trees), SIMSCAN*
 * (the queue's scanner). Any *_proxy name, in either case, is matched
 * apart (proxy_name()). */
static const char *const hook_prefixes[] = {
	"LD_",	    "MALLOC_", "GLIBC_",  "GCONV", "BASH_", "PERL",
	"PYTHON",   "RUBY",    "GEM_",	  "NODE_", "LUA_",  "JAVA",
	"OPENSSL_", "SSL_",    "GNUTLS_", "KRB5",  NULL,
};

static const char *const steer_prefixes[] = {
	"TCP", "QMAIL", "SMTPAUTH", "SPP", "CHKUSER_", "SIMSCAN", NULL,
};

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int is_var_start(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static int is_var_char(unsigned char c)
{
	return is_var_start(c) || is_digit(c);
}

static int has_prefix(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && memcmp(s, prefix, n) == 0;
}

static int is_name(const char *s, size_t len, const char *name)
{
	return strlen(name) == len && memcmp(s, name, len) == 0;
}

/* http_proxy, HTTPS_PROXY, all_proxy, ...: libcurl, wget, Perl's LWP and
 * Python's urllib take them from the environment, in either case. */
static int proxy_name(const char *s, size_t len)
{
	static const char suffix[] = "_proxy";
	size_t n = sizeof(suffix) - 1;

	if (len < n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[len - n + i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != suffix[i])
			return 0;
	}
	return 1;
}

/* setvars holds NUL-terminated names while NAME is a slice of the line. */
static int names_have_slice(const char *const *names, const char *s, size_t len)
{
	for (; names && *names; names++)
		if (is_name(s, len, *names))
			return 1;
	return 0;
}

static int in_lists(const char *name, size_t len, const char *const *names,
		    const char *const *prefixes)
{
	for (size_t i = 0; names[i]; i++)
		if (is_name(name, len, names[i]))
			return 1;
	for (size_t i = 0; prefixes[i]; i++)
		if (has_prefix(name, len, prefixes[i]))
			return 1;
	return 0;
}

int spp_verdict_var_is_hook(const char *name, size_t len)
{
	return in_lists(name, len, hook_names, hook_prefixes);
}

int spp_verdict_var_refused(const char *name, size_t len,
			    const char *const *setvars)
{
	int refused;

	/* The loader reads LD_* in every later exec of qmail-smtpd's
	 * children (the queue program, other plugins): never. */
	if (has_prefix(name, len, "LD_"))
		return 1;
	refused = spp_verdict_var_is_hook(name, len) ||
		  in_lists(name, len, steer_names, steer_prefixes) ||
		  proxy_name(name, len);
	if (refused && names_have_slice(setvars, name, len))
		refused = 0;
	return refused;
}

/* NUL, CR and LF would end or split the line somewhere downstream (qmail's
 * getln, the SMTP reply, the message header); other control bytes have no
 * business in a reply, a header or an environment value. TAB is allowed
 * as header values and reply texts may carry it. */
static const char *check_bytes(const char *line, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];

		if (c == '\0')
			return "NUL inside line";
		if (c == '\r')
			return "CR inside line";
		if (c == '\n')
			return "LF inside line";
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return "control character inside line";
	}
	return NULL;
}

/* qmail-spp prints the text of E, R and L* as the SMTP reply itself, so it
 * must start with a reply code in RFC 5321 grammar (%x32-35 %x30-35
 * %x30-39), restricted to 4xx and 5xx: a plugin must not forge a success.
 * E and R end the reply, so they must be its last line (code then space
 * or end); LM/LR/LD accumulate and may build a multi-line reply with '-'. */
static const char *check_reply(const char *s, size_t len, int multiline)
{
	if (len < 3 || (s[0] != '4' && s[0] != '5') || s[1] < '0' ||
	    s[1] > '5' || !is_digit((unsigned char)s[2]))
		return "reply without a 4xx or 5xx code";
	if (len == 3 || s[3] == ' ')
		return NULL;
	if (s[3] == '-')
		return multiline ? NULL : "continuation line in final reply";
	return "reply code not followed by space";
}

/* A header line as qmail-smtpd writes it after its Received line: a field
 * name (RFC 5322 ftext, capped at 76 so the line can stay foldable), ':',
 * a value. A leading space or tab would make it a continuation of qmail's
 * own header, so it fails the field name check. */
static const char *check_header(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len && s[i] != ':'; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 33 || c > 126)
			return "bad header field name";
	}
	if (i == len)
		return "header without ':'";
	if (i == 0)
		return "header without field name";
	if (i > HDR_NAME_MAX)
		return "header field name too long";
	return NULL;
}

/* A plausible envelope address, kept simple: empty (the null sender), or
 * up to 254 bytes of printable ASCII without space and without the
 * characters that only appear in address syntax around an address or in
 * quoting (< > ( ) , ; \ "), with at most one '@' that neither starts nor
 * ends it. qmail queues the address verbatim, and later plugins see it in
 * SMTPMAILFROM/SMTPRCPTTO. */
static const char *check_address(const char *s, size_t len)
{
	size_t i, ats = 0;

	if (len == 0)
		return NULL;
	if (len > ADDR_MAX)
		return "address too long";
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 33 || c > 126 || strchr("<>(),;\\\"", c))
			return "bad character in address";
		if (c == '@')
			ats++;
	}
	if (ats > 1)
		return "more than one '@' in address";
	if (s[0] == '@' || s[len - 1] == '@')
		return "address starts or ends with '@'";
	return NULL;
}

static const char *check_var_name(const char *s, size_t len,
				  const char *const *setvars)
{
	size_t i;

	if (len == 0 || !is_var_start((unsigned char)s[0]))
		return "bad variable name";
	for (i = 1; i < len; i++)
		if (!is_var_char((unsigned char)s[i]))
			return "bad variable name";
	if (len > VAR_NAME_MAX)
		return "variable name too long";
	if (spp_verdict_var_refused(s, len, setvars))
		return "variable refused by policy";
	return NULL;
}

/* qmail-spp does env_put(line + 1) for S and env_unset(line + 1) for U. */
static const char *check_setvar(const char *s, size_t len,
				const char *const *setvars)
{
	const char *eq = memchr(s, '=', len);

	if (!eq)
		return "S without '='";
	return check_var_name(s, (size_t)(eq - s), setvars);
}

/* Which command starts the line, and how many bytes it takes. */
static unsigned int parse_cmd(const char *line, size_t len, size_t *skip)
{
	*skip = 1;
	switch (line[0]) {
	case 'A':
		return SPP_CMD_A;
	case 'N':
		return SPP_CMD_N;
	case 'O':
		return SPP_CMD_O;
	case 'E':
		return SPP_CMD_E;
	case 'R':
		return SPP_CMD_R;
	case 'D':
		return SPP_CMD_D;
	case 'S':
		return SPP_CMD_S;
	case 'U':
		return SPP_CMD_U;
	case 'H':
		return SPP_CMD_H;
	case 'C':
		return SPP_CMD_C;
	case 'P':
		return SPP_CMD_P;
	case 'L':
		*skip = 2;
		if (len < 2)
			return 0;
		switch (line[1]) {
		case 'M':
			return SPP_CMD_LM;
		case 'R':
			return SPP_CMD_LR;
		case 'D':
			return SPP_CMD_LD;
		}
		return 0;
	}
	return 0;
}

static const char *denied_reason(unsigned int bit)
{
	size_t i;

	for (i = 0; i < NCMDS; i++)
		if (cmd_table[i].bit == bit)
			return cmd_table[i].denied;
	return "command not allowed by policy";
}

int spp_verdict_check(const char *line, size_t len, unsigned int cmds,
		      const char *const *setvars, unsigned int *cmd,
		      const char **why)
{
	const char *reason, *arg;
	unsigned int bit;
	size_t skip, alen;

	*cmd = 0;
	if (len == 0) {
		*why = "empty line";
		return -1;
	}
	if (len > SPP_VERDICT_LINE_MAX) {
		*why = "line too long";
		return -1;
	}
	reason = check_bytes(line, len);
	if (reason) {
		*why = reason;
		return -1;
	}
	bit = parse_cmd(line, len, &skip);
	if (!bit) {
		*why = "unknown command";
		return -1;
	}
	if (!(cmds & bit)) {
		*why = denied_reason(bit);
		return -1;
	}
	arg = line + skip;
	alen = len - skip;

	switch (bit) {
	case SPP_CMD_E:
	case SPP_CMD_R:
		reason = check_reply(arg, alen, 0);
		break;
	case SPP_CMD_LM:
	case SPP_CMD_LR:
	case SPP_CMD_LD:
		reason = check_reply(arg, alen, 1);
		break;
	case SPP_CMD_H:
		reason = check_header(arg, alen);
		break;
	case SPP_CMD_C:
		reason = check_address(arg, alen);
		break;
	case SPP_CMD_S:
		reason = check_setvar(arg, alen, setvars);
		break;
	case SPP_CMD_U:
		reason = check_var_name(arg, alen, setvars);
		break;
	default:
		/* A N O D ignore the rest of the line; P prints any text,
		 * even none. check_bytes() already made them clean. */
		reason = NULL;
		break;
	}
	if (reason) {
		*why = reason;
		return -1;
	}
	*cmd = bit;
	return 0;
}

/* Is this line one qmail-spp would stop reading after, whether or not it
 * passes the checks? */
static int is_terminal_line(const char *line, size_t len)
{
	size_t skip;

	return (parse_cmd(line, len, &skip) & TERMINAL_CMDS) != 0;
}

int spp_verdict_filter(const char *buf, size_t len, unsigned int cmds,
		       const char *const *setvars, char **out, size_t *outlen,
		       spp_verdict_reject_fn reject, void *ctx)
{
	const char *p, *end;
	unsigned int cmd;
	const char *why;
	size_t n = 0;
	char *o;

	if (!buf) /* a plugin that printed nothing */
		buf = "";
	p = buf;
	end = buf + len;

	*out = NULL;
	*outlen = 0;
	/* Each kept line is at most its input bytes plus the "\n" a final
	 * line may lack, so len + 1 and the NUL always fit. */
	if (len > SIZE_MAX - 2) {
		errno = ENOMEM;
		return -1;
	}
	o = malloc(len + 2);
	if (!o)
		return -1;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *lend = nl ? nl : end;
		const char *line = p;
		size_t l = (size_t)(lend - p);

		p = nl ? nl + 1 : end;
		if (l > 0 && line[l - 1] == '\r')
			l--;
		if (l == 0)
			continue;
		if (spp_verdict_check(line, l, cmds, setvars, &cmd, &why) < 0) {
			if (reject)
				reject(ctx, line, l, why);
			/* qmail-spp would have stopped at this line (as the
			 * plugin's verdict, mangled or forbidden): what
			 * follows was never part of the protocol, and the
			 * plugin's decision is unusable, which is a failure
			 * (going on would let a mistyped rejection pass). */
			if (is_terminal_line(line, l)) {
				free(o);
				return SPP_VERDICT_UNUSABLE;
			}
			continue;
		}
		memcpy(o + n, line, l);
		n += l;
		o[n++] = '\n';
		if (cmd & TERMINAL_CMDS) {
			o[n] = '\0';
			*out = o;
			*outlen = n;
			return (int)cmd;
		}
	}
	o[n] = '\0';
	*out = o;
	*outlen = n;
	return 0;
}

unsigned int spp_verdict_bits(const char *buf, size_t len)
{
	const char *p = buf ? buf : "", *end = p + (buf ? len : 0);
	unsigned int bits = 0, cmd;
	const char *why;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (l > 0 && p[l - 1] == '\r')
			l--;
		if (l && spp_verdict_check(p, l, SPP_CMD_ALL, NULL, &cmd,
					   &why) == 0) {
			bits |= cmd;
			if (cmd & TERMINAL_CMDS)
				break;
		}
		p = nl ? nl + 1 : end;
	}
	return bits;
}

const char *spp_cmd_name(unsigned int cmd)
{
	size_t i;

	for (i = 0; i < NCMDS; i++)
		if (cmd_table[i].bit == cmd)
			return cmd_table[i].name;
	return "-";
}

static int is_list_sep(char c)
{
	return c == ',' || c == ' ' || c == '\t';
}

int spp_cmd_parse_list(const char *s, unsigned int *cmds, const char **bad,
		       size_t *badlen)
{
	unsigned int bits = 0;
	int items = 0;
	size_t i;

	while (*s) {
		const char *item;
		size_t len;

		while (is_list_sep(*s))
			s++;
		if (!*s)
			break;
		item = s;
		while (*s && !is_list_sep(*s))
			s++;
		len = (size_t)(s - item);
		items++;
		if (is_name(item, len, "all")) {
			bits |= SPP_CMD_ALL;
			continue;
		}
		for (i = 0; i < NCMDS; i++)
			if (is_name(item, len, cmd_table[i].name))
				break;
		if (i == NCMDS) {
			*bad = item;
			*badlen = len;
			return -1;
		}
		bits |= cmd_table[i].bit;
	}
	if (!items) {
		*bad = s;
		*badlen = 0;
		return -1;
	}
	*cmds = bits;
	return 0;
}
