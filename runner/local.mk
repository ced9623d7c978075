# SPDX-License-Identifier: GPL-2.0-or-later
# The runner, in three layers, each compiled with only the include paths
# of the layers below it (so a wrong #include fails the build):
#   runner/proto    the qmail-spp verdict protocol (libc only)
#   runner/lib      the sandbox library, public header runner/include/sbx.h
#   runner/spp-run  the program: a thin main over its command line module
PROTO_CPPFLAGS = $(AM_CPPFLAGS) -I$(srcdir)/runner/proto
SBX_CPPFLAGS = $(PROTO_CPPFLAGS) -I$(srcdir)/runner/include

noinst_LIBRARIES += runner/proto/libverdict.a
runner_proto_libverdict_a_SOURCES = \
	runner/proto/verdict.h \
	runner/proto/verdict.c \
	$(NULL)

noinst_LIBRARIES += runner/lib/libsbx.a
runner_lib_libsbx_a_SOURCES = \
	runner/include/sbx.h \
	runner/lib/internal.h \
	runner/lib/error.c \
	runner/lib/strv.c \
	runner/lib/text.c \
	runner/lib/defaults.c \
	runner/lib/syscalls.c \
	runner/lib/filter.c \
	runner/lib/ns.c \
	runner/lib/plan.c \
	runner/lib/mount.c \
	runner/lib/resolve.c \
	runner/lib/replace.c \
	runner/lib/cgroup.c \
	runner/lib/caps.c \
	runner/lib/landlock.c \
	runner/lib/jail.c \
	runner/lib/init.c \
	runner/lib/run.c \
	runner/lib/collect.c \
	runner/lib/result.c \
	runner/lib/env.c \
	runner/lib/netguard.c \
	runner/lib/observe.c \
	$(NULL)
runner_lib_libsbx_a_CPPFLAGS = $(SBX_CPPFLAGS)
runner_lib_libsbx_a_CFLAGS = $(AM_CFLAGS) $(SECCOMP_CFLAGS) $(CAP_CFLAGS)

SBX_ARCHIVES = runner/lib/libsbx.a runner/proto/libverdict.a
SBX_LIBS = $(SBX_ARCHIVES) $(SECCOMP_LIBS) $(CAP_LIBS)

bin_PROGRAMS += spp-run
dist_man_MANS += runner/spp-run/spp-run.8
spp_run_SOURCES = \
	runner/spp-run/spp-run.c \
	runner/spp-run/run-one.c \
	runner/spp-run/run-one.h \
	runner/spp-run/broker-client.c \
	runner/spp-run/broker-client.h \
	runner/spp-run/wire.c \
	runner/spp-run/wire.h \
	runner/spp-run/cli.c \
	runner/spp-run/cli.h \
	$(NULL)
spp_run_CPPFLAGS = $(POL_CPPFLAGS)
# libseccomp and libcap linked statically where possible (RUN_LIBS).
spp_run_LDADD = policy/lib/libpol.a $(SBX_DEFAULT_FILTER) $(SBX_ARCHIVES) \
	$(RUN_LIBS)
spp_run_LDFLAGS = $(AM_LDFLAGS) $(DEFAULT_FILTER_LINK)

# spp-sandboxd: the broker. Its workers run spp-run's own code (run-one.c)
# and find a plugin's policy with the hook layer's spp_policy_find().
bin_PROGRAMS += spp-sandboxd
dist_man_MANS += runner/spp-sandboxd/spp-sandboxd.8
spp_sandboxd_SOURCES = \
	runner/spp-sandboxd/spp-sandboxd.c \
	runner/spp-sandboxd/broker.c \
	runner/spp-sandboxd/broker.h \
	runner/spp-sandboxd/worker.c \
	runner/spp-sandboxd/metrics.c \
	smtpd-patch/glue/glue-none.c \
	runner/spp-run/run-one.c \
	runner/spp-run/wire.c \
	runner/spp-run/cli.c \
	$(NULL)
# Its metrics (-m) are spp-report's: its line parser, tally and writers
# (runner/spp-report/libreport.a, REPORT_LIBS).
spp_sandboxd_CPPFLAGS = $(POL_CPPFLAGS) -I$(srcdir)/runner/spp-run \
	-I$(srcdir)/smtpd-patch/hook -I$(srcdir)/runner/spp-report \
	-DQMAIL_HOME='"$(qmailhome)"'
spp_sandboxd_LDADD = smtpd-patch/hook/libspp.a policy/lib/libpol.a \
	runner/spp-report/libreport.a $(SBX_DEFAULT_FILTER) $(SBX_ARCHIVES) \
	$(RUN_LIBS) -lm
spp_sandboxd_LDFLAGS = $(AM_LDFLAGS) $(DEFAULT_FILTER_LINK)

# Its daemontools run script and systemd unit, with the paths configure
# chose, in share/spp-sandbox/spp-sandboxd/ (spp-sandboxd(8)).
sppsandboxddir = $(pkgdatadir)/spp-sandboxd
nodist_sppsandboxd_SCRIPTS = runner/spp-sandboxd/run
nodist_sppsandboxd_DATA = runner/spp-sandboxd/spp-sandboxd.service
EXTRA_DIST += \
	runner/spp-sandboxd/run.in \
	runner/spp-sandboxd/spp-sandboxd.service.in \
	$(NULL)
CLEANFILES += $(nodist_sppsandboxd_SCRIPTS) $(nodist_sppsandboxd_DATA)
runner/spp-sandboxd/run runner/spp-sandboxd/spp-sandboxd.service: \
		runner/spp-sandboxd/%: $(srcdir)/runner/spp-sandboxd/%.in
	$(AM_V_GEN)$(MKDIR_P) $(@D) && \
	sed -e 's|@bindir[@]|$(bindir)|g' \
	    -e 's|@qmailhome[@]|$(qmailhome)|g' $< >$@.tmp && \
	chmod a+rx $@.tmp && mv $@.tmp $@

# The default policy's seccomp filter, compiled at build time; the library
# uses it (a weak symbol) when the program links it in, which needs
# SBX_DEFAULT_FILTER: a weak reference alone pulls nothing from an archive.
noinst_PROGRAMS += runner/lib/gen-filter
runner_lib_gen_filter_SOURCES = runner/lib/gen-filter.c
runner_lib_gen_filter_CPPFLAGS = $(SBX_CPPFLAGS)
runner_lib_gen_filter_LDADD = $(SBX_LIBS)
runner/lib/default-filter.c: runner/lib/gen-filter$(EXEEXT)
	$(AM_V_GEN)runner/lib/gen-filter$(EXEEXT) > $@.tmp && mv $@.tmp $@
CLEANFILES += runner/lib/default-filter.c
noinst_LIBRARIES += runner/lib/libdefault-filter.a
nodist_runner_lib_libdefault_filter_a_SOURCES = runner/lib/default-filter.c
runner_lib_libdefault_filter_a_CPPFLAGS = $(SBX_CPPFLAGS) \
	-I$(srcdir)/runner/lib
SBX_DEFAULT_FILTER = runner/lib/libdefault-filter.a
DEFAULT_FILTER_LINK = -Wl,--require-defined=sbx_default_filter

# The AppArmor profile that lets spp-run make user namespaces where
# AppArmor restricts them (Ubuntu 23.10+); the Debian package installs it
# in /etc/apparmor.d (its path names /usr/bin/spp-run).
EXTRA_DIST += runner/apparmor/spp-run runner/apparmor/spp-sandboxd
