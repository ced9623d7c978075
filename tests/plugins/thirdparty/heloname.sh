#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A [helo] plugin configured by a variable of qmail-smtpd's environment, as
# tcprules sets them: with HELO_REQUIRE_DOT=1 a HELO without a dot is
# refused; without the variable it checks nothing.
[ "${HELO_REQUIRE_DOT:-0}" = 1 ] || exit 0
case $SMTPHELOHOST in
*.*) ;;
*) echo "E550 a HELO is a fully qualified name (#5.5.2)" ;;
esac
