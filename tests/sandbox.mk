# SPDX-License-Identifier: GPL-2.0-or-later
# Integration tests of spp-run's sandbox with hostile plugins (tests/plugins/).

# The plugins run inside the sandbox, so they are built without sanitizers:
# ASan's shadow memory does not fit the sandbox's address space limit (256M)
# and its runtime makes system calls the filter kills. A plain rule leaves
# out AM_CFLAGS (SAN_FLAGS) and drops -fsanitize* from CFLAGS and LDFLAGS.
SBX_TEST_C_PLUGINS = \
	tests/plugins/probe \
	tests/plugins/denied \
	$(NULL)
SBX_TEST_SH_PLUGINS = \
	tests/plugins/sh-hello \
	tests/plugins/sh-forkbomb \
	tests/plugins/sh-inject \
	$(NULL)

# The host-side TCP/UDP/unix listener does not run in the sandbox.
check_PROGRAMS += tests/plugins/listen
tests_plugins_listen_SOURCES = tests/plugins/listen.c

check_SCRIPTS += $(SBX_TEST_C_PLUGINS) $(SBX_TEST_SH_PLUGINS)
TESTS += tests/sandbox.test
EXTRA_DIST += \
	tests/sandbox.test \
	tests/plugins/probe.c \
	tests/plugins/denied.c \
	tests/plugins/sh-hello.sh \
	tests/plugins/sh-forkbomb.sh \
	tests/plugins/sh-inject.sh \
	$(NULL)
CLEANFILES += $(SBX_TEST_C_PLUGINS) $(SBX_TEST_SH_PLUGINS)

SBX_PLUGIN_CC = \
	$(MKDIR_P) tests/plugins && \
	flags=; \
	for f in $(CFLAGS) $(LDFLAGS); do \
		case $$f in \
		-fsanitize*|-fno-sanitize*|-shared-libsan|-static-libsan) ;; \
		*) flags="$$flags $$f" ;; \
		esac; \
	done; \
	$(CC) $(WARN_CFLAGS) $$flags -pthread -o $@

tests/plugins/probe: tests/plugins/probe.c
	$(AM_V_CC)$(SBX_PLUGIN_CC) $(srcdir)/tests/plugins/probe.c
tests/plugins/denied: tests/plugins/denied.c
	$(AM_V_CC)$(SBX_PLUGIN_CC) $(srcdir)/tests/plugins/denied.c

SBX_PLUGIN_SH = $(MKDIR_P) tests/plugins && rm -f $@ && \
	cp $(srcdir)/$@.sh $@ && chmod 755 $@

tests/plugins/sh-hello: tests/plugins/sh-hello.sh
	$(AM_V_GEN)$(SBX_PLUGIN_SH)
tests/plugins/sh-forkbomb: tests/plugins/sh-forkbomb.sh
	$(AM_V_GEN)$(SBX_PLUGIN_SH)
tests/plugins/sh-inject: tests/plugins/sh-inject.sh
	$(AM_V_GEN)$(SBX_PLUGIN_SH)
