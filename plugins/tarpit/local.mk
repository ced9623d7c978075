# SPDX-License-Identifier: GPL-2.0-or-later
# The tarpit plugin, recipient tarpit ([rcpt]); plain flags: its policy's
# syscall list fits the plain build, not a sanitizer's run time.
plugins_PROGRAMS += plugins/tarpit/tarpit
plugins_tarpit_tarpit_SOURCES = plugins/tarpit/tarpit.c
plugins_tarpit_tarpit_CFLAGS = $(PLAIN_CFLAGS)
plugins_tarpit_tarpit_LDFLAGS =
PLUGIN_POLICIES += plugins/tarpit/tarpit.policy
EXTRA_DIST += \
	plugins/tarpit/tarpit.policy \
	plugins/tarpit/README.section.md \
	$(NULL)
