# SPDX-License-Identifier: GPL-2.0-or-later
# The policy file parser (pol_*), linked into the programs that read
# policies and into tests/test_policy.
noinst_LIBRARIES += policy/libpol.a
policy_libpol_a_SOURCES = \
	policy/pol.h \
	policy/pol.c \
	policy/units.c \
	$(NULL)
