#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Test plugin for spp-session.test: breaks its policy's stdout cap.
echo "P250-too much"
head -c 200000 /dev/zero | tr '\0' 'P'
echo N
