#!/bin/sh
# The project's demo: a qmail-spp configuration of sample plugins run by
# spp-session over SMTP dialogues, each plugin in its own sandbox, hostile
# and hanging ones contained.
# Usage: run-demo.sh SPP-SESSION SPP-RUN SRCDIR
set -u
session=$1
spprun=$2
src=$3
home=$(mktemp -d) || exit 111
trap 'rm -rf "$home"' EXIT INT TERM

# A qmail home: plugins/, control/smtpplugins, control/spp/ policies.
mkdir "$home/plugins" "$home/control" "$home/control/spp"
for p in rbl-env helo-check hostile hang; do
	cp "$src/$p.sh" "$home/plugins/$p"
done
cp "$src/hostile.policy" "$src/hang.policy" "$home/control/spp/"
cat >"$home/control/smtpplugins" <<'CONF'
[connection]
plugins/rbl-env
[helo]
plugins/helo-check
[rcpt]
plugins/hostile
[data]
plugins/hang
CONF
# For trusted partners (SPPCONFFILE in /etc/tcp.smtp): no [rcpt] plugin.
grep -v hostile "$home/control/smtpplugins" >"$home/control/smtpplugins.partners"
chmod -R a+rX "$home"
cd "$home" || exit 111

dialogue() { # title, spp-session options --, SMTP lines...
	echo
	echo "### $1"
	shift
	opts=
	while [ "$1" != -- ]; do
		opts="$opts $1"
		shift
	done
	shift
	echo "\$ spp-session$opts"
	printf '%s\n' "$@" | sed 's/^/  client> /'
	# shellcheck disable=SC2086 # the options are split on purpose
	printf '%s\r\n' "$@" | env -i PATH=/usr/bin:/bin SPPRUN="$spprun" \
		DEMO_BLOCKLIST="192.0.2.7 198.51.100.1" \
		"$session" $opts >out 2>err
	sed 's/^/  server< /' out
	sed 's/^/  log| /' err
}

echo "spp-sandbox demo: control/smtpplugins runs rbl-env at [connection],"
echo "helo-check at [helo], hostile at [rcpt] (policy control/spp/hostile.policy)"
echo "and hang at [data] (control/spp/hang.policy: 1 s, then go on); each run"
echo "goes through spp-run. 'server<' is what the client sees, '# ...' the"
echo "envelope and added headers, 'log|' qmail-smtpd's log (spp: lines)."
dialogue "A listed client" --env TCPREMOTEIP=192.0.2.7 -- \
	"HELO mail.example.net" QUIT
dialogue "A bare-IP HELO" --env TCPREMOTEIP=203.0.113.5 -- \
	"HELO 1.2.3.4" QUIT
dialogue "The hostile [rcpt] plugin: contained, the RCPT deferred" \
	--env TCPREMOTEIP=203.0.113.5 -- \
	"HELO mail.example.net" "MAIL FROM:<a@example.net>" \
	"RCPT TO:<victim@example.org>" QUIT
dialogue "A partner's message; the [data] backend hangs" \
	-c control/smtpplugins.partners --env TCPREMOTEIP=203.0.113.5 -- \
	"EHLO mail.example.net" "MAIL FROM:<a@example.net>" \
	"RCPT TO:<b@example.org>" DATA "Subject: hi" "" "hello" . QUIT
