#!/bin/sh
# Demo [connection] plugin: reject clients listed in $DEMO_BLOCKLIST (a
# space-separated list of IPs), the way an RBL plugin rejects listed hosts.
[ -n "${RELAYCLIENT+x}" ] && exit 0
for ip in $DEMO_BLOCKLIST; do
	if [ "$ip" = "$TCPREMOTEIP" ]; then
		echo "E553 sorry, $TCPREMOTEIP is listed (#5.7.1)"
		exit 0
	fi
done
echo "HX-Demo-RBL: $TCPREMOTEIP not listed"
