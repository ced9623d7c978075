/* SPDX-License-Identifier: GPL-2.0-or-later */
/* spp-selftest's one real run: the installed spp-run on a trivial plugin
 * under the default policy (or a given one). */
#ifndef SPP_SELFTEST_TRIAL_H
#define SPP_SELFTEST_TRIAL_H

#include "sbx.h"

/* One run of spp-run on a trivial plugin written to a new directory below
 * tmpdir: `spp-run --event rcpt [--policy policy] -- ./spp-selftest-plugin`
 * with PATH and SPPSANDBOX_CGROUP (cgroup, when not NULL) only. */
struct trial {
	int status; /* spp-run's exit status; -1 killed or not reaped */
	int sig; /* the signal that ended it, when status is -1 */
	int timed_out; /* killed after TRIAL_TIMEOUT_S */
	struct sbx_buf out, err; /* what it printed (bounded) */
};
#define TRIAL_TIMEOUT_S 30
/* The verdict line the plugin prints. */
#define TRIAL_VERDICT "E550 spp-selftest: the plugin ran"

/* Returns 0 when spp-run ran (whatever it said: see *t), -1 with *err when
 * it could not be started. Free *t with trial_free(). */
int trial_run(const char *spprun, const char *policy, const char *cgroup,
	      const char *tmpdir, struct trial *t, struct sbx_error *err);
void trial_free(struct trial *t);

#endif
