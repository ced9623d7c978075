#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Load test of the hook layer, run on demand (`make spp-load`): N concurrent
# spp-session dialogues (200 by default) with a sandboxed plugin at every
# hook, each checked; then no leftover process, zombie, mount or memory. TAP.
# Usage: spp-load.sh SPP-SESSION SPP-RUN SAY-PLUGIN [N]

LC_ALL=C
export LC_ALL
umask 022
session=${1:?usage: spp-load.sh SPP-SESSION SPP-RUN SAY-PLUGIN [N]}
spprun=${2:?}
say=${3:?}
count=${4:-200}
n=0
failed=0

W=$(mktemp -d "${TMPDIR:-/tmp}/spp-load.XXXXXX") || exit 111
trap 'rm -rf "$W"' EXIT
trap 'exit 1' HUP INT TERM
chmod 755 "$W"
H=$W/home
mkdir -p "$H/control/spp" "$H/plugins" "$W/out"
for p in c h m r d; do
	cp "$say" "$H/plugins/$p"
	chmod 755 "$H/plugins/$p"
done
cat >"$H/control/smtpplugins" <<EOF
[connection]
plugins/c
[helo]
plugins/h
[mail]
plugins/m
[rcpt]
:case \$SMTPRCPTTO in bad*) echo E550 bad \$SMTPRCPTTO;; esac
plugins/r
[data]
plugins/d
EOF

ok() {
	n=$((n + 1))
	if [ -z "$2" ]; then
		echo "ok $n - $1"
	else
		failed=$((failed + 1))
		echo "not ok $n - $1"
		echo "# $2"
	fi
}

# Kernel memory that is not given back under pressure (kB): where leaked
# namespaces, mounts, pipes or tasks would stay. Host-wide "used" memory
# moves by 100M a second on a busy machine; this does not.
unreclaimable_kb() {
	awk '/^SUnreclaim:/ { print $2 }' /proc/meminfo
}
mounts() {
	wc -l </proc/self/mountinfo
}
ours() {
	# processes working in the test's qmail home (sandboxed or not)
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/cwd" 2>/dev/null)" = "$H" ] && echo "${p#/proc/}"
	done | grep -c -v "^$$\$"
}
zombies() {
	grep -l '^State:.*Z' /proc/[0-9]*/status 2>/dev/null | wc -l
}

# Warm up: first sandboxes fill caches that stay.
printf 'HELO w\nQUIT\n' >"$W/warm"
for i in 1 2 3 4 5; do
	(cd "$H" && env -i PATH=/usr/bin:/bin SPPRUN="$spprun" "$session" \
		<"$W/warm" >/dev/null 2>&1)
done
sleep 1
mem0=$(unreclaimable_kb)
mounts0=$(mounts)
zombies0=$(zombies)

# Session i: odd ones give a recipient the [rcpt] ':' line rejects.
i=0
while [ "$i" -lt "$count" ]; do
	if [ $((i % 2)) = 1 ]; then
		rcpt=bad$i@example.org
	else
		rcpt=u$i@example.org
	fi
	printf 'HELO c%s.example\nMAIL FROM:<s%s@example.com>\nRCPT TO:<%s>\nDATA\nx\n.\nQUIT\n' \
		"$i" "$i" "$rcpt" >"$W/out/in.$i"
	(cd "$H" && env -i PATH=/usr/bin:/bin SPPRUN="$spprun" \
		SAY_c="HX-C: $i\n" SAY_h="P250-h$i\n" SAY_m="HX-M: $i\n" \
		SAY_r="N\n" SAY_d="HX-D: $i\n" \
		"$session" <"$W/out/in.$i" >"$W/out/out.$i" 2>"$W/out/err.$i"
		echo $? >"$W/out/rc.$i") &
	i=$((i + 1))
done
start=$(date +%s)
wait
took=$(($(date +%s) - start))

bad=
i=0
while [ "$i" -lt "$count" ]; do
	o=$W/out/out.$i
	if [ "$(cat "$W/out/rc.$i")" != 0 ]; then
		bad="$bad $i:exit"
	elif ! grep -q "^250-h$i\$" "$o"; then
		bad="$bad $i:helo"
	elif [ $((i % 2)) = 1 ]; then
		grep -q "^550 bad bad$i@example.org\$" "$o" &&
			grep -q '^503 RCPT first' "$o" || bad="$bad $i:rcpt"
	else
		grep -q "^# rcpt to <u$i@example.org>\$" "$o" &&
			grep -q "^# header X-C: $i\$" "$o" &&
			grep -q "^# header X-M: $i\$" "$o" &&
			grep -q "^# header X-D: $i\$" "$o" || bad="$bad $i:data"
	fi
	if grep -q -e 'killed' -e 'warning' "$W/out/err.$i"; then
		bad="$bad $i:stderr"
	fi
	i=$((i + 1))
done
ok "$count concurrent sessions decided correctly (${took}s)" \
	"${bad:+wrong:$(echo "$bad" | cut -c 1-300)}"

runs=$(cat "$W"/out/err.* | grep -c '^spp: ')
# even sessions: 6 runs; odd ones stop at the ':' line and skip DATA's
want=$(((count - count / 2) * 6 + (count / 2) * 4))
[ "$runs" = "$want" ] && r= || r="$runs runs, wanted $want"
ok "one report line per plugin run" "$r"

sleep 1
left=$(ours)
[ "$left" = 0 ] && r= || r="$left processes left"
ok "no leftover process" "$r"
z=$(zombies)
[ "$z" -le "$zombies0" ] && r= || r="$z zombies (before: $zombies0)"
ok "no zombie" "$r"
m=$(mounts)
[ "$m" = "$mounts0" ] && r= || r="$m mounts (before: $mounts0)"
ok "no leftover mount" "$r"
sleep 1
mem=$(unreclaimable_kb)
grown=$(((mem - mem0) / 1024))
# Slab noise from the rest of the host is a few megabytes.
[ "$grown" -lt 16 ] && r= || r="unreclaimable kernel memory grew by ${grown}M"
ok "kernel memory back where it started (${grown}M more)" "$r"

echo "1..$n"
[ "$failed" = 0 ]
