#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Test plugin for spp-session.test: starts to answer, then hangs (its policy
# gives it 1 second).
echo "HX-Hang: partial"
echo "P250-partial output"
exec sleep 60
