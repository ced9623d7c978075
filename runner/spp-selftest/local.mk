# SPDX-License-Identifier: GPL-2.0-or-later
# spp-selftest: can plugins be sandboxed on this host, as this user? The
# kernel features spp-run needs, one line each, then a real run of the
# installed spp-run (its path compiled in, as the hook layer's is) on a
# trivial plugin. Uses the sandbox library's errors, buffers and cgroup.
bin_PROGRAMS += spp-selftest
dist_man_MANS += runner/spp-selftest/spp-selftest.8
spp_selftest_SOURCES = \
	runner/spp-selftest/spp-selftest.c \
	runner/spp-selftest/probe.h \
	runner/spp-selftest/probe.c \
	runner/spp-selftest/trial.h \
	runner/spp-selftest/trial.c \
	$(NULL)
spp_selftest_CPPFLAGS = $(SBX_CPPFLAGS) \
	-DSPP_RUN_PATH='"$(bindir)/spp-run"'
# the default policy (its limits) needs libseccomp: static, as spp-run
spp_selftest_LDADD = $(SBX_ARCHIVES) $(RUN_LIBS)
