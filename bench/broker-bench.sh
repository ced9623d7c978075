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

# A whole SMTP session through qmail-smtpd's hook layer (spp-session), a
# trivial plugin at each of 5 events: through the broker (the layer's own
# client), through spp-run, and run bare (bench/spp-run-shim, freestanding:
# the plugin's exec and little more, as qmail-spp 0.42's fork+exec),
# alternating; medians and ratios.
session_bench() {
	h=$W/home
	sn=${BENCH_SESSIONS:-200}
	mkdir -p "$h/plugins"
	cp "$B/bench/trivial" "$h/plugins/trivial"
	for s in connection helo mail rcpt data; do
		printf '[%s]\nplugins/trivial\n' "$s"
	done >"$h/control/smtpplugins"
	printf '%s\r\n' 'HELO client.example.net' 'MAIL FROM:<a@example.com>' \
		'RCPT TO:<b@example.org>' DATA 'Subject: bench' '' hello . \
		QUIT >"$W/dialogue"
	: >"$W/s.broker"
	: >"$W/s.spprun"
	: >"$W/s.bare"
	i=0
	while [ $i -lt "$sn" ]; do
		for way in broker spprun bare; do
			case $way in
			broker) set -- SPPRUN="$B/spp-run" \
				SPPSANDBOX_BROKER="$W/sock" ;;
			spprun) set -- SPPRUN="$B/spp-run" ;;
			bare) set -- SPPRUN="$B/bench/spp-run-shim" ;;
			esac
			t0=$(date +%s%N)
			(cd "$h" && env -i PATH=/usr/bin:/bin "$@" \
				"$B/spp-session" <"$W/dialogue" >"$W/s.out" \
				2>/dev/null)
			t1=$(date +%s%N)
			echo $((t1 - t0)) >>"$W/s.$way"
			grep -q '^# rcpt to <b@example.org>' "$W/s.out" ||
				echo "session ($way) did not reach DATA's end"
		done
		i=$((i + 1))
	done
	med() { sort -n "$1" | awk '{ a[NR] = $1 } END {
		m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
		printf "%.2f", m / 1e6 }'; }
	mb=$(med "$W/s.broker")
	ms=$(med "$W/s.spprun")
	mu=$(med "$W/s.bare")
	echo "session (5 plugin runs, spp-session, $sn each): broker $mb ms," \
		"spp-run $ms ms, unsandboxed $mu ms"
	awk -v b="$mb" -v s="$ms" -v u="$mu" 'BEGIN {
		r = b / u
		printf "ratio session broker/unsandboxed %.2f (goal <= 1.3) %s;", \
			r, r <= 1.3 ? "MET" : "MISSED"
		printf " spp-run/unsandboxed %.2f\n", s / u }'
}
mkdir -p "$W/home/control/spp" "$W/bin"
cp "$B/bench/trivial" "$W/bin/trivial"
# the broker runs only the plugin lines listed here
{
	echo '[rcpt]'
	echo "$W/bin/trivial"
	i=1
	while [ $i -le 20 ]; do
		echo "$W/bin/p$i"
		i=$((i + 1))
	done
} >"$W/home/control/smtpplugins"
# with its metrics (-m), whose memory must not grow with the runs either
"$B/spp-sandboxd" -s "$W/sock" -u "$(id -u)" -q "$W/home" -c 64 \
	-m "$W/metrics.prom" 2>"$W/log" &
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
	session_bench
fi
grep -c warning "$W/log" | sed 's/^/broker warnings: /'
sleep 1.1 # the file is a second behind at most
grep '^spp_broker_runs_total ' "$W/metrics.prom" | sed 's/^/metrics: /'
exit $rc
