#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A [rcpt] tarpit: takes its time (6 s, more than the default timeout)
# before it refuses the recipient slow@..., as `sleep 5; echo E...` plugins
# do.
case $SMTPRCPTTO in
slow@*)
	sleep 6
	echo "E550 go slow (#5.7.1)"
	;;
esac
