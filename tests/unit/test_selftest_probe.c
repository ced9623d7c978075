/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of spp-selftest's probes: which sysctl refuses user
 * namespaces, and its cure (probe_userns_cause, on a stand-in /proc/sys). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probe.h"
#include "tap.h"

#define NROWS(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* One host: each sysctl's value, -1 for a kernel without it. */
struct cause_row {
	int max_userns; /* user/max_user_namespaces */
	int clone; /* kernel/unprivileged_userns_clone (Debian) */
	int aa; /* kernel/apparmor_restrict_unprivileged_userns (Ubuntu) */
	unsigned int euid;
	const char *want; /* the start of the cause; "" for none */
};

static const struct cause_row cause_rows[] = {
	{ 15000, -1, -1, 65534, "" },
	{ 15000, 1, 0, 65534, "" },
	{ 0, -1, -1, 65534, "user.max_user_namespaces = 0: " },
	/* the limit holds for root too */
	{ 0, -1, -1, 0, "user.max_user_namespaces = 0: " },
	{ 0, 0, 1, 65534, "user.max_user_namespaces = 0: " },
	{ 15000, 0, -1, 65534, "kernel.unprivileged_userns_clone = 0: " },
	/* root is not bound by Debian's switch nor by AppArmor's */
	{ 15000, 0, 1, 0, "" },
	{ 15000, 0, 1, 65534, "kernel.unprivileged_userns_clone = 0: " },
	{ 15000, 1, 1, 65534,
	  "kernel.apparmor_restrict_unprivileged_userns = 1: " },
	{ 15000, -1, 1, 998,
	  "kernel.apparmor_restrict_unprivileged_userns = 1: " },
};

static void put(const char *dir, const char *name, int v)
{
	char path[512];
	FILE *f;

	if (v < 0)
		return;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "%d\n", v);
	ck_assert_int_eq(fclose(f), 0);
}

static void rm(const char *dir, const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
}

START_TEST(test_probe_userns_cause_table)
{
	const struct cause_row *r = &cause_rows[_i];
	char dir[] = "/tmp/test_selftest.XXXXXX", sub[600];
	const char *got;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(sub, sizeof(sub), "%s/user", dir);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	snprintf(sub, sizeof(sub), "%s/kernel", dir);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	put(dir, "user/max_user_namespaces", r->max_userns);
	put(dir, "kernel/unprivileged_userns_clone", r->clone);
	put(dir, "kernel/apparmor_restrict_unprivileged_userns", r->aa);

	got = probe_userns_cause(dir, (uid_t)r->euid);
	if (!*r->want)
		ck_assert_str_eq(got, "");
	else
		ck_assert_msg(strncmp(got, r->want, strlen(r->want)) == 0,
			      "row %d: got '%s', want '%s...'", _i, got,
			      r->want);
	/* every cause names its cure */
	if (*got)
		ck_assert_ptr_nonnull(strstr(got, "(cure: "));
	if (strstr(r->want, "apparmor"))
		ck_assert_ptr_nonnull(strstr(got, "/etc/apparmor.d/spp-run"));

	rm(dir, "user/max_user_namespaces");
	rm(dir, "kernel/unprivileged_userns_clone");
	rm(dir, "kernel/apparmor_restrict_unprivileged_userns");
	snprintf(sub, sizeof(sub), "%s/user", dir);
	rmdir(sub);
	snprintf(sub, sizeof(sub), "%s/kernel", dir);
	rmdir(sub);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* No /proc/sys at all: no cause to name. */
START_TEST(test_probe_userns_cause_nothing)
{
	ck_assert_str_eq(probe_userns_cause("/nonexistent", 65534), "");
}
END_TEST

static Suite *probe_suite(void)
{
	Suite *s = suite_create("selftest_probe");
	TCase *tc = tcase_create("probe_userns_cause");

	tcase_add_loop_test(tc, test_probe_userns_cause_table, 0,
			    NROWS(cause_rows));
	tcase_add_test(tc, test_probe_userns_cause_nothing);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tap_run(probe_suite());
}
