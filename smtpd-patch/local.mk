# SPDX-License-Identifier: GPL-2.0-or-later
# The hook layer and its programs:
#   smtpd-patch/hook         qmail-spp's entry points (spp_*), compiled into
#                            qmail-smtpd: sees its own header only, links
#                            nothing of spp-sandbox (it execs spp-run)
#   smtpd-patch/glue         the hook layer's calls into a qmail tree
#   smtpd-patch/dropin       the two-file drop-in made from hook and glue
#   smtpd-patch/spp-session  spp-session(1): a session without qmail
#   smtpd-patch/spp-migrate  spp-migrate(1): an installation's plugins
HOOK_CPPFLAGS = $(AM_CPPFLAGS) -I$(srcdir)/smtpd-patch/hook

noinst_LIBRARIES += smtpd-patch/hook/libspp.a
smtpd_patch_hook_libspp_a_SOURCES = \
	smtpd-patch/hook/spp.h \
	smtpd-patch/hook/spp.c \
	smtpd-patch/hook/exec-spp-run.c \
	$(NULL)
smtpd_patch_hook_libspp_a_CPPFLAGS = $(HOOK_CPPFLAGS) \
	-DSPP_RUN_PATH='"$(bindir)/spp-run"'

bin_PROGRAMS += spp-session
spp_session_SOURCES = \
	smtpd-patch/spp-session/spp-session.c \
	smtpd-patch/spp-session/spp-compare.c \
	smtpd-patch/spp-session/spp-compare.h \
	$(NULL)
spp_session_CPPFLAGS = $(HOOK_CPPFLAGS) $(SBX_CPPFLAGS)
spp_session_LDADD = smtpd-patch/hook/libspp.a $(SBX_ARCHIVES)

bin_PROGRAMS += spp-migrate
spp_migrate_SOURCES = smtpd-patch/spp-migrate/spp-migrate.c \
	smtpd-patch/glue/glue-none.c
spp_migrate_CPPFLAGS = $(HOOK_CPPFLAGS) $(POL_CPPFLAGS)
spp_migrate_LDADD = smtpd-patch/hook/libspp.a policy/lib/libpol.a \
	$(SBX_ARCHIVES) $(RUN_LIBS)

dist_man_MANS += \
	smtpd-patch/spp-session/spp-session.1 \
	smtpd-patch/spp-migrate/spp-migrate.1 \
	smtpd-patch/qmail-spp-sandbox.8 \
	$(NULL)
# The glue is built into qmail-smtpd through the drop-in, never here.
EXTRA_DIST += \
	smtpd-patch/README.md \
	smtpd-patch/glue/spp-qmail.c \
	$(NULL)

# The drop-in for the qmail trees that carry qmail-spp: qmail-spp.c and
# qmail-spp.h, made from the layer's files (make-dropin.sh); installed in
# share/spp-sandbox/netqmail with the patches that give plain netqmail-1.06,
# and netqmail-1.06 with tls-smtpauth, the call sites (qmail-spp-sandbox(8),
# INSTALLING).
DROPIN = smtpd-patch/dropin/qmail-spp.c smtpd-patch/dropin/qmail-spp.h
DROPIN_DEPS = \
	$(srcdir)/smtpd-patch/dropin/make-dropin.sh \
	$(srcdir)/smtpd-patch/hook/spp.h \
	$(srcdir)/smtpd-patch/hook/spp.c \
	$(srcdir)/smtpd-patch/hook/exec-spp-run.c \
	$(srcdir)/smtpd-patch/glue/spp-qmail.c \
	$(NULL)
smtpd-patch/dropin/qmail-spp.c: $(DROPIN_DEPS)
	$(AM_V_GEN)$(SHELL) $(srcdir)/smtpd-patch/dropin/make-dropin.sh \
		$(srcdir)/smtpd-patch smtpd-patch/dropin '$(bindir)/spp-run'
smtpd-patch/dropin/qmail-spp.h: smtpd-patch/dropin/qmail-spp.c
netqmaildir = $(pkgdatadir)/netqmail
nodist_netqmail_DATA = $(DROPIN)
dist_netqmail_DATA = \
	smtpd-patch/patches/netqmail-1.06-spp-sandbox.patch \
	smtpd-patch/patches/netqmail-1.06-tls-smtpauth-spp-sandbox.patch \
	$(NULL)
CLEANFILES += $(DROPIN)
EXTRA_DIST += smtpd-patch/dropin/make-dropin.sh
