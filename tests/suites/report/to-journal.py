#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# For report.test: a multilog log as journalctl would print it. FORMAT is
# short-iso (local time at UTC+01:00, as "+0100"), short-precise (UTC
# clock, no year), short-full (UTC) or plain (stamps dropped, as stderr).
# Lines without a valid stamp pass unchanged.
import datetime
import re
import sys

EPOCH = (1 << 62) + 10
STAMP = re.compile(rb'^@([0-9a-f]{16})([0-9a-f]{8}) ')
fmt = sys.argv[1]
zone = datetime.timezone(datetime.timedelta(hours=1))
out = sys.stdout.buffer
for line in sys.stdin.buffer:
    m = STAMP.match(line)
    if not m:
        out.write(line)
        continue
    t = int(m.group(1), 16) - EPOCH + int(m.group(2), 16) / 1e9
    msg = line[m.end():]
    if fmt == 'plain':
        out.write(msg)
        continue
    utc = datetime.datetime.fromtimestamp(t, datetime.timezone.utc)
    if fmt == 'short-iso':
        stamp = utc.astimezone(zone).strftime('%Y-%m-%dT%H:%M:%S%z')
    elif fmt == 'short-precise':
        stamp = utc.strftime('%b %d %H:%M:%S.%f')
    else:
        stamp = utc.strftime('%a %Y-%m-%d %H:%M:%S UTC')
    out.write(b'%s mx qmail-smtpd[4242]: ' % stamp.encode() + msg)
