#!/bin/sh
# The project's demo: sample qmail-spp plugins deciding SMTP events through
# spp-run, and hostile ones being contained.
# Usage: run-demo.sh SPP-RUN SRCDIR CRASH-PLUGIN
set -u
spp_run=$1
dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
cp "$dir"/*.sh "$dir"/*.policy "$3" "$work"/
chmod 755 "$work" "$work"/*
cd "$work" || exit 111

run() { # title, event, policy or "", env..., -- plugin
	title=$1 event=$2 policy=$3
	shift 3
	echo
	echo "### $title"
	set -- --event "$event" ${policy:+--policy "$policy"} "$@"
	echo "\$ spp-run $*"
	out=$("$spp_run" "$@" 2>"$work/stderr")
	rc=$?
	sed 's/^/  stderr| /' "$work/stderr"
	if [ -n "$out" ]; then
		printf '%s\n' "$out" | sed 's/^/  to qmail-smtpd| /'
	else
		echo "  to qmail-smtpd| (nothing: qmail-smtpd goes on)"
	fi
	echo "  exit $rc"
}

echo "spp-sandbox demo: each plugin runs in its own sandbox (namespaces,"
echo "seccomp, no capabilities, limits); stdout is what qmail-smtpd receives."
run "RBL-style check, listed client" connection "" \
	--env TCPREMOTEIP=192.0.2.7 --env DEMO_BLOCKLIST="192.0.2.7 198.51.100.1" \
	-- ./rbl-env.sh
run "RBL-style check, clean client" connection "" \
	--env TCPREMOTEIP=203.0.113.5 --env DEMO_BLOCKLIST="192.0.2.7" \
	-- ./rbl-env.sh
run "HELO check, bare IP" helo "" --env SMTPHELOHOST=1.2.3.4 -- ./helo-check.sh
run "HELO check, good name" helo "" --env SMTPHELOHOST=mx.example.org -- ./helo-check.sh
run "Hostile plugin: steal, tamper, inject, open a relay" rcpt hostile.policy \
	--env SMTPRCPTTO=victim@example.org -- ./hostile.sh
run "Plugin that hangs (timeout 1s)" rcpt hang.policy -- ./hang.sh
run "Plugin that prints A, then crashes" mail "" -- ./crash
