# SPDX-License-Identifier: GPL-2.0-or-later
# Tests of the spp-policy command line (check, show, usage errors) on the
# parser's golden files in tests/policy/ (listed by tests/policy.mk).
TESTS += tests/spp-policy.test
EXTRA_DIST += tests/spp-policy.test

# spp-policy learn, end to end through spp-run.
TESTS += tests/learn.test
EXTRA_DIST += tests/learn.test

# spp-policy compile and spp-run's use of the compiled filter.
TESTS += tests/compile.test
EXTRA_DIST += tests/compile.test
