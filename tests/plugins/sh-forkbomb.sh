#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A shell fork bomb: a binary tree of subshells, 9 levels deep (1023
# processes at most, so that a broken sandbox does not take the machine
# down), whose leaves sleep. Only the process limit and the timeout stop it.
b() {
	if [ "$1" -eq 0 ]; then
		exec sleep 60
	fi
	b $(($1 - 1)) &
	b $(($1 - 1)) &
	wait
}
b 9
