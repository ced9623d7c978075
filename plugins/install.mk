# SPDX-License-Identifier: GPL-2.0-or-later
# The plugins' documentation, and the tests of what is installed.
EXTRA_DIST += plugins/README.md

# Every shipped policy passes spp-policy check.
TESTS += tests/shipped-policies.test
EXTRA_DIST += tests/shipped-policies.test

# All sample plugins in one configuration, through spp-session.
TESTS += tests/all-plugins.test
EXTRA_DIST += tests/all-plugins.test

# make install and make install-qmail keep an administrator's files.
TESTS += tests/install.test
EXTRA_DIST += tests/install.test
