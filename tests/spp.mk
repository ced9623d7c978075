# SPDX-License-Identifier: GPL-2.0-or-later
# The hook layer: unit tests (tests/test_spp, fake glue and transport) and
# spp-session dialogues with real sandboxed plugins (tests/spp/).
if HAVE_CHECK
check_PROGRAMS += tests/test_spp
TESTS += tests/test_spp
tests_test_spp_SOURCES = tests/test_spp.c
tests_test_spp_CPPFLAGS = $(HOOK_CPPFLAGS) \
	-DSPP_RUN_PATH='"$(bindir)/spp-run"'
tests_test_spp_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_test_spp_LDADD = smtpd-patch/hook/libspp.a $(CHECK_LIBS)
endif

TESTS += tests/spp-session.test
EXTRA_DIST += \
	tests/spp-session.test \
	tests/spp-load.sh \
	tests/spp/say.sh \
	tests/spp/env.sh \
	tests/spp/hang.sh \
	tests/spp/crash.sh \
	tests/spp/big.sh \
	tests/spp/escape.sh \
	$(NULL)

# The load test, on demand: SPP_LOAD_N=500 make spp-load.
spp-load: spp-session$(EXEEXT) spp-run$(EXEEXT)
	$(SHELL) $(srcdir)/tests/spp-load.sh \
		$(abs_top_builddir)/spp-session$(EXEEXT) \
		$(abs_top_builddir)/spp-run$(EXEEXT) \
		$(abs_top_srcdir)/tests/spp/say.sh $(SPP_LOAD_N)
.PHONY: spp-load
