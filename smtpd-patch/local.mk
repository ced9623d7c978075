# SPDX-License-Identifier: GPL-2.0-or-later
# The hook layer (spp_*: spp.c, spp-runner.c), linked into spp-session and
# tests/test_spp; qmail-smtpd gets the same files through the netqmail patch.
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
# Copied into a netqmail-1.06 tree, never built here.
EXTRA_DIST += \
	smtpd-patch/README.md \
	smtpd-patch/netqmail-1.06-spp-sandbox.patch \
	smtpd-patch/spp-qmail.c \
	$(NULL)

# The drop-in for the qmail trees that carry qmail-spp: qmail-spp.c and
# qmail-spp.h, made from the layer's files (make-dropin.sh); installed with
# the patches and the layer's sources for admins who build qmail-smtpd.
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
qmaildir = $(pkgdatadir)/qmail
nodist_qmail_DATA = $(DROPIN)
CLEANFILES += $(DROPIN)
EXTRA_DIST += smtpd-patch/make-dropin.sh
