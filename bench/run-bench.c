/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Benchmark: what one plugin run costs bare (fork+exec+wait), through spp-run
 * and through bwrap, measured in the same run and interleaved. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h> /* NAN, isnan: macros, no libm */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_N 300
#define MAX_N 1000000
#define WARMUP 10
/* Targets of the project: spp-run at most 3x a bare exec, bwrap at least
 * 2.5x spp-run. Missing them is reported, never an exit failure. */
#define TARGET_SPP_BARE 3.0
#define TARGET_BWRAP_SPP 2.5
/* Reserved exit code of a child whose execve failed. */
#define EXEC_FAILED 127

extern char **environ;

enum mode { BARE, SPP, BWRAP, NMODES };

static const char *const mode_name[NMODES] = { "bare", "spp-run", "bwrap" };
/* Names in the key=value and JSON output. */
static const char *const mode_key[NMODES] = { "bare", "spp_run", "bwrap" };

struct bench {
	char *argv[8];
	int active; /* measured in this run */
	char why[400]; /* why not, when !active */
	double *ms; /* one wall time per measured run */
	size_t n;
	size_t failures; /* measured runs with wrong output or status */
	double median, p90;
};

static int devnull = -1;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Between fork and execve: no malloc, no stdio. */
static void child(char *const argv[], int out, int err)
{
	static const char msg[] = "run-bench: fatal: execve failed\n";

	if (dup2(devnull, STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0 ||
	    dup2(err, STDERR_FILENO) < 0)
		_exit(EXEC_FAILED);
	execve(argv[0], argv, environ);
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(EXEC_FAILED);
	_exit(EXEC_FAILED);
}

/* What one run did, for the warm-up's diagnosis. */
struct outcome {
	int status; /* from waitpid */
	size_t len; /* bytes printed on stdout */
};

/* One run: fork, exec, drain stdout, wait. Returns 0 when the program
 * printed exactly "N\n" and exited 0, 1 when it ran but did not, -1 on a
 * system error. *ms gets the wall time from fork to reaped. stderr goes to
 * errfd. */
static int run_once(char *const argv[], int errfd, double *ms,
		    struct outcome *o)
{
	char buf[64], sink[256];
	size_t len = 0;
	int p[2], status;
	double t0;
	ssize_t r;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	t0 = now_ms();
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0)
		child(argv, p[1], errfd);
	close(p[1]);
	for (;;) {
		/* keep the first bytes, count the rest */
		if (len < sizeof(buf))
			r = read(p[0], buf + len, sizeof(buf) - len);
		else
			r = read(p[0], sink, sizeof(sink));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	close(p[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	*ms = now_ms() - t0;
	o->status = status;
	o->len = len;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return 1;
	if (len != 2 || memcmp(buf, "N\n", 2) != 0)
		return 1;
	return 0;
}

/* Append src to dst (NUL-terminated, size dstlen) with control and
 * non-ASCII bytes as \xNN; truncates. */
static void escape_into(char *dst, size_t dstlen, const char *src,
			size_t srclen)
{
	size_t o = strlen(dst), i;
	unsigned char c;

	for (i = 0; i < srclen && o + 5 < dstlen; i++) {
		c = (unsigned char)src[i];
		if (c >= 0x20 && c < 0x7f && c != '\\') {
			dst[o++] = (char)c;
		} else {
			snprintf(dst + o, dstlen - o, "\\x%02x", c);
			o += 4;
		}
	}
	dst[o] = '\0';
}

/* Unmeasured runs that warm caches and check that the way works at all;
 * on failure deactivate it with the reason and the program's stderr. */
static int warm_up(struct bench *b)
{
	char errbuf[300], how[40];
	struct outcome o;
	ssize_t elen;
	double ms;
	int i, rc = 0, fd;

	fd = memfd_create("run-bench-stderr", MFD_CLOEXEC);
	if (fd < 0)
		return -1;
	for (i = 0; i < WARMUP && rc == 0; i++) {
		if (ftruncate(fd, 0) < 0 || lseek(fd, 0, SEEK_SET) < 0)
			rc = -1;
		else
			rc = run_once(b->argv, fd, &ms, &o);
	}
	if (rc == 1) {
		elen = pread(fd, errbuf, sizeof(errbuf), 0);
		if (WIFEXITED(o.status))
			snprintf(how, sizeof(how), "exit %d",
				 WEXITSTATUS(o.status));
		else
			snprintf(how, sizeof(how), "signal %d",
				 WTERMSIG(o.status));
		snprintf(b->why, sizeof(b->why),
			 "broken: wanted \"N\" and exit 0, got %zu bytes, %s;"
			 " stderr: ",
			 o.len, how);
		escape_into(b->why, sizeof(b->why), errbuf,
			    elen > 0 ? (size_t)elen : 0);
		b->active = 0;
		rc = 0;
	}
	close(fd);
	return rc;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void summarize(struct bench *b)
{
	size_t k;

	qsort(b->ms, b->n, sizeof(*b->ms), cmp_double);
	if (b->n % 2)
		b->median = b->ms[b->n / 2];
	else
		b->median = (b->ms[b->n / 2 - 1] + b->ms[b->n / 2]) / 2;
	/* nearest rank: the ceil(0.9 n)-th smallest */
	k = (9 * b->n + 9) / 10;
	b->p90 = b->ms[k - 1];
}

/* The first executable "bwrap" in PATH, or "" (BENCH_BWRAP overrides; set
 * it empty to skip bwrap). */
static void find_bwrap(char *dst, size_t len)
{
	const char *path = getenv("PATH"), *p, *e;
	const char *set = getenv("BENCH_BWRAP");
	int n;

	dst[0] = '\0';
	if (set) {
		snprintf(dst, len, "%s", set);
		return;
	}
	if (!path)
		path = "/usr/bin:/bin";
	for (p = path; *p; p = *e ? e + 1 : e) {
		e = strchr(p, ':');
		if (!e)
			e = p + strlen(p);
		if (e == p)
			continue;
		n = snprintf(dst, len, "%.*s/bwrap", (int)(e - p), p);
		if (n > 0 && (size_t)n < len && access(dst, X_OK) == 0)
			return;
		dst[0] = '\0';
	}
}

static int parse_n(size_t *n)
{
	const char *s = getenv("BENCH_N");
	char *end;
	long v;

	*n = DEFAULT_N;
	if (!s || !*s)
		return 0;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < 1 || v > MAX_N)
		return -1;
	*n = (size_t)v;
	return 0;
}

/* A ratio of medians, or NAN when either way was not measured. */
static double ratio(const struct bench *num, const struct bench *den)
{
	if (!num->active || !den->active || den->median <= 0)
		return NAN;
	return num->median / den->median;
}

static const char *verdict(double r, double target, int at_most)
{
	if (isnan(r))
		return "SKIP";
	return (at_most ? r <= target : r >= target) ? "PASS" : "MISS";
}

static void print_human(const struct bench *b, size_t n, double r_sb,
			double r_bs, const char *policy)
{
	int m;

	printf("run-bench: %zu runs per way, interleaved, uid %ld, plugin %s\n",
	       n, (long)getuid(), b[BARE].argv[0]);
	if (policy && *policy)
		printf("run-bench: spp-run --policy %s\n", policy);
	for (m = 0; m < NMODES; m++) {
		if (!b[m].active) {
			printf("%-8s %s\n", mode_name[m], b[m].why);
			continue;
		}
		printf("%-8s median %.3f ms  p90 %.3f ms  failures %zu\n",
		       mode_name[m], b[m].median, b[m].p90, b[m].failures);
	}
	if (isnan(r_sb))
		printf("ratio spp-run/bare n/a (target <= %.1f) SKIP\n",
		       TARGET_SPP_BARE);
	else
		printf("ratio spp-run/bare %.2f (target <= %.1f) %s\n", r_sb,
		       TARGET_SPP_BARE, verdict(r_sb, TARGET_SPP_BARE, 1));
	if (isnan(r_bs))
		printf("ratio bwrap/spp-run n/a (target >= %.1f) SKIP\n",
		       TARGET_BWRAP_SPP);
	else
		printf("ratio bwrap/spp-run %.2f (target >= %.1f) %s\n", r_bs,
		       TARGET_BWRAP_SPP, verdict(r_bs, TARGET_BWRAP_SPP, 0));
}

/* One line of key=value pairs for scripts; "na" where not measured. */
static void print_keys(const struct bench *b, size_t n, double r_sb,
		       double r_bs)
{
	int m;

	printf("bench n=%zu", n);
	for (m = 0; m < NMODES; m++) {
		if (b[m].active)
			printf(" %s_median_ms=%.3f %s_p90_ms=%.3f %s_failures=%zu",
			       mode_key[m], b[m].median, mode_key[m], b[m].p90,
			       mode_key[m], b[m].failures);
		else
			printf(" %s_median_ms=na %s_p90_ms=na", mode_key[m],
			       mode_key[m]);
	}
	if (isnan(r_sb))
		printf(" ratio_spp_run_bare=na");
	else
		printf(" ratio_spp_run_bare=%.2f", r_sb);
	if (isnan(r_bs))
		printf(" ratio_bwrap_spp_run=na");
	else
		printf(" ratio_bwrap_spp_run=%.2f", r_bs);
	printf(" target_spp_run_bare=%s target_bwrap_spp_run=%s\n",
	       verdict(r_sb, TARGET_SPP_BARE, 1),
	       verdict(r_bs, TARGET_BWRAP_SPP, 0));
}

static void print_json_num(const char *key, double v, const char *sep)
{
	if (isnan(v))
		printf("\"%s\":null%s", key, sep);
	else
		printf("\"%s\":%.4f%s", key, v, sep);
}

static void print_json(const struct bench *b, size_t n, double r_sb,
		       double r_bs)
{
	int m;

	printf("{\"n\":%zu,", n);
	for (m = 0; m < NMODES; m++) {
		if (b[m].active)
			printf("\"%s\":{\"median_ms\":%.4f,\"p90_ms\":%.4f,"
			       "\"failures\":%zu},",
			       mode_key[m], b[m].median, b[m].p90,
			       b[m].failures);
		else
			printf("\"%s\":null,", mode_key[m]);
	}
	print_json_num("ratio_spp_run_bare", r_sb, ",");
	print_json_num("ratio_bwrap_spp_run", r_bs, ",");
	printf("\"target_spp_run_bare\":\"%s\",",
	       verdict(r_sb, TARGET_SPP_BARE, 1));
	printf("\"target_bwrap_spp_run\":\"%s\"}\n",
	       verdict(r_bs, TARGET_BWRAP_SPP, 0));
}

static void usage(void)
{
	fputs("usage: run-bench [--json] SPP-RUN PLUGIN\n"
	      "  env BENCH_N (runs per way, default 300), BENCH_BWRAP (path;"
	      " empty: skip),\n"
	      "  BENCH_POLICY (a policy file for spp-run; default: none)\n",
	      stderr);
}

int main(int argc, char **argv)
{
	static char bwrap[PATH_MAX];
	static char ro[] = "--ro-bind", all[] = "--unshare-all", root[] = "/",
		    dashdash[] = "--", policy_opt[] = "--policy";
	char *policy = getenv("BENCH_POLICY");
	struct bench b[NMODES];
	struct outcome o;
	double r_sb, r_bs, ms;
	size_t n, i;
	int json = 0, argi = 1, m, k, rc;

	if (argi < argc && strcmp(argv[argi], "--json") == 0) {
		json = 1;
		argi++;
	}
	if (argc - argi != 2) {
		usage();
		return 100;
	}
	if (parse_n(&n) < 0) {
		fputs("run-bench: fatal: BENCH_N must be 1..1000000\n", stderr);
		return 100;
	}
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (devnull < 0) {
		perror("run-bench: fatal: /dev/null");
		return 111;
	}

	memset(b, 0, sizeof(b));
	b[BARE].argv[0] = argv[argi + 1];
	k = 0;
	b[SPP].argv[k++] = argv[argi];
	if (policy && *policy) {
		b[SPP].argv[k++] = policy_opt;
		b[SPP].argv[k++] = policy;
	}
	b[SPP].argv[k++] = dashdash;
	b[SPP].argv[k++] = argv[argi + 1];
	find_bwrap(bwrap, sizeof(bwrap));
	b[BWRAP].argv[0] = bwrap;
	b[BWRAP].argv[1] = all;
	b[BWRAP].argv[2] = ro;
	b[BWRAP].argv[3] = root;
	b[BWRAP].argv[4] = root;
	b[BWRAP].argv[5] = argv[argi + 1];

	for (m = 0; m < NMODES; m++) {
		b[m].active = 1;
		b[m].ms = calloc(n, sizeof(*b[m].ms));
		if (!b[m].ms) {
			fputs("run-bench: fatal: out of memory\n", stderr);
			return 111;
		}
	}
	if (!bwrap[0]) {
		b[BWRAP].active = 0;
		snprintf(b[BWRAP].why, sizeof(b[BWRAP].why), "skipped: %s",
			 getenv("BENCH_BWRAP") ?
				 "BENCH_BWRAP is empty" :
				 "bwrap not installed (not in PATH)");
	}
	for (m = 0; m < NMODES; m++) {
		if (b[m].active && warm_up(&b[m]) < 0) {
			perror("run-bench: fatal: warm-up");
			return 111;
		}
	}
	if (!b[BARE].active) {
		fprintf(stderr, "run-bench: fatal: plugin %s\n", b[BARE].why);
		return 111;
	}

	/* Interleave the ways, rotating which goes first, so that drift in
	 * the machine's state (frequency, caches, other load) hits all of
	 * them alike. */
	for (i = 0; i < n; i++) {
		for (k = 0; k < NMODES; k++) {
			m = (int)((i + (size_t)k) % NMODES);
			if (!b[m].active)
				continue;
			rc = run_once(b[m].argv, devnull, &ms, &o);
			if (rc < 0) {
				perror("run-bench: fatal: fork");
				return 111;
			}
			if (rc > 0)
				b[m].failures++;
			b[m].ms[b[m].n++] = ms;
		}
	}
	for (m = 0; m < NMODES; m++)
		if (b[m].active)
			summarize(&b[m]);

	r_sb = ratio(&b[SPP], &b[BARE]);
	r_bs = ratio(&b[BWRAP], &b[SPP]);
	if (json) {
		print_json(b, n, r_sb, r_bs);
	} else {
		print_human(b, n, r_sb, r_bs, policy);
		print_keys(b, n, r_sb, r_bs);
	}
	for (m = 0; m < NMODES; m++)
		free(b[m].ms);
	close(devnull);
	return 0;
}
