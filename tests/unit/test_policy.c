/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of the policy parser (policy/lib/pol.c, policy/lib/units.c): sizes,
 * times, every directive and error, the dump, and the golden files. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pol.h"
#include "verdict.h"
#include "tap.h"

/* ---- helpers ---- */

static int parse_str(const char *text, struct sbx_policy *p,
		     struct sbx_error *e)
{
	return pol_parse_buf("t.policy", text, strlen(text), p, e);
}

static int is_zero(const void *v, size_t len)
{
	const unsigned char *c = v;
	size_t i;

	for (i = 0; i < len; i++)
		if (c[i])
			return 0;
	return 1;
}

/* Is every line of want (newline-separated) a whole line of text? */
static int has_lines(const char *text, const char *want)
{
	while (*want) {
		size_t wl = strcspn(want, "\n");
		const char *t = text;
		int found = 0;

		while (*t) {
			size_t tl = strcspn(t, "\n");

			if (tl == wl && memcmp(t, want, wl) == 0) {
				found = 1;
				break;
			}
			t += tl + (t[tl] == '\n');
		}
		if (!found)
			return 0;
		want += wl + (want[wl] == '\n');
	}
	return 1;
}

static char *dump(const struct sbx_policy *p)
{
	char *out = NULL;
	size_t len = 0;

	ck_assert_int_eq(pol_dump(p, &out, &len), 0);
	ck_assert_ptr_nonnull(out);
	ck_assert_uint_eq(strlen(out), len);
	return out;
}

/* Parse text, dump it, and hand the dump back (caller frees). */
static char *parse_dump(const char *text)
{
	struct sbx_policy p;
	struct sbx_error e = { 0, "" };
	char *out;

	ck_assert_msg(parse_str(text, &p, &e) == 0, "'%s': %s", text, e.msg);
	out = dump(&p);
	sbx_policy_clear(&p);
	return out;
}

/* Whole file into a new NUL-terminated buffer. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	ck_assert_int_ge(n, 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

/* A temporary file holding len bytes of data; caller unlinks. */
static void make_temp(char *path, size_t size, const char *data, size_t len)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	snprintf(path, size, "%s/test_policy.XXXXXX",
		 dir && *dir ? dir : "/tmp");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	close(fd);
}

/* ---- pol_parse_size ---- */

struct unit_case {
	const char *in;
	uint64_t want; /* when why is NULL */
	const char *why; /* exact error message, NULL: must parse */
	int code;
};

static const struct unit_case size_cases[] = {
	{ "0", 0, NULL, 0 },
	{ "512", 512, NULL, 0 },
	{ "4K", 4096, NULL, 0 },
	{ "64M", 64ULL << 20, NULL, 0 },
	{ "1G", 1ULL << 30, NULL, 0 },
	{ "0K", 0, NULL, 0 },
	{ "0064M", 64ULL << 20, NULL, 0 },
	{ "17179869183G", 17179869183ULL << 30, NULL, 0 },
	{ "18446744073709551615", UINT64_MAX, NULL, 0 },
	{ "", 0, "bad size '': empty", EINVAL },
	{ "-1", 0, "bad size '-1': negative", EINVAL },
	{ "-4K", 0, "bad size '-4K': negative", EINVAL },
	{ "+1", 0, "bad size '+1': not a number", EINVAL },
	{ " 1", 0, "bad size ' 1': not a number", EINVAL },
	{ "K", 0, "bad size 'K': not a number", EINVAL },
	{ "64Q", 0, "bad size '64Q': unknown unit", EINVAL },
	{ "64k", 0, "bad size '64k': unknown unit", EINVAL },
	{ "64MB", 0, "bad size '64MB': unknown unit", EINVAL },
	{ "64KiB", 0, "bad size '64KiB': unknown unit", EINVAL },
	{ "5s", 0, "bad size '5s': unknown unit", EINVAL },
	{ "0x10", 0, "bad size '0x10': unknown unit", EINVAL },
	{ "64M5", 0, "bad size '64M5': trailing characters", EINVAL },
	{ "64 ", 0, "bad size '64 ': trailing characters", EINVAL },
	{ "1.5M", 0, "bad size '1.5M': trailing characters", EINVAL },
	{ "64M ", 0, "bad size '64M ': trailing characters", EINVAL },
	{ "17179869184G", 0, "bad size '17179869184G': too large", ERANGE },
	{ "18446744073709551616", 0,
	  "bad size '18446744073709551616': too large", ERANGE },
	{ "99999999999999999999999K", 0,
	  "bad size '99999999999999999999999K': too large", ERANGE },
	{ "\x01"
	  "5",
	  0, "bad size '\\x015': not a number", EINVAL },
};

static void check_unit_case(const struct unit_case *c,
			    int (*fn)(const char *, uint64_t *,
				      struct sbx_error *))
{
	struct sbx_error e = { 0, "" };
	uint64_t v = 12345;
	int r = fn(c->in, &v, &e);

	if (!c->why) {
		ck_assert_msg(r == 0, "'%s': %s", c->in, e.msg);
		ck_assert_msg(v == c->want, "'%s': got %llu", c->in,
			      (unsigned long long)v);
		return;
	}
	ck_assert_msg(r == -1, "'%s' parsed", c->in);
	ck_assert_str_eq(e.msg, c->why);
	ck_assert_int_eq(e.code, c->code);
	ck_assert_msg(v == 12345, "'%s': *out changed on error", c->in);
}

START_TEST(test_pol_parse_size_table)
{
	check_unit_case(&size_cases[_i], pol_parse_size);
}
END_TEST

START_TEST(test_pol_parse_size_long_value_truncated)
{
	struct sbx_error e = { 0, "" };
	char in[300];
	uint64_t v;

	memset(in, '7', sizeof(in) - 2);
	in[sizeof(in) - 2] = 'Q';
	in[sizeof(in) - 1] = '\0';
	ck_assert_int_eq(pol_parse_size(in, &v, &e), -1);
	ck_assert_int_eq(strncmp(e.msg, "bad size '777", 13), 0);
	ck_assert_uint_lt(strlen(e.msg), 100);
}
END_TEST

/* ---- pol_parse_time ---- */

static const struct unit_case time_cases[] = {
	{ "1ms", 1, NULL, 0 },
	{ "250ms", 250, NULL, 0 },
	{ "5s", 5000, NULL, 0 },
	{ "2m", 120000, NULL, 0 },
	{ "0s", 0, NULL, 0 },
	{ "0ms", 0, NULL, 0 },
	{ "60m", 3600000, NULL, 0 },
	{ "18446744073709551615ms", UINT64_MAX, NULL, 0 },
	{ "5", 0, "bad time '5': missing unit (ms, s, m)", EINVAL },
	{ "0", 0, "bad time '0': missing unit (ms, s, m)", EINVAL },
	{ "", 0, "bad time '': empty", EINVAL },
	{ "-5s", 0, "bad time '-5s': negative", EINVAL },
	{ "s", 0, "bad time 's': not a number", EINVAL },
	{ "ms", 0, "bad time 'ms': not a number", EINVAL },
	{ "5h", 0, "bad time '5h': unknown unit", EINVAL },
	{ "5S", 0, "bad time '5S': unknown unit", EINVAL },
	{ "5sec", 0, "bad time '5sec': unknown unit", EINVAL },
	{ "5min", 0, "bad time '5min': unknown unit", EINVAL },
	{ "5M", 0, "bad time '5M': unknown unit", EINVAL },
	{ "5us", 0, "bad time '5us': unknown unit", EINVAL },
	{ "5s1", 0, "bad time '5s1': trailing characters", EINVAL },
	{ "5ms.", 0, "bad time '5ms.': trailing characters", EINVAL },
	{ "1.5s", 0, "bad time '1.5s': trailing characters", EINVAL },
	{ "18446744073709551615s", 0,
	  "bad time '18446744073709551615s': too large", ERANGE },
	{ "307445734561825861m", 0, "bad time '307445734561825861m': too large",
	  ERANGE },
};

START_TEST(test_pol_parse_time_table)
{
	check_unit_case(&time_cases[_i], pol_parse_time);
}
END_TEST

/* ---- pol_format_size, pol_format_time ---- */

struct format_case {
	uint64_t v;
	const char *size, *time;
};

static const struct format_case format_cases[] = {
	{ 0, "0", "0ms" },
	{ 1, "1", "1ms" },
	{ 999, "999", "999ms" },
	{ 1000, "1000", "1s" },
	{ 1024, "1K", "1024ms" },
	{ 1536, "1536", "1536ms" },
	{ 60000, "60000", "1m" },
	{ 61000, "61000", "61s" },
	{ 3600000, "3600000", "60m" },
	{ 64ULL << 20, "64M", "67108864ms" },
	{ 3ULL << 30, "3G", "3221225472ms" },
	{ 1ULL << 40, "1024G", "1099511627776ms" },
	{ UINT64_MAX, "18446744073709551615", "18446744073709551615ms" },
};

START_TEST(test_pol_format_size_table)
{
	const struct format_case *c = &format_cases[_i];
	struct sbx_error e;
	char buf[24];
	uint64_t back = 1;

	pol_format_size(c->v, buf, sizeof(buf));
	ck_assert_str_eq(buf, c->size);
	ck_assert_int_eq(pol_parse_size(buf, &back, &e), 0);
	ck_assert(back == c->v);
}
END_TEST

START_TEST(test_pol_format_size_small_buffer)
{
	char buf[3] = "xx";

	pol_format_size(64ULL << 20, buf, sizeof(buf));
	ck_assert_str_eq(buf, "64");
	pol_format_size(1, buf, 0); /* must not write */
	ck_assert_str_eq(buf, "64");
}
END_TEST

START_TEST(test_pol_format_time_table)
{
	const struct format_case *c = &format_cases[_i];
	struct sbx_error e;
	char buf[24];
	uint64_t back = 1;

	pol_format_time(c->v, buf, sizeof(buf));
	ck_assert_str_eq(buf, c->time);
	ck_assert_int_eq(pol_parse_time(buf, &back, &e), 0);
	ck_assert(back == c->v);
}
END_TEST

/* ---- pol_parse_buf ---- */

struct buf_case {
	const char *text;
	const char *want; /* lines the dump must hold, when err is NULL */
	const char *err; /* the exact error message */
};

static const struct buf_case buf_cases[] = {
	/* limits */
	{ "timeout 250ms\n", "timeout 250ms", NULL },
	{ "timeout 1ms\n", "timeout 1ms", NULL },
	{ "timeout 60m\n", "timeout 60m", NULL },
	{ "timeout 3600s\n", "timeout 60m", NULL },
	{ "cpu 1500ms\n", "cpu 1500ms", NULL },
	{ "cpu 120s\n", "cpu 2m", NULL },
	{ "memory 16M\n", "memory 16M", NULL },
	{ "memory 4G\n", "memory 4G", NULL },
	{ "memory 17179869184\n", "memory 16G", NULL },
	{ "procs 1\n", "procs 1", NULL },
	{ "procs 4096\n", "procs 4096", NULL },
	{ "files 8\n", "files 8", NULL },
	{ "files 65536\n", "files 65536", NULL },
	{ "fsize 0\n", "fsize 0", NULL },
	{ "fsize 1536\n", "fsize 1536", NULL },
	{ "fsize 1024G\n", "fsize 1024G", NULL },
	{ "stdout 1K\n", "stdout 1K", NULL },
	{ "stdout 16M\n", "stdout 16M", NULL },
	{ "stderr 0\n", "stderr 0", NULL },
	{ "stderr 16M\n", "stderr 16M", NULL },
	{ "tmpfs 4K\n", "tmpfs 4K", NULL },
	{ "tmpfs 1G\n", "tmpfs 1G", NULL },
	{ "timeout 0s\n", NULL,
	  "t.policy:1: 'timeout' must be between 1ms and 60m" },
	{ "timeout 61m\n", NULL,
	  "t.policy:1: 'timeout' must be between 1ms and 60m" },
	{ "timeout 5\n", NULL,
	  "t.policy:1: bad time '5': missing unit (ms, s, m)" },
	{ "cpu 0ms\n", NULL, "t.policy:1: 'cpu' must be between 1ms and 60m" },
	{ "cpu 2h\n", NULL, "t.policy:1: bad time '2h': unknown unit" },
	{ "memory 15M\n", NULL, "t.policy:1: 'memory' must be at least 16M" },
	{ "memory 64Q\n", NULL, "t.policy:1: bad size '64Q': unknown unit" },
	{ "memory -1G\n", NULL, "t.policy:1: bad size '-1G': negative" },
	{ "procs 0\n", NULL, "t.policy:1: 'procs' must be between 1 and 4096" },
	{ "procs 4097\n", NULL,
	  "t.policy:1: 'procs' must be between 1 and 4096" },
	{ "procs 16K\n", NULL, "t.policy:1: bad number '16K'" },
	{ "procs -1\n", NULL, "t.policy:1: bad number '-1'" },
	{ "procs 99999999999999999999\n", NULL,
	  "t.policy:1: bad number '99999999999999999999': too large" },
	{ "files 7\n", NULL,
	  "t.policy:1: 'files' must be between 8 and 65536" },
	{ "files 65537\n", NULL,
	  "t.policy:1: 'files' must be between 8 and 65536" },
	{ "fsize 1T\n", NULL, "t.policy:1: bad size '1T': unknown unit" },
	{ "stdout 1023\n", NULL,
	  "t.policy:1: 'stdout' must be between 1K and 16M" },
	{ "stdout 17M\n", NULL,
	  "t.policy:1: 'stdout' must be between 1K and 16M" },
	{ "stderr 16385K\n", NULL,
	  "t.policy:1: 'stderr' must be between 0 and 16M" },
	{ "tmpfs 0\n", NULL, "t.policy:1: 'tmpfs' must be between 4K and 1G" },
	{ "tmpfs 2G\n", NULL, "t.policy:1: 'tmpfs' must be between 4K and 1G" },

	/* keywords */
	{ "network none\n", "network none", NULL },
	{ "network loopback\n", "network loopback", NULL },
	{ "network host\n", "network host", NULL },
	{ "network lan\n", NULL, "t.policy:1: bad value 'lan' for 'network'" },
	{ "network None\n", NULL,
	  "t.policy:1: bad value 'None' for 'network'" },
	{ "syscall-default kill\n", "syscall-default kill", NULL },
	{ "syscall-default eperm\n", "syscall-default eperm", NULL },
	{ "syscall-default allow\n", NULL,
	  "t.policy:1: bad value 'allow' for 'syscall-default'" },
	{ "on-failure defer\n", "on-failure defer", NULL },
	{ "on-failure continue\n", "on-failure continue", NULL },
	{ "on-failure reject\n", "on-failure reject", NULL },
	{ "on-failure retry\n", NULL,
	  "t.policy:1: bad value 'retry' for 'on-failure'" },
	{ "verdicts all\n", "verdicts all", NULL },
	{ "verdicts none\n", "verdicts none", NULL },
	{ "verdicts E,R,N,P,H\n", "verdicts N,E,R,H,P", NULL },
	{ "verdicts LM,LR\n", "verdicts LM,LR", NULL },
	{ "verdicts A,N,O,E,LM,LR,LD,R,D,S,U,H,C,P\n", "verdicts all", NULL },
	{ "verdicts E,X\n", NULL, "t.policy:1: verdicts: unknown command 'X'" },

	/* families */
	{ "families inet6 unix\n", "families unix inet6", NULL },
	{ "families netlink\n", "families netlink", NULL },
	{ "families none\n", "families none", NULL },
	{ "families unix\nfamilies inet\n", "families unix inet", NULL },
	{ "families none\nfamilies inet\n", "families inet", NULL },
	{ "families ipx\n", NULL, "t.policy:1: unknown socket family 'ipx'" },
	{ "families unix unix\n", NULL, "t.policy:1: duplicate family 'unix'" },
	{ "families unix\nfamilies unix\n", NULL,
	  "t.policy:2: duplicate family 'unix'" },
	{ "families none inet\n", NULL,
	  "t.policy:1: 'none' must be the only value of 'families'" },
	{ "network none\nfamilies inet inet6\n",
	  "network none\nfamilies inet inet6", NULL },

	/* paths */
	{ "ro /usr/share\n", "ro /usr/share", NULL },
	{ "rw /var//spool/x/\n", "rw /var/spool/x", NULL },
	{ "ro /b /a\nrw /c\nro /a/b\n", "ro /a\nro /a/b\nro /b\nrw /c", NULL },
	{ "ro /a#b\n", "ro /a#b", NULL },
	{ "ro /caf\xc3\xa9\n", "ro /caf\xc3\xa9", NULL },
	{ "ro usr/lib\n", NULL, "t.policy:1: path 'usr/lib' is not absolute" },
	{ "ro ~/x\n", NULL, "t.policy:1: path '~/x' is not absolute" },
	{ "ro /usr/../etc\n", NULL,
	  "t.policy:1: path '/usr/../etc' has a '.' or '..' component" },
	{ "rw /tmp/..\n", NULL,
	  "t.policy:1: path '/tmp/..' has a '.' or '..' component" },
	{ "rw /./tmp\n", NULL,
	  "t.policy:1: path '/./tmp' has a '.' or '..' component" },
	{ "ro /\n", NULL, "t.policy:1: refusing to bind the root directory" },
	{ "rw ///\n", NULL, "t.policy:1: refusing to bind the root directory" },
	{ "ro /usr/share\nrw /usr/share/\n", NULL,
	  "t.policy:2: duplicate path '/usr/share'" },
	{ "rw /a /a\n", NULL, "t.policy:1: duplicate path '/a'" },
	{ "ro /\xc3\xa9/.\n", NULL,
	  "t.policy:1: path '/\\xc3\\xa9/.' has a '.' or '..' component" },
	{ "workdir /\n", "workdir /", NULL },
	{ "workdir /var/tmp/\n", "workdir /var/tmp", NULL },
	{ "workdir tmp\n", NULL, "t.policy:1: path 'tmp' is not absolute" },
	{ "workdir /a/../b\n", NULL,
	  "t.policy:1: path '/a/../b' has a '.' or '..' component" },
	{ "workdir /a\nworkdir /b\n", NULL,
	  "t.policy:2: duplicate directive 'workdir'" },

	/* user and group by number (names: see the tests below) */
	{ "user 1000\n", "user 1000", NULL },
	{ "group 1000\n", "group 1000", NULL },
	{ "user 4294967294\ngroup 4294967294\n",
	  "user 4294967294\ngroup 4294967294", NULL },
	{ "user 0\n", NULL, "t.policy:1: refusing to run plugins as root" },
	{ "group 0\n", NULL, "t.policy:1: refusing to run plugins as root" },
	{ "user 000\n", NULL, "t.policy:1: refusing to run plugins as root" },
	{ "user 4294967295\n", NULL, "t.policy:1: bad user id '4294967295'" },
	{ "group 99999999999\n", NULL,
	  "t.policy:1: bad group id '99999999999'" },
	{ "user 12x\n", NULL, "t.policy:1: bad user id '12x'" },
	{ "user no-such-user-spp\n", NULL,
	  "t.policy:1: unknown user 'no-such-user-spp'" },
	{ "group no-such-group-spp\n", NULL,
	  "t.policy:1: unknown group 'no-such-group-spp'" },

	/* syscalls by name (groups: see the tests below) */
	{ "syscalls write read\n", "syscalls read write", NULL },
	{ "syscalls read\nsyscalls write -read\n", "syscalls write", NULL },
	{ "syscalls read read\n", "syscalls read", NULL },
	{ "syscalls none\n", "syscalls none", NULL },
	{ "syscalls read -read\n", "syscalls none", NULL },
	{ "syscalls read -ptrace\n", "syscalls read", NULL },
	{ "syscalls read -getpid\n", "syscalls read", NULL },
	{ "syscalls read frobnicate\n", NULL,
	  "t.policy:1: unknown syscall 'frobnicate'" },
	{ "syscalls -frobnicate\n", NULL,
	  "t.policy:1: unknown syscall 'frobnicate'" },
	{ "syscalls Read\n", NULL, "t.policy:1: unknown syscall 'Read'" },
	{ "syscalls -\n", NULL, "t.policy:1: unknown syscall ''" },
	{ "syscalls read ptrace\n", NULL,
	  "t.policy:1: syscall ptrace is always denied" },
	{ "syscalls clone3\n", NULL,
	  "t.policy:1: syscall clone3 is always denied" },
	{ "syscalls io_uring_setup\n", NULL,
	  "t.policy:1: syscall io_uring_setup is always denied" },
	{ "syscalls @nope\n", NULL,
	  "t.policy:1: unknown syscall group '@nope'" },
	{ "syscalls -@nope\n", NULL,
	  "t.policy:1: unknown syscall group '@nope'" },
	{ "syscalls @\n", NULL, "t.policy:1: unknown syscall group '@'" },
	{ "syscalls @@default\n", NULL,
	  "t.policy:1: unknown syscall group '@@default'" },
	{ "syscalls none read\n", NULL,
	  "t.policy:1: 'none' must be the only value of 'syscalls'" },

	/* variables */
	{ "setvars FOO BAR\n", "setvars BAR FOO", NULL },
	{ "setvars none\n", "setvars none", NULL },
	{ "setvars PATH\nsetvars _x1\n", "setvars PATH _x1", NULL },
	{ "setvars LD_LIBRARY_PATH\n", NULL, "t.policy:1: LD_* never passes" },
	{ "setvars FOO*\n", NULL, "t.policy:1: bad variable name 'FOO*'" },
	{ "setvars 1FOO\n", NULL, "t.policy:1: bad variable name '1FOO'" },
	{ "setvars A=B\n", NULL, "t.policy:1: bad variable name 'A=B'" },
	{ "setvars FOO\nsetvars FOO\n", NULL,
	  "t.policy:2: duplicate variable 'FOO'" },
	{ "timeout 1s\n",
	  "# env unset: SMTP* TCP* RELAYCLIENT, or all of it with --inherit-env",
	  NULL },
	{ "env FOO\n", "env FOO", NULL },
	{ "env SMTP* X_1\n", "env SMTP* X_1", NULL },
	{ "env FOO\nenv BAR\n", "env BAR FOO", NULL },
	{ "env none\n", "env none", NULL },
	{ "env LDX L_*\n", "env LDX L_*", NULL },
	{ "env LD_PRELOAD\n", NULL, "t.policy:1: LD_* never passes" },
	{ "env LD_*\n", NULL, "t.policy:1: LD_* never passes" },
	{ "env LD*\n", NULL, "t.policy:1: LD_* never passes" },
	{ "env L*\n", NULL, "t.policy:1: LD_* never passes" },
	{ "env *\n", NULL, "t.policy:1: LD_* never passes" },
	{ "env FOO**\n", NULL, "t.policy:1: bad variable name 'FOO**'" },
	{ "env F*O\n", NULL, "t.policy:1: bad variable name 'F*O'" },
	{ "env 1FOO\n", NULL, "t.policy:1: bad variable name '1FOO'" },
	{ "env SMTP* SMTP*\n", NULL, "t.policy:1: duplicate variable 'SMTP*'" },
	{ "env FOO none\n", NULL,
	  "t.policy:1: 'none' must be the only value of 'env'" },

	/* lines and tokens */
	{ "", "timeout 5s", NULL },
	{ "# comment\n\n   \t\ntimeout 3s # trailing\n", "timeout 3s", NULL },
	{ "\ttimeout\t\t3s\t\n", "timeout 3s", NULL },
	{ "timeout 3s", "timeout 3s", NULL },
	{ "timeout 3s\n#", "timeout 3s", NULL },
	{ "#timeout 3s\n", "timeout 5s", NULL },
	{ "tmeout 5s\n", NULL, "t.policy:1: unknown directive 'tmeout'" },
	{ "Timeout 5s\n", NULL, "t.policy:1: unknown directive 'Timeout'" },
	{ "\n\n# x\ntimeout 5s\ntimeout 6s\n", NULL,
	  "t.policy:5: duplicate directive 'timeout'" },
	{ "timeout 5s 6s\n", NULL, "t.policy:1: 'timeout' takes one value" },
	{ "memory\n", NULL, "t.policy:1: 'memory' needs a value" },
	{ "memory # 64M\n", NULL, "t.policy:1: 'memory' needs a value" },
	{ "env\n", NULL, "t.policy:1: 'env' needs a value" },
	{ "ro\n", NULL, "t.policy:1: 'ro' needs a value" },
	{ "network none host\n", NULL,
	  "t.policy:1: 'network' takes one value" },
	{ "timeout 5s#x\n", NULL,
	  "t.policy:1: bad time '5s#x': trailing characters" },
	{ "timeout 5s\r\n", NULL, "t.policy:1: carriage return" },
	{ "\x01\n", NULL, "t.policy:1: control character 0x01" },
	{ "# \x1b[2J\n", NULL, "t.policy:1: control character 0x1b" },
	{ "timeout 5s\x7f\n", NULL, "t.policy:1: control character 0x7f" },
	{ "timeout 5s\v\n", NULL, "t.policy:1: control character 0x0b" },
	{ "timeout 5s\f\n", NULL, "t.policy:1: control character 0x0c" },
	{ "xyzzy\xc3\xa9\n", NULL,
	  "t.policy:1: unknown directive 'xyzzy\\xc3\\xa9'" },
};

START_TEST(test_pol_parse_buf_table)
{
	const struct buf_case *c = &buf_cases[_i];
	struct sbx_policy p;
	struct sbx_error e = { 0, "" };
	char *out;
	int r;

	memset(&p, 0xa5, sizeof(p)); /* overwritten, never freed */
	r = parse_str(c->text, &p, &e);
	if (c->err) {
		ck_assert_msg(r == -1, "'%s' parsed", c->text);
		ck_assert_str_eq(e.msg, c->err);
		ck_assert_msg(is_zero(&p, sizeof(p)),
			      "'%s': policy not cleared", c->text);
		return;
	}
	ck_assert_msg(r == 0, "'%s': %s", c->text, e.msg);
	out = dump(&p);
	ck_assert_msg(has_lines(out, c->want), "'%s': want\n%s\ngot\n%s",
		      c->text, c->want, out);
	free(out);
	sbx_policy_clear(&p);
}
END_TEST

/* Error codes: content errors EINVAL, out-of-range values ERANGE. */
START_TEST(test_pol_parse_buf_codes)
{
	struct sbx_policy p;
	struct sbx_error e;

	ck_assert_int_eq(parse_str("tmeout 5s\n", &p, &e), -1);
	ck_assert_int_eq(e.code, EINVAL);
	ck_assert_int_eq(parse_str("procs 0\n", &p, &e), -1);
	ck_assert_int_eq(e.code, ERANGE);
	ck_assert_int_eq(parse_str("memory 99999999999G\n", &p, &e), -1);
	ck_assert_int_eq(e.code, ERANGE);
}
END_TEST

START_TEST(test_pol_parse_buf_empty_is_default)
{
	struct sbx_policy p, d;
	struct sbx_error e;
	char *a, *b;

	ck_assert_int_eq(pol_parse_buf("t", "", 0, &p, &e), 0);
	ck_assert_int_eq(sbx_policy_default(&d, &e), 0);
	a = dump(&p);
	b = dump(&d);
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
	sbx_policy_clear(&p);
	sbx_policy_clear(&d);
}
END_TEST

/* Every scalar is set, and set in the right field. */
START_TEST(test_pol_parse_buf_fields)
{
	static const char text[] =
		"timeout 7s\ncpu 3s\nmemory 32M\nprocs 5\nfiles 9\n"
		"fsize 2K\nstdout 3K\nstderr 4K\ntmpfs 5M\nnetwork host\n"
		"families netlink unix\nworkdir /w\nuser 1001\ngroup 1002\n"
		"syscall-default eperm\nverdicts E,A\non-failure reject\n"
		"rw /data\nro /conf\nsetvars X\nenv Y Z*\nsyscalls read\n";
	struct sbx_policy p;
	struct sbx_error e;

	ck_assert_msg(parse_str(text, &p, &e) == 0, "%s", e.msg);
	ck_assert(p.timeout_ms == 7000);
	ck_assert(p.cpu_ms == 3000);
	ck_assert(p.memory == 32ULL << 20);
	ck_assert(p.procs == 5);
	ck_assert(p.files == 9);
	ck_assert(p.fsize == 2048);
	ck_assert(p.stdout_max == 3072);
	ck_assert(p.stderr_max == 4096);
	ck_assert(p.tmpfs_size == 5ULL << 20);
	ck_assert_int_eq(p.net, SBX_NET_HOST);
	ck_assert_uint_eq(p.families, SBX_AF_NETLINK | SBX_AF_UNIX);
	ck_assert_str_eq(p.workdir, "/w");
	ck_assert_uint_eq(p.uid, 1001);
	ck_assert_uint_eq(p.gid, 1002);
	ck_assert_int_eq(p.sysdefault, SBX_SYS_EPERM);
	ck_assert_uint_eq(p.verdicts, SPP_CMD_E | SPP_CMD_A);
	ck_assert_int_eq(p.fail, SBX_FAIL_REJECT);
	ck_assert_uint_eq(p.npaths, 2);
	ck_assert_str_eq(p.paths[0].path, "/data");
	ck_assert_int_ne(p.paths[0].writable, 0);
	ck_assert_str_eq(p.paths[1].path, "/conf");
	ck_assert_int_eq(p.paths[1].writable, 0);
	ck_assert_uint_eq(p.setvars.n, 1);
	ck_assert_str_eq(p.setvars.v[0], "X");
	ck_assert_uint_eq(p.env_pass.n, 2);
	ck_assert(sbx_strv_has(&p.env_pass, "Y"));
	ck_assert(sbx_strv_has(&p.env_pass, "Z*"));
	ck_assert_uint_eq(p.syscalls.n, 1);
	ck_assert_str_eq(p.syscalls.v[0], "read");
	sbx_policy_clear(&p);
}
END_TEST

/* What @group contributes: members known here, minus the denied ones. */
static int in_group(const char *group, const char *name)
{
	const char *const *g = sbx_syscall_group(group);

	for (; g && *g; g++)
		if (strcmp(*g, name) == 0)
			return !sbx_syscall_denied(name) &&
			       sbx_syscall_known(name);
	return 0;
}

static size_t group_size(const char *group)
{
	const char *const *g = sbx_syscall_group(group);
	struct sbx_strv seen = { NULL, 0 };
	struct sbx_error e;
	size_t n;

	for (; g && *g; g++)
		if (in_group(group, *g) && !sbx_strv_has(&seen, *g))
			ck_assert_int_eq(sbx_strv_add(&seen, *g, &e), 0);
	n = seen.n;
	sbx_strv_clear(&seen);
	return n;
}

static void assert_sorted_unique(const struct sbx_strv *sv)
{
	size_t i;

	for (i = 1; i < sv->n; i++)
		ck_assert_msg(strcmp(sv->v[i - 1], sv->v[i]) < 0,
			      "%s before %s", sv->v[i - 1], sv->v[i]);
}

START_TEST(test_pol_parse_buf_syscall_groups)
{
	const char *const *gn;
	struct sbx_policy p;
	struct sbx_error e;
	size_t i;

	/* each group on its own, and @default */
	for (gn = sbx_syscall_groups; *gn; gn++) {
		char text[128];

		snprintf(text, sizeof(text), "syscalls @%s\n", *gn);
		ck_assert_msg(parse_str(text, &p, &e) == 0, "%s", e.msg);
		ck_assert_uint_eq(p.syscalls.n, group_size(*gn));
		for (i = 0; i < p.syscalls.n; i++) {
			ck_assert(in_group(*gn, p.syscalls.v[i]));
			ck_assert(!sbx_syscall_denied(p.syscalls.v[i]));
		}
		assert_sorted_unique(&p.syscalls);
		sbx_policy_clear(&p);
	}

	/* -@group takes all its members out, later items add back */
	ck_assert_msg(parse_str("syscalls @default -@file\n"
				"syscalls openat\n",
				&p, &e) == 0,
		      "%s", e.msg);
	for (i = 0; i < p.syscalls.n; i++)
		ck_assert(!in_group("file", p.syscalls.v[i]) ||
			  strcmp(p.syscalls.v[i], "openat") == 0);
	ck_assert(sbx_strv_has(&p.syscalls, "openat"));
	ck_assert(sbx_strv_has(&p.syscalls, "read"));
	ck_assert(!sbx_strv_has(&p.syscalls, "unlink"));
	assert_sorted_unique(&p.syscalls);
	sbx_policy_clear(&p);

	/* the same group twice counts once */
	ck_assert_int_eq(parse_str("syscalls @memory @memory\n", &p, &e), 0);
	ck_assert_uint_eq(p.syscalls.n, group_size("memory"));
	sbx_policy_clear(&p);
}
END_TEST

/* No syscalls line keeps the default allowlist; a syscalls line starts
 * from nothing. */
START_TEST(test_pol_parse_buf_syscalls_replace_default)
{
	struct sbx_policy p, d;
	struct sbx_error e;
	size_t i;

	ck_assert_int_eq(sbx_policy_default(&d, &e), 0);
	ck_assert_int_eq(parse_str("timeout 1s\n", &p, &e), 0);
	ck_assert_uint_eq(p.syscalls.n, d.syscalls.n);
	for (i = 0; i < d.syscalls.n; i++)
		ck_assert(sbx_strv_has(&p.syscalls, d.syscalls.v[i]));
	sbx_policy_clear(&p);
	ck_assert_int_eq(parse_str("syscalls getpid\n", &p, &e), 0);
	ck_assert_uint_eq(p.syscalls.n, 1);
	sbx_policy_clear(&p);
	sbx_policy_clear(&d);
}
END_TEST

/* The first non-root account and group in the databases, if any. */
static int find_user(char *name, size_t len, unsigned long *id, int group)
{
	int found = 0;

	if (group) {
		struct group *gr;

		setgrent();
		while (!found && (gr = getgrent()) != NULL) {
			if (gr->gr_gid != 0 && strlen(gr->gr_name) < len &&
			    gr->gr_name[0] > '9') {
				snprintf(name, len, "%s", gr->gr_name);
				*id = gr->gr_gid;
				found = 1;
			}
		}
		endgrent();
	} else {
		struct passwd *pw;

		setpwent();
		while (!found && (pw = getpwent()) != NULL) {
			if (pw->pw_uid != 0 && strlen(pw->pw_name) < len &&
			    pw->pw_name[0] > '9') {
				snprintf(name, len, "%s", pw->pw_name);
				*id = pw->pw_uid;
				found = 1;
			}
		}
		endpwent();
	}
	return found;
}

START_TEST(test_pol_parse_buf_user_group_names)
{
	struct sbx_policy p;
	struct sbx_error e;
	char name[64], text[128];
	unsigned long id = 0;
	struct passwd *root = getpwuid(0);
	struct group *rootg = getgrgid(0);

	if (find_user(name, sizeof(name), &id, 0)) {
		snprintf(text, sizeof(text), "user %s\n", name);
		ck_assert_msg(parse_str(text, &p, &e) == 0, "%s", e.msg);
		ck_assert_uint_eq(p.uid, id);
		sbx_policy_clear(&p);
	}
	if (find_user(name, sizeof(name), &id, 1)) {
		snprintf(text, sizeof(text), "group %s\n", name);
		ck_assert_msg(parse_str(text, &p, &e) == 0, "%s", e.msg);
		ck_assert_uint_eq(p.gid, id);
		sbx_policy_clear(&p);
	}
	if (root && strlen(root->pw_name) < 100) {
		snprintf(text, sizeof(text), "user %s\n", root->pw_name);
		ck_assert_int_eq(parse_str(text, &p, &e), -1);
		ck_assert_str_eq(e.msg,
				 "t.policy:1: refusing to run plugins as root");
	}
	if (rootg && strlen(rootg->gr_name) < 100) {
		snprintf(text, sizeof(text), "group %s\n", rootg->gr_name);
		ck_assert_int_eq(parse_str(text, &p, &e), -1);
		ck_assert_str_eq(e.msg,
				 "t.policy:1: refusing to run plugins as root");
	}
}
END_TEST

/* NUL bytes count: the buffer is taken by length, not as a C string. */
START_TEST(test_pol_parse_buf_nul)
{
	static const char text[] = "timeout 5s\nmemory 64M\0junk\n";
	struct sbx_policy p;
	struct sbx_error e;

	ck_assert_int_eq(
		pol_parse_buf("t.policy", text, sizeof(text) - 1, &p, &e), -1);
	ck_assert_str_eq(e.msg, "t.policy:2: NUL byte");
	ck_assert(is_zero(&p, sizeof(p)));
	/* and the buffer need not be terminated at all */
	ck_assert_int_eq(pol_parse_buf("t.policy", text, 10, &p, &e), 0);
	ck_assert(p.timeout_ms == 5000);
	sbx_policy_clear(&p);
}
END_TEST

START_TEST(test_pol_parse_buf_line_length)
{
	char buf[POL_LINE_MAX + 16];
	struct sbx_policy p;
	struct sbx_error e;

	/* a comment of exactly POL_LINE_MAX bytes, with and without LF */
	memset(buf, 'x', sizeof(buf));
	buf[0] = '#';
	buf[POL_LINE_MAX] = '\n';
	ck_assert_int_eq(pol_parse_buf("t", buf, POL_LINE_MAX + 1, &p, &e), 0);
	sbx_policy_clear(&p);
	ck_assert_int_eq(pol_parse_buf("t", buf, POL_LINE_MAX, &p, &e), 0);
	sbx_policy_clear(&p);
	/* one more byte */
	memset(buf, 'x', sizeof(buf));
	buf[0] = '\n';
	buf[1] = '#';
	buf[POL_LINE_MAX + 2] = '\n';
	ck_assert_int_eq(pol_parse_buf("t", buf, POL_LINE_MAX + 3, &p, &e), -1);
	ck_assert_str_eq(e.msg, "t:2: line longer than 1024 bytes");
	ck_assert(is_zero(&p, sizeof(p)));
}
END_TEST

START_TEST(test_pol_parse_buf_file_size)
{
	char *buf = malloc(POL_FILE_MAX + 1);
	struct sbx_policy p;
	struct sbx_error e;
	size_t i;

	ck_assert_ptr_nonnull(buf);
	/* 64 lines of "#" + 1022 x's + LF = 65536 bytes */
	for (i = 0; i < POL_FILE_MAX; i++)
		buf[i] = i % 1024 == 0 ? '#' : i % 1024 == 1023 ? '\n' : 'x';
	ck_assert_int_eq(pol_parse_buf("t", buf, POL_FILE_MAX, &p, &e), 0);
	sbx_policy_clear(&p);
	buf[POL_FILE_MAX] = '\n';
	ck_assert_int_eq(pol_parse_buf("t", buf, POL_FILE_MAX + 1, &p, &e), -1);
	ck_assert_int_eq(e.code, EFBIG);
	ck_assert_str_eq(e.msg, "t: larger than 65536 bytes");
	ck_assert(is_zero(&p, sizeof(p)));
	free(buf);
}
END_TEST

/* Names are escaped in messages; NULL names are allowed. */
START_TEST(test_pol_parse_buf_name)
{
	struct sbx_policy p;
	struct sbx_error e;

	ck_assert_int_eq(pol_parse_buf("a\nb", "x\n", 2, &p, &e), -1);
	ck_assert_str_eq(e.msg, "a\\x0ab:1: unknown directive 'x'");
	ck_assert_int_eq(pol_parse_buf(NULL, "x\n", 2, &p, &e), -1);
	ck_assert_str_eq(e.msg, "-:1: unknown directive 'x'");
}
END_TEST

/* A long token is cut short in the message, which stays one line. */
START_TEST(test_pol_parse_buf_long_token)
{
	char text[POL_LINE_MAX];
	struct sbx_policy p;
	struct sbx_error e;

	memset(text, 'a', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	ck_assert_int_eq(parse_str(text, &p, &e), -1);
	ck_assert_int_eq(
		strncmp(e.msg, "t.policy:1: unknown directive 'aaa", 34), 0);
	ck_assert_uint_lt(strlen(e.msg), sizeof(e.msg));
}
END_TEST

/* The most tokens a line can hold: 512 one-letter ones. */
START_TEST(test_pol_parse_buf_many_tokens)
{
	char text[POL_LINE_MAX + 1];
	struct sbx_policy p;
	struct sbx_error e;
	size_t i;

	for (i = 0; i < POL_LINE_MAX; i++)
		text[i] = i % 2 ? ' ' : 'a';
	text[POL_LINE_MAX] = '\0';
	ck_assert_int_eq(parse_str(text, &p, &e), -1);
	ck_assert_str_eq(e.msg, "t.policy:1: unknown directive 'a'");

	/* and a long list that is valid */
	memcpy(text, "syscalls", 8);
	for (i = 0; i < 160; i++)
		memcpy(text + 8 + 6 * i, " -read", 6);
	memcpy(text + 8 + 6 * i, " getpid", 8);
	ck_assert_uint_le(strlen(text), POL_LINE_MAX);
	ck_assert_msg(parse_str(text, &p, &e) == 0, "%s", e.msg);
	ck_assert_uint_eq(p.syscalls.n, 1);
	sbx_policy_clear(&p);
}
END_TEST

/* ---- pol_parse_file ---- */

START_TEST(test_pol_parse_file_missing)
{
	struct sbx_policy p;
	struct sbx_error e;

	memset(&p, 0xa5, sizeof(p));
	ck_assert_int_eq(pol_parse_file("/nonexistent/x.policy", &p, &e), -1);
	ck_assert_int_eq(e.code, ENOENT);
	ck_assert_str_eq(e.msg, "/nonexistent/x.policy: open: No such file or "
				"directory");
	ck_assert(is_zero(&p, sizeof(p)));
}
END_TEST

START_TEST(test_pol_parse_file_directory)
{
	struct sbx_policy p;
	struct sbx_error e;

	ck_assert_int_eq(pol_parse_file("/", &p, &e), -1);
	ck_assert_int_eq(e.code, EINVAL);
	ck_assert_str_eq(e.msg, "/: not a regular file");
	ck_assert(is_zero(&p, sizeof(p)));
	ck_assert_int_eq(pol_parse_file("/dev/null", &p, &e), -1);
	ck_assert_str_eq(e.msg, "/dev/null: not a regular file");
}
END_TEST

/* A file being rewritten in place (truncate, then write) must not parse
 * as a policy of defaults or of its first lines: refused, temporarily. */
static const struct {
	const char *text;
	mode_t mode;
	int code;
	const char *why; /* after "PATH: " */
} whole_rows[] = {
	{ "", 0644, EBUSY,
	  "empty (being written? a policy of defaults holds a comment)" },
	{ "verdicts E", 0644, EBUSY, "no newline at the end (being written?)" },
	{ "verdicts E\ntimeout 2", 0644, EBUSY,
	  "no newline at the end (being written?)" },
	{ "verdicts E\n", 0666, EPERM,
	  "writable by others: refusing it (chmod go-w)" },
	{ "verdicts E\n", 0646, EPERM,
	  "writable by others: refusing it (chmod go-w)" },
	{ "# defaults\n", 0644, 0, NULL },
	{ "verdicts E\n", 0600, 0, NULL },
};

START_TEST(test_pol_parse_file_whole)
{
	char path[4096], want[4200];
	struct sbx_policy p;
	struct sbx_error e = { 0, "" };
	int rc;

	make_temp(path, sizeof(path), whole_rows[_i].text,
		  strlen(whole_rows[_i].text));
	ck_assert_int_eq(chmod(path, whole_rows[_i].mode), 0);
	rc = pol_parse_file(path, &p, &e);
	unlink(path);
	if (!whole_rows[_i].why) {
		ck_assert_msg(rc == 0, "%s", e.msg);
		ck_assert_uint_eq(p.owner, geteuid());
		sbx_policy_clear(&p);
		return;
	}
	ck_assert_int_eq(rc, -1);
	ck_assert_int_eq(e.code, whole_rows[_i].code);
	snprintf(want, sizeof(want), "%s: %s", path, whole_rows[_i].why);
	ck_assert_str_eq(e.msg, want);
	ck_assert(is_zero(&p, sizeof(p)));
}
END_TEST

START_TEST(test_pol_parse_file_ok)
{
	static const char text[] = "# test\ntimeout 2s\nro /srv\n";
	char path[4096];
	struct sbx_policy p;
	struct sbx_error e;

	make_temp(path, sizeof(path), text, sizeof(text) - 1);
	ck_assert_msg(pol_parse_file(path, &p, &e) == 0, "%s", e.msg);
	ck_assert(p.timeout_ms == 2000);
	ck_assert_uint_eq(p.npaths, 1);
	sbx_policy_clear(&p);
	unlink(path);
}
END_TEST

START_TEST(test_pol_parse_file_error_names_file)
{
	static const char text[] = "# test\n\nmemory 64Q\n";
	char path[4096], want[4200];
	struct sbx_policy p;
	struct sbx_error e;

	make_temp(path, sizeof(path), text, sizeof(text) - 1);
	ck_assert_int_eq(pol_parse_file(path, &p, &e), -1);
	snprintf(want, sizeof(want), "%s:3: bad size '64Q': unknown unit",
		 path);
	ck_assert_str_eq(e.msg, want);
	ck_assert(is_zero(&p, sizeof(p)));
	unlink(path);
}
END_TEST

/* Exactly the limit is read whole; one byte more is refused. */
START_TEST(test_pol_parse_file_size)
{
	char *buf = malloc(POL_FILE_MAX + 1), path[4096], want[4200];
	struct sbx_policy p;
	struct sbx_error e;
	size_t i;

	ck_assert_ptr_nonnull(buf);
	for (i = 0; i <= POL_FILE_MAX; i++)
		buf[i] = i % 64 == 63 ? '\n' : '#';
	make_temp(path, sizeof(path), buf, POL_FILE_MAX);
	ck_assert_msg(pol_parse_file(path, &p, &e) == 0, "%s", e.msg);
	sbx_policy_clear(&p);
	unlink(path);
	make_temp(path, sizeof(path), buf, POL_FILE_MAX + 1);
	ck_assert_int_eq(pol_parse_file(path, &p, &e), -1);
	ck_assert_int_eq(e.code, EFBIG);
	snprintf(want, sizeof(want), "%s: larger than 65536 bytes", path);
	ck_assert_str_eq(e.msg, want);
	ck_assert(is_zero(&p, sizeof(p)));
	unlink(path);
	free(buf);
}
END_TEST

/* Golden files: tests/golden/policy/ok/NAME.policy parses and dumps exactly as
 * NAME.out; tests/golden/policy/bad/NAME.policy fails with the line in NAME.err.
 * The names are collected in main() so that each file is its own test. */
struct golden {
	char dir[4096];
	char **names;
	size_t n;
};

static struct golden golden_ok, golden_bad;

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void golden_scan(struct golden *g, const char *sub)
{
	const char *top = getenv("abs_top_srcdir");
	struct dirent *de;
	DIR *d;

	snprintf(g->dir, sizeof(g->dir), "%s/tests/golden/policy/%s",
		 top && *top ? top : ".", sub);
	d = opendir(g->dir);
	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		char **v;

		if (len <= 7 || strcmp(de->d_name + len - 7, ".policy") != 0)
			continue;
		v = realloc(g->names, (g->n + 1) * sizeof(*v));
		if (!v)
			abort();
		g->names = v;
		g->names[g->n] = strdup(de->d_name);
		if (!g->names[g->n])
			abort();
		g->n++;
	}
	closedir(d);
	if (g->n)
		qsort(g->names, g->n, sizeof(*g->names), cmp_name);
}

static void golden_free(struct golden *g)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		free(g->names[i]);
	free(g->names);
	g->names = NULL;
	g->n = 0;
}

/* The expected-result file next to NAME.policy (suffix ".out"/".err"). */
static char *golden_expect(const struct golden *g, size_t i, const char *suffix)
{
	const char *name = g->names[i];
	char path[4200];

	snprintf(path, sizeof(path), "%s/%.*s%s", g->dir,
		 (int)(strlen(name) - 7), name, suffix);
	return slurp(path, NULL);
}

/* Parse by relative name from inside the directory, so that messages
 * read "NAME.policy:LINE: ..." wherever the sources are. */
static int golden_parse(const struct golden *g, size_t i, struct sbx_policy *p,
			struct sbx_error *e)
{
	int here = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int r;

	ck_assert_int_ge(here, 0);
	ck_assert_msg(chdir(g->dir) == 0, "%s: %s", g->dir, strerror(errno));
	r = pol_parse_file(g->names[i], p, e);
	ck_assert_int_eq(fchdir(here), 0);
	close(here);
	return r;
}

START_TEST(test_pol_parse_file_golden_ok)
{
	struct sbx_policy p, again;
	struct sbx_error e;
	char *want, *got, *got2;
	size_t len;

	ck_assert_msg(golden_parse(&golden_ok, (size_t)_i, &p, &e) == 0, "%s",
		      e.msg);
	want = golden_expect(&golden_ok, (size_t)_i, ".out");
	got = dump(&p);
	ck_assert_msg(strcmp(got, want) == 0, "%s: want\n%s\ngot\n%s",
		      golden_ok.names[_i], want, got);
	/* the dump is itself a policy that gives the same dump */
	len = strlen(got);
	ck_assert_msg(pol_parse_buf("dump", got, len, &again, &e) == 0, "%s",
		      e.msg);
	got2 = dump(&again);
	ck_assert_str_eq(got2, got);
	free(want);
	free(got);
	free(got2);
	sbx_policy_clear(&p);
	sbx_policy_clear(&again);
}
END_TEST

START_TEST(test_pol_parse_file_golden_bad)
{
	struct sbx_policy p;
	struct sbx_error e;
	char *want;
	size_t len;

	ck_assert_msg(golden_parse(&golden_bad, (size_t)_i, &p, &e) == -1,
		      "%s parsed", golden_bad.names[_i]);
	ck_assert(is_zero(&p, sizeof(p)));
	want = golden_expect(&golden_bad, (size_t)_i, ".err");
	len = strcspn(want, "\n");
	ck_assert_msg(want[len] == '\n' && want[len + 1] == '\0',
		      "%s: .err must be one line", golden_bad.names[_i]);
	want[len] = '\0';
	ck_assert_str_eq(e.msg, want);
	free(want);
}
END_TEST

START_TEST(test_pol_parse_file_golden_present)
{
	/* an empty golden set would pass vacuously */
	ck_assert_msg(golden_ok.n >= 3, "no golden files in %s", golden_ok.dir);
	ck_assert_msg(golden_bad.n >= 10, "no golden files in %s",
		      golden_bad.dir);
}
END_TEST

/* ---- pol_dump ---- */

START_TEST(test_pol_dump_default_round_trip)
{
	struct sbx_policy d, p;
	struct sbx_error e;
	char *a, *b;
	const char *l;

	ck_assert_int_eq(sbx_policy_default(&d, &e), 0);
	a = dump(&d);
	ck_assert_msg(pol_parse_buf("dump", a, strlen(a), &p, &e) == 0,
		      "%s\n%s", e.msg, a);
	b = dump(&p);
	ck_assert_str_eq(a, b);
	/* every line fits the parser's limit and reads comfortably */
	for (l = a; *l; l += strcspn(l, "\n") + 1)
		ck_assert_uint_le(strcspn(l, "\n"), 72);
	free(a);
	free(b);
	sbx_policy_clear(&d);
	sbx_policy_clear(&p);
}
END_TEST

/* Directives always come in the same order, whatever the file's order. */
START_TEST(test_pol_dump_order)
{
	static const char *const order[] = {
		"timeout ",    "cpu ",	   "memory ",	"procs ",
		"files ",      "fsize ",   "stdout ",	"stderr ",
		"tmpfs ",      "network ", "families ", "tcp-ports ",
		"udp-ports ",  "ro ",	   "rw ",	"workdir ",
		"user ",       "group ",   "syscalls ", "syscall-default ",
		"verdicts ",   "setvars ", "env ",	"exit-status ",
		"on-failure ", NULL,
	};
	char *a, *b;
	const char *l;
	size_t k = 0;

	a = parse_dump("on-failure reject\nenv A\nsetvars B\nverdicts E\n"
		       "syscall-default eperm\nsyscalls read\ngroup 2\n"
		       "user 3\nworkdir /w\nrw /b\nro /a\nfamilies unix\n"
		       "network host\ntmpfs 1M\nstderr 1K\nstdout 2K\n"
		       "fsize 3K\nfiles 9\nprocs 2\nmemory 20M\ncpu 1s\n"
		       "timeout 1s\n");
	b = parse_dump("timeout 1s\ncpu 1s\nmemory 20M\nprocs 2\nfiles 9\n"
		       "fsize 3K\nstdout 2K\nstderr 1K\ntmpfs 1M\n"
		       "network host\nfamilies unix\nro /a\nrw /b\n"
		       "workdir /w\nuser 3\ngroup 2\nsyscalls read\n"
		       "syscall-default eperm\nverdicts E\nsetvars B\n"
		       "env A\non-failure reject\n");
	ck_assert_str_eq(a, b);
	for (l = a; *l; l += strcspn(l, "\n") + 1) {
		ck_assert_ptr_nonnull(order[k]);
		ck_assert_msg(strncmp(l, order[k], strlen(order[k])) == 0,
			      "line %zu: %.20s", k, l);
		k++;
	}
	ck_assert_ptr_null(order[k]);
	free(a);
	free(b);
}
END_TEST

/* A policy built in code, with the empty and odd values. */
START_TEST(test_pol_dump_empty_lists)
{
	struct sbx_policy p, q;
	struct sbx_error e;
	char *a, *b;

	ck_assert_int_eq(sbx_policy_default(&p, &e), 0);
	sbx_strv_clear(&p.syscalls);
	sbx_strv_clear(&p.env_pass);
	p.env_set = 1;
	p.families = 0;
	p.verdicts = 0;
	a = dump(&p);
	ck_assert(has_lines(a, "syscalls none\nenv none\nsetvars none\n"
			       "families none\nverdicts none\n"
			       "# workdir unset: the caller's cwd"));
	ck_assert_int_eq(pol_parse_buf("dump", a, strlen(a), &q, &e), 0);
	b = dump(&q);
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
	sbx_policy_clear(&p);
	sbx_policy_clear(&q);
}
END_TEST

/* Long lists wrap over several lines of the same directive. */
START_TEST(test_pol_dump_wraps)
{
	struct sbx_policy p, q;
	struct sbx_error e;
	char name[32], *a, *b;
	const char *l;
	size_t i, lines = 0;

	ck_assert_int_eq(sbx_policy_default(&p, &e), 0);
	for (i = 0; i < POL_VARS_MAX; i++) {
		snprintf(name, sizeof(name), "VARIABLE_%03zu", i);
		ck_assert_int_eq(sbx_strv_add(&p.setvars, name, &e), 0);
	}
	a = dump(&p);
	for (l = a; *l; l += strcspn(l, "\n") + 1) {
		ck_assert_uint_le(strcspn(l, "\n"), 72);
		if (strncmp(l, "setvars ", 8) == 0)
			lines++;
	}
	ck_assert_uint_gt(lines, 1);
	ck_assert_int_eq(pol_parse_buf("dump", a, strlen(a), &q, &e), 0);
	ck_assert_uint_eq(q.setvars.n, POL_VARS_MAX);
	b = dump(&q);
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
	sbx_policy_clear(&p);
	sbx_policy_clear(&q);
}
END_TEST

/* ---- suite ---- */

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static Suite *policy_suite(void)
{
	Suite *s = suite_create("policy");
	TCase *tc;

	tc = tcase_create("pol_parse_size");
	tcase_add_loop_test(tc, test_pol_parse_size_table, 0,
			    (int)NELEM(size_cases));
	tcase_add_test(tc, test_pol_parse_size_long_value_truncated);
	suite_add_tcase(s, tc);

	tc = tcase_create("pol_parse_time");
	tcase_add_loop_test(tc, test_pol_parse_time_table, 0,
			    (int)NELEM(time_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("pol_format_size");
	tcase_add_loop_test(tc, test_pol_format_size_table, 0,
			    (int)NELEM(format_cases));
	tcase_add_test(tc, test_pol_format_size_small_buffer);
	suite_add_tcase(s, tc);

	tc = tcase_create("pol_format_time");
	tcase_add_loop_test(tc, test_pol_format_time_table, 0,
			    (int)NELEM(format_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("pol_parse_buf");
	tcase_add_loop_test(tc, test_pol_parse_buf_table, 0,
			    (int)NELEM(buf_cases));
	tcase_add_test(tc, test_pol_parse_buf_codes);
	tcase_add_test(tc, test_pol_parse_buf_empty_is_default);
	tcase_add_test(tc, test_pol_parse_buf_fields);
	tcase_add_test(tc, test_pol_parse_buf_syscall_groups);
	tcase_add_test(tc, test_pol_parse_buf_syscalls_replace_default);
	tcase_add_test(tc, test_pol_parse_buf_user_group_names);
	tcase_add_test(tc, test_pol_parse_buf_nul);
	tcase_add_test(tc, test_pol_parse_buf_line_length);
	tcase_add_test(tc, test_pol_parse_buf_file_size);
	tcase_add_test(tc, test_pol_parse_buf_name);
	tcase_add_test(tc, test_pol_parse_buf_long_token);
	tcase_add_test(tc, test_pol_parse_buf_many_tokens);
	suite_add_tcase(s, tc);

	tc = tcase_create("pol_parse_file");
	tcase_add_test(tc, test_pol_parse_file_missing);
	tcase_add_test(tc, test_pol_parse_file_directory);
	tcase_add_loop_test(tc, test_pol_parse_file_whole, 0,
			    (int)(sizeof(whole_rows) / sizeof(whole_rows[0])));
	tcase_add_test(tc, test_pol_parse_file_ok);
	tcase_add_test(tc, test_pol_parse_file_error_names_file);
	tcase_add_test(tc, test_pol_parse_file_size);
	tcase_add_test(tc, test_pol_parse_file_golden_present);
	tcase_add_loop_test(tc, test_pol_parse_file_golden_ok, 0,
			    (int)golden_ok.n);
	tcase_add_loop_test(tc, test_pol_parse_file_golden_bad, 0,
			    (int)golden_bad.n);
	suite_add_tcase(s, tc);

	tc = tcase_create("pol_dump");
	tcase_add_test(tc, test_pol_dump_default_round_trip);
	tcase_add_test(tc, test_pol_dump_order);
	tcase_add_test(tc, test_pol_dump_empty_lists);
	tcase_add_test(tc, test_pol_dump_wraps);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	int status;

	golden_scan(&golden_ok, "ok");
	golden_scan(&golden_bad, "bad");
	status = tap_run(policy_suite());
	golden_free(&golden_ok);
	golden_free(&golden_bad);
	return status;
}
