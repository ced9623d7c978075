# SPDX-License-Identifier: GPL-2.0-or-later
# The helo plugin, HELO/EHLO sanity ([helo]); plain flags: its policy's
# syscall list fits the plain build, not a sanitizer's run time.
plugins_PROGRAMS += plugins/helo/helo
plugins_helo_helo_SOURCES = plugins/helo/helo.c
plugins_helo_helo_CFLAGS = $(PLAIN_CFLAGS)
plugins_helo_helo_LDFLAGS =
PLUGIN_POLICIES += plugins/helo/helo.policy
EXTRA_DIST += \
	plugins/helo/helo.policy \
	plugins/helo/README.section.md \
	$(NULL)
