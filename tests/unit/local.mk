# SPDX-License-Identifier: GPL-2.0-or-later
# Unit test programs (check), one per module or feature, each compiled with
# the include paths of the layer it tests. tap.c runs a suite with TAP
# output; tap-seccomp.c lets the ones that compile filters run under
# valgrind (tests/all.sh runs these programs under it).
if HAVE_CHECK
UNIT_TESTS = \
	tests/unit/test_verdict \
	tests/unit/test_text \
	tests/unit/test_defaults \
	tests/unit/test_result \
	tests/unit/test_cgroup \
	tests/unit/test_filter \
	tests/unit/test_env \
	tests/unit/test_resolve \
	tests/unit/test_plan \
	tests/unit/test_spp_run_cli \
	tests/unit/test_selftest_probe \
	tests/unit/test_policy \
	tests/unit/test_hook \
	tests/unit/test_report_logline \
	tests/unit/test_report_tally \
	tests/unit/test_report_output \
	tests/unit/test_report_args \
	$(NULL)
check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)
UNIT_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
UNIT_TAP = tests/unit/tap.c tests/unit/tap.h
UNIT_TAP_SECCOMP = $(UNIT_TAP) tests/unit/tap-seccomp.c
# The library's own tests may look inside it (internal.h).
UNIT_SBX_CPPFLAGS = $(SBX_CPPFLAGS) -I$(srcdir)/runner/lib

# the verdict protocol: libc only
tests_unit_test_verdict_SOURCES = tests/unit/test_verdict.c $(UNIT_TAP)
tests_unit_test_verdict_CPPFLAGS = $(PROTO_CPPFLAGS)
tests_unit_test_verdict_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_verdict_LDADD = runner/proto/libverdict.a $(CHECK_LIBS)

# the sandbox library
tests_unit_test_text_SOURCES = tests/unit/test_text.c $(UNIT_TAP)
tests_unit_test_text_CPPFLAGS = $(UNIT_SBX_CPPFLAGS)
tests_unit_test_text_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_text_LDADD = $(SBX_LIBS) $(CHECK_LIBS)

tests_unit_test_defaults_SOURCES = tests/unit/test_defaults.c \
	$(UNIT_TAP_SECCOMP)
tests_unit_test_defaults_CPPFLAGS = $(UNIT_SBX_CPPFLAGS)
tests_unit_test_defaults_CFLAGS = $(UNIT_CFLAGS) $(SECCOMP_CFLAGS)
tests_unit_test_defaults_LDADD = $(SBX_LIBS) $(CHECK_LIBS)

tests_unit_test_result_SOURCES = tests/unit/test_result.c $(UNIT_TAP)
tests_unit_test_result_CPPFLAGS = $(UNIT_SBX_CPPFLAGS)
tests_unit_test_result_CFLAGS = $(UNIT_CFLAGS) $(SECCOMP_CFLAGS)
tests_unit_test_result_LDADD = $(SBX_LIBS) $(CHECK_LIBS)

tests_unit_test_cgroup_SOURCES = tests/unit/test_cgroup.c $(UNIT_TAP)
tests_unit_test_cgroup_CPPFLAGS = $(UNIT_SBX_CPPFLAGS)
tests_unit_test_cgroup_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_cgroup_LDADD = $(SBX_LIBS) $(CHECK_LIBS)

# the filter, checked against libseccomp's own output, and the build-time
# default filter against a fresh one
tests_unit_test_filter_SOURCES = tests/unit/test_filter.c $(UNIT_TAP_SECCOMP)
tests_unit_test_filter_CPPFLAGS = $(UNIT_SBX_CPPFLAGS)
tests_unit_test_filter_CFLAGS = $(UNIT_CFLAGS) $(SECCOMP_CFLAGS) $(CAP_CFLAGS)
tests_unit_test_filter_LDADD = $(SBX_DEFAULT_FILTER) $(SBX_LIBS) $(CHECK_LIBS)
tests_unit_test_filter_LDFLAGS = $(AM_LDFLAGS) $(DEFAULT_FILTER_LINK)

tests_unit_test_env_SOURCES = tests/unit/test_env.c $(UNIT_TAP)
tests_unit_test_env_CPPFLAGS = $(SBX_CPPFLAGS)
tests_unit_test_env_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_env_LDADD = $(SBX_LIBS) $(CHECK_LIBS)

tests_unit_test_resolve_SOURCES = tests/unit/test_resolve.c $(UNIT_TAP)
tests_unit_test_resolve_CPPFLAGS = $(UNIT_SBX_CPPFLAGS)
tests_unit_test_resolve_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_resolve_LDADD = $(SBX_LIBS) $(CHECK_LIBS)

tests_unit_test_plan_SOURCES = tests/unit/test_plan.c $(UNIT_TAP_SECCOMP)
tests_unit_test_plan_CPPFLAGS = $(UNIT_SBX_CPPFLAGS)
tests_unit_test_plan_CFLAGS = $(UNIT_CFLAGS) $(SECCOMP_CFLAGS)
tests_unit_test_plan_LDADD = $(SBX_LIBS) $(CHECK_LIBS)

# spp-run's command line module, which the program links directly
tests_unit_test_spp_run_cli_SOURCES = tests/unit/test_spp_run_cli.c \
	runner/spp-run/cli.c runner/spp-run/cli.h $(UNIT_TAP)
tests_unit_test_spp_run_cli_CPPFLAGS = $(SBX_CPPFLAGS) \
	-I$(srcdir)/runner/spp-run
tests_unit_test_spp_run_cli_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_spp_run_cli_LDADD = $(SBX_LIBS) $(CHECK_LIBS)

# spp-selftest's probes (which sysctl refuses user namespaces)
tests_unit_test_selftest_probe_SOURCES = tests/unit/test_selftest_probe.c \
	runner/spp-selftest/probe.c runner/spp-selftest/probe.h $(UNIT_TAP)
tests_unit_test_selftest_probe_CPPFLAGS = $(SBX_CPPFLAGS) \
	-I$(srcdir)/runner/spp-selftest
tests_unit_test_selftest_probe_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_selftest_probe_LDADD = $(SBX_LIBS) $(CHECK_LIBS)

# the policy language and its golden files (tests/golden/policy)
tests_unit_test_policy_SOURCES = tests/unit/test_policy.c $(UNIT_TAP)
tests_unit_test_policy_CPPFLAGS = $(POL_CPPFLAGS)
tests_unit_test_policy_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_policy_LDADD = policy/lib/libpol.a $(SBX_LIBS) $(CHECK_LIBS)

# the hook layer, with a fake glue and transport: its own header only
tests_unit_test_hook_SOURCES = tests/unit/test_hook.c $(UNIT_TAP)
tests_unit_test_hook_CPPFLAGS = $(HOOK_CPPFLAGS) \
	-DSPP_RUN_PATH='"$(bindir)/spp-run"'
tests_unit_test_hook_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_hook_LDADD = smtpd-patch/hook/libspp.a $(CHECK_LIBS)

# spp-report: its log line parser, tally, writers and command line
REPORT_UNIT_CPPFLAGS = $(SBX_CPPFLAGS) -I$(srcdir)/runner/spp-report
REPORT_UNIT_LDADD = $(REPORT_LIBS) $(CHECK_LIBS)
tests_unit_test_report_logline_SOURCES = tests/unit/test_report_logline.c \
	$(UNIT_TAP)
tests_unit_test_report_logline_CPPFLAGS = $(REPORT_UNIT_CPPFLAGS)
tests_unit_test_report_logline_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_report_logline_LDADD = $(REPORT_UNIT_LDADD)
tests_unit_test_report_tally_SOURCES = tests/unit/test_report_tally.c \
	$(UNIT_TAP)
tests_unit_test_report_tally_CPPFLAGS = $(REPORT_UNIT_CPPFLAGS)
tests_unit_test_report_tally_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_report_tally_LDADD = $(REPORT_UNIT_LDADD)
tests_unit_test_report_output_SOURCES = tests/unit/test_report_output.c \
	$(UNIT_TAP)
tests_unit_test_report_output_CPPFLAGS = $(REPORT_UNIT_CPPFLAGS)
tests_unit_test_report_output_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_report_output_LDADD = $(REPORT_UNIT_LDADD)
tests_unit_test_report_args_SOURCES = tests/unit/test_report_args.c \
	$(UNIT_TAP)
tests_unit_test_report_args_CPPFLAGS = $(REPORT_UNIT_CPPFLAGS)
tests_unit_test_report_args_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_report_args_LDADD = $(REPORT_UNIT_LDADD)
endif
# Picked up by directory: ok/NAME.policy dumps as ok/NAME.out, and
# bad/NAME.policy fails with the line in bad/NAME.err.
EXTRA_DIST += tests/golden
