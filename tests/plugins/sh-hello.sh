#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A benign #! script plugin: runs a few tools from the read-only view and
# prints one verdict naming its arguments.
set -e
x=$(printf '%s' "$*" | tr '[:lower:]' '[:upper:]')
test -r /etc/passwd
echo "E550 hello $x"
