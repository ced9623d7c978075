# SPDX-License-Identifier: GPL-2.0-or-later
# tests/plugins-a.test: the rbl, helo, tarpit and ifauthskip plugins through
# spp-run with their shipped policies, and variants of them that try one
# thing outside it (SPP_ESCAPE, tests/plugins-a-escape.h).
check_PROGRAMS += \
	plugins/rbl/rbl-escape \
	plugins/helo/helo-escape \
	plugins/tarpit/tarpit-escape \
	$(NULL)
PLUGINS_A_ESCAPE_CPPFLAGS = $(AM_CPPFLAGS) -DSPP_ESCAPE -I$(top_srcdir)/tests
plugins_rbl_rbl_escape_SOURCES = plugins/rbl/rbl.c tests/plugins-a-escape.h
plugins_rbl_rbl_escape_CPPFLAGS = $(PLUGINS_A_ESCAPE_CPPFLAGS)
plugins_rbl_rbl_escape_CFLAGS = $(PLAIN_CFLAGS)
plugins_rbl_rbl_escape_LDFLAGS =
plugins_helo_helo_escape_SOURCES = plugins/helo/helo.c tests/plugins-a-escape.h
plugins_helo_helo_escape_CPPFLAGS = $(PLUGINS_A_ESCAPE_CPPFLAGS)
plugins_helo_helo_escape_CFLAGS = $(PLAIN_CFLAGS)
plugins_helo_helo_escape_LDFLAGS =
plugins_tarpit_tarpit_escape_SOURCES = plugins/tarpit/tarpit.c \
	tests/plugins-a-escape.h
plugins_tarpit_tarpit_escape_CPPFLAGS = $(PLUGINS_A_ESCAPE_CPPFLAGS)
plugins_tarpit_tarpit_escape_CFLAGS = $(PLAIN_CFLAGS)
plugins_tarpit_tarpit_escape_LDFLAGS =
TESTS += tests/plugins-a.test
EXTRA_DIST += tests/plugins-a.test
