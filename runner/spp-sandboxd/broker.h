/* SPDX-License-Identifier: GPL-2.0-or-later */
/* spp-sandboxd's parts: its configuration, the event loop, the worker
 * that makes one run with spp-run's own code, and the live metrics. */
#ifndef SPP_BROKER_H
#define SPP_BROKER_H

#include <sys/types.h>

#include "sbx.h"
#include "wire.h"

#define BROKER_UIDS_MAX 32
#define BROKER_HOMES_MAX 16

struct broker_metrics;

struct broker_conf {
	const char *socket; /* the path listened on */
	uid_t uids[BROKER_UIDS_MAX]; /* peers served (SO_PEERCRED) */
	size_t nuids;
	const char *homes[BROKER_HOMES_MAX]; /* qmail homes served */
	size_t nhomes;
	unsigned int max_runs; /* at once; more are refused (run by spp-run) */
	unsigned int cap_ms; /* a run still going after it is killed */
	const char *cgroup; /* SPPSANDBOX_CGROUP of the runs, or NULL */
	int verbose; /* a log line per run */
	struct broker_metrics *metrics; /* -m, or NULL */
};

/* Bind conf->socket (a stale socket there is replaced, a live broker's is
 * not) and listen. Returns the listening descriptor, or -1 with *err. */
int broker_listen(const struct broker_conf *conf, struct sbx_error *err);

/* Serve lfd until SIGTERM or SIGINT, then finish the runs under way.
 * Logs (stderr, one line per event) and returns 0, or -1 with *err when
 * the loop itself cannot go on. */
int broker_serve(const struct broker_conf *conf, int lfd,
		 struct sbx_error *err);

/* The policy the request's run gets, found as the hook layer finds it
 * (spp_policy_find in HOME/control/spp), which must be the one the client
 * named; *policy is NULL for the built-in default (the caller frees).
 * Returns 0, or -1 with *err when the home is not served or the policies
 * differ (the client then makes the run itself). */
int worker_policy(const struct broker_conf *conf, const struct spp_wire_req *r,
		  char **policy, struct sbx_error *err);

/* Fork the worker that makes the run: spp_run_main() with stdout to
 * outfd, stderr to logfd, in the qmail home, with the request's
 * environment (SPPSANDBOX_* replaced by the broker's). Returns its pid
 * with a pidfd in *pidfd, or -1 with *err. sigmask is what the worker
 * unblocks. */
pid_t worker_start(const struct broker_conf *conf, const struct spp_wire_req *r,
		   const char *policy, int outfd, int logfd, int *pidfd,
		   struct sbx_error *err);

/* Fork a parked worker for r's plugin line (its event, policy, flags):
 * spp_run_parked() prepares the run's sandbox and waits for a request on
 * *sock (the broker's end of a socketpair); netns (or -1) is the line's
 * network namespace for `network none` runs. Returns its pid with a pidfd
 * in *pidfd, or -1 with *err. */
pid_t worker_park(const struct broker_conf *conf, const struct spp_wire_req *r,
		  const char *policy, int netns, int *pidfd, int *sock,
		  struct sbx_error *err);

/* Give a parked worker its request (req: the client's bytes, parsed to
 * the same plugin line, event, policy and flags the worker was parked
 * for) and the run's stdout and stderr. It then runs as a worker of
 * worker_start() does, but sends its exit status (an int32_t) on sock as
 * soon as stdout and stderr are complete, before it tears the sandbox
 * down and exits. Returns 0, or -1 with *err (the worker is gone or not
 * taking requests). */
int worker_hand_over(int sock, const struct sbx_buf *req, int outfd, int logfd,
		     struct sbx_error *err);

/* What the broker counts of its own (spp_broker_* metrics). */
enum broker_event {
	BROKER_EV_RUN, /* a worker started */
	BROKER_EV_REFUSED_UID,
	BROKER_EV_REFUSED_REQUEST, /* garbage, too big */
	BROKER_EV_REFUSED_POLICY, /* home, plugin line or policy */
	BROKER_EV_REFUSED_BUSY,
	BROKER_EV_REFUSED_RESOURCES, /* memfd, fork, the worker's setup */
	BROKER_EV_KILLED_CAP,
	BROKER_EV_KILLED_CRASH,
	BROKER_EV_KILLED_GONE, /* the client hung up mid-run */
	BROKER_EV_DROPPED_CONNS, /* too many connections */
	BROKER_EV_DROPPED_SLOW, /* no request, or reply not taken, in time */
	BROKER_EV_COUNT
};

/* Metrics to be written to path (copied): spp-report's tally of the runs'
 * log lines, windowed, and the broker's own counters. NULL with *err when
 * out of memory. */
struct broker_metrics *metrics_new(const char *path, struct sbx_error *err);

/* Free m; NULL is a no-op. */
void metrics_free(struct broker_metrics *m);

/* Count a run's log (len bytes, lines ending in newlines, as the worker
 * wrote them): each line parsed and tallied as spp-report does, stamped
 * now. Returns 0, or -1 (ENOMEM) when some line could not be counted. */
int metrics_log(struct broker_metrics *m, const char *log, size_t len);

/* Count one event of the broker's. */
void metrics_event(struct broker_metrics *m, enum broker_event ev);

/* Has anything been counted since the last write? */
int metrics_dirty(const struct broker_metrics *m);

/* Replace the file with the metrics (atomic.h: a reader sees the old file
 * or the new one, whole). Returns 0, or -1 with *err. */
int metrics_write(struct broker_metrics *m, struct sbx_error *err);

/* Exit code of a worker that could not get as far as the run. */
#define WORKER_SETUP_FAILED 125

#endif
