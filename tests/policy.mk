# SPDX-License-Identifier: GPL-2.0-or-later
# Unit and golden tests of the policy parser (policy/).
if HAVE_CHECK
check_PROGRAMS += tests/test_policy
TESTS += tests/test_policy
tests_test_policy_SOURCES = tests/test_policy.c
tests_test_policy_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_test_policy_LDADD = policy/libpol.a $(SBX_LIBS) $(CHECK_LIBS)
endif
