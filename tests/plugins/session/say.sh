#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Test plugin for spp-session.test, installed under many names: prints
# $SAY_<name> (printf %b: \n, \r and \0NNN work, no newline is added), then
# exits $EXIT_<name> (0 by default). Names use [A-Za-z0-9_] only.
name=${0##*/}
say=''
code=0
eval "say=\${SAY_$name-}; code=\${EXIT_$name-0}"
printf '%b' "$say"
exit "$code"
