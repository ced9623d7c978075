#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A shell fork bomb: a binary tree of subshells, 8 levels deep (under 800
# processes at most, so that a broken sandbox does not take the machine
# down), whose leaves sleep. Only the process limit and the timeout stop it.
# Every shell keeps the caller's arguments in its command line, so a test can
# find leftovers by a marker argument.
b() {
	if [ "$1" -eq 0 ]; then
		sleep 60
		return
	fi
	b $(($1 - 1)) &
	b $(($1 - 1)) &
	wait
}
b 8
