# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by every shell suite: TAP output, the note a failed check leaves,
# and the one probe of whether this machine can build a sandbox.
#   bad WHY        the current test fails, because WHY (several add up)
#   t NAME         print the current test's result; a failed one also
#                  prints `details` (the suite may define it: what ran,
#                  its output), then `t_done` runs either way
#   skip_all WHY   the suite cannot run here: a TAP skip, or a failure
#                  where SPP_SANDBOX_REQUIRED=1 (CI)
#   need_sandbox   skip_all unless an unprivileged user namespace can be
#                  made (what spp-run needs when not run as root)
#   show PREFIX FILE [N]   FILE's last N (8) lines as TAP comments
# Sets B and S to the build and source trees; n counts the tests printed
# (a suite may start it at another number first).
LC_ALL=C
export LC_ALL
: "${abs_top_builddir:?abs_top_builddir is not set}"
: "${abs_top_srcdir:?abs_top_srcdir is not set}"
B=$abs_top_builddir
S=$abs_top_srcdir
n=${n:-0}
why=
label=${label:-}
required=${SPP_SANDBOX_REQUIRED:-0}

details() { :; }
t_done() { :; }

bad() { why="${why:+$why; }$*"; }

t() {
	n=$((n + 1))
	if [ -z "$why" ]; then
		echo "ok $n - $label$1"
	else
		echo "not ok $n - $label$1"
		echo "# $why"
		details
	fi
	why=
	t_done
}

skip_all() {
	if [ "$required" = 1 ]; then
		echo "1..1"
		echo "not ok 1 - $1 (SPP_SANDBOX_REQUIRED=1)"
		exit 1
	fi
	echo "1..0 # SKIP $1"
	exit 0
}

need_sandbox() {
	unshare -U true 2>/dev/null ||
		skip_all "cannot create a user namespace (unshare -U fails)"
}

show() {
	tail -n "${3:-8}" "$2" 2>/dev/null | cut -c 1-300 | sed "s/^/#   $1/"
}

# as_nobody SUITE PREFIX PROGRAMS PLUGINS: run this suite again as uid
# 65534 (as qmaild would run spp-run), on copies of PROGRAMS (spp-run...)
# and of the helper PLUGINS, since uid 65534 must not need the build tree;
# the copy learns it is the inner pass, its first number, the mark of its
# processes and its label from PREFIX_INNER, _START, _MARK and _LABEL. Its
# TAP lines continue this suite's numbering; an inner pass that prints no
# test at all is a failure. Sets share (the copies' directory).
as_nobody() {
	base=/var/tmp
	[ -d "$base" ] && [ -w "$base" ] || base=${TMPDIR:-/tmp}
	share=$(mktemp -d "$base/$1-nobody.XXXXXX")
	mkdir -p "$share/tests/plugins" "$share/tests/suites"
	# shellcheck disable=SC2086 # lists of files
	cp $3 "$share/" && cp $4 "$share/tests/plugins/" &&
		cp "$0" "$share/$1.test" &&
		cp "$S/tests/suites/tap.sh" "$share/tests/suites/" ||
		bad "cannot copy the suite for uid 65534"
	chmod -R a+rX,go-w "$share"
	(cd / && exec setpriv --reuid=65534 --regid=65534 \
		--clear-groups env -i PATH=/usr/bin:/bin:/usr/sbin:/sbin \
		abs_top_builddir="$share" abs_top_srcdir="$share" \
		"$2_INNER=1" "$2_START=$n" "$2_MARK=$mark-nobody" \
		"$2_LABEL=nobody: " SPP_SANDBOX_REQUIRED="$required" \
		TMPDIR=/tmp /bin/sh "$share/$1.test") >"$W/nobody.tap" 2>&1
	cat "$W/nobody.tap"
	inner_n=$(grep -cE '^(not )?ok ' "$W/nobody.tap")
	n=$((n + inner_n))
	if [ "$inner_n" = 0 ]; then
		bad "the pass as uid 65534 ran no test"
		show "" "$W/nobody.tap" 5
		t "nobody: the suite as uid 65534"
	fi
}
