# SPDX-License-Identifier: GPL-2.0-or-later
noinst_LIBRARIES += runner/libsbx.a
runner_libsbx_a_SOURCES = \
	runner/sbx.h \
	runner/verdict.h \
	runner/verdict.c \
	runner/error.c \
	runner/policy.c \
	runner/syscalls.c \
	runner/internal.h \
	runner/filter.c \
	runner/ns.c \
	runner/mount.c \
	runner/resolve.c \
	runner/replace.c \
	runner/cgroup.c \
	runner/caps.c \
	runner/spawn.c \
	runner/collect.c \
	runner/result.c \
	runner/env.c \
	runner/netguard.c \
	runner/observe.c \
	$(NULL)
runner_libsbx_a_CFLAGS = $(AM_CFLAGS) $(SECCOMP_CFLAGS) $(CAP_CFLAGS)

SBX_LIBS = runner/libsbx.a $(SECCOMP_LIBS) $(CAP_LIBS)

bin_PROGRAMS += spp-run
dist_man_MANS += runner/spp-run.8
spp_run_SOURCES = runner/spp-run.c runner/cli.c runner/cli.h
nodist_spp_run_SOURCES = runner/default-filter.c
spp_run_LDADD = policy/libpol.a runner/libsbx.a $(RUN_LIBS)

# The default policy's seccomp filter, compiled at build time.
noinst_PROGRAMS += runner/gen-filter
runner_gen_filter_SOURCES = runner/gen-filter.c
runner_gen_filter_LDADD = $(SBX_LIBS)
runner/default-filter.c: runner/gen-filter$(EXEEXT)
	$(AM_V_GEN)runner/gen-filter$(EXEEXT) > $@.tmp && mv $@.tmp $@
CLEANFILES += runner/default-filter.c
