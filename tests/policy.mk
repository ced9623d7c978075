# SPDX-License-Identifier: GPL-2.0-or-later
# Unit and golden tests of the policy parser (policy/). The golden files:
# ok/NAME.policy parses and dumps as ok/NAME.out; bad/NAME.policy fails
# with the first error line in bad/NAME.err.
if HAVE_CHECK
check_PROGRAMS += tests/test_policy
TESTS += tests/test_policy
tests_test_policy_SOURCES = tests/test_policy.c
tests_test_policy_CPPFLAGS = $(POL_CPPFLAGS)
tests_test_policy_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_test_policy_LDADD = policy/lib/libpol.a $(SBX_LIBS) $(CHECK_LIBS)
endif

EXTRA_DIST += \
	tests/policy/bad/host-proc.policy \
	tests/policy/bad/host-proc.err \
	tests/policy/ok/net.policy \
	tests/policy/ok/net.out \
	tests/policy/bad/ports-no-net.policy \
	tests/policy/bad/ports-no-net.err \
	tests/policy/bad/port-range.policy \
	tests/policy/bad/port-range.err \
	tests/policy/bad/control.err \
	tests/policy/bad/control.policy \
	tests/policy/bad/crlf.err \
	tests/policy/bad/crlf.policy \
	tests/policy/bad/duplicate.err \
	tests/policy/bad/duplicate.policy \
	tests/policy/bad/env-duplicate.err \
	tests/policy/bad/env-duplicate.policy \
	tests/policy/bad/env-ld-prefix.err \
	tests/policy/bad/env-ld-prefix.policy \
	tests/policy/bad/env-ld.err \
	tests/policy/bad/env-ld.policy \
	tests/policy/bad/env-name.err \
	tests/policy/bad/env-name.policy \
	tests/policy/bad/family-none.err \
	tests/policy/bad/family-none.policy \
	tests/policy/bad/family.err \
	tests/policy/bad/family.policy \
	tests/policy/bad/files-small.err \
	tests/policy/bad/files-small.policy \
	tests/policy/bad/first-error.err \
	tests/policy/bad/first-error.policy \
	tests/policy/bad/group-root.err \
	tests/policy/bad/group-root.policy \
	tests/policy/bad/list-no-value.err \
	tests/policy/bad/list-no-value.policy \
	tests/policy/bad/long-line.err \
	tests/policy/bad/long-line.policy \
	tests/policy/bad/memory-small.err \
	tests/policy/bad/memory-small.policy \
	tests/policy/bad/network.err \
	tests/policy/bad/network.policy \
	tests/policy/bad/no-value.err \
	tests/policy/bad/no-value.policy \
	tests/policy/bad/nul-byte.err \
	tests/policy/bad/nul-byte.policy \
	tests/policy/bad/on-failure.err \
	tests/policy/bad/on-failure.policy \
	tests/policy/bad/path-dotdot.err \
	tests/policy/bad/path-dotdot.policy \
	tests/policy/bad/path-duplicate.err \
	tests/policy/bad/path-duplicate.policy \
	tests/policy/bad/path-relative.err \
	tests/policy/bad/path-relative.policy \
	tests/policy/bad/path-root.err \
	tests/policy/bad/path-root.policy \
	tests/policy/bad/procs-unit.err \
	tests/policy/bad/procs-unit.policy \
	tests/policy/bad/procs-zero.err \
	tests/policy/bad/procs-zero.policy \
	tests/policy/bad/setvars-ld.err \
	tests/policy/bad/setvars-ld.policy \
	tests/policy/bad/setvars-prefix.err \
	tests/policy/bad/setvars-prefix.policy \
	tests/policy/bad/size-junk.err \
	tests/policy/bad/size-junk.policy \
	tests/policy/bad/size-lowercase.err \
	tests/policy/bad/size-lowercase.policy \
	tests/policy/bad/size-negative.err \
	tests/policy/bad/size-negative.policy \
	tests/policy/bad/size-unit.err \
	tests/policy/bad/size-unit.policy \
	tests/policy/bad/stdout-small.err \
	tests/policy/bad/stdout-small.policy \
	tests/policy/bad/syscall-default.err \
	tests/policy/bad/syscall-default.policy \
	tests/policy/bad/syscall-denied.err \
	tests/policy/bad/syscall-denied.policy \
	tests/policy/bad/syscall-group.err \
	tests/policy/bad/syscall-group.policy \
	tests/policy/bad/syscall-unknown.err \
	tests/policy/bad/syscall-unknown.policy \
	tests/policy/bad/time-no-unit.err \
	tests/policy/bad/time-no-unit.policy \
	tests/policy/bad/time-unit.err \
	tests/policy/bad/time-unit.policy \
	tests/policy/bad/timeout-long.err \
	tests/policy/bad/timeout-long.policy \
	tests/policy/bad/timeout-zero.err \
	tests/policy/bad/timeout-zero.policy \
	tests/policy/bad/tmpfs-zero.err \
	tests/policy/bad/tmpfs-zero.policy \
	tests/policy/bad/two-values.err \
	tests/policy/bad/two-values.policy \
	tests/policy/bad/unknown-directive.err \
	tests/policy/bad/unknown-directive.policy \
	tests/policy/bad/user-bad-id.err \
	tests/policy/bad/user-bad-id.policy \
	tests/policy/bad/user-root-name.err \
	tests/policy/bad/user-root-name.policy \
	tests/policy/bad/user-root.err \
	tests/policy/bad/user-root.policy \
	tests/policy/bad/user-unknown.err \
	tests/policy/bad/user-unknown.policy \
	tests/policy/bad/verdicts.err \
	tests/policy/bad/verdicts.policy \
	tests/policy/bad/workdir-relative.err \
	tests/policy/bad/workdir-relative.policy \
	tests/policy/ok/comments.out \
	tests/policy/ok/comments.policy \
	tests/policy/ok/dns-check.out \
	tests/policy/ok/dns-check.policy \
	tests/policy/ok/full.out \
	tests/policy/ok/full.policy \
	tests/policy/ok/lists.out \
	tests/policy/ok/lists.policy \
	tests/policy/ok/units.out \
	tests/policy/ok/units.policy \
	$(NULL)
