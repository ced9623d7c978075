/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of the drop-in qmail-spp.c (make-dropin.sh), compiled against
 * stand-ins of the qmail calls it makes and of qmail-smtpd.c's globals,
 * in both dialects (built twice: SPP_DIALECT 0 and 1). Each entry point
 * is called as the trees' qmail-smtpd.c calls it, and the plugins run for
 * real under spp-run. */
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stralloc.h"

#include "qmail-spp.h"

/* --- qmail-smtpd.c's side, as in the trees --------------------------------- */

stralloc addr = { 0 };
char *relayclient;
int allowed;
#if SPP_DIALECT == 1
/* sagredo-dev/qmail: no flagbarf (commented out by its qregex code; it
 * clears its own flagbarfbmf), an addrinrcpthosts for rcptcheck and logs */
int flagbarfbmf;
int addrinrcpthosts;
#else
/* netqmail with qmail-spp 0.42, and its TLS+AUTH toasters */
int flagbarf;
#endif

static struct {
	char out[8192]; /* sent to the client (after flush: written too) */
	int flush_fd; /* flush() writes out there when >= 0 */
} q = { "", -1 };

void out(char *s);
void flush(void);
int addrallowed(void);

void out(char *s)
{
	size_t n = strlen(q.out);

	snprintf(q.out + n, sizeof(q.out) - n, "%s", s);
}

void flush(void)
{
	if (q.flush_fd >= 0 &&
	    write(q.flush_fd, q.out, strlen(q.out)) != (ssize_t)strlen(q.out))
		_exit(99);
}

/* rcpthosts: example.org */
int addrallowed(void)
{
	size_t n = addr.len ? addr.len - 1 : 0;

	return n >= 12 && strncmp(addr.s + n - 12, "@example.org", 12) == 0;
}

/* addrparse(): addr NUL-terminated, the NUL counted */
static void set_addr(const char *a)
{
	ck_assert(stralloc_copys(&addr, a) && stralloc_0(&addr));
}

/* --- the qmail home and its plugins ---------------------------------------- */

static char home[256];

static void write_file(const char *name, const char *text, mode_t mode)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", home, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(chmod(path, mode), 0);
}

/* A plugin that prints $SAY_<name> (printf %b, as tests/plugins/session/say.sh). */
static void plugin(const char *name)
{
	char file[64];

	snprintf(file, sizeof(file), "plugins/%s", name);
	write_file(file,
		   "#!/bin/sh\nname=${0##*/}\neval \"say=\\${SAY_$name-}\"\n"
		   "printf '%b' \"$say\"\n",
		   0755);
}

static void conf(const char *text)
{
	write_file("control/smtpplugins", text, 0644);
	q.out[0] = '\0';
	ck_assert_int_eq(spp_init(), 0);
}

static void setup(void)
{
	char cmd[600];

	snprintf(home, sizeof(home), "%s/test_dropin.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(home));
	ck_assert_int_eq(chmod(home, 0755), 0);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/control/spp %s/plugins", home,
		 home);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_int_eq(chdir(home), 0);
	for (const char *const *n =
		     (const char *const[]){ "c", "h", "m", "r", "d", "a", "p",
					    NULL };
	     *n; n++)
		plugin(*n);
	write_file("control/rcpthosts", "example.org\n", 0644);
	q.out[0] = '\0';
	q.flush_fd = -1;
	relayclient = NULL;
	allowed = -1;
#if SPP_DIALECT == 1
	flagbarfbmf = 0;
	addrinrcpthosts = -1;
#else
	flagbarf = 0;
#endif
	unsetenv("NOSPP");
	setenv("ENABLE_SPP", "", 1);
	/* the spp-run of this build, not the compiled-in one */
	snprintf(cmd, sizeof(cmd), "%s/spp-run", getenv("abs_top_builddir"));
	setenv("SPPRUN", cmd, 1);
}

static void teardown(void)
{
	char cmd[600];

	ck_assert_int_eq(chdir("/"), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", home);
	ck_assert_int_eq(system(cmd), 0);
}

/* --- entry points ---------------------------------------------------------- */

START_TEST(test_spp_init_switch)
{
	write_file("control/smtpplugins", "[helo]\nplugins/h\n", 0644);
	setenv("SAY_h", "E550 helo ran\n", 1);
#if SPP_DIALECT == 1
	/* sagredo: off without ENABLE_SPP, on with any value, NOSPP moot */
	unsetenv("ENABLE_SPP");
	ck_assert_int_eq(spp_init(), 0);
	ck_assert_int_eq(spp_helo("x"), 1);
	setenv("ENABLE_SPP", "0", 1);
	setenv("NOSPP", "", 1);
#else
	/* 0.42: off with NOSPP, whatever its value */
	setenv("NOSPP", "", 1);
	ck_assert_int_eq(spp_init(), 0);
	ck_assert_int_eq(spp_helo("x"), 1);
	unsetenv("NOSPP");
#endif
	ck_assert_int_eq(spp_init(), 0);
	ck_assert_int_eq(spp_helo("x"), 0);
	ck_assert_str_eq(q.out, "550 helo ran\r\n");
	/* a missing file: -1, qmail-smtpd says 421 */
	setenv("SPPCONFFILE", "control/none", 1);
	ck_assert_int_eq(spp_init(), -1);
	unsetenv("SPPCONFFILE");
	unsetenv("SAY_h");
}
END_TEST

START_TEST(test_spp_connect_greeting)
{
	conf("[connection]\nplugins/c\n");
	setenv("SAY_c", "E554 go away\n", 1);
	/* E replaces the greeting; qmail-smtpd skips its 220 */
	ck_assert_int_eq(spp_connect(), 0);
	ck_assert_str_eq(q.out, "554 go away\r\n");
	unsetenv("SAY_c");
	q.out[0] = '\0';
	ck_assert_int_eq(spp_connect(), 1);
}
END_TEST

/* A failed [connection] plugin ends the session: flush, then _exit(0). */
START_TEST(test_spp_connect_failure_ends_session)
{
	char buf[512] = "";
	int p[2], status;
	ssize_t n;
	pid_t pid;

	write_file("control/spp/c.policy", "timeout 100ms\n", 0644);
	conf("[connection]\nplugins/c\n");
	write_file("plugins/c", "#!/bin/sh\nexec sleep 5\n", 0755);
	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		q.flush_fd = p[1];
		spp_connect();
		_exit(3); /* never here: the layer ended the session */
	}
	close(p[1]);
	n = read(p[0], buf, sizeof(buf) - 1);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert_str_eq(buf,
			 "451 plugin failed, try again later (#4.3.0)\r\n");
	close(p[0]);
}
END_TEST

START_TEST(test_spp_helo)
{
	conf("[helo]\nplugins/h\n");
	setenv("SAY_h", "HX-Helo: $SMTPHELOHOST\n", 1);
	write_file("plugins/h",
		   "#!/bin/sh\necho \"HX-Helo: $SMTPHELOHOST\"\n"
		   "[ \"$SMTPHELOHOST\" = bad ] && echo 'E553 bad helo'\n"
		   "exit 0\n",
		   0755);
	ck_assert_int_eq(spp_helo("good"), 1);
	ck_assert_int_eq(spp_helo("bad"), 0);
	ck_assert_str_eq(q.out, "553 bad helo\r\n");
	/* headers reach qmail-smtpd's sppheaders */
	ck_assert_uint_eq(sppheaders.len,
			  strlen("X-Helo: good\nX-Helo: bad\n"));
	ck_assert(!memcmp(sppheaders.s, "X-Helo: good\nX-Helo: bad\n",
			  sppheaders.len));
	spp_rset();
	ck_assert_uint_eq(sppheaders.len, 0);
	unsetenv("SAY_h");
}
END_TEST

START_TEST(test_spp_mail)
{
	conf("[mail]\nplugins/m\n");
	set_addr("a@b.example");
	setenv("SAY_m", "E553 sender refused\n", 1);
	ck_assert_int_eq(spp_mail(), 0);
	ck_assert_str_eq(getenv("SMTPMAILFROM"), "a@b.example");
	/* O skips badmailfrom, and forgets an earlier MAIL's result (a
	 * policy granting it; policies are looked up when spp_init runs) */
	write_file("control/spp/m.policy", "verdicts all\n", 0644);
	conf("[mail]\nplugins/m\n");
	setenv("SAY_m", "O\n", 1);
#if SPP_DIALECT == 1
	/* sagredo has no flagbarf and clears flagbarfbmf itself: the drop-in
	 * links without the one and leaves the other alone */
	flagbarfbmf = 1;
	ck_assert_int_eq(spp_mail(), 2);
	ck_assert_int_eq(flagbarfbmf, 1);
#else
	flagbarf = 1;
	ck_assert_int_eq(spp_mail(), 2);
	ck_assert_int_eq(flagbarf, 0);
	flagbarf = 1;
#endif
	/* but only with a policy granting O */
	unlink("control/spp/m.policy");
	conf("[mail]\nplugins/m\n");
	q.out[0] = '\0';
	ck_assert_int_eq(spp_mail(), 0);
	ck_assert_str_eq(q.out,
			 "451 plugin failed, try again later (#4.3.0)\r\n");
#if SPP_DIALECT == 0
	ck_assert_int_eq(flagbarf, 1);
#endif
	unsetenv("SAY_m");
}
END_TEST

START_TEST(test_spp_rcpt)
{
	conf("[rcpt]\nplugins/r\n");
	set_addr("a@b.example");
	ck_assert_int_eq(spp_mail(), 1);
	set_addr("u@example.org");
	ck_assert_int_eq(spp_rcpt(1), 1);
	ck_assert_str_eq(getenv("SMTPRCPTTO"), "u@example.org");
	ck_assert_str_eq(getenv("SMTPRCPTHOSTSOK"), "1");
	ck_assert_int_eq(allowed, -1); /* no C: untouched */
	/* C to a foreign domain: asked again, qmail-smtpd's allowed says no */
	setenv("SAY_r", "Cvictim@elsewhere.example\n", 1);
	ck_assert_int_eq(spp_rcpt(1), 1);
	ck_assert_str_eq(addr.s, "victim@elsewhere.example");
	ck_assert_uint_eq(addr.len, strlen(addr.s) + 1);
	ck_assert_int_eq(allowed, 0);
#if SPP_DIALECT == 1
	ck_assert_int_eq(addrinrcpthosts, 0);
#endif
	ck_assert_str_eq(getenv("SMTPRCPTHOSTSOK"), "0");
	setenv("SAY_r", "E550 no\n", 1);
	ck_assert_int_eq(spp_rcpt(1), 0);
	unsetenv("SAY_r");
}
END_TEST

START_TEST(test_spp_rcpt_accepted)
{
	conf("[rcpt]\nplugins/r\n[pass]\nplugins/p\n");
	write_file("plugins/p",
		   "#!/bin/sh\n[ \"$SMTPRCPTCOUNT\" = 2 ] && "
		   "echo \"E550 only one: $SMTPRCPTTO\"\nexit 0\n",
		   0755);
	set_addr("a@b.example");
	ck_assert_int_eq(spp_mail(), 1);
	set_addr("u@example.org");
	ck_assert_int_eq(spp_rcpt(1), 1);
	ck_assert_msg(spp_rcpt_accepted() == 1, "'%s'", q.out);
	set_addr("v@example.org");
	ck_assert_int_eq(spp_rcpt(1), 1);
	ck_assert_str_eq(getenv("SMTPRCPTCOUNT"), "1");
#if SPP_DIALECT == 1
	/* [pass], with the count including this recipient: refused */
	ck_assert_msg(spp_rcpt_accepted() == 0, "'%s'", q.out);
	ck_assert_str_eq(q.out, "550 only one: v@example.org\r\n");
	ck_assert_str_eq(getenv("SMTPRCPTCOUNT"), "2");
	/* sagredo's no-chkuser branch calls it again: the same answer, not
	 * a second reply, not a second count */
	ck_assert_int_eq(spp_rcpt_accepted(), 0);
	ck_assert_str_eq(q.out, "550 only one: v@example.org\r\n");
	ck_assert_str_eq(getenv("SMTPRCPTCOUNT"), "2");
#else
	/* 0.42 knows no [pass] */
	ck_assert_int_eq(spp_rcpt_accepted(), 1);
	ck_assert_str_eq(q.out, "");
#endif
}
END_TEST

START_TEST(test_spp_data)
{
	conf("[rcpt]\nplugins/r\n[data]\nplugins/d\n");
	setenv("SAY_r", "LD451 not now\n", 1);
	set_addr("u@example.org");
	ck_assert_int_eq(spp_rcpt(1), 1);
	unsetenv("SAY_r");
	/* the pending LD answers DATA before any [data] plugin */
	setenv("SAY_d", "E554 never\n", 1);
	ck_assert_int_eq(spp_data(), 0);
	ck_assert_str_eq(q.out, "451 not now\r\n");
	spp_rset();
	q.out[0] = '\0';
	ck_assert_int_eq(spp_data(), 0);
	ck_assert_str_eq(q.out, "554 never\r\n");
	unsetenv("SAY_d");
}
END_TEST

START_TEST(test_spp_auth)
{
	conf("[auth]\nplugins/a\n");
	write_file("plugins/a",
		   "#!/bin/sh\n[ \"$SMTPAUTHUSER\" = bob ] && "
		   "echo \"E535 $SMTPAUTHUSER by $SMTPAUTHMETHOD refused\"\n"
		   "exit 0\n",
		   0755);
	ck_assert_int_eq(spp_auth("login", "alice"), 1);
	ck_assert_str_eq(getenv("SMTPAUTHUSER"), "alice");
	ck_assert_str_eq(getenv("SMTPAUTHMETHOD"), "login");
	ck_assert_int_eq(spp_auth("plain", "bob"), 0);
	ck_assert_str_eq(q.out, "535 bob by plain refused\r\n");
	ck_assert_ptr_null(getenv("SMTPAUTHUSER"));
	/* a plugin that fails refuses the login too */
	write_file("plugins/a", "#!/bin/sh\nkill -SEGV $$\n", 0755);
	q.out[0] = '\0';
	ck_assert_int_eq(spp_auth("plain", "carol"), 0);
	ck_assert_str_eq(q.out,
			 "451 plugin failed, try again later (#4.3.0)\r\n");
	ck_assert_ptr_null(getenv("SMTPAUTHUSER"));
}
END_TEST

static Suite *dropin_suite(void)
{
	Suite *s = suite_create("dropin");
	TCase *tc = tcase_create("entry points");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_spp_init_switch);
	tcase_add_test(tc, test_spp_connect_greeting);
	tcase_add_test(tc, test_spp_connect_failure_ends_session);
	tcase_add_test(tc, test_spp_helo);
	tcase_add_test(tc, test_spp_mail);
	tcase_add_test(tc, test_spp_rcpt);
	tcase_add_test(tc, test_spp_rcpt_accepted);
	tcase_add_test(tc, test_spp_data);
	tcase_add_test(tc, test_spp_auth);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

	/* the plugins run under the real spp-run */
	if (system("unshare -U true 2>/dev/null") != 0) {
		if (getenv("SPP_SANDBOX_REQUIRED") &&
		    !strcmp(getenv("SPP_SANDBOX_REQUIRED"), "1")) {
			printf("not ok 1 - cannot create a user namespace\n");
			return 1;
		}
		printf("1..0 # SKIP cannot create a user namespace\n");
		return 0;
	}
	sr = srunner_create(dropin_suite());
	srunner_set_tap(sr, "-");
	srunner_run_all(sr, CK_SILENT);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
