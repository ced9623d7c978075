#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# make bench-broker / soak-broker: a qmail home of its own, a broker serving
# it, bench/broker-bench against it; then the broker's RSS with runs under
# 20 (policy, plugin) pairs. Usage: broker-bench.sh BUILDDIR N|--soak N
set -u
B=$1
shift
W=$(mktemp -d "${TMPDIR:-/tmp}/broker-bench.XXXXXX") || exit 111
bpid=
cleanup() {
	[ -n "$bpid" ] && kill "$bpid" 2>/dev/null && wait "$bpid"
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM
chmod 755 "$W"
mkdir -p "$W/home/control/spp" "$W/bin"
cp "$B/bench/trivial" "$W/bin/trivial"
"$B/spp-sandboxd" -s "$W/sock" -u "$(id -u)" -q "$W/home" -c 64 \
	2>"$W/log" &
bpid=$!
i=0
while [ ! -S "$W/sock" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
bw=$(command -v bwrap || true)
"$B/bench/broker-bench" "$W/sock" "$W/home" "$W/bin/trivial" "$B/spp-run" \
	"$bw" "$bpid" "$@"
rc=$?
if [ "$1" != --soak ]; then
	# 20 (policy, plugin) pairs: a policy and a copy of the plugin each
	i=1
	while [ $i -le 20 ]; do
		cp "$W/bin/trivial" "$W/bin/p$i"
		printf 'timeout %ds\n' $((i + 1)) >"$W/home/control/spp/p$i.policy"
		(cd "$W/home" && "$B/spp-run" --broker "$W/sock" --event rcpt \
			--policy "control/spp/p$i.policy" -- "$W/bin/p$i" \
			>/dev/null 2>&1 </dev/null)
		i=$((i + 1))
	done
	echo "broker rss after runs under 20 (policy, plugin) pairs:" \
		"$(grep VmRSS "/proc/$bpid/status" | tr -s ' \t' ' ')"
fi
grep -c warning "$W/log" | sed 's/^/broker warnings: /'
exit $rc
