# SPDX-License-Identifier: GPL-2.0-or-later
# Unit tests of the runner library's pure parts: test_runner (error.c,
# policy.c, result.c, syscalls.c, filter.c, sbx_jail_new), test_cli (cli.c,
# which spp-run links directly), test_env (env.c) and test_resolve
# (resolve.c).
if HAVE_CHECK
check_PROGRAMS += tests/test_runner tests/test_cli tests/test_env \
	tests/test_resolve tests/test_plan
TESTS += tests/test_runner tests/test_cli tests/test_env tests/test_resolve \
	tests/test_plan

tests_test_runner_SOURCES = tests/test_runner.c
# the build-time default filter, checked against libseccomp's output
tests_test_runner_CPPFLAGS = $(SBX_CPPFLAGS) -I$(srcdir)/runner/lib
tests_test_runner_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(SECCOMP_CFLAGS) \
	$(CAP_CFLAGS)
tests_test_runner_LDADD = $(SBX_DEFAULT_FILTER) $(SBX_LIBS) $(CHECK_LIBS)
tests_test_runner_LDFLAGS = $(AM_LDFLAGS) $(DEFAULT_FILTER_LINK)

tests_test_cli_SOURCES = tests/test_cli.c runner/spp-run/cli.c \
	runner/spp-run/cli.h
tests_test_cli_CPPFLAGS = $(SBX_CPPFLAGS) -I$(srcdir)/runner/spp-run
tests_test_cli_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_test_cli_LDADD = $(SBX_LIBS) $(CHECK_LIBS)

tests_test_resolve_SOURCES = tests/test_resolve.c
tests_test_resolve_CPPFLAGS = $(SBX_CPPFLAGS) -I$(srcdir)/runner/lib
tests_test_resolve_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_test_resolve_LDADD = $(SBX_LIBS) $(CHECK_LIBS)

tests_test_plan_SOURCES = tests/test_plan.c
tests_test_plan_CPPFLAGS = $(SBX_CPPFLAGS) -I$(srcdir)/runner/lib
tests_test_plan_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_test_plan_LDADD = $(SBX_LIBS) $(CHECK_LIBS)

tests_test_env_SOURCES = tests/test_env.c
tests_test_env_CPPFLAGS = $(SBX_CPPFLAGS)
tests_test_env_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_test_env_LDADD = $(SBX_LIBS) $(CHECK_LIBS)
endif
