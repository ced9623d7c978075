# SPDX-License-Identifier: GPL-2.0-or-later
# An example control/smtpplugins, installed only where there is none yet:
# an admin's control files are never overwritten.
controldir = $(qmailhome)/control
EXTRA_DIST += plugins/smtpplugins.sample plugins/README.md

install-data-local: install-smtpplugins-sample
install-smtpplugins-sample:
	$(MKDIR_P) '$(DESTDIR)$(controldir)'
	if test -e '$(DESTDIR)$(controldir)/smtpplugins'; then \
		echo "keeping $(DESTDIR)$(controldir)/smtpplugins"; \
	else \
		$(INSTALL_DATA) '$(srcdir)/plugins/smtpplugins.sample' \
			'$(DESTDIR)$(controldir)/smtpplugins'; \
	fi
uninstall-local: uninstall-smtpplugins-sample
uninstall-smtpplugins-sample:
	if cmp -s '$(srcdir)/plugins/smtpplugins.sample' \
		'$(DESTDIR)$(controldir)/smtpplugins'; then \
		rm -f '$(DESTDIR)$(controldir)/smtpplugins'; fi
.PHONY: install-smtpplugins-sample uninstall-smtpplugins-sample

# Every shipped policy passes spp-policy check.
TESTS += tests/shipped-policies.test
EXTRA_DIST += tests/shipped-policies.test

# All sample plugins in one configuration, through spp-session.
TESTS += tests/all-plugins.test
EXTRA_DIST += tests/all-plugins.test
