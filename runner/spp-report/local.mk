# SPDX-License-Identifier: GPL-2.0-or-later
# spp-report: spp-run's report lines from logs summed into a text report,
# an SVG plot and Prometheus metrics. The library part is what the unit
# tests (tests/report/) link.
noinst_LIBRARIES += runner/spp-report/libreport.a
runner_spp_report_libreport_a_SOURCES = \
	runner/spp-report/fail.h \
	runner/spp-report/fail.c \
	runner/spp-report/logline.h \
	runner/spp-report/logline.c \
	runner/spp-report/tally.h \
	runner/spp-report/tally.c \
	runner/spp-report/source.h \
	runner/spp-report/source.c \
	$(NULL)
REPORT_LIBS = runner/spp-report/libreport.a -lm
