/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of the sandbox library: the cgroup a run would get
 * (sbx_cgroup_probe, cgroup.c), as spp-selftest reports it. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "sbx.h"

START_TEST(test_sbx_cgroup_probe_none)
{
	struct sbx_error err = { 0, "" };
	char why[200] = "x";

	ck_assert_int_eq(sbx_cgroup_probe("none", why, sizeof(why), &err), 0);
	ck_assert_str_eq(why, "SPPSANDBOX_CGROUP=none");
}
END_TEST

/* A named directory that is no cgroup: the error a run would fail with,
 * and nothing left in it. */
START_TEST(test_sbx_cgroup_probe_not_a_cgroup)
{
	struct sbx_error err = { 0, "" };
	char dir[] = "/tmp/test_cgroup.XXXXXX", why[200] = "";

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(sbx_cgroup_probe(dir, why, sizeof(why), &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "memory and pids"));
	ck_assert_int_ne(err.code, 0);
	ck_assert_int_eq(rmdir(dir), 0); /* empty: nothing was left */
}
END_TEST

/* Found or not: a version, or none with its reason. */
START_TEST(test_sbx_cgroup_probe_find)
{
	struct sbx_error err = { 0, "" };
	char why[200] = "x";
	int v = sbx_cgroup_probe(NULL, why, sizeof(why), &err);

	ck_assert_int_ge(v, 0);
	ck_assert_int_le(v, 2);
	if (v)
		ck_assert_str_eq(why, "");
	else
		ck_assert_str_ne(why, "");
	ck_assert_int_eq(sbx_cgroup_probe("", why, 0, &err), v);
}
END_TEST

static Suite *cgroup_suite(void)
{
	Suite *s = suite_create("cgroup");
	TCase *tc = tcase_create("sbx_cgroup_probe");

	tcase_add_test(tc, test_sbx_cgroup_probe_none);
	tcase_add_test(tc, test_sbx_cgroup_probe_not_a_cgroup);
	tcase_add_test(tc, test_sbx_cgroup_probe_find);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tap_run(cgroup_suite());
}
