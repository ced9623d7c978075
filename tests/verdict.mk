# SPDX-License-Identifier: GPL-2.0-or-later
# Unit test of the verdict validator (runner/proto/verdict.c).
if HAVE_CHECK
check_PROGRAMS += tests/test_verdict
TESTS += tests/test_verdict
tests_test_verdict_SOURCES = tests/test_verdict.c
tests_test_verdict_CPPFLAGS = $(PROTO_CPPFLAGS)
tests_test_verdict_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_test_verdict_LDADD = runner/proto/libverdict.a $(CHECK_LIBS)
endif
