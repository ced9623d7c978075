# SPDX-License-Identifier: GPL-2.0-or-later
# Integration tests: each policy directive enforced by spp-run --policy, with
# real plugins (tests/plugins/probe, tests/plugins/enforce, listen).

# Built like the sandbox suite's plugins: plain, no sanitizers (the rule
# SBX_PLUGIN_CC comes from tests/sandbox.mk).
check_SCRIPTS += tests/plugins/enforce
TESTS += tests/policy-enforce.test
EXTRA_DIST += \
	tests/policy-enforce.test \
	tests/plugins/enforce.c \
	$(NULL)
CLEANFILES += tests/plugins/enforce

tests/plugins/enforce: tests/plugins/enforce.c
	$(AM_V_CC)$(SBX_PLUGIN_CC) $(srcdir)/tests/plugins/enforce.c
