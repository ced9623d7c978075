#!/bin/sh
# The project's test command: build with -Werror, make check, make distcheck,
# then the test suite again under ASan+UBSan (clang), a short run of each
# libFuzzer target and the unit tests under valgrind. Ends with a
# "N passed, N failed" line summed over every run.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=${SPP_TEST_DIR:-/tmp/spp-sandbox-tests}
jobs=${JOBS:-2}
rm -rf "$out"
mkdir -p "$out"
cd "$top"
# Every build here is out of tree: a build the README's demo command made
# in the source tree would stop configure ("already configured"), so it
# is cleaned first.
if [ -f config.status ]; then
	echo "== the source tree holds a build (./configure && make): make distclean"
	make distclean >"$out/distclean.log" 2>&1 || rm -f config.status
fi
./bootstrap >"$out/bootstrap.log" 2>&1

status=0
step() {
	name=$1
	shift
	echo "== $name"
	if ! "$@"; then
		echo "== $name: FAILED"
		status=1
	fi
}

build() { # dir, configure args...
	dir=$1
	shift
	mkdir -p "$dir" && cd "$dir" &&
		"$top/configure" --enable-werror "$@" >configure.log 2>&1 &&
		make -j"$jobs" >make.log 2>&1 || {
		for log in "$dir"/configure.log "$dir"/make.log; do
			[ -f "$log" ] && tail -n 30 "$log"
		done
		return 1
	}
}

check() { # dir, make args...
	dir=$1
	shift
	cd "$dir" && make -j"$jobs" check "$@" || {
		# what failed first (a suite's log is long), then the tail
		grep -E -h '^(not ok|FAIL:|ERROR:)' "$dir"/test-suite.log 2>/dev/null | head -40
		grep -E -h -A12 '^not ok' "$dir"/test-suite.log 2>/dev/null | head -120
		cat "$dir"/test-suite.log 2>/dev/null | tail -40
		return 1
	}
}

if command -v clang-format >/dev/null 2>&1; then
	step "clang-format" sh -c "cd '$top' && git ls-files '*.c' '*.h' 2>/dev/null | xargs -r clang-format --dry-run -Werror"
fi
step "gcc build" build "$out/gcc"
step "gcc make check" check "$out/gcc"
# The report suite's load (10,000 runs) is the gcc check's; the later
# runs make a smaller log.
step "make distcheck" sh -c "cd '$out/gcc' && SPP_REPORT_RUNS=2000 make -j$jobs distcheck >distcheck.log 2>&1 || { tail -60 distcheck.log; exit 1; }"
if command -v clang >/dev/null 2>&1; then
	SPP_REPORT_RUNS=2000
	export SPP_REPORT_RUNS
	step "clang asan+ubsan build" build "$out/asan" CC=clang CFLAGS="-O1" --enable-sanitizers
	step "clang asan+ubsan make check" check "$out/asan" ASAN_OPTIONS=detect_leaks=1
	# About a minute: FUZZ_SMOKE_SECONDS per target, any finding fails.
	step "clang libFuzzer smoke (make fuzz-smoke)" sh -c "cd '$out/asan' && make fuzz-smoke"
fi
if command -v valgrind >/dev/null 2>&1; then
	CK_FORK=no; export CK_FORK
	step "valgrind unit tests" check "$out/gcc" TESTS="$(cd "$out/gcc" && make -s print-tests 2>/dev/null | tail -n 1 | tr ' ' '\n' | grep -v '\.test$' | tr '\n' ' ')" \
		LOG_COMPILER="valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite"
fi

pass=$(cat $(find "$out" -name '*.trs' ! -path '*/_build/*') /dev/null | grep -c '^:test-result: PASS' || true)
fail=$(cat $(find "$out" -name '*.trs' ! -path '*/_build/*') /dev/null | grep -c -E '^:test-result: (FAIL|ERROR|XPASS)' || true)
skip=$(cat $(find "$out" -name '*.trs' ! -path '*/_build/*') /dev/null | grep -c '^:test-result: SKIP' || true)
[ "$fail" -eq 0 ] || status=1
echo "$pass passed, $fail failed, $skip skipped"
exit $status
