# SPDX-License-Identifier: GPL-2.0-or-later
# The rbl plugin, DNS blocklists ([connection]); plain flags: its policy's
# syscall list fits the plain build, not a sanitizer's run time.
plugins_PROGRAMS += plugins/rbl/rbl
plugins_rbl_rbl_SOURCES = plugins/rbl/rbl.c
plugins_rbl_rbl_CFLAGS = $(PLAIN_CFLAGS)
plugins_rbl_rbl_LDFLAGS =
PLUGIN_POLICIES += plugins/rbl/rbl.policy
EXTRA_DIST += \
	plugins/rbl/rbl.policy \
	plugins/rbl/README.section.md \
	$(NULL)
