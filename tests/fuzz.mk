# SPDX-License-Identifier: GPL-2.0-or-later
# Optional libFuzzer target for the policy parser: `make fuzz` builds
# tests/fuzz/fuzz_policy with clang (CC, or FUZZ_CC when set) and runs it for
# FUZZ_SECONDS on a copy of the seed corpus. Never built by all or check.
FUZZ_SECONDS = 300
# Extra libFuzzer options, e.g. FUZZ_ARGS=-max_len=70000 or -jobs=4.
FUZZ_ARGS =
FUZZ_CFLAGS = -g -O1 -fno-omit-frame-pointer
FUZZ_SAN = -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
# The parser and what it calls in the runner library, all instrumented.
FUZZ_POLICY_SRC = \
	tests/fuzz/fuzz_policy.c \
	policy/pol.c \
	policy/units.c \
	runner/error.c \
	runner/policy.c \
	runner/syscalls.c \
	runner/verdict.c \
	$(NULL)
FUZZ_CORPUS = \
	tests/fuzz/corpus/bad-control.policy \
	tests/fuzz/corpus/bad-crlf.policy \
	tests/fuzz/corpus/bad-duplicate-onfailure.policy \
	tests/fuzz/corpus/bad-duplicate.policy \
	tests/fuzz/corpus/bad-env-ld-prefix.policy \
	tests/fuzz/corpus/bad-env-star.policy \
	tests/fuzz/corpus/bad-family-none.policy \
	tests/fuzz/corpus/bad-highbytes.policy \
	tests/fuzz/corpus/bad-long-line.policy \
	tests/fuzz/corpus/bad-nul-byte.policy \
	tests/fuzz/corpus/bad-path-dotdot.policy \
	tests/fuzz/corpus/bad-path-root.policy \
	tests/fuzz/corpus/bad-port-range.policy \
	tests/fuzz/corpus/bad-ports-many.policy \
	tests/fuzz/corpus/bad-ports-no-net.policy \
	tests/fuzz/corpus/bad-size-junk.policy \
	tests/fuzz/corpus/bad-size-overflow.policy \
	tests/fuzz/corpus/bad-syscall-denied.policy \
	tests/fuzz/corpus/bad-syscall-group.policy \
	tests/fuzz/corpus/bad-time-no-unit.policy \
	tests/fuzz/corpus/bad-two-values.policy \
	tests/fuzz/corpus/bad-user-root-name.policy \
	tests/fuzz/corpus/bad-verdicts.policy \
	tests/fuzz/corpus/empty.policy \
	tests/fuzz/corpus/ident-names.policy \
	tests/fuzz/corpus/limits-max.policy \
	tests/fuzz/corpus/limits-min.policy \
	tests/fuzz/corpus/net-host.policy \
	tests/fuzz/corpus/net-none.policy \
	tests/fuzz/corpus/ok-comments.policy \
	tests/fuzz/corpus/ok-dns-check.policy \
	tests/fuzz/corpus/ok-full.policy \
	tests/fuzz/corpus/ok-lists.policy \
	tests/fuzz/corpus/ok-net.policy \
	tests/fuzz/corpus/ok-units.policy \
	tests/fuzz/corpus/syscalls-groups.policy \
	tests/fuzz/corpus/syscalls-none.policy \
	tests/fuzz/corpus/verdicts-all.policy \
	tests/fuzz/corpus/verdicts-every.policy \
	tests/fuzz/corpus/verdicts-none.policy \
	$(NULL)

EXTRA_DIST += \
	tests/fuzz/fuzz_policy.c \
	tests/fuzz/policy.dict \
	$(FUZZ_CORPUS) \
	$(NULL)
CLEANFILES += tests/fuzz/fuzz_policy

tests/fuzz/fuzz_policy: $(FUZZ_POLICY_SRC:%=$(srcdir)/%) \
		$(srcdir)/policy/pol.h $(srcdir)/runner/sbx.h \
		$(srcdir)/runner/verdict.h config.h
	$(AM_V_CCLD)cc='$(FUZZ_CC)'; \
	if test -z "$$cc"; then \
		case `$(CC) --version 2>/dev/null` in \
		*clang*) cc='$(CC)' ;; \
		*) echo "make fuzz: needs clang: set FUZZ_CC=clang" \
			"(CC is $(CC))" >&2; exit 1 ;; \
		esac; \
	fi; \
	$(MKDIR_P) tests/fuzz && \
	$$cc $(DEFS) $(AM_CPPFLAGS) $(CPPFLAGS) $(SECCOMP_CFLAGS) \
		$(WARN_CFLAGS) $(FUZZ_CFLAGS) $(FUZZ_SAN) -o $@ \
		$(FUZZ_POLICY_SRC:%=$(srcdir)/%) $(SECCOMP_LIBS)

# libFuzzer adds what it finds to the first directory: a copy, so the
# seed corpus stays as shipped. Crashes are saved as tests/fuzz/crash-*.
fuzz: tests/fuzz/fuzz_policy
	rm -rf tests/fuzz/run
	$(MKDIR_P) tests/fuzz/run
	cp $(FUZZ_CORPUS:%=$(srcdir)/%) tests/fuzz/run/
	tests/fuzz/fuzz_policy -max_total_time=$(FUZZ_SECONDS) \
		-dict=$(srcdir)/tests/fuzz/policy.dict \
		-artifact_prefix=tests/fuzz/ -print_final_stats=1 \
		$(FUZZ_ARGS) tests/fuzz/run

fuzz-clean:
	rm -rf tests/fuzz/run tests/fuzz/crash-* tests/fuzz/leak-* \
		tests/fuzz/timeout-* tests/fuzz/oom-* tests/fuzz/slow-unit-*
clean-local: fuzz-clean
.PHONY: fuzz fuzz-clean
