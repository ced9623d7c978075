# SPDX-License-Identifier: GPL-2.0-or-later
# Helper plugins the suites run: hostile C programs and shell scripts
# (probe, denied, enforce, sh-*), a host-side listener, plugins like
# third-party ones (thirdparty/), the hook suite's scripts (session/), and
# the sample plugins built again to try one thing outside their policy
# (SPP_ESCAPE, escape.h).

# The plugins run inside the sandbox, so they are built without sanitizers:
# ASan's shadow memory does not fit the sandbox's address space limit (256M)
# and its runtime makes system calls the filter kills. A plain rule leaves
# out AM_CFLAGS (SAN_FLAGS) and drops -fsanitize* from CFLAGS and LDFLAGS.
SBX_PLUGIN_CC = \
	$(MKDIR_P) $(@D) && \
	flags=; \
	for f in $(CFLAGS) $(LDFLAGS); do \
		case $$f in \
		-fsanitize*|-fno-sanitize*|-shared-libsan|-static-libsan) ;; \
		*) flags="$$flags $$f" ;; \
		esac; \
	done; \
	$(CC) $(WARN_CFLAGS) $$flags -pthread -o $@
SBX_PLUGIN_SH = $(MKDIR_P) $(@D) && rm -f $@ && \
	cp $(srcdir)/$@.sh $@ && chmod 755 $@

TEST_C_PLUGINS = \
	tests/plugins/probe \
	tests/plugins/neighbor \
	tests/plugins/denied \
	tests/plugins/enforce \
	tests/plugins/thirdparty/rcptme \
	$(NULL)
TEST_SH_PLUGINS = \
	tests/plugins/sh-hello \
	tests/plugins/sh-forkbomb \
	tests/plugins/sh-inject \
	$(NULL)
check_SCRIPTS += $(TEST_C_PLUGINS) $(TEST_SH_PLUGINS)
CLEANFILES += $(TEST_C_PLUGINS) $(TEST_SH_PLUGINS)
EXTRA_DIST += $(TEST_C_PLUGINS:=.c) $(TEST_SH_PLUGINS:=.sh) \
	tests/plugins/thirdparty/badhelo.sh \
	tests/plugins/thirdparty/heloname.sh \
	tests/plugins/thirdparty/mxcheck.pl \
	tests/plugins/thirdparty/slowreject.sh \
	tests/plugins/thirdparty/spfcheck.py \
	tests/plugins/session/say.sh \
	tests/plugins/session/env.sh \
	tests/plugins/session/hang.sh \
	tests/plugins/session/crash.sh \
	tests/plugins/session/big.sh \
	tests/plugins/session/escape.sh \
	$(NULL)

$(TEST_C_PLUGINS): %: %.c
	$(AM_V_CC)$(SBX_PLUGIN_CC) $(srcdir)/$@.c
$(TEST_SH_PLUGINS): %: %.sh
	$(AM_V_GEN)$(SBX_PLUGIN_SH)

# The host-side TCP/UDP/unix listener does not run in the sandbox.
check_PROGRAMS += tests/plugins/listen
tests_plugins_listen_SOURCES = tests/plugins/listen.c

check_PROGRAMS += \
	plugins/rbl/rbl-escape \
	plugins/helo/helo-escape \
	plugins/tarpit/tarpit-escape \
	$(NULL)
PLUGINS_ESCAPE_CPPFLAGS = $(AM_CPPFLAGS) -DSPP_ESCAPE \
	-I$(top_srcdir)/tests/plugins
plugins_rbl_rbl_escape_SOURCES = plugins/rbl/rbl.c tests/plugins/escape.h
plugins_rbl_rbl_escape_CPPFLAGS = $(PLUGINS_ESCAPE_CPPFLAGS)
plugins_rbl_rbl_escape_CFLAGS = $(PLAIN_CFLAGS)
plugins_rbl_rbl_escape_LDFLAGS =
plugins_helo_helo_escape_SOURCES = plugins/helo/helo.c tests/plugins/escape.h
plugins_helo_helo_escape_CPPFLAGS = $(PLUGINS_ESCAPE_CPPFLAGS)
plugins_helo_helo_escape_CFLAGS = $(PLAIN_CFLAGS)
plugins_helo_helo_escape_LDFLAGS =
plugins_tarpit_tarpit_escape_SOURCES = plugins/tarpit/tarpit.c \
	tests/plugins/escape.h
plugins_tarpit_tarpit_escape_CPPFLAGS = $(PLUGINS_ESCAPE_CPPFLAGS)
plugins_tarpit_tarpit_escape_CFLAGS = $(PLAIN_CFLAGS)
plugins_tarpit_tarpit_escape_LDFLAGS =
