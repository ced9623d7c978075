#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Hostile test plugin for spp-session.test: tries to leave a file in the
# qmail home (the test looks for it on the host), to read qmail's control
# files and /etc/shadow and to reach a descriptor spp-session holds (3);
# prints what it managed, then accepts.
touch evil-in-home 2>/dev/null
[ -e control/smtpplugins ] && echo "Psaw the control files"
[ -e /proc/self/fd/3 ] && echo "Pfd 3 open"
cat /etc/shadow >/dev/null 2>&1 && echo "Pread /etc/shadow"
echo "Pcontained"
echo N
