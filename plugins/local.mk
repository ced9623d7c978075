# SPDX-License-Identifier: GPL-2.0-or-later
# Sample plugins and the demo (`make demo`); where the plugins of
# plugins/NAME/local.mk install: plugins_PROGRAMS and plugins_SCRIPTS to
# $(pluginsdir),
# policies (PLUGIN_POLICIES += plugins/NAME/NAME.policy) to $(policydir),
# never over a file the administrator already has.
pluginsdir = $(qmailhome)/plugins
policydir = $(qmailhome)/control/spp
plugins_PROGRAMS =
plugins_SCRIPTS =
PLUGIN_POLICIES =

install-data-local: install-plugin-policies
install-plugin-policies:
	$(MKDIR_P) '$(DESTDIR)$(policydir)'
	@for f in $(PLUGIN_POLICIES); do \
		b=`basename "$$f"`; \
		if test -e '$(DESTDIR)$(policydir)'/"$$b"; then \
			echo "keeping $(DESTDIR)$(policydir)/$$b"; \
		else \
			echo "$(INSTALL_DATA) $$f $(DESTDIR)$(policydir)/$$b"; \
			$(INSTALL_DATA) "$(srcdir)/$$f" '$(DESTDIR)$(policydir)'/"$$b" || exit 1; \
		fi; \
	done
# An administrator's policies stay; only the untouched shipped ones go.
uninstall-local:
	@for f in $(PLUGIN_POLICIES); do \
		b=`basename "$$f"`; \
		if cmp -s "$(srcdir)/$$f" '$(DESTDIR)$(policydir)'/"$$b"; then \
			rm -f '$(DESTDIR)$(policydir)'/"$$b"; \
		fi; \
	done
.PHONY: install-plugin-policies
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

# The demo copies the plugins to a temporary qmail home, so it runs from a
# read-only source tree too.
demo: spp-session$(EXEEXT) spp-run$(EXEEXT)
	$(SHELL) $(srcdir)/plugins/demo/run-demo.sh \
		$(abs_top_builddir)/spp-session$(EXEEXT) \
		$(abs_top_builddir)/spp-run$(EXEEXT) $(srcdir)/plugins/demo
.PHONY: demo
