# SPDX-License-Identifier: GPL-2.0-or-later
# The drop-in qmail-spp.c against stand-ins of qmail's calls and of
# qmail-smtpd.c's globals, in both dialects. Built as the trees build it:
# no config.h, K&R declarations in qmail-spp.h.
if HAVE_CHECK
check_PROGRAMS += tests/dropin/test_dropin tests/dropin/test_dropin_sagredo
TESTS += tests/dropin/test_dropin tests/dropin/test_dropin_sagredo
DROPIN_TEST_FILES = \
	tests/dropin/test_dropin.c \
	tests/dropin/stand-in.c \
	tests/dropin/stralloc.h \
	tests/dropin/env.h \
	$(NULL)
DROPIN_TEST_CPPFLAGS = -I$(srcdir)/tests/dropin -Ismtpd-patch/dropin
DROPIN_TEST_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) -Wno-strict-prototypes

tests_dropin_test_dropin_SOURCES = $(DROPIN_TEST_FILES)
nodist_tests_dropin_test_dropin_SOURCES = smtpd-patch/dropin/qmail-spp.c
tests_dropin_test_dropin_CPPFLAGS = $(DROPIN_TEST_CPPFLAGS) -DSPP_DIALECT=0
tests_dropin_test_dropin_CFLAGS = $(DROPIN_TEST_CFLAGS)
tests_dropin_test_dropin_LDADD = $(CHECK_LIBS)

tests_dropin_test_dropin_sagredo_SOURCES = $(DROPIN_TEST_FILES)
nodist_tests_dropin_test_dropin_sagredo_SOURCES = \
	smtpd-patch/dropin/qmail-spp.c
tests_dropin_test_dropin_sagredo_CPPFLAGS = $(DROPIN_TEST_CPPFLAGS) \
	-DSPP_DIALECT=1
tests_dropin_test_dropin_sagredo_CFLAGS = $(DROPIN_TEST_CFLAGS)
tests_dropin_test_dropin_sagredo_LDADD = $(CHECK_LIBS)
endif

