# SPDX-License-Identifier: GPL-2.0-or-later
# Shell suites (TAP), each named after what it tests; all source tap.sh
# (TAP output, failure notes, the one "can a sandbox be made here" probe).
SUITES = \
	tests/suites/sandbox.test \
	tests/suites/policy-enforce.test \
	tests/suites/spp-policy.test \
	tests/suites/learn.test \
	tests/suites/compile.test \
	tests/suites/hook-session.test \
	tests/suites/plugins-escape.test \
	tests/suites/shipped-policies.test \
	tests/suites/all-plugins.test \
	tests/suites/install.test \
	tests/suites/greylist.test \
	tests/suites/rcptcheck.test \
	tests/suites/spf.test \
	tests/suites/migration.test \
	tests/suites/report.test \
	tests/suites/netqmail-patch.test \
	tests/suites/selftest.test \
	tests/suites/broker.test \
	$(NULL)
TESTS += $(SUITES)
# broker.test's raw client: garbage sent to spp-sandboxd
check_PROGRAMS += tests/plugins/unix-send
tests_plugins_unix_send_SOURCES = tests/plugins/unix-send.c
EXTRA_DIST += $(SUITES) tests/suites/tap.sh tests/suites/spp-load.sh \
	tests/suites/report/promcheck.py \
	tests/suites/report/tai64n-stamp.py \
	tests/suites/report/to-journal.py \
	$(NULL)

# The load test, on demand: SPP_LOAD_N=500 make spp-load.
spp-load: spp-session$(EXEEXT) spp-run$(EXEEXT)
	$(SHELL) $(srcdir)/tests/suites/spp-load.sh \
		$(abs_top_builddir)/spp-session$(EXEEXT) \
		$(abs_top_builddir)/spp-run$(EXEEXT) \
		$(abs_top_srcdir)/tests/plugins/session/say.sh $(SPP_LOAD_N)
.PHONY: spp-load
