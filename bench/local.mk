# SPDX-License-Identifier: GPL-2.0-or-later
# Benchmark, run on demand with `make bench` (not part of `make check`): one
# trivial plugin run bare, through spp-run and through bwrap.
EXTRA_PROGRAMS += bench/run-bench bench/trivial
bench_run_bench_SOURCES = bench/run-bench.c
bench_trivial_SOURCES = bench/trivial.c
bench_trivial_CFLAGS = $(PLAIN_CFLAGS)
# Static, so that the bare baseline pays no dynamic loader (glibc's libc.a).
bench_trivial_LDFLAGS = -static
CLEANFILES += bench/run-bench$(EXEEXT) bench/trivial$(EXEEXT)

# BENCH_N=1000 make bench changes the number of runs per way.
bench: bench/run-bench$(EXEEXT) bench/trivial$(EXEEXT) spp-run$(EXEEXT)
	bench/run-bench $(abs_top_builddir)/spp-run$(EXEEXT) \
		$(abs_top_builddir)/bench/trivial$(EXEEXT)
.PHONY: bench
