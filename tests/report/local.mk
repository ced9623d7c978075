# SPDX-License-Identifier: GPL-2.0-or-later
# spp-report: unit tests of its library (runner/spp-report/) and
# report.test, which reports on a log of a load run with real plugins
# under spp-run.
if HAVE_CHECK
REPORT_TESTS = \
	tests/report/test_logline \
	tests/report/test_tally \
	tests/report/test_output \
	tests/report/test_args \
	$(NULL)
check_PROGRAMS += $(REPORT_TESTS)
TESTS += $(REPORT_TESTS)
REPORT_TEST_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/runner/spp-report
REPORT_TEST_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
REPORT_TEST_LDADD = $(REPORT_LIBS) $(CHECK_LIBS)

tests_report_test_logline_SOURCES = tests/report/test_logline.c
tests_report_test_logline_CPPFLAGS = $(REPORT_TEST_CPPFLAGS)
tests_report_test_logline_CFLAGS = $(REPORT_TEST_CFLAGS)
tests_report_test_logline_LDADD = $(REPORT_TEST_LDADD)

tests_report_test_tally_SOURCES = tests/report/test_tally.c
tests_report_test_tally_CPPFLAGS = $(REPORT_TEST_CPPFLAGS)
tests_report_test_tally_CFLAGS = $(REPORT_TEST_CFLAGS)
tests_report_test_tally_LDADD = $(REPORT_TEST_LDADD)

tests_report_test_output_SOURCES = tests/report/test_output.c
tests_report_test_output_CPPFLAGS = $(REPORT_TEST_CPPFLAGS)
tests_report_test_output_CFLAGS = $(REPORT_TEST_CFLAGS)
tests_report_test_output_LDADD = $(REPORT_TEST_LDADD)

tests_report_test_args_SOURCES = tests/report/test_args.c
tests_report_test_args_CPPFLAGS = $(REPORT_TEST_CPPFLAGS)
tests_report_test_args_CFLAGS = $(REPORT_TEST_CFLAGS)
tests_report_test_args_LDADD = $(REPORT_TEST_LDADD)
endif

TESTS += tests/report/report.test
EXTRA_DIST += \
	tests/report/report.test \
	tests/report/promcheck.py \
	tests/report/tai64n-stamp.py \
	tests/report/to-journal.py \
	$(NULL)
