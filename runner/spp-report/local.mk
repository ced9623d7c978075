# SPDX-License-Identifier: GPL-2.0-or-later
# spp-report: spp-run's report lines from logs summed into a text report,
# an SVG plot and Prometheus metrics. A program of the runner: it reads
# what spp-run writes and uses the sandbox library's errors only. The
# library part is what the unit tests (tests/unit/test_report_*) link.
noinst_LIBRARIES += runner/spp-report/libreport.a
runner_spp_report_libreport_a_SOURCES = \
	runner/spp-report/logline.h \
	runner/spp-report/logline.c \
	runner/spp-report/tally.h \
	runner/spp-report/tally.c \
	runner/spp-report/source.h \
	runner/spp-report/source.c \
	runner/spp-report/output.h \
	runner/spp-report/table.c \
	runner/spp-report/svg.c \
	runner/spp-report/prom.c \
	runner/spp-report/atomic.h \
	runner/spp-report/atomic.c \
	runner/spp-report/args.h \
	runner/spp-report/args.c \
	$(NULL)
runner_spp_report_libreport_a_CPPFLAGS = $(SBX_CPPFLAGS)
# errors and exit statuses from the sandbox library (sbx_fail, SBX_EXIT_*)
REPORT_LIBS = runner/spp-report/libreport.a $(SBX_ARCHIVES) -lm

bin_PROGRAMS += spp-report
dist_man_MANS += runner/spp-report/spp-report.1
spp_report_SOURCES = runner/spp-report/spp-report.c
spp_report_CPPFLAGS = $(SBX_CPPFLAGS)
spp_report_LDADD = $(REPORT_LIBS)

# What it makes of a load run's log: docs/report-example.md.
EXTRA_DIST += docs/report-example.md docs/report-example.svg
