# SPDX-License-Identifier: GPL-2.0-or-later
# Moving real plugins into the sandbox: plugins like third-party ones
# (tests/plugins/thirdparty/) through spp-session --compare and --learn.
check_SCRIPTS += tests/plugins/thirdparty/rcptme
TESTS += tests/migration.test
EXTRA_DIST += \
	tests/migration.test \
	tests/plugins/thirdparty/badhelo.sh \
	tests/plugins/thirdparty/heloname.sh \
	tests/plugins/thirdparty/mxcheck.pl \
	tests/plugins/thirdparty/rcptme.c \
	tests/plugins/thirdparty/slowreject.sh \
	tests/plugins/thirdparty/spfcheck.py \
	$(NULL)
CLEANFILES += tests/plugins/thirdparty/rcptme

tests/plugins/thirdparty/rcptme: tests/plugins/thirdparty/rcptme.c
	$(AM_V_CC)$(MKDIR_P) tests/plugins/thirdparty && \
	$(SBX_PLUGIN_CC) $(srcdir)/tests/plugins/thirdparty/rcptme.c
