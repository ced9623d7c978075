#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A [helo] plugin like the shell ones that read qmail's control files:
# refuses a HELO listed in control/badhelo, and passes when it cannot read
# the list (the fail-open the side-by-side check must catch).
[ -r control/badhelo ] || exit 0
grep -qixF -- "$SMTPHELOHOST" control/badhelo &&
	echo "E553 sorry, your HELO is on my badhelo list (#5.7.1)"
exit 0
