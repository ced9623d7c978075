#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Tries to smuggle lines past the verdict filter, then gives a legitimate
# rejection: only the lines marked "passes" may reach qmail-spp.
printf 'HX-Ok: a\r\n'                # passes: one trailing CR is stripped
printf 'HX-Evil: a\rBcc: victim\n'   # CR inside the line
printf 'HX-Evil: a\r\r\n'            # a CR left after stripping one
printf 'P250 a\000b\n'               # NUL inside the line
printf 'SLD_PRELOAD=/tmp/x.so\n'
printf 'SLD_LIBRARY_PATH=/tmp\n'
printf 'SPATH=/tmp\n'
printf 'SRELAYCLIENT=\n'
printf 'URELAYCLIENT\n'
printf 'SSMTPAUTHUSER=admin\n'
printf 'STCPREMOTEIP=127.0.0.1\n'
printf 'SBASH_FUNC_x%%%%=() { :; }\n'
printf 'SGREYLIST_OK=1\n'            # passes: an ordinary variable
printf 'Xunknown command\n'
printf 'HNo colon here\n'
printf 'HX-Long: %0990d\n' 0         # 999 bytes: too long
printf 'HX-Max: %0990d\n' 0          # passes: 998 bytes
printf '\n'                          # skipped
printf 'E550 no\n'                   # passes: the terminal verdict
printf 'A\n'                         # after the terminal one: not read
