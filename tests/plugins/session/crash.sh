#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Test plugin for spp-session.test: accepts, then dies of SIGSEGV; qmail-spp
# 0.42 printed the A and a 451, the hook layer only the failure verdict.
echo "HX-Crash: partial"
echo "A"
kill -SEGV $$
