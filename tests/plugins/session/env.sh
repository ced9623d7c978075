#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Test plugin for spp-session.test: shows the client, as P lines, the
# variables named in $SHOW (unset ones as NAME-), its working directory and
# its standard input; decides nothing.
for v in $SHOW; do
	set=''
	val=''
	eval "set=\${$v+x} val=\${$v-}"
	if [ -n "$set" ]; then
		echo "P$v=$val"
	else
		echo "P$v-"
	fi
done
echo "Pcwd=$(pwd) stdin=$(readlink /proc/self/fd/0)"
