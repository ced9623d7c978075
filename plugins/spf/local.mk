# SPDX-License-Identifier: GPL-2.0-or-later
# The spf plugin ([mail], libspf2), built when configure found libspf2.
if HAVE_SPF2
plugins_PROGRAMS += plugins/spf/spf
plugins_spf_spf_SOURCES = plugins/spf/spf.c
# plain: a sanitizer's run time needs more than the policy allows
plugins_spf_spf_CFLAGS = $(PLAIN_CFLAGS)
plugins_spf_spf_LDFLAGS =
plugins_spf_spf_LDADD = $(SPF2_LIBS)
PLUGIN_POLICIES += plugins/spf/spf.policy
endif
EXTRA_DIST += \
	plugins/spf/spf.policy \
	plugins/spf/README.section.md \
	$(NULL)
