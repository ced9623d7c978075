# SPDX-License-Identifier: GPL-2.0-or-later
# The policy file parser (pol_*), linked into the programs that read
# policies and into tests/test_policy.
noinst_LIBRARIES += policy/libpol.a
policy_libpol_a_SOURCES = \
	policy/pol.h \
	policy/pol.c \
	policy/units.c \
	policy/learned.c \
	$(NULL)

# spp-policy(1): check policy files and show the effective policy. The
# format is described in spp-policy(5).
bin_PROGRAMS += spp-policy
spp_policy_SOURCES = policy/spp-policy.c
spp_policy_LDADD = policy/libpol.a runner/libsbx.a $(RUN_LIBS)
dist_man_MANS += policy/spp-policy.1 policy/spp-policy.5
