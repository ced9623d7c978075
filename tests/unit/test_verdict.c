/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the verdict validator (runner/proto/verdict.c): one row per
 * protocol case, and the line splitting qmail-spp does on plugin output. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verdict.h"
#include "tap.h"

#define ALL SPP_CMD_ALL

/* Names a policy's `setvars` may list; LD_PRELOAD must stay refused. */
static const char *const setvars[] = { "RELAYCLIENT", "LD_PRELOAD", "PATH",
				       NULL };

/* One spp_verdict_check() case. len 0 means strlen(line), so rows with an
 * embedded NUL give their length. why NULL for accepted lines. */
struct check_row {
	const char *line;
	size_t len;
	unsigned int cmds;
	int use_setvars;
	unsigned int cmd;
	const char *why;
};

static const struct check_row check_rows[] = {
	/* terminal commands, trailing text ignored by qmail-spp */
	{ "A", 0, ALL, 0, SPP_CMD_A, NULL },
	{ "A trailing text", 0, ALL, 0, SPP_CMD_A, NULL },
	{ "N", 0, ALL, 0, SPP_CMD_N, NULL },
	{ "O", 0, ALL, 0, SPP_CMD_O, NULL },
	{ "D", 0, ALL, 0, SPP_CMD_D, NULL },
	{ "Dbye", 0, ALL, 0, SPP_CMD_D, NULL },
	{ "A\x01", 0, ALL, 0, 0, "control character inside line" },

	/* E and R: a final 4xx/5xx reply line */
	{ "E550 no thanks (#5.7.1)", 0, ALL, 0, SPP_CMD_E, NULL },
	{ "E451", 0, ALL, 0, SPP_CMD_E, NULL },
	{ "E421 x", 0, ALL, 0, SPP_CMD_E, NULL },
	{ "E550-first line", 0, ALL, 0, 0, "continuation line in final reply" },
	{ "E", 0, ALL, 0, 0, "reply without a 4xx or 5xx code" },
	{ "E250 ok", 0, ALL, 0, 0, "reply without a 4xx or 5xx code" },
	{ "E354 go on", 0, ALL, 0, 0, "reply without a 4xx or 5xx code" },
	{ "E55 x", 0, ALL, 0, 0, "reply without a 4xx or 5xx code" },
	{ "E5x0 x", 0, ALL, 0, 0, "reply without a 4xx or 5xx code" },
	{ "E590 x", 0, ALL, 0, 0, "reply without a 4xx or 5xx code" },
	{ "E 550 x", 0, ALL, 0, 0, "reply without a 4xx or 5xx code" },
	{ "E5500 x", 0, ALL, 0, 0, "reply code not followed by space" },
	{ "E550x", 0, ALL, 0, 0, "reply code not followed by space" },
	{ "E550\tx", 0, ALL, 0, 0, "reply code not followed by space" },
	{ "R421 closing", 0, ALL, 0, SPP_CMD_R, NULL },
	{ "R554", 0, ALL, 0, SPP_CMD_R, NULL },
	{ "R421-more", 0, ALL, 0, 0, "continuation line in final reply" },
	{ "R221 bye", 0, ALL, 0, 0, "reply without a 4xx or 5xx code" },

	/* LM LR LD: 4xx/5xx, may continue with '-' */
	{ "LM550 later", 0, ALL, 0, SPP_CMD_LM, NULL },
	{ "LM550-first line", 0, ALL, 0, SPP_CMD_LM, NULL },
	{ "LR450 try later", 0, ALL, 0, SPP_CMD_LR, NULL },
	{ "LD554", 0, ALL, 0, SPP_CMD_LD, NULL },
	{ "LD554-", 0, ALL, 0, SPP_CMD_LD, NULL },
	{ "LM250 ok", 0, ALL, 0, 0, "reply without a 4xx or 5xx code" },
	{ "LR", 0, ALL, 0, 0, "reply without a 4xx or 5xx code" },
	{ "LD550x", 0, ALL, 0, 0, "reply code not followed by space" },
	{ "L", 0, ALL, 0, 0, "unknown command" },
	{ "LX550 x", 0, ALL, 0, 0, "unknown command" },
	{ "Lm550 x", 0, ALL, 0, 0, "unknown command" },

	/* P: any clean text, even none */
	{ "P", 0, ALL, 0, SPP_CMD_P, NULL },
	{ "Phello\tworld", 0, ALL, 0, SPP_CMD_P, NULL },
	{ "P caf\xc3\xa9", 0, ALL, 0, SPP_CMD_P, NULL },
	{ "P\x1b[2J", 0, ALL, 0, 0, "control character inside line" },
	{ "P\x7f", 0, ALL, 0, 0, "control character inside line" },

	/* H: one well-formed header line */
	{ "HX-Spam: yes", 0, ALL, 0, SPP_CMD_H, NULL },
	{ "HX-Empty:", 0, ALL, 0, SPP_CMD_H, NULL },
	{ "HX-Tab:\tvalue", 0, ALL, 0, SPP_CMD_H, NULL },
	{ "HX-Host: caf\xc3\xa9", 0, ALL, 0, SPP_CMD_H, NULL },
	{ "HX-Foo: a\r\nBcc: victim@example.org", 0, ALL, 0, 0,
	  "CR inside line" },
	{ "HX-Foo: a\nBcc: victim@example.org", 0, ALL, 0, 0,
	  "LF inside line" },
	{ "HX-Foo: a\rBcc: victim@example.org", 0, ALL, 0, 0,
	  "CR inside line" },
	{ "H: novalue", 0, ALL, 0, 0, "header without field name" },
	{ "H Foo bar", 0, ALL, 0, 0, "bad header field name" },
	{ "H Foo: bar", 0, ALL, 0, 0, "bad header field name" },
	{ "H\tfolded: x", 0, ALL, 0, 0, "bad header field name" },
	{ "HX-Foo", 0, ALL, 0, 0, "header without ':'" },
	{ "H", 0, ALL, 0, 0, "header without ':'" },
	{ "HX-F\xc3\xa9: y", 0, ALL, 0, 0, "bad header field name" },

	/* C: a plausible address */
	{ "C", 0, ALL, 0, SPP_CMD_C, NULL },
	{ "Cuser@example.org", 0, ALL, 0, SPP_CMD_C, NULL },
	{ "Cuser+tag@[192.0.2.1]", 0, ALL, 0, SPP_CMD_C, NULL },
	{ "Cpostmaster", 0, ALL, 0, SPP_CMD_C, NULL },
	{ "C<user@example.org>", 0, ALL, 0, 0, "bad character in address" },
	{ "Cuser name@example.org", 0, ALL, 0, 0, "bad character in address" },
	{ "Ca,b@example.org", 0, ALL, 0, 0, "bad character in address" },
	{ "Ca;b@example.org", 0, ALL, 0, 0, "bad character in address" },
	{ "C\"a\"@example.org", 0, ALL, 0, 0, "bad character in address" },
	{ "Ca\\b@example.org", 0, ALL, 0, 0, "bad character in address" },
	{ "C(c)a@example.org", 0, ALL, 0, 0, "bad character in address" },
	{ "Cu\xc3\xa9@example.org", 0, ALL, 0, 0, "bad character in address" },
	{ "Cu\t@example.org", 0, ALL, 0, 0, "bad character in address" },
	{ "Ca@b@example.org", 0, ALL, 0, 0, "more than one '@' in address" },
	{ "C@example.org", 0, ALL, 0, 0, "address starts or ends with '@'" },
	{ "Cuser@", 0, ALL, 0, 0, "address starts or ends with '@'" },
	{ "C@", 0, ALL, 0, 0, "address starts or ends with '@'" },

	/* S: NAME=value of a variable not refused */
	{ "SGREYLISTED=1", 0, ALL, 0, SPP_CMD_S, NULL },
	{ "SFOO=", 0, ALL, 0, SPP_CMD_S, NULL },
	{ "S_x9=a=b", 0, ALL, 0, SPP_CMD_S, NULL },
	{ "SFOO=caf\xc3\xa9", 0, ALL, 0, SPP_CMD_S, NULL },
	{ "Sld_preload=x", 0, ALL, 0, SPP_CMD_S, NULL },
	{ "SFOO", 0, ALL, 0, 0, "S without '='" },
	{ "S", 0, ALL, 0, 0, "S without '='" },
	{ "S=bar", 0, ALL, 0, 0, "bad variable name" },
	{ "S1FOO=x", 0, ALL, 0, 0, "bad variable name" },
	{ "SFO-O=x", 0, ALL, 0, 0, "bad variable name" },
	{ "S FOO=x", 0, ALL, 0, 0, "bad variable name" },
	{ "SF\xc3\xa9=x", 0, ALL, 0, 0, "bad variable name" },
	{ "SLD_PRELOAD=/tmp/evil.so", 0, ALL, 0, 0,
	  "variable refused by policy" },
	{ "SLD_PRELOAD=/tmp/evil.so", 0, ALL, 1, 0,
	  "variable refused by policy" },
	{ "SLD_LIBRARY_PATH=/tmp", 0, ALL, 1, 0, "variable refused by policy" },
	{ "SPATH=/tmp", 0, ALL, 0, 0, "variable refused by policy" },
	{ "SPATH=/tmp", 0, ALL, 1, SPP_CMD_S, NULL },
	{ "SRELAYCLIENT=", 0, ALL, 0, 0, "variable refused by policy" },
	{ "SRELAYCLIENT=", 0, ALL, 1, SPP_CMD_S, NULL },
	{ "SIFS= ", 0, ALL, 1, 0, "variable refused by policy" },
	{ "SNOSPP=1", 0, ALL, 0, 0, "variable refused by policy" },
	{ "STCPREMOTEIP=192.0.2.1", 0, ALL, 0, 0,
	  "variable refused by policy" },
	{ "SQMAILQUEUE=/tmp/q", 0, ALL, 0, 0, "variable refused by policy" },
	{ "SSMTPAUTHUSER=root", 0, ALL, 0, 0, "variable refused by policy" },
	{ "SBASH_FUNC_x=", 0, ALL, 0, 0, "variable refused by policy" },
	{ "SPERL5DB=x", 0, ALL, 0, 0, "variable refused by policy" },
	{ "SPYTHONBREAKPOINT=os.system", 0, ALL, 0, 0,
	  "variable refused by policy" },
	{ "SSPPSANDBOX_POLICY=/tmp/p", 0, ALL, 0, 0,
	  "variable refused by policy" },

	/* U: NAME only */
	{ "UGREYLISTED", 0, ALL, 0, SPP_CMD_U, NULL },
	{ "U", 0, ALL, 0, 0, "bad variable name" },
	{ "UFOO=bar", 0, ALL, 0, 0, "bad variable name" },
	{ "UFOO ", 0, ALL, 0, 0, "bad variable name" },
	{ "URELAYCLIENT", 0, ALL, 0, 0, "variable refused by policy" },
	{ "URELAYCLIENT", 0, ALL, 1, SPP_CMD_U, NULL },
	{ "ULD_PRELOAD", 0, ALL, 1, 0, "variable refused by policy" },
	{ "UTCPREMOTEHOST", 0, ALL, 0, 0, "variable refused by policy" },

	/* unknown commands */
	{ "X", 0, ALL, 0, 0, "unknown command" },
	{ "a", 0, ALL, 0, 0, "unknown command" },
	{ " A", 0, ALL, 0, 0, "unknown command" },
	{ "\tA", 0, ALL, 0, 0, "unknown command" },
	{ "250 ok", 0, ALL, 0, 0, "unknown command" },
	{ "\xc3\xa9", 0, ALL, 0, 0, "unknown command" },
	{ "", 0, ALL, 0, 0, "empty line" },

	/* policy allowlist */
	{ "A", 0, SPP_CMD_E | SPP_CMD_R, 0, 0,
	  "command A not allowed by policy" },
	{ "O", 0, ALL & ~SPP_CMD_O, 0, 0, "command O not allowed by policy" },
	{ "LM550 x", 0, SPP_CMD_E, 0, 0, "command LM not allowed by policy" },
	{ "SFOO=1", 0, SPP_CMD_U, 0, 0, "command S not allowed by policy" },
	{ "E550 x", 0, SPP_CMD_E, 0, SPP_CMD_E, NULL },
	{ "P", 0, 0, 0, 0, "command P not allowed by policy" },

	/* NUL, CR and LF injection anywhere */
	{ "E550 a\0b", 8, ALL, 0, 0, "NUL inside line" },
	{ "\0", 1, ALL, 0, 0, "NUL inside line" },
	{ "A\0", 2, ALL, 0, 0, "NUL inside line" },
	{ "E550 x\r", 0, ALL, 0, 0, "CR inside line" },
	{ "P a\rb", 0, ALL, 0, 0, "CR inside line" },
	{ "\rA", 0, ALL, 0, 0, "CR inside line" },
	{ "X\r", 0, ALL, 0, 0, "CR inside line" },
	{ "SFOO=a\nPATH=/tmp", 0, ALL, 0, 0, "LF inside line" },
	{ "Cuser@example.org\r\nRCPT TO:<x@y>", 0, ALL, 0, 0,
	  "CR inside line" },
};

#define NCHECK_ROWS ((int)(sizeof(check_rows) / sizeof(check_rows[0])))

START_TEST(test_spp_verdict_check_table)
{
	const struct check_row *row = &check_rows[_i];
	size_t len = row->len ? row->len : strlen(row->line);
	unsigned int cmd = 12345;
	const char *why = NULL;
	int rc;

	rc = spp_verdict_check(row->line, len, row->cmds,
			       row->use_setvars ? setvars : NULL, &cmd, &why);
	if (row->why) {
		ck_assert_msg(rc == -1, "row %d: accepted, expected \"%s\"", _i,
			      row->why);
		ck_assert_uint_eq(cmd, 0);
		ck_assert_ptr_nonnull(why);
		ck_assert_msg(strcmp(why, row->why) == 0,
			      "row %d: why \"%s\", expected \"%s\"", _i, why,
			      row->why);
	} else {
		ck_assert_msg(rc == 0, "row %d: rejected: %s", _i,
			      why ? why : "?");
		ck_assert_msg(cmd == row->cmd, "row %d: cmd %s, expected %s",
			      _i, spp_cmd_name(cmd), spp_cmd_name(row->cmd));
	}
}
END_TEST

/* "P" followed by n - 1 'a': a line of n bytes, caller frees. */
static char *long_line(size_t n, char c0)
{
	char *s = malloc(n + 1);

	ck_assert_ptr_nonnull(s);
	memset(s, 'a', n);
	s[0] = c0;
	s[n] = '\0';
	return s;
}

START_TEST(test_spp_verdict_check_max_len)
{
	char *s = long_line(SPP_VERDICT_LINE_MAX + 1, 'P');
	unsigned int cmd;
	const char *why;

	ck_assert_int_eq(spp_verdict_check(s, SPP_VERDICT_LINE_MAX, ALL, NULL,
					   &cmd, &why),
			 0);
	ck_assert_uint_eq(cmd, SPP_CMD_P);
	ck_assert_int_eq(spp_verdict_check(s, SPP_VERDICT_LINE_MAX + 1, ALL,
					   NULL, &cmd, &why),
			 -1);
	ck_assert_str_eq(why, "line too long");
	free(s);
}
END_TEST

START_TEST(test_spp_verdict_check_1mb_line)
{
	size_t n = 1024 * 1024;
	char *s = long_line(n, 'E');
	unsigned int cmd;
	const char *why;

	memcpy(s, "E550 ", 5);
	ck_assert_int_eq(spp_verdict_check(s, n, ALL, NULL, &cmd, &why), -1);
	ck_assert_str_eq(why, "line too long");
	ck_assert_uint_eq(cmd, 0);
	free(s);
}
END_TEST

START_TEST(test_spp_verdict_check_address_len)
{
	/* "C" + 252 + "@x": 254 address bytes, then one more. */
	char *s = long_line(1 + 255, 'C');
	unsigned int cmd;
	const char *why;

	memcpy(s + 1 + 252, "@x", 2);
	ck_assert_int_eq(spp_verdict_check(s, 1 + 254, ALL, NULL, &cmd, &why),
			 0);
	ck_assert_uint_eq(cmd, SPP_CMD_C);
	memcpy(s + 1 + 253, "@x", 2);
	ck_assert_int_eq(spp_verdict_check(s, 1 + 255, ALL, NULL, &cmd, &why),
			 -1);
	ck_assert_str_eq(why, "address too long");
	free(s);
}
END_TEST

START_TEST(test_spp_verdict_check_name_len)
{
	/* "S" + name + "=v" and "U" + name, names of 64 and 65 bytes. */
	char *s = long_line(1 + 65 + 2, 'S');
	unsigned int cmd;
	const char *why;

	memcpy(s + 1 + 64, "=v", 2);
	ck_assert_int_eq(
		spp_verdict_check(s, 1 + 64 + 2, ALL, NULL, &cmd, &why), 0);
	ck_assert_uint_eq(cmd, SPP_CMD_S);
	memcpy(s + 1 + 64, "a=v", 3);
	ck_assert_int_eq(
		spp_verdict_check(s, 1 + 65 + 2, ALL, NULL, &cmd, &why), -1);
	ck_assert_str_eq(why, "variable name too long");
	s[0] = 'U';
	ck_assert_int_eq(spp_verdict_check(s, 1 + 64, ALL, NULL, &cmd, &why),
			 0);
	ck_assert_uint_eq(cmd, SPP_CMD_U);
	ck_assert_int_eq(spp_verdict_check(s, 1 + 65, ALL, NULL, &cmd, &why),
			 -1);
	ck_assert_str_eq(why, "variable name too long");
	free(s);
}
END_TEST

START_TEST(test_spp_verdict_check_header_name_len)
{
	/* "H" + name + ": v", names of 76 and 77 bytes. */
	char *s = long_line(1 + 77 + 3, 'H');
	unsigned int cmd;
	const char *why;

	memcpy(s + 1 + 76, ": v", 3);
	ck_assert_int_eq(
		spp_verdict_check(s, 1 + 76 + 3, ALL, NULL, &cmd, &why), 0);
	ck_assert_uint_eq(cmd, SPP_CMD_H);
	memcpy(s + 1 + 76, "a: v", 4);
	ck_assert_int_eq(
		spp_verdict_check(s, 1 + 77 + 3, ALL, NULL, &cmd, &why), -1);
	ck_assert_str_eq(why, "header field name too long");
	free(s);
}
END_TEST

/* Every name refused by default, and whether listing it in setvars lets it
 * through. */
struct refused_row {
	const char *name;
	int refused; /* without setvars */
	int refused_if_listed; /* with the name itself in setvars */
};

static const struct refused_row refused_rows[] = {
	{ "PATH", 1, 0 },
	{ "IFS", 1, 0 },
	{ "RELAYCLIENT", 1, 0 },
	{ "NOSPP", 1, 0 },
	{ "SPPCONFFILE", 1, 0 },
	{ "SPPPOLICYDIR", 1, 0 },
	{ "SPPRUN", 1, 0 },
	{ "DATABYTES", 1, 0 },
	{ "HOME", 1, 0 },
	{ "SHELL", 1, 0 },
	{ "ENV", 1, 0 },
	{ "BASH_ENV", 1, 0 },
	{ "CDPATH", 1, 0 },
	{ "TMPDIR", 1, 0 },
	{ "GCONV_PATH", 1, 0 },
	{ "GLIBC_TUNABLES", 1, 0 },
	{ "LOCPATH", 1, 0 },
	{ "NLSPATH", 1, 0 },
	{ "HOSTALIASES", 1, 0 },
	{ "RES_OPTIONS", 1, 0 },
	{ "LOCALDOMAIN", 1, 0 },
	{ "TZDIR", 1, 0 },
	{ "MALLOC_CHECK_", 1, 0 },
	{ "PERL5LIB", 1, 0 },
	{ "PERL5OPT", 1, 0 },
	{ "PERLLIB", 1, 0 },
	{ "PYTHONPATH", 1, 0 },
	{ "PYTHONHOME", 1, 0 },
	{ "PYTHONSTARTUP", 1, 0 },
	{ "RUBYOPT", 1, 0 },
	{ "RUBYLIB", 1, 0 },
	{ "NODE_OPTIONS", 1, 0 },
	{ "TCPREMOTEIP", 1, 0 },
	{ "TCP", 1, 0 },
	{ "QMAILQUEUE", 1, 0 },
	{ "SMTPAUTHUSER", 1, 0 },
	{ "BASH_FUNC_ls", 1, 0 },
	{ "PERL5DB", 1, 0 },
	{ "PYTHONINSPECT", 1, 0 },
	{ "SPPSANDBOX_X", 1, 0 },
	/* the families of the security review: shells */
	{ "SHELLOPTS", 1, 0 },
	{ "BASHOPTS", 1, 0 },
	{ "PS4", 1, 0 },
	{ "PS1", 1, 0 },
	{ "PROMPT_COMMAND", 1, 0 },
	{ "GLOBIGNORE", 1, 0 },
	{ "BASH_XTRACEFD", 1, 0 },
	{ "FPATH", 1, 0 },
	/* interpreters */
	{ "PERL_HASH_SEED", 1, 0 },
	{ "PERL5DB", 1, 0 },
	{ "PYTHONWARNINGS", 1, 0 },
	{ "RUBYLIB", 1, 0 },
	{ "GEM_PATH", 1, 0 },
	{ "NODE_PATH", 1, 0 },
	{ "LUA_PATH", 1, 0 },
	{ "LUA_INIT", 1, 0 },
	{ "JAVA_TOOL_OPTIONS", 1, 0 },
	{ "_JAVA_OPTIONS", 1, 0 },
	{ "JDK_JAVA_OPTIONS", 1, 0 },
	/* libraries and libc */
	{ "OPENSSL_CONF", 1, 0 },
	{ "SSL_CERT_FILE", 1, 0 },
	{ "SSL_CERT_DIR", 1, 0 },
	{ "GNUTLS_SYSTEM_PRIORITY_FILE", 1, 0 },
	{ "KRB5_CONFIG", 1, 0 },
	{ "MALLOC_ARENA_MAX", 1, 0 },
	{ "MALLOC_PERTURB_", 1, 0 },
	{ "GETCONF_DIR", 1, 0 },
	{ "RESOLV_HOST_CONF", 1, 0 },
	{ "NIS_PATH", 1, 0 },
	{ "SSLKEYLOGFILE", 1, 0 },
	/* proxies, either case */
	{ "http_proxy", 1, 0 },
	{ "HTTP_PROXY", 1, 0 },
	{ "https_proxy", 1, 0 },
	{ "all_proxy", 1, 0 },
	{ "ALL_PROXY", 1, 0 },
	{ "No_Proxy", 1, 0 },
	/* qmail trees */
	{ "CHKUSER_START", 1, 0 },
	{ "ENABLE_SPP", 1, 0 },
	{ "SIMSCAN_DEBUG", 1, 0 },
	{ "SPFBEHAVIOR", 1, 0 },
	{ "LD_PRELOAD", 1, 1 },
	{ "LD_LIBRARY_PATH", 1, 1 },
	{ "LD_", 1, 1 },
	/* allowed: other names, near misses, other cases */
	{ "GREYLISTED", 0, 0 },
	{ "RBLSMTPD", 0, 0 },
	{ "SMTPMAILFROM", 0, 0 },
	{ "PATHX", 0, 0 },
	{ "XPATH", 0, 0 },
	{ "path", 0, 0 },
	{ "ld_preload", 0, 0 },
	{ "LD", 0, 0 },
	{ "TC", 0, 0 },
	{ "PS", 0, 0 },
	{ "PS5", 0, 0 },
	{ "PROXY", 0, 0 },
	{ "_proxyx", 0, 0 },
	{ "SPFRESULT", 0, 0 },
	{ "", 0, 0 },
};

#define NREFUSED_ROWS ((int)(sizeof(refused_rows) / sizeof(refused_rows[0])))

START_TEST(test_spp_verdict_var_refused_table)
{
	const struct refused_row *row = &refused_rows[_i];
	size_t len = strlen(row->name);
	char *name = strdup(row->name);
	const char *listed[] = { name, NULL };
	const char *empty[] = { NULL };

	ck_assert_ptr_nonnull(name);
	ck_assert_msg(spp_verdict_var_refused(row->name, len, NULL) ==
			      row->refused,
		      "%s without setvars", row->name);
	ck_assert_msg(spp_verdict_var_refused(row->name, len, empty) ==
			      row->refused,
		      "%s with empty setvars", row->name);
	ck_assert_msg(spp_verdict_var_refused(row->name, len, listed) ==
			      row->refused_if_listed,
		      "%s listed in setvars", row->name);
	free(name);
}
END_TEST

START_TEST(test_spp_verdict_var_refused_setvars_exact)
{
	/* setvars re-allows the exact names only, case-sensitively. */
	ck_assert_int_eq(spp_verdict_var_refused("RELAYCLIENT", 11, setvars),
			 0);
	ck_assert_int_eq(spp_verdict_var_refused("PATH", 4, setvars), 0);
	ck_assert_int_eq(spp_verdict_var_refused("HOME", 4, setvars), 1);
	ck_assert_int_eq(spp_verdict_var_refused("RELAYCLIENTS", 12, setvars),
			 0);
	ck_assert_int_eq(spp_verdict_var_refused("TCPREMOTEIP", 11, setvars),
			 1);
	ck_assert_int_eq(spp_verdict_var_refused("LD_PRELOAD", 10, setvars), 1);
}
END_TEST

START_TEST(test_spp_verdict_var_refused_slice)
{
	/* The name is a slice of a longer line, not NUL-terminated. */
	ck_assert_int_eq(spp_verdict_var_refused("PATH=/tmp", 4, NULL), 1);
	ck_assert_int_eq(spp_verdict_var_refused("PATH=/tmp", 4, setvars), 0);
	ck_assert_int_eq(spp_verdict_var_refused("PATHX", 4, NULL), 1);
	ck_assert_int_eq(spp_verdict_var_refused("HOMER", 5, NULL), 0);
	ck_assert_int_eq(spp_verdict_var_refused("LD_X", 3, setvars), 1);
	ck_assert_int_eq(spp_verdict_var_refused("LD_X", 2, NULL), 0);
}
END_TEST

/* Hooks: what the broker keeps from a client's environment. Each is
 * also refused to S/U; the steering names are not hooks. */
START_TEST(test_spp_verdict_var_is_hook)
{
	static const char *const hooks[] = {
		"LD_PRELOAD",
		"GCONV_PATH",
		"GLIBC_TUNABLES",
		"BASH_ENV",
		"ENV",
		"BASH_FUNC_x%%",
		"SHELLOPTS",
		"PS4",
		"PERL5OPT",
		"PERL5LIB",
		"PYTHONPATH",
		"PYTHONSTARTUP",
		"RUBYOPT",
		"NODE_OPTIONS",
		"LUA_INIT",
		"JAVA_TOOL_OPTIONS",
		"_JAVA_OPTIONS",
		"OPENSSL_CONF",
		"SSL_CERT_FILE",
		"MALLOC_TRACE",
		"TZDIR",
		"LOCPATH",
		NULL,
	};
	static const char *const plain[] = {
		"PATH",	      "HOME",	     "TZ",
		"TMPDIR",     "RELAYCLIENT", "TCPREMOTEIP",
		"SMTPRCPTTO", "SPPCONFFILE", "http_proxy",
		"IFS",	      "RBLSMTPD",    "GREYLISTED",
		"",	      NULL,
	};

	for (size_t i = 0; hooks[i]; i++) {
		size_t len = strlen(hooks[i]);

		ck_assert_msg(spp_verdict_var_is_hook(hooks[i], len) == 1,
			      "%s is a hook", hooks[i]);
		ck_assert_msg(spp_verdict_var_refused(hooks[i], len, NULL) == 1,
			      "%s is refused", hooks[i]);
	}
	for (size_t i = 0; plain[i]; i++)
		ck_assert_msg(spp_verdict_var_is_hook(plain[i],
						      strlen(plain[i])) == 0,
			      "%s is no hook", plain[i]);
	/* a slice of NAME=VALUE, as the broker passes it */
	ck_assert_int_eq(spp_verdict_var_is_hook("ENV=/tmp/x", 3), 1);
	ck_assert_int_eq(spp_verdict_var_is_hook("ENVX=1", 4), 0);
}
END_TEST

/* Collects what spp_verdict_filter() drops. */
#define MAX_REJECTS 8

struct rejects {
	int n;
	size_t len[MAX_REJECTS];
	char line[MAX_REJECTS][64];
	char why[MAX_REJECTS][64];
};

static void collect(void *ctx, const char *line, size_t len, const char *why)
{
	struct rejects *r = ctx;
	size_t n = len < 63 ? len : 63;

	ck_assert_int_lt(r->n, MAX_REJECTS);
	r->len[r->n] = len;
	memcpy(r->line[r->n], line, n);
	r->line[r->n][n] = '\0';
	snprintf(r->why[r->n], sizeof(r->why[0]), "%s", why);
	r->n++;
}

/* Run the filter on len bytes of buf (strlen when len is 0) with every
 * command allowed; check the kept lines and the return value. */
static void run_filter(const char *buf, size_t len, unsigned int cmds,
		       struct rejects *rej, const char *want, int want_rc)
{
	char *out = NULL;
	size_t outlen = 99;
	int rc;

	if (!len)
		len = strlen(buf);
	rc = spp_verdict_filter(buf, len, cmds, NULL, &out, &outlen,
				rej ? collect : NULL, rej);
	ck_assert_int_eq(rc, want_rc);
	if (want_rc == SPP_VERDICT_UNUSABLE) {
		ck_assert_ptr_null(out);
		return;
	}
	ck_assert_ptr_nonnull(out);
	ck_assert_str_eq(out, want);
	ck_assert_uint_eq(outlen, strlen(want));
	free(out);
}

START_TEST(test_spp_verdict_filter_stop_after_terminal)
{
	struct rejects rej = { 0 };

	run_filter("P one\nE550 no\nA\nXjunk\nP after\n", 0, ALL, &rej,
		   "P one\nE550 no\n", SPP_CMD_E);
	/* lines after the terminal one are never read, so not reported */
	ck_assert_int_eq(rej.n, 0);
	run_filter("N\nE550 no\n", 0, ALL, &rej, "N\n", SPP_CMD_N);
	run_filter("SFOO=1\nO\nA\n", 0, ALL, &rej, "SFOO=1\nO\n", SPP_CMD_O);
	run_filter("D\nP x", 0, ALL, &rej, "D\n", SPP_CMD_D);
	run_filter("R421 bye\nA\n", 0, ALL, &rej, "R421 bye\n", SPP_CMD_R);
	run_filter("A\nE550 no\n", 0, ALL, &rej, "A\n", SPP_CMD_A);
	ck_assert_int_eq(rej.n, 0);
}
END_TEST

START_TEST(test_spp_verdict_filter_l_not_terminal)
{
	run_filter("LM550 later\nLR450 later\nLD554 no\nHX-A: b\nN\n", 0, ALL,
		   NULL, "LM550 later\nLR450 later\nLD554 no\nHX-A: b\nN\n",
		   SPP_CMD_N);
	run_filter("P a\nLM550 later\nHX: y\nSFOO=1\nUBAR\nCa@b\n", 0, ALL,
		   NULL, "P a\nLM550 later\nHX: y\nSFOO=1\nUBAR\nCa@b\n", 0);
}
END_TEST

START_TEST(test_spp_verdict_filter_last_line_without_newline)
{
	/* qmail-spp 0.42 loses the last byte of such a line; spp-run
	 * takes it whole and adds the newline. */
	run_filter("P one\nE550 no", 0, ALL, NULL, "P one\nE550 no\n",
		   SPP_CMD_E);
	run_filter("N", 0, ALL, NULL, "N\n", SPP_CMD_N);
	run_filter("P x\nP y", 0, ALL, NULL, "P x\nP y\n", 0);
	run_filter("E550 no\r", 0, ALL, NULL, "E550 no\n", SPP_CMD_E);
}
END_TEST

START_TEST(test_spp_verdict_filter_trailing_cr)
{
	struct rejects rej = { 0 };

	run_filter("P one\r\nE550 no\r\n", 0, ALL, &rej, "P one\nE550 no\n",
		   SPP_CMD_E);
	ck_assert_int_eq(rej.n, 0);
	/* one CR only: the second one is inside the line */
	run_filter("P x\r\r\nN\n", 0, ALL, &rej, "N\n", SPP_CMD_N);
	ck_assert_int_eq(rej.n, 1);
	ck_assert_str_eq(rej.why[0], "CR inside line");
	ck_assert_str_eq(rej.line[0], "P x\r");
	ck_assert_uint_eq(rej.len[0], 4);
}
END_TEST

START_TEST(test_spp_verdict_filter_empty_lines)
{
	struct rejects rej = { 0 };

	run_filter("\n\r\n\nP x\n\n\r\nN\n", 0, ALL, &rej, "P x\nN\n",
		   SPP_CMD_N);
	ck_assert_int_eq(rej.n, 0);
	run_filter("\n\n", 0, ALL, &rej, "", 0);
	run_filter("\r", 0, ALL, &rej, "", 0);
	ck_assert_int_eq(rej.n, 0);
}
END_TEST

START_TEST(test_spp_verdict_filter_empty_input)
{
	char *out = NULL;
	size_t outlen = 99;

	ck_assert_int_eq(spp_verdict_filter("", 0, ALL, NULL, &out, &outlen,
					    NULL, NULL),
			 0);
	ck_assert_ptr_nonnull(out);
	ck_assert_str_eq(out, "");
	ck_assert_uint_eq(outlen, 0);
	free(out);
}
END_TEST

START_TEST(test_spp_verdict_filter_rejects_reported)
{
	struct rejects rej = { 0 };

	run_filter("Xbad\nP ok\nSPATH=/tmp\nHX-Foo\nN\n", 0, ALL, &rej,
		   "P ok\nN\n", SPP_CMD_N);
	ck_assert_int_eq(rej.n, 3);
	ck_assert_str_eq(rej.line[0], "Xbad");
	ck_assert_str_eq(rej.why[0], "unknown command");
	ck_assert_str_eq(rej.line[1], "SPATH=/tmp");
	ck_assert_str_eq(rej.why[1], "variable refused by policy");
	ck_assert_str_eq(rej.line[2], "HX-Foo");
	ck_assert_str_eq(rej.why[2], "header without ':'");
}
END_TEST

START_TEST(test_spp_verdict_filter_null_callback)
{
	run_filter("Xbad\nP ok\nSPATH=/tmp\nN\n", 0, ALL, NULL, "P ok\nN\n",
		   SPP_CMD_N);
}
END_TEST

START_TEST(test_spp_verdict_filter_setvars)
{
	const char in[] = "SRELAYCLIENT=\nSLD_PRELOAD=/tmp/x.so\nN\n";
	struct rejects rej = { 0 };
	char *out = NULL;
	size_t outlen;

	ck_assert_int_eq(spp_verdict_filter(in, strlen(in), ALL, setvars, &out,
					    &outlen, collect, &rej),
			 SPP_CMD_N);
	ck_assert_str_eq(out, "SRELAYCLIENT=\nN\n");
	ck_assert_int_eq(rej.n, 1);
	ck_assert_str_eq(rej.line[0], "SLD_PRELOAD=/tmp/x.so");
	free(out);
}
END_TEST

START_TEST(test_spp_verdict_filter_policy)
{
	struct rejects rej = { 0 };

	run_filter("HX-A: b\nP hi\nN\n", 0, SPP_CMD_N | SPP_CMD_P, &rej,
		   "P hi\nN\n", SPP_CMD_N);
	ck_assert_int_eq(rej.n, 1);
	ck_assert_str_eq(rej.why[0], "command H not allowed by policy");
}
END_TEST

START_TEST(test_spp_verdict_filter_rejected_terminal_stops)
{
	/* qmail-spp stops at the first terminal line even if we drop it, so
	 * what follows must not stand in for it, and the run has failed. */
	struct rejects rej = { 0 };

	run_filter("P x\nE250 ok\nA\n", 0, ALL, &rej, NULL,
		   SPP_VERDICT_UNUSABLE);
	ck_assert_int_eq(rej.n, 1);
	ck_assert_str_eq(rej.why[0], "reply without a 4xx or 5xx code");
	rej.n = 0;
	run_filter("O\nE550 no\n", 0, ALL & ~SPP_CMD_O, &rej, NULL,
		   SPP_VERDICT_UNUSABLE);
	ck_assert_int_eq(rej.n, 1);
	ck_assert_str_eq(rej.why[0], "command O not allowed by policy");
}
END_TEST

START_TEST(test_spp_verdict_filter_nul_injection)
{
	static const char in[] = "P a\0b\nE550 x\0\nA\n";
	struct rejects rej = { 0 };

	run_filter(in, sizeof(in) - 1, ALL, &rej, NULL, SPP_VERDICT_UNUSABLE);
	ck_assert_int_eq(rej.n, 2);
	ck_assert_str_eq(rej.why[0], "NUL inside line");
	ck_assert_uint_eq(rej.len[0], 5);
	ck_assert_str_eq(rej.why[1], "NUL inside line");
	ck_assert_uint_eq(rej.len[1], 7);
}
END_TEST

START_TEST(test_spp_verdict_filter_cr_injection)
{
	struct rejects rej = { 0 };

	run_filter("HX-A: b\rBcc: evil@example.org\nN\n", 0, ALL, &rej, "N\n",
		   SPP_CMD_N);
	ck_assert_int_eq(rej.n, 1);
	ck_assert_str_eq(rej.why[0], "CR inside line");
	rej.n = 0;
	run_filter("P a\rE550 b\r\nN\n", 0, ALL, &rej, "N\n", SPP_CMD_N);
	ck_assert_int_eq(rej.n, 1);
}
END_TEST

START_TEST(test_spp_verdict_filter_1mb_line)
{
	size_t big = 1024 * 1024;
	const char tail[] = "\nE550 x\n";
	char *in = malloc(big + sizeof(tail));
	struct rejects rej = { 0 };

	ck_assert_ptr_nonnull(in);
	memset(in, 'a', big);
	in[0] = 'P';
	memcpy(in + big, tail, sizeof(tail));
	run_filter(in, big + sizeof(tail) - 1, ALL, &rej, "E550 x\n",
		   SPP_CMD_E);
	ck_assert_int_eq(rej.n, 1);
	ck_assert_str_eq(rej.why[0], "line too long");
	ck_assert_uint_eq(rej.len[0], big);
	free(in);
}
END_TEST

START_TEST(test_spp_cmd_name_each)
{
	static const struct {
		unsigned int bit;
		const char *name;
	} rows[] = {
		{ SPP_CMD_A, "A" },   { SPP_CMD_N, "N" },
		{ SPP_CMD_O, "O" },   { SPP_CMD_E, "E" },
		{ SPP_CMD_LM, "LM" }, { SPP_CMD_LR, "LR" },
		{ SPP_CMD_LD, "LD" }, { SPP_CMD_R, "R" },
		{ SPP_CMD_D, "D" },   { SPP_CMD_S, "S" },
		{ SPP_CMD_U, "U" },   { SPP_CMD_H, "H" },
		{ SPP_CMD_C, "C" },   { SPP_CMD_P, "P" },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		ck_assert_str_eq(spp_cmd_name(rows[i].bit), rows[i].name);
}
END_TEST

START_TEST(test_spp_cmd_name_unknown)
{
	ck_assert_str_eq(spp_cmd_name(0), "-");
	ck_assert_str_eq(spp_cmd_name(1u << 14), "-");
	ck_assert_str_eq(spp_cmd_name(SPP_CMD_A | SPP_CMD_E), "-");
	ck_assert_str_eq(spp_cmd_name(SPP_CMD_ALL), "-");
}
END_TEST

/* One spp_cmd_parse_list() case; bad: the item it refuses ("" for an
 * empty list), NULL when the list is valid. */
struct parse_row {
	const char *list;
	unsigned int cmds;
	const char *bad;
};

static const struct parse_row parse_rows[] = {
	{ "E,R,N,P,H",
	  SPP_CMD_E | SPP_CMD_R | SPP_CMD_N | SPP_CMD_P | SPP_CMD_H, NULL },
	{ " E , R\tN ", SPP_CMD_E | SPP_CMD_R | SPP_CMD_N, NULL },
	{ "E R", SPP_CMD_E | SPP_CMD_R, NULL },
	{ "E,,R,", SPP_CMD_E | SPP_CMD_R, NULL },
	{ "E,E", SPP_CMD_E, NULL },
	{ "all", SPP_CMD_ALL, NULL },
	{ "E,all", SPP_CMD_ALL, NULL },
	{ "LM,LR,LD", SPP_CMD_LM | SPP_CMD_LR | SPP_CMD_LD, NULL },
	{ "A,N,O,E,LM,LR,LD,R,D,S,U,H,C,P", SPP_CMD_ALL, NULL },
	{ "E,X", 0, "X" },
	{ "e", 0, "e" },
	{ "ALL", 0, "ALL" },
	{ "L", 0, "L" },
	{ "LMR", 0, "LMR" },
	{ "E;R", 0, "E;R" },
	{ "", 0, "" },
	{ " , ", 0, "" },
};

#define NPARSE_ROWS ((int)(sizeof(parse_rows) / sizeof(parse_rows[0])))

START_TEST(test_spp_cmd_parse_list_table)
{
	const struct parse_row *row = &parse_rows[_i];
	unsigned int cmds = 0xdead;
	const char *bad = NULL;
	size_t badlen = 99;
	int rc;

	rc = spp_cmd_parse_list(row->list, &cmds, &bad, &badlen);
	if (row->bad) {
		ck_assert_msg(rc == -1, "\"%s\" accepted", row->list);
		ck_assert_uint_eq(badlen, strlen(row->bad));
		ck_assert_int_eq(strncmp(bad, row->bad, badlen), 0);
		ck_assert_uint_eq(cmds, 0xdead);
	} else {
		ck_assert_msg(rc == 0, "\"%s\" refused", row->list);
		ck_assert_uint_eq(cmds, row->cmds);
	}
}
END_TEST

static Suite *verdict_suite(void)
{
	Suite *s = suite_create("verdict");
	TCase *tc;

	tc = tcase_create("spp_verdict_check");
	tcase_add_loop_test(tc, test_spp_verdict_check_table, 0, NCHECK_ROWS);
	tcase_add_test(tc, test_spp_verdict_check_max_len);
	tcase_add_test(tc, test_spp_verdict_check_1mb_line);
	tcase_add_test(tc, test_spp_verdict_check_address_len);
	tcase_add_test(tc, test_spp_verdict_check_name_len);
	tcase_add_test(tc, test_spp_verdict_check_header_name_len);
	suite_add_tcase(s, tc);

	tc = tcase_create("spp_verdict_var_refused");
	tcase_add_loop_test(tc, test_spp_verdict_var_refused_table, 0,
			    NREFUSED_ROWS);
	tcase_add_test(tc, test_spp_verdict_var_refused_setvars_exact);
	tcase_add_test(tc, test_spp_verdict_var_refused_slice);
	tcase_add_test(tc, test_spp_verdict_var_is_hook);
	suite_add_tcase(s, tc);

	tc = tcase_create("spp_verdict_filter");
	tcase_add_test(tc, test_spp_verdict_filter_stop_after_terminal);
	tcase_add_test(tc, test_spp_verdict_filter_l_not_terminal);
	tcase_add_test(tc, test_spp_verdict_filter_last_line_without_newline);
	tcase_add_test(tc, test_spp_verdict_filter_trailing_cr);
	tcase_add_test(tc, test_spp_verdict_filter_empty_lines);
	tcase_add_test(tc, test_spp_verdict_filter_empty_input);
	tcase_add_test(tc, test_spp_verdict_filter_rejects_reported);
	tcase_add_test(tc, test_spp_verdict_filter_null_callback);
	tcase_add_test(tc, test_spp_verdict_filter_setvars);
	tcase_add_test(tc, test_spp_verdict_filter_policy);
	tcase_add_test(tc, test_spp_verdict_filter_rejected_terminal_stops);
	tcase_add_test(tc, test_spp_verdict_filter_nul_injection);
	tcase_add_test(tc, test_spp_verdict_filter_cr_injection);
	tcase_add_test(tc, test_spp_verdict_filter_1mb_line);
	suite_add_tcase(s, tc);

	tc = tcase_create("spp_cmd_name");
	tcase_add_test(tc, test_spp_cmd_name_each);
	tcase_add_test(tc, test_spp_cmd_name_unknown);
	suite_add_tcase(s, tc);

	tc = tcase_create("spp_cmd_parse_list");
	tcase_add_loop_test(tc, test_spp_cmd_parse_list_table, 0, NPARSE_ROWS);
	suite_add_tcase(s, tc);

	return s;
}

int main(void)
{
	return tap_run(verdict_suite());
}
