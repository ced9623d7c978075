# SPDX-License-Identifier: GPL-2.0-or-later
# Optional libFuzzer targets for the parsers of hostile input, one per name
# in FUZZ_TARGETS (tests/fuzz/fuzz_NAME.c, seeds, NAME.dict). Built with
# clang (CC, or FUZZ_CC when set) and ASan+UBSan, never by all or check:
#   make fuzz              each target for FUZZ_SECONDS, one after the other
#   make fuzz-NAME         one target for FUZZ_SECONDS
#   make fuzz-smoke        each for FUZZ_SMOKE_SECONDS; fails on any finding
# Each runs on a copy of its seeds (tests/fuzz/run.sh).
FUZZ_TARGETS = policy verdict smtpplugins sppout
FUZZ_SECONDS = 300
FUZZ_SMOKE_SECONDS = 15
# Extra libFuzzer options, e.g. FUZZ_ARGS=-max_len=70000 or -jobs=4.
FUZZ_ARGS =
FUZZ_CFLAGS = -g -O1 -fno-omit-frame-pointer
FUZZ_SAN = -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
# Each target with what it calls, all instrumented.
FUZZ_POLICY_SRC = \
	tests/fuzz/fuzz_policy.c \
	policy/lib/pol.c \
	policy/lib/units.c \
	runner/lib/error.c \
	runner/lib/strv.c \
	runner/lib/text.c \
	runner/lib/defaults.c \
	runner/lib/syscalls.c \
	runner/proto/verdict.c \
	$(NULL)
FUZZ_VERDICT_SRC = \
	tests/fuzz/fuzz_verdict.c \
	runner/proto/verdict.c \
	$(NULL)
FUZZ_SMTPPLUGINS_SRC = \
	tests/fuzz/fuzz_smtpplugins.c \
	smtpd-patch/hook/spp.c \
	smtpd-patch/hook/exec-spp-run.c \
	$(NULL)
FUZZ_SPPOUT_SRC = \
	tests/fuzz/fuzz_sppout.c \
	smtpd-patch/hook/spp.c \
	smtpd-patch/hook/exec-spp-run.c \
	runner/proto/verdict.c \
	$(NULL)
FUZZ_BINS = $(FUZZ_TARGETS:%=tests/fuzz/fuzz_%)

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

FUZZ_VERDICT_CORPUS = \
	tests/fuzz/corpus-verdict/c-bad.out \
	tests/fuzz/corpus-verdict/c-long.out \
	tests/fuzz/corpus-verdict/c-ok.out \
	tests/fuzz/corpus-verdict/e-bad.out \
	tests/fuzz/corpus-verdict/e-codes.out \
	tests/fuzz/corpus-verdict/e-ok.out \
	tests/fuzz/corpus-verdict/empty.out \
	tests/fuzz/corpus-verdict/filter-cr.out \
	tests/fuzz/corpus-verdict/filter-crlf.out \
	tests/fuzz/corpus-verdict/filter-empty-lines.out \
	tests/fuzz/corpus-verdict/filter-no-newline.out \
	tests/fuzz/corpus-verdict/filter-nul.out \
	tests/fuzz/corpus-verdict/filter-stop.out \
	tests/fuzz/corpus-verdict/filter-unusable.out \
	tests/fuzz/corpus-verdict/h-bad.out \
	tests/fuzz/corpus-verdict/h-name-76.out \
	tests/fuzz/corpus-verdict/h-ok.out \
	tests/fuzz/corpus-verdict/l-lines.out \
	tests/fuzz/corpus-verdict/p-lines.out \
	tests/fuzz/corpus-verdict/policy-narrow.out \
	tests/fuzz/corpus-verdict/policy-no-o.out \
	tests/fuzz/corpus-verdict/policy-text-all.out \
	tests/fuzz/corpus-verdict/policy-text-bad.out \
	tests/fuzz/corpus-verdict/policy-text.out \
	tests/fuzz/corpus-verdict/r-ok.out \
	tests/fuzz/corpus-verdict/s-bad.out \
	tests/fuzz/corpus-verdict/s-name-64.out \
	tests/fuzz/corpus-verdict/s-ok.out \
	tests/fuzz/corpus-verdict/s-setvars.out \
	tests/fuzz/corpus-verdict/terminal-dbye.out \
	tests/fuzz/corpus-verdict/terminal-o.out \
	tests/fuzz/corpus-verdict/terminal.out \
	tests/fuzz/corpus-verdict/u-lines.out \
	tests/fuzz/corpus-verdict/unknown.out \
	$(NULL)
FUZZ_SMTPPLUGINS_CORPUS = \
	tests/fuzz/corpus-smtpplugins/brackets.conf \
	tests/fuzz/corpus-smtpplugins/empty.conf \
	tests/fuzz/corpus-smtpplugins/lines.conf \
	tests/fuzz/corpus-smtpplugins/long-name.conf \
	tests/fuzz/corpus-smtpplugins/nul-splits.conf \
	tests/fuzz/corpus-smtpplugins/policy-lookup.conf \
	tests/fuzz/corpus-smtpplugins/sample.conf \
	tests/fuzz/corpus-smtpplugins/sections.conf \
	tests/fuzz/corpus-smtpplugins/session-all.conf \
	tests/fuzz/corpus-smtpplugins/session-auth.conf \
	tests/fuzz/corpus-smtpplugins/session-repeat.conf \
	tests/fuzz/corpus-smtpplugins/shell-lines.conf \
	tests/fuzz/corpus-smtpplugins/shell-program-policy.conf \
	$(NULL)
FUZZ_SPPOUT_CORPUS = \
	tests/fuzz/corpus-sppout/a-accepts.session \
	tests/fuzz/corpus-sppout/after-terminal.session \
	tests/fuzz/corpus-sppout/auth-e.session \
	tests/fuzz/corpus-sppout/c-helo.session \
	tests/fuzz/corpus-sppout/c-mail.session \
	tests/fuzz/corpus-sppout/c-rcpt.session \
	tests/fuzz/corpus-sppout/connect-nomem.session \
	tests/fuzz/corpus-sppout/counters.session \
	tests/fuzz/corpus-sppout/crash.session \
	tests/fuzz/corpus-sppout/crlf.session \
	tests/fuzz/corpus-sppout/connect-nomem-drops.session \
	tests/fuzz/corpus-sppout/d-drops.session \
	tests/fuzz/corpus-sppout/e-connect.session \
	tests/fuzz/corpus-sppout/e-rejects.session \
	tests/fuzz/corpus-sppout/env.session \
	tests/fuzz/corpus-sppout/escape.session \
	tests/fuzz/corpus-sppout/exit-1.session \
	tests/fuzz/corpus-sppout/exit-127.session \
	tests/fuzz/corpus-sppout/failure-continue.session \
	tests/fuzz/corpus-sppout/failure-defer.session \
	tests/fuzz/corpus-sppout/h-headers.session \
	tests/fuzz/corpus-sppout/init-drops-headers.session \
	tests/fuzz/corpus-sppout/hang.session \
	tests/fuzz/corpus-sppout/l-multiline.session \
	tests/fuzz/corpus-sppout/l-pending.session \
	tests/fuzz/corpus-sppout/ld-refused.session \
	tests/fuzz/corpus-sppout/n-accepts.session \
	tests/fuzz/corpus-sppout/narrow-policy.session \
	tests/fuzz/corpus-sppout/no-newline.session \
	tests/fuzz/corpus-sppout/no-output.session \
	tests/fuzz/corpus-sppout/no-stdout.session \
	tests/fuzz/corpus-sppout/nomem-s.session \
	tests/fuzz/corpus-sppout/nomem.session \
	tests/fuzz/corpus-sppout/nul-cr.session \
	tests/fuzz/corpus-sppout/o-skips.session \
	tests/fuzz/corpus-sppout/p-prints.session \
	tests/fuzz/corpus-sppout/policy-error.session \
	tests/fuzz/corpus-sppout/r-drops.session \
	tests/fuzz/corpus-sppout/reinit-drops-headers.session \
	tests/fuzz/corpus-sppout/rset-a.session \
	tests/fuzz/corpus-sppout/say-hostile.session \
	tests/fuzz/corpus-sppout/say-lm.session \
	tests/fuzz/corpus-sppout/say-r.session \
	tests/fuzz/corpus-sppout/transport-fails.session \
	tests/fuzz/corpus-sppout/unknown-lines.session \
	$(NULL)

EXTRA_DIST += \
	tests/fuzz/run.sh \
	tests/fuzz/fuzz_policy.c \
	tests/fuzz/fuzz_verdict.c \
	tests/fuzz/fuzz_smtpplugins.c \
	tests/fuzz/fuzz_sppout.c \
	tests/fuzz/policy.dict \
	tests/fuzz/verdict.dict \
	tests/fuzz/smtpplugins.dict \
	tests/fuzz/sppout.dict \
	$(FUZZ_CORPUS) \
	$(FUZZ_VERDICT_CORPUS) \
	$(FUZZ_SMTPPLUGINS_CORPUS) \
	$(FUZZ_SPPOUT_CORPUS) \
	$(NULL)
CLEANFILES += $(FUZZ_BINS)

# The compile line every target shares; its sources follow it.
FUZZ_BUILD = cc='$(FUZZ_CC)'; \
	if test -z "$$cc"; then \
		case `$(CC) --version 2>/dev/null` in \
		*clang*) cc='$(CC)' ;; \
		*) echo "make fuzz: needs clang: set FUZZ_CC=clang" \
			"(CC is $(CC))" >&2; exit 1 ;; \
		esac; \
	fi; \
	$(MKDIR_P) tests/fuzz && \
	$$cc $(DEFS) $(POL_CPPFLAGS) -I$(srcdir)/smtpd-patch/hook $(CPPFLAGS) \
		$(SECCOMP_CFLAGS) $(WARN_CFLAGS) $(FUZZ_CFLAGS) $(FUZZ_SAN) \
		-o $@

tests/fuzz/fuzz_policy: $(FUZZ_POLICY_SRC:%=$(srcdir)/%) \
		$(srcdir)/policy/include/pol.h $(srcdir)/runner/include/sbx.h \
		$(srcdir)/runner/proto/verdict.h config.h
	$(AM_V_CCLD)$(FUZZ_BUILD) $(FUZZ_POLICY_SRC:%=$(srcdir)/%) \
		$(SECCOMP_LIBS)

tests/fuzz/fuzz_verdict: $(FUZZ_VERDICT_SRC:%=$(srcdir)/%) \
		$(srcdir)/runner/include/sbx.h $(srcdir)/runner/proto/verdict.h config.h
	$(AM_V_CCLD)$(FUZZ_BUILD) $(FUZZ_VERDICT_SRC:%=$(srcdir)/%)

tests/fuzz/fuzz_smtpplugins: $(FUZZ_SMTPPLUGINS_SRC:%=$(srcdir)/%) \
		$(srcdir)/smtpd-patch/hook/spp.h config.h
	$(AM_V_CCLD)$(FUZZ_BUILD) $(FUZZ_SMTPPLUGINS_SRC:%=$(srcdir)/%)

tests/fuzz/fuzz_sppout: $(FUZZ_SPPOUT_SRC:%=$(srcdir)/%) \
		$(srcdir)/smtpd-patch/hook/spp.h $(srcdir)/runner/include/sbx.h \
		$(srcdir)/runner/proto/verdict.h config.h
	$(AM_V_CCLD)$(FUZZ_BUILD) $(FUZZ_SPPOUT_SRC:%=$(srcdir)/%)

FUZZ_RUN = FUZZ_ARGS='$(FUZZ_ARGS)' $(SHELL) $(srcdir)/tests/fuzz/run.sh

fuzz-policy: tests/fuzz/fuzz_policy
	$(FUZZ_RUN) policy $(FUZZ_SECONDS) $(srcdir)/tests/fuzz/policy.dict \
		$(FUZZ_CORPUS:%=$(srcdir)/%)
fuzz-verdict: tests/fuzz/fuzz_verdict
	$(FUZZ_RUN) verdict $(FUZZ_SECONDS) $(srcdir)/tests/fuzz/verdict.dict \
		$(FUZZ_VERDICT_CORPUS:%=$(srcdir)/%)
fuzz-smtpplugins: tests/fuzz/fuzz_smtpplugins
	$(FUZZ_RUN) smtpplugins $(FUZZ_SECONDS) \
		$(srcdir)/tests/fuzz/smtpplugins.dict \
		$(FUZZ_SMTPPLUGINS_CORPUS:%=$(srcdir)/%)
fuzz-sppout: tests/fuzz/fuzz_sppout
	$(FUZZ_RUN) sppout $(FUZZ_SECONDS) $(srcdir)/tests/fuzz/sppout.dict \
		$(FUZZ_SPPOUT_CORPUS:%=$(srcdir)/%)

# One at a time, whatever -j says: each target wants the whole machine.
fuzz: $(FUZZ_BINS)
	@for t in $(FUZZ_TARGETS); do \
		$(MAKE) $(AM_MAKEFLAGS) fuzz-$$t || exit 1; \
	done

# A short bounded run of each (CI): every target runs, then any crash,
# leak, timeout or out-of-memory fails the whole. Logs in tests/fuzz/.
fuzz-smoke: $(FUZZ_BINS)
	@failed=; for t in $(FUZZ_TARGETS); do \
		log=tests/fuzz/smoke-$$t.log; \
		if $(MAKE) $(AM_MAKEFLAGS) FUZZ_SECONDS=$(FUZZ_SMOKE_SECONDS) \
			fuzz-$$t >$$log 2>&1; then \
			echo "fuzz-smoke: $$t: ok:" \
				`grep 'DONE' $$log | tail -n 1`; \
		else \
			echo "fuzz-smoke: $$t: FAILED (see $$log)"; \
			tail -n 40 $$log; \
			failed="$$failed $$t"; \
		fi; \
	done; \
	test -z "$$failed" || { echo "fuzz-smoke: failed:$$failed"; exit 1; }

fuzz-clean:
	rm -rf tests/fuzz/run tests/fuzz/run-* tests/fuzz/*crash-* \
		tests/fuzz/*leak-* tests/fuzz/*timeout-* tests/fuzz/*oom-* \
		tests/fuzz/*slow-unit-* tests/fuzz/smoke-*.log
clean-local: fuzz-clean
.PHONY: fuzz fuzz-smoke fuzz-clean $(FUZZ_TARGETS:%=fuzz-%)
