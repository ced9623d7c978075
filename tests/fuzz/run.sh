#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Run one libFuzzer target of tests/fuzz/local.mk from the build directory:
#   run.sh NAME SECONDS DICT [SEED...]
# on a fresh copy of the seeds in tests/fuzz/run-NAME (libFuzzer adds what
# it finds to that directory, the seeds stay as shipped), with $FUZZ_ARGS.
# Crashes, leaks and timeouts are saved as tests/fuzz/NAME-crash-* etc.;
# the exit status is libFuzzer's (0: nothing found).
set -eu
name=$1
secs=$2
dict=$3
shift 3
run=tests/fuzz/run-$name
rm -rf "$run"
mkdir -p "$run"
if [ $# -gt 0 ]; then
	cp "$@" "$run"/
	# distcheck's source tree is read-only, and so would the copies be
	chmod u+w "$run"/*
fi
# shellcheck disable=SC2086 # FUZZ_ARGS holds several options
exec tests/fuzz/fuzz_"$name" -max_total_time="$secs" -dict="$dict" \
	-artifact_prefix=tests/fuzz/"$name"- -print_final_stats=1 \
	${FUZZ_ARGS-} "$run"
