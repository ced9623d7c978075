#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Greylisting decisions per second through spp-run, with SQLite and with a
# redis-server started here on 127.0.0.1; run on demand (make bench-greylist).
# usage: greylist-bench.sh SPP-RUN GREYLIST-PLUGIN POLICY-DIR [RUNS]

LC_ALL=C
export LC_ALL
umask 022

[ $# -ge 3 ] || {
	echo "usage: $0 SPP-RUN GREYLIST-PLUGIN POLICY-DIR [RUNS]" >&2
	exit 100
}
spprun=$1 plugin=$2 pdir=$3 runs=${4:-${BENCH_N:-500}}
W=
redis_pid=
cleanup() {
	[ -n "$redis_pid" ] && kill "$redis_pid" 2>/dev/null
	[ -n "$W" ] && rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

W=$(mktemp -d) || exit 111
chmod 755 "$W"
mkdir "$W/db" "$W/qmail"
[ "$(id -u)" = 0 ] && chown 65534:65534 "$W/db"
sed "s#/var/lib/spp-greylist#$W/db#g" "$pdir/greylist.policy" \
	>"$W/sqlite.policy"

now_ms() {
	ns=$(date +%s%N)
	echo $((ns / 1000000))
}

# bench NAME POLICY ENV...: RUNS decisions, half new triplets, half retries.
bench() {
	name=$1 pol=$2
	shift 2
	t0=$(now_ms)
	i=0
	while [ "$i" -lt "$runs" ]; do
		(cd "$W/qmail" && exec env -i GREYLIST_DELAY=0s "$@" \
			TCPREMOTEIP=192.0.2.$((i % 200 + 1)) \
			SMTPMAILFROM=s@example.org \
			SMTPRCPTTO=r$((i / 2))@example.net \
			"$spprun" --event rcpt --policy "$pol" -- "$plugin" \
			</dev/null >>"$W/$name.out" 2>/dev/null)
		i=$((i + 1))
	done
	ms=$(($(now_ms) - t0))
	[ "$ms" -gt 0 ] || ms=1
	fails=$(grep -c unavailable "$W/$name.out")
	printf '%-7s %6d decisions in %6d ms: %6d per second (%d deferred: store down)\n' \
		"$name" "$runs" "$ms" $((runs * 1000 / ms)) "$fails"
}

bench sqlite "$W/sqlite.policy" GREYLIST_DB="$W/db/greylist.sqlite"

redis=$(command -v redis-server) && cli=$(command -v redis-cli) || {
	echo "redis   skipped: redis-server not installed"
	exit 0
}
port=$((20000 + ($$ * 7) % 30000))
"$redis" --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
	--daemonize no >"$W/redis.log" 2>&1 &
redis_pid=$!
i=0
until [ "$("$cli" -p "$port" ping 2>/dev/null)" = PONG ]; do
	i=$((i + 1))
	[ "$i" -lt 50 ] || {
		echo "redis   skipped: redis-server does not start" >&2
		exit 111
	}
	sleep 0.1
done
cp "$pdir/greylist-redis.policy" "$W/redis.policy"
echo "tcp-ports $port" >>"$W/redis.policy"
bench redis "$W/redis.policy" GREYLIST_REDIS="127.0.0.1:$port"
