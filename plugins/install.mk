# SPDX-License-Identifier: GPL-2.0-or-later
# The plugins' documentation.
EXTRA_DIST += plugins/README.md
