# SPDX-License-Identifier: GPL-2.0-or-later
# Sample plugins and the demo (`make demo`). `make install` puts the
# plugins of plugins/NAME/local.mk (plugins_PROGRAMS, plugins_SCRIPTS) in
# $(pluginsdir) and their policies (PLUGIN_POLICIES) in $(policydir), the
# package's own directories: it never writes into a qmail home, where a
# sample could shadow an administrator's plugin or policy of the same
# name. `make install-qmail` copies them into $(qmailhome) on request,
# skipping every file that is already there.
pluginsdir = $(pkglibexecdir)/plugins
policydir = $(pkgdatadir)/policies
plugins_PROGRAMS =
plugins_SCRIPTS =
PLUGIN_POLICIES =
dist_pkgdata_DATA = plugins/smtpplugins.sample

install-data-local: install-plugin-policies
install-plugin-policies:
	$(MKDIR_P) '$(DESTDIR)$(policydir)'
	@for f in $(PLUGIN_POLICIES); do \
		echo "$(INSTALL_DATA) $$f $(DESTDIR)$(policydir)"; \
		$(INSTALL_DATA) "$(srcdir)/$$f" '$(DESTDIR)$(policydir)' || exit 1; \
	done
uninstall-local: uninstall-plugin-policies
uninstall-plugin-policies:
	@for f in $(PLUGIN_POLICIES); do \
		rm -f '$(DESTDIR)$(policydir)'/"`basename $$f`"; \
	done

# Into the qmail home, only on request, never over an existing file:
# plugins/NAME, control/spp/NAME.policy, control/smtpplugins.
QMAIL_PLUGINS = $(plugins_PROGRAMS) $(plugins_SCRIPTS:%=$(srcdir)/%)
install-qmail: all
	$(MKDIR_P) '$(DESTDIR)$(qmailhome)/plugins' \
		'$(DESTDIR)$(qmailhome)/control/spp'
	@keep() { \
		if test -e "$$2" || test -L "$$2"; then \
			echo "keeping $$2"; \
		else \
			echo "$$3 $$1 $$2"; $$3 "$$1" "$$2" || exit 1; \
		fi; \
	}; \
	for f in $(QMAIL_PLUGINS); do \
		keep "$$f" '$(DESTDIR)$(qmailhome)/plugins'/"`basename $$f`" \
			'$(INSTALL_PROGRAM)' || exit 1; \
	done; \
	for f in $(PLUGIN_POLICIES); do \
		keep "$(srcdir)/$$f" \
			'$(DESTDIR)$(qmailhome)/control/spp'/"`basename $$f`" \
			'$(INSTALL_DATA)' || exit 1; \
	done; \
	keep '$(srcdir)/plugins/smtpplugins.sample' \
		'$(DESTDIR)$(qmailhome)/control/smtpplugins' '$(INSTALL_DATA)'
.PHONY: install-plugin-policies uninstall-plugin-policies install-qmail

EXTRA_PROGRAMS += plugins/demo/crash
plugins_demo_crash_SOURCES = plugins/demo/crash.c
plugins_demo_crash_CFLAGS = $(PLAIN_CFLAGS)
plugins_demo_crash_LDFLAGS =
# The demo is installed too, in $(pkgdatadir)/demo, so that an installed
# package can run it: run-demo.sh SPP-SESSION SPP-RUN $(pkgdatadir)/demo.
demodir = $(pkgdatadir)/demo
dist_demo_SCRIPTS = \
	plugins/demo/run-demo.sh \
	plugins/demo/rbl-env.sh \
	plugins/demo/helo-check.sh \
	plugins/demo/hostile.sh \
	plugins/demo/hang.sh \
	$(NULL)
dist_demo_DATA = \
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
