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

# spp-sandboxd's benchmark, on demand: `make bench-broker` (BENCH_N=N runs
# per way, 1000 by default; BENCH_SESSIONS=N whole sessions, 200); `make soak-broker` (SOAK_N=100000 runs through
# one broker, its descriptors, RSS, mounts and processes sampled).
EXTRA_PROGRAMS += bench/broker-bench
bench_broker_bench_SOURCES = bench/broker-bench.c runner/spp-run/wire.c
bench_broker_bench_CPPFLAGS = $(SBX_CPPFLAGS) -I$(srcdir)/runner/spp-run
bench_broker_bench_LDADD = $(SBX_ARCHIVES)
CLEANFILES += bench/broker-bench$(EXEEXT)
EXTRA_DIST += bench/broker-bench.sh
BROKER_BENCH_DEPS = bench/broker-bench$(EXEEXT) bench/trivial$(EXEEXT) \
	bench/spp-run-shim$(EXEEXT) spp-run$(EXEEXT) spp-sandboxd$(EXEEXT) \
	spp-session$(EXEEXT)
bench-broker: $(BROKER_BENCH_DEPS)
	$(SHELL) $(srcdir)/bench/broker-bench.sh $(abs_top_builddir) \
		$${BENCH_N:-1000}
soak-broker: $(BROKER_BENCH_DEPS)
	$(SHELL) $(srcdir)/bench/broker-bench.sh $(abs_top_builddir) \
		--soak $${SOAK_N:-100000}
.PHONY: bench-broker soak-broker
