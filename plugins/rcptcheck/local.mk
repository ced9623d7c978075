# SPDX-License-Identifier: GPL-2.0-or-later
# The rcptcheck plugin ([rcpt]) and rcptcheck-make, built when configure
# found tinycdb (libcdb).
if HAVE_CDB
plugins_PROGRAMS += plugins/rcptcheck/rcptcheck
plugins_rcptcheck_rcptcheck_SOURCES = plugins/rcptcheck/rcptcheck.c
plugins_rcptcheck_rcptcheck_CFLAGS = $(PLAIN_CFLAGS) $(CDB_CFLAGS)
plugins_rcptcheck_rcptcheck_LDFLAGS =
plugins_rcptcheck_rcptcheck_LDADD = $(CDB_LIBS)
bin_PROGRAMS += rcptcheck-make
rcptcheck_make_SOURCES = plugins/rcptcheck/rcptcheck-make.c
rcptcheck_make_CFLAGS = $(AM_CFLAGS) $(CDB_CFLAGS)
rcptcheck_make_LDADD = $(CDB_LIBS)
man1_MANS += plugins/rcptcheck/rcptcheck-make.1
PLUGIN_POLICIES += plugins/rcptcheck/rcptcheck.policy
endif
EXTRA_DIST += \
	plugins/rcptcheck/rcptcheck.policy \
	plugins/rcptcheck/README.section.md \
	plugins/rcptcheck/rcptcheck-make.1 \
	$(NULL)
