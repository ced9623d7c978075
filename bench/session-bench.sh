#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# One whole SMTP session (HELO, MAIL, RCPT, DATA) through spp-session, with
# one trivial plugin at each of [connection] [helo] [mail] [rcpt] [data]:
# every plugin sandboxed by spp-run vs execed bare by bench/spp-run-shim,
# alternating, BENCH_N sessions each. Prints the medians and their ratio;
# never fails.
# Usage: session-bench.sh SPP-SESSION SPP-RUN SHIM TRIVIAL-PLUGIN
set -u
session=$1 spprun=$2 shim=$3 trivial=$4
n=${BENCH_N:-100}
target=2.5
work=$(mktemp -d) || exit 111
trap 'rm -rf "$work"' EXIT INT TERM
chmod 755 "$work"
mkdir "$work/control" "$work/plugins"
cp "$trivial" "$work/plugins/trivial"
for s in connection helo mail rcpt data; do
	printf '[%s]\nplugins/trivial\n' "$s"
done >"$work/control/smtpplugins"
printf '%s\r\n' 'HELO client.example.net' 'MAIL FROM:<a@example.com>' \
	'RCPT TO:<b@example.org>' DATA 'Subject: bench' '' 'hello' . QUIT \
	>"$work/dialogue"
cd "$work" || exit 111

now() { date +%s%N; }

# one SPPRUN: one session, its wall time in ns appended to FILE
one() {
	t0=$(now)
	SPPRUN=$1 "$session" <dialogue >out 2>err
	t1=$(now)
	echo $((t1 - t0)) >>"$2"
	if ! grep -q '^# rcpt to <b@example.org>' out; then
		echo "session-bench: warning: session with $1 did not" \
			"reach the end of DATA:" >&2
		cat out err >&2
	fi
}

median() { sort -n "$1" | awk '{ a[NR] = $1 } END {
	m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
	printf "%.2f", m / 1e6 }'; }

one "$spprun" /dev/null # warm-up
one "$shim" /dev/null
: >sandboxed
: >bare
i=0
while [ "$i" -lt "$n" ]; do
	one "$spprun" sandboxed
	one "$shim" bare
	i=$((i + 1))
done
ms=$(median sandboxed)
mb=$(median bare)
ratio=$(awk -v s="$ms" -v b="$mb" 'BEGIN { printf "%.2f", s / b }')
verdict=$(awk -v r="$ratio" -v t="$target" \
	'BEGIN { print (r <= t) ? "PASS" : "MISS" }')
echo "session bench: $n sessions each, 5 plugin runs per session"
echo "  sandboxed (spp-run):      median $ms ms/session"
echo "  unsandboxed (exec shim):  median $mb ms/session"
echo "  ratio $ratio (target <= $target): $verdict"
