# SPDX-License-Identifier: GPL-2.0-or-later
# Sample plugins and the demo (`make demo`).
EXTRA_PROGRAMS += plugins/demo/crash
plugins_demo_crash_SOURCES = plugins/demo/crash.c
plugins_demo_crash_CFLAGS = $(PLAIN_CFLAGS)
plugins_demo_crash_LDFLAGS =
EXTRA_DIST += \
	plugins/demo/run-demo.sh \
	plugins/demo/rbl-env.sh \
	plugins/demo/helo-check.sh \
	plugins/demo/hostile.sh \
	plugins/demo/hang.sh \
	plugins/demo/hostile.policy \
	plugins/demo/hang.policy \
	$(NULL)

# The demo copies the plugins to a temporary directory, so it runs from a
# read-only source tree too.
demo: spp-run$(EXEEXT) plugins/demo/crash$(EXEEXT)
	$(SHELL) $(srcdir)/plugins/demo/run-demo.sh \
		$(abs_top_builddir)/spp-run$(EXEEXT) $(srcdir)/plugins/demo \
		$(abs_top_builddir)/plugins/demo/crash$(EXEEXT)
.PHONY: demo
