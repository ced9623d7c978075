# SPDX-License-Identifier: GPL-2.0-or-later
# The hook layer (spp_*: spp.c, spp-runner.c), linked into spp-session and
# tests/test_spp; qmail-smtpd gets the same code as the drop-in qmail-spp.c.
noinst_LIBRARIES += smtpd-patch/libspp.a
smtpd_patch_libspp_a_SOURCES = \
	smtpd-patch/spp.h \
	smtpd-patch/spp.c \
	smtpd-patch/spp-runner.c \
	$(NULL)
smtpd_patch_libspp_a_CPPFLAGS = $(AM_CPPFLAGS) \
	-DSPP_RUN_PATH='"$(bindir)/spp-run"'

bin_PROGRAMS += spp-session
spp_session_SOURCES = smtpd-patch/spp-session.c smtpd-patch/spp-compare.c \
	smtpd-patch/spp-compare.h
spp_session_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/smtpd-patch
spp_session_LDADD = smtpd-patch/libspp.a

# spp-migrate: what an installation's plugin lines become (the layer's own
# reading of control/smtpplugins), starting policies for review.
bin_PROGRAMS += spp-migrate
spp_migrate_SOURCES = smtpd-patch/spp-migrate.c
spp_migrate_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/smtpd-patch
spp_migrate_LDADD = smtpd-patch/libspp.a policy/libpol.a runner/libsbx.a \
	$(RUN_LIBS)

dist_man_MANS += \
	smtpd-patch/spp-session.1 \
	smtpd-patch/spp-migrate.1 \
	smtpd-patch/qmail-spp-sandbox.8 \
	$(NULL)
# spp-qmail.c: the layer's glue for qmail-smtpd, built only into the
# drop-in, in a qmail tree.
EXTRA_DIST += \
	smtpd-patch/README.md \
	smtpd-patch/spp-qmail.c \
	$(NULL)

# The drop-in for the qmail trees that carry qmail-spp: qmail-spp.c and
# qmail-spp.h, made from the layer's files (make-dropin.sh); installed in
# share/spp-sandbox/netqmail with the patches that give plain netqmail-1.06,
# and netqmail-1.06 with tls-smtpauth, the call sites (qmail-spp-sandbox(8),
# INSTALLING).
DROPIN = smtpd-patch/dropin/qmail-spp.c smtpd-patch/dropin/qmail-spp.h
DROPIN_DEPS = \
	$(srcdir)/smtpd-patch/make-dropin.sh \
	$(srcdir)/smtpd-patch/spp.h \
	$(srcdir)/smtpd-patch/spp.c \
	$(srcdir)/smtpd-patch/spp-runner.c \
	$(srcdir)/smtpd-patch/spp-qmail.c \
	$(NULL)
smtpd-patch/dropin/qmail-spp.c: $(DROPIN_DEPS)
	$(AM_V_GEN)$(SHELL) $(srcdir)/smtpd-patch/make-dropin.sh \
		$(srcdir)/smtpd-patch smtpd-patch/dropin '$(bindir)/spp-run'
smtpd-patch/dropin/qmail-spp.h: smtpd-patch/dropin/qmail-spp.c
netqmaildir = $(pkgdatadir)/netqmail
nodist_netqmail_DATA = $(DROPIN)
dist_netqmail_DATA = \
	smtpd-patch/netqmail-1.06-spp-sandbox.patch \
	smtpd-patch/netqmail-1.06-tls-smtpauth-spp-sandbox.patch \
	$(NULL)
CLEANFILES += $(DROPIN)
EXTRA_DIST += smtpd-patch/make-dropin.sh
