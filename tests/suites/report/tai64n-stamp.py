#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# multilog's "t" for report.test (daemontools is not installed in CI):
# each line of standard input with "@", its TAI64N stamp and a space.
import sys
import time

# TAI64 label of the epoch as daemontools writes it (TAI - UTC = 10 s)
EPOCH = (1 << 62) + 10
out = sys.stdout.buffer
for line in sys.stdin.buffer:
    ns = time.time_ns()
    out.write(b'@%016x%08x ' % (EPOCH + ns // 10**9, ns % 10**9) + line)
    out.flush()
