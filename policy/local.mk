# SPDX-License-Identifier: GPL-2.0-or-later
# The policy language: a library (pol_*, public header policy/include/pol.h)
# that sees only the sandbox library's public header and the verdict
# protocol, and the program spp-policy(1). The format is spp-policy(5).
POL_CPPFLAGS = $(SBX_CPPFLAGS) -I$(srcdir)/policy/include

noinst_LIBRARIES += policy/lib/libpol.a
policy_lib_libpol_a_SOURCES = \
	policy/include/pol.h \
	policy/lib/pol.c \
	policy/lib/units.c \
	policy/lib/learned.c \
	$(NULL)
policy_lib_libpol_a_CPPFLAGS = $(POL_CPPFLAGS)

bin_PROGRAMS += spp-policy
spp_policy_SOURCES = policy/spp-policy/spp-policy.c
spp_policy_CPPFLAGS = $(POL_CPPFLAGS)
spp_policy_LDADD = policy/lib/libpol.a $(SBX_ARCHIVES) $(RUN_LIBS)
dist_man_MANS += policy/spp-policy/spp-policy.1 policy/spp-policy/spp-policy.5
