/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Benchmark of spp-sandboxd, run on demand (make bench-broker), never a
 * test: one static trivial plugin run bare (fork+exec), through the broker
 * (a client in this process, as a hook talking to the socket would be),
 * through spp-run --broker, through spp-run alone and through bwrap
 * --unshare-all, interleaved in one run; the broker's runs back to back
 * (its latency spread); then 8 concurrent clients; with --soak N, N runs
 * through the broker with the broker's and its workers' descriptors, RSS,
 * mounts and processes sampled along the way. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "wire.h"

#define DEFAULT_N 1000
#define CLIENTS 8
/* Goals of issue 11; missing one is reported, never a failure. */
#define GOAL_BROKER_BARE 1.6
#define GOAL_P99_MEDIAN 2.0
#define GOAL_BWRAP_BROKER 5.0
#define GOAL_RUNS_PER_S 1000.0

extern char **environ;

enum way { BARE, BROKER, SPPRUN_BROKER, SPPRUN, BWRAP, NWAYS };

static const char *const way_name[NWAYS] = {
	"bare fork+exec", "broker (socket client)", "spp-run --broker",
	"spp-run alone",  "bwrap --unshare-all",
};

static const char *sock, *home, *plugin, *spprun, *bwrap;
static int devnull;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* fork+exec argv, stdout drained, stderr to /dev/null. 0 when it printed
 * "N\n" and exited 0. */
static int exec_once(char *const argv[], char *const envp[])
{
	char buf[256];
	size_t len = 0;
	int p[2], status;
	ssize_t n;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (dup2(devnull, 0) < 0 || dup2(p[1], 1) < 0 ||
		    dup2(devnull, 2) < 0 || chdir(home) < 0)
			_exit(127);
		execve(argv[0], argv, envp);
		_exit(127);
	}
	close(p[1]);
	while ((n = read(p[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	close(p[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) && !WEXITSTATUS(status) && len == 2 &&
			       !memcmp(buf, "N\n", 2) ?
		       0 :
		       -1;
}

/* One run through the broker, as spp-run would send it. */
static int broker_once(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct spp_wire_reply rep;
	struct sbx_error err;
	struct sbx_buf req = { 0 }, in = { 0 };
	char chunk[8192];
	ssize_t n;
	int fd, rc = -1, p = 0;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
	if (spp_wire_puts(&req, SPP_WIRE_VERSION, SPP_WIRE_VERSION_1) < 0 ||
	    spp_wire_puts(&req, SPP_WIRE_HOME, home) < 0 ||
	    spp_wire_puts(&req, SPP_WIRE_EVENT, "rcpt") < 0 ||
	    spp_wire_puts(&req, SPP_WIRE_INHERIT, "1") < 0 ||
	    spp_wire_puts(&req, SPP_WIRE_ARG, plugin) < 0 ||
	    spp_wire_puts(&req, SPP_WIRE_ENV, "PATH=/usr/bin:/bin") < 0 ||
	    spp_wire_put(&req, SPP_WIRE_END, "", 0) < 0)
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    send(fd, req.s, req.len, MSG_NOSIGNAL) != (ssize_t)req.len)
		goto out;
	while (p == 0 && (n = read(fd, chunk, sizeof(chunk))) > 0) {
		if (sbx_buf_add(&in, chunk, (size_t)n) < 0)
			goto out;
		p = spp_wire_reply_parse(in.s, in.len, &rep, &err);
	}
	if (p > 0) {
		rc = rep.status == 0 && rep.out.len == 2 &&
				     !memcmp(rep.out.s, "N\n", 2) ?
			     0 :
			     -1;
		spp_wire_reply_clear(&rep);
	}
out:
	if (fd >= 0)
		close(fd);
	sbx_buf_free(&req);
	sbx_buf_free(&in);
	return rc;
}

static int run_way(enum way w)
{
	char bsock[4200];
	char *bare[] = { (char *)plugin, NULL };
	char *spp[] = { (char *)spprun, "--inherit-env", "--event", "rcpt",
			"--",		(char *)plugin,	 NULL };
	char *sppb[] = { (char *)spprun, "--inherit-env", "--event",
			 "rcpt",	 "--broker",	  bsock,
			 "--",		 (char *)plugin,  NULL };
	char *bw[] = { (char *)bwrap, "--unshare-all",
		       "--ro-bind",   "/",
		       "/",	      "--dev",
		       "/dev",	      "--proc",
		       "/proc",	      "--die-with-parent",
		       "--",	      (char *)plugin,
		       NULL };
	char *env[] = { "PATH=/usr/bin:/bin", NULL };

	snprintf(bsock, sizeof(bsock), "%s", sock);
	switch (w) {
	case BARE:
		return exec_once(bare, env);
	case BROKER:
		return broker_once();
	case SPPRUN_BROKER:
		return exec_once(sppb, env);
	case SPPRUN:
		return exec_once(spp, env);
	case BWRAP:
		return exec_once(bw, env);
	default:
		return -1;
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double pct(const double *v, size_t n, double q)
{
	size_t i = (size_t)(q * (double)(n - 1) + 0.5);

	return v[i < n ? i : n - 1];
}

/* Runs per second of CLIENTS processes, each making per runs. */
static double concurrent(int per)
{
	pid_t kids[CLIENTS];
	double t0 = now_ms();
	int fails = 0, status;

	for (int i = 0; i < CLIENTS; i++) {
		kids[i] = fork();
		if (kids[i] == 0) {
			int bad = 0;

			for (int k = 0; k < per; k++)
				bad += run_way(BROKER) != 0;
			_exit(bad ? 1 : 0);
		}
	}
	for (int i = 0; i < CLIENTS; i++)
		if (kids[i] > 0 && waitpid(kids[i], &status, 0) > 0 &&
		    (!WIFEXITED(status) || WEXITSTATUS(status)))
			fails++;
	if (fails)
		printf("concurrent: %d clients saw failed runs\n", fails);
	return CLIENTS * per / ((now_ms() - t0) / 1e3);
}

static long count_dir(const char *path)
{
	char cmd[300];
	long n = -1;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "ls %s 2>/dev/null | wc -l", path);
	f = popen(cmd, "r");
	if (f) {
		if (fscanf(f, "%ld", &n) != 1)
			n = -1;
		pclose(f);
	}
	return n;
}

static long status_kb(long pid, const char *key)
{
	char path[64], line[256];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/status", pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, key, strlen(key)) == 0)
			v = strtol(line + strlen(key), NULL, 10);
	fclose(f);
	return v;
}

static long lines_of(const char *path)
{
	char line[4096];
	long n = 0;
	FILE *f = fopen(path, "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		n++;
	fclose(f);
	return n;
}

/* The most RSS and descriptors of one of the broker's workers (its
 * children: parked workers make run after run), and how many there are. */
static void workers(long bpid, long *n, long *rss, long *fds)
{
	char path[64];
	long pid;
	FILE *f;

	*n = *rss = *fds = 0;
	snprintf(path, sizeof(path), "/proc/%ld/task/%ld/children", bpid, bpid);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fscanf(f, "%ld", &pid) == 1) {
		long kb = status_kb(pid, "VmRSS:"), nfd;

		snprintf(path, sizeof(path), "/proc/%ld/fd", pid);
		nfd = count_dir(path);
		(*n)++;
		if (kb > *rss)
			*rss = kb;
		if (nfd > *fds)
			*fds = nfd;
	}
	fclose(f);
}

/* The broker's descriptors, RSS, mounts (its mount namespace) and
 * processes (its children, and all on the host); its workers'. */
static void sample(long bpid, long runs)
{
	char path[64];
	long nw, wrss, wfds;

	snprintf(path, sizeof(path), "/proc/%ld/fd", bpid);
	long fds = count_dir(path);
	snprintf(path, sizeof(path), "/proc/%ld/mounts", bpid);
	workers(bpid, &nw, &wrss, &wfds);
	printf("soak: runs %ld fds %ld rss_kb %ld mounts %ld procs %ld "
	       "workers %ld worker_rss_kb %ld worker_fds %ld\n",
	       runs, fds, status_kb(bpid, "VmRSS:"), lines_of(path),
	       count_dir("-d /proc/[0-9]*"), nw, wrss, wfds);
	fflush(stdout);
}

static int soak(long bpid, long n)
{
	long fails = 0;

	for (long i = 0; i < 100; i++)
		fails += run_way(BROKER) != 0;
	sample(bpid, 0);
	for (long i = 1; i <= n; i++) {
		fails += run_way(BROKER) != 0;
		if (i % (n / 10 ? n / 10 : 1) == 0)
			sample(bpid, i);
	}
	printf("soak: %ld runs, %ld failed\n", n, fails);
	return fails ? 1 : 0;
}

int main(int argc, char **argv)
{
	double *ms[NWAYS], med[NWAYS], p99[NWAYS], *alone, amed, ap99;
	int active[NWAYS] = { 1, 1, 1, 1, 1 }, n = DEFAULT_N;
	size_t fails[NWAYS] = { 0 };
	long bpid;

	if (argc < 7) {
		fprintf(stderr,
			"usage: broker-bench SOCKET HOME PLUGIN SPP-RUN "
			"BWRAP|'' BROKER-PID [N | --soak N]\n");
		return 100;
	}
	sock = argv[1];
	home = argv[2];
	plugin = argv[3];
	spprun = argv[4];
	bwrap = argv[5];
	bpid = strtol(argv[6], NULL, 10);
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (argc > 8 && strcmp(argv[7], "--soak") == 0)
		return soak(bpid, strtol(argv[8], NULL, 10));
	if (argc > 7)
		n = (int)strtol(argv[7], NULL, 10);
	if (n < 10)
		n = 10;
	if (!*bwrap)
		active[BWRAP] = 0;
	/* the broker's own latency first: its runs back to back, before
	 * any other way ran (spp-run's and bwrap's network namespaces are
	 * freed by a kernel worker well after they exit, and that work
	 * stretches whatever runs meanwhile: a bare exec's p99 doubles) */
	alone = calloc((size_t)n, sizeof(double));
	if (!alone)
		return 111;
	for (int i = -10; i < n; i++) {
		double t0 = now_ms();

		fails[BROKER] += run_way(BROKER) != 0 && i >= 0;
		if (i >= 0)
			alone[i] = now_ms() - t0;
	}
	qsort(alone, (size_t)n, sizeof(double), cmp_double);
	amed = pct(alone, (size_t)n, 0.5);
	ap99 = pct(alone, (size_t)n, 0.99);
	for (int w = 0; w < NWAYS; w++) {
		ms[w] = calloc((size_t)n, sizeof(double));
		if (!ms[w])
			return 111;
		/* warm up, and drop a way that does not work here */
		for (int i = 0; i < 10 && active[w]; i++)
			if (run_way((enum way)w) != 0) {
				printf("%s: does not work here, left out\n",
				       way_name[w]);
				active[w] = 0;
			}
	}
	/* interleaved, so that a slow phase of the machine hits all */
	for (int i = 0; i < n; i++)
		for (int w = 0; w < NWAYS; w++) {
			double t0;

			if (!active[w])
				continue;
			t0 = now_ms();
			fails[w] += run_way((enum way)w) != 0;
			ms[w][i] = now_ms() - t0;
		}
	printf("broker-bench: N=%d sequential runs per way, uid %ld, "
	       "plugin %s\n",
	       n, (long)getuid(), plugin);
	for (int w = 0; w < NWAYS; w++) {
		if (!active[w])
			continue;
		qsort(ms[w], (size_t)n, sizeof(double), cmp_double);
		med[w] = pct(ms[w], (size_t)n, 0.5);
		p99[w] = pct(ms[w], (size_t)n, 0.99);
		printf("%-24s median %7.3f ms  p90 %7.3f ms  p99 %7.3f ms  "
		       "failed %zu\n",
		       way_name[w], med[w], pct(ms[w], (size_t)n, 0.9), p99[w],
		       fails[w]);
	}
	printf("ratio broker/bare %.2f (goal <= %.1f) %s\n",
	       med[BROKER] / med[BARE], GOAL_BROKER_BARE,
	       med[BROKER] / med[BARE] <= GOAL_BROKER_BARE ? "MET" : "MISSED");
	printf("%-24s median %7.3f ms  p90 %7.3f ms  p99 %7.3f ms\n",
	       "broker, back to back", amed, pct(alone, (size_t)n, 0.9), ap99);
	printf("ratio broker p99/median %.2f, back to back (goal <= %.1f) %s; "
	       "%.2f interleaved with the other ways\n",
	       ap99 / amed, GOAL_P99_MEDIAN,
	       ap99 / amed <= GOAL_P99_MEDIAN ? "MET" : "MISSED",
	       p99[BROKER] / med[BROKER]);
	/* the machine's own spread, for scale */
	printf("ratio bare fork+exec p99/median %.2f\n", p99[BARE] / med[BARE]);
	printf("ratio spp-run/broker %.2f; spp-run --broker/spp-run %.2f\n",
	       med[SPPRUN] / med[BROKER], med[SPPRUN_BROKER] / med[SPPRUN]);
	if (active[BWRAP]) {
		printf("ratio bwrap/broker %.2f (goal >= %.1f) %s\n",
		       med[BWRAP] / med[BROKER], GOAL_BWRAP_BROKER,
		       med[BWRAP] / med[BROKER] >= GOAL_BWRAP_BROKER ?
			       "MET" :
			       "MISSED");
		/* a run through anything includes the plugin's own exec */
		printf("ratio bwrap/bare %.2f (the most bwrap/broker can be "
		       "here)\n",
		       med[BWRAP] / med[BARE]);
	} else
		printf("ratio bwrap/broker n/a (no bwrap)\n");
	{
		double rps;

		/* warm up as the sequential ways did: the line gets the
		 * parked workers 8 clients at once need */
		concurrent(20);
		rps = concurrent(n / CLIENTS > 50 ? n / CLIENTS : 50);

		printf("concurrent: %d clients, %.0f runs/s (goal >= %.0f) "
		       "%s\n",
		       CLIENTS, rps, GOAL_RUNS_PER_S,
		       rps >= GOAL_RUNS_PER_S ? "MET" : "MISSED");
	}
	printf("broker rss %ld kB\n", status_kb(bpid, "VmRSS:"));
	for (int w = 0; w < NWAYS; w++)
		free(ms[w]);
	free(alone);
	return 0;
}
