# SPDX-License-Identifier: GPL-2.0-or-later
# Session benchmark, on demand with `make bench-session` (BENCH_N=N): a whole
# SMTP session through spp-session, plugins sandboxed vs bare.
EXTRA_PROGRAMS += bench/spp-run-shim
bench_spp_run_shim_SOURCES = bench/spp-run-shim.c
if SHIM_FREESTANDING
bench_spp_run_shim_CFLAGS = $(PLAIN_CFLAGS) -fno-pie -fno-stack-protector \
	-fno-asynchronous-unwind-tables
bench_spp_run_shim_LDFLAGS = -nostdlib -static
else
bench_spp_run_shim_CFLAGS = $(PLAIN_CFLAGS)
bench_spp_run_shim_LDFLAGS =
endif
CLEANFILES += bench/spp-run-shim$(EXEEXT)
EXTRA_DIST += bench/session-bench.sh

bench-session: spp-session$(EXEEXT) spp-run$(EXEEXT) \
		bench/spp-run-shim$(EXEEXT) bench/trivial$(EXEEXT)
	$(SHELL) $(srcdir)/bench/session-bench.sh \
		$(abs_top_builddir)/spp-session$(EXEEXT) \
		$(abs_top_builddir)/spp-run$(EXEEXT) \
		$(abs_top_builddir)/bench/spp-run-shim$(EXEEXT) \
		$(abs_top_builddir)/bench/trivial$(EXEEXT)
.PHONY: bench-session
