# SPDX-License-Identifier: GPL-2.0-or-later
# The greylist plugin ([rcpt]), built when configure found SQLite; with
# hiredis, it can also keep its triplets in Redis. `make bench-greylist`
# measures both (not part of `make check`).
if HAVE_SQLITE3
plugins_PROGRAMS += plugins/greylist/greylist
plugins_greylist_greylist_SOURCES = plugins/greylist/greylist.c
plugins_greylist_greylist_CFLAGS = $(PLAIN_CFLAGS) $(SQLITE3_CFLAGS)
plugins_greylist_greylist_LDFLAGS =
plugins_greylist_greylist_LDADD = $(SQLITE3_LIBS)
if HAVE_HIREDIS
plugins_greylist_greylist_CFLAGS += -DHAVE_HIREDIS $(HIREDIS_CFLAGS)
plugins_greylist_greylist_LDADD += $(HIREDIS_LIBS)
endif
PLUGIN_POLICIES += \
	plugins/greylist/greylist.policy \
	plugins/greylist/greylist-redis.policy \
	$(NULL)
endif
EXTRA_DIST += \
	plugins/greylist/greylist.policy \
	plugins/greylist/greylist-redis.policy \
	plugins/greylist/README.section.md \
	bench/greylist-bench.sh \
	$(NULL)

bench-greylist: spp-run$(EXEEXT) plugins/greylist/greylist$(EXEEXT)
	$(SHELL) $(srcdir)/bench/greylist-bench.sh \
		$(abs_top_builddir)/spp-run$(EXEEXT) \
		$(abs_top_builddir)/plugins/greylist/greylist$(EXEEXT) \
		$(srcdir)/plugins/greylist
.PHONY: bench-greylist
