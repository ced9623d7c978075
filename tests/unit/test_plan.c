/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of the view's plan (runner/lib/plan.c): what the parent
 * decides to show a plugin, checked on the host alone, without building
 * a sandbox. */
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "tap.h"

static char dir[64];

static void make_dir(void)
{
	snprintf(dir, sizeof(dir), "/tmp/test_plan.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	/* the policy's paths must not be other-writable or lead through
	 * directories others may change: mkdtemp's 0700 is fine */
}

static void path_in(char *buf, size_t len, const char *name)
{
	ck_assert_int_lt(snprintf(buf, len, "%s/%s", dir, name), (int)len);
}

static void make_file(const char *name, mode_t mode)
{
	char p[PATH_MAX];
	FILE *f;

	path_in(p, sizeof(p), name);
	f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs("#!/bin/sh\necho N\n", f);
	fclose(f);
	ck_assert_int_eq(chmod(p, mode), 0);
}

static void remove_dir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* The plan for program under policy p; returns sbx_mount_plan's result. */
static int plan(struct sbx_policy *p, const char *program,
		struct sbx_plan **out, struct sbx_error *err)
{
	struct sbx_jail *j = sbx_jail_new(p, err);
	struct sbx_plan *pl;

	ck_assert_msg(j != NULL, "jail: %s", err->msg);
	pl = calloc(1, sizeof(*pl));
	ck_assert_ptr_nonnull(pl);
	pl->jail = j;
	*out = pl;
	return sbx_mount_plan(pl, program, err);
}

static void plan_free(struct sbx_plan *pl)
{
	sbx_jail_free((struct sbx_jail *)pl->jail);
	free(pl);
}

static const struct sbx_bind *find(const struct sbx_plan *pl, const char *dst)
{
	const struct sbx_bind *found = NULL;

	/* the last step for dst wins, as when init applies them in order */
	for (size_t i = 0; i < pl->nbinds; i++)
		if (strcmp(pl->binds[i].dst, dst) == 0)
			found = &pl->binds[i];
	return found;
}

static size_t index_of(const struct sbx_plan *pl, const char *dst)
{
	for (size_t i = 0; i < pl->nbinds; i++)
		if (strcmp(pl->binds[i].dst, dst) == 0)
			return i;
	ck_abort_msg("%s not in the plan", dst);
	return 0;
}

START_TEST(test_plan_default_view)
{
	struct sbx_error err = { 0, "" };
	struct sbx_policy p;
	struct sbx_plan *pl;
	const struct sbx_bind *b;
	struct stat st;

	ck_assert_int_eq(sbx_policy_default(&p, &err), 0);
	ck_assert_msg(plan(&p, "/bin/sh", &pl, &err) == 0, "%s", err.msg);
	/* the base view, read-only */
	b = find(pl, "/usr");
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(b->kind, SBX_MNT_BIND);
	ck_assert_int_eq(b->writable, 0);
	ck_assert_int_eq(b->is_dir, 1);
	ck_assert_ptr_nonnull(find(pl, "/etc"));
	/* a private /dev with its nodes usable, a writable /tmp, /proc */
	b = find(pl, "/dev");
	ck_assert_int_eq(b->kind, SBX_MNT_TMPFS);
	ck_assert_int_eq(b->writable, 0);
	b = find(pl, "/dev/null");
	ck_assert_int_eq(b->is_dev, 1);
	ck_assert_str_eq(b->src, "/dev/null");
	b = find(pl, "/tmp");
	ck_assert_int_eq(b->kind, SBX_MNT_TMPFS);
	ck_assert_int_eq(b->writable, 1);
	ck_assert_ptr_nonnull(strstr(b->opts, "mode=1777"));
	ck_assert_int_eq(find(pl, "/proc")->kind, SBX_MNT_PROC);
	/* /etc/shadow masked by /dev/null where the host has it */
	if (lstat("/etc/shadow", &st) == 0 && S_ISREG(st.st_mode)) {
		b = find(pl, "/etc/shadow");
		ck_assert_ptr_nonnull(b);
		ck_assert_str_eq(b->src, "/dev/null");
		ck_assert_int_eq(b->is_dev, 0);
		ck_assert_uint_gt(index_of(pl, "/etc/shadow"),
				  index_of(pl, "/etc"));
	}
	/* the program is inside the base view: no bind of its own */
	ck_assert_ptr_null(find(pl, "/bin/sh"));
	ck_assert_int_eq(pl->exec_path[0], '/');
	ck_assert_int_eq(pl->exec_rel, 0);
	ck_assert_ptr_null(find(pl, "/home"));
	plan_free(pl);
	sbx_policy_clear(&p);
}
END_TEST

START_TEST(test_plan_policy_paths_parents_first)
{
	struct sbx_error err = { 0, "" };
	char prog[PATH_MAX], inner[PATH_MAX], outer[PATH_MAX];
	const struct sbx_bind *b;
	struct sbx_policy p;
	struct sbx_plan *pl;

	make_dir();
	path_in(outer, sizeof(outer), "data");
	path_in(inner, sizeof(inner), "data/ro");
	ck_assert_int_eq(mkdir(outer, 0755), 0);
	ck_assert_int_eq(mkdir(inner, 0755), 0);
	make_file("plugin", 0755);
	path_in(prog, sizeof(prog), "plugin");
	ck_assert_int_eq(sbx_policy_default(&p, &err), 0);
	/* the child first: the plan still binds the parent below it */
	ck_assert_int_eq(sbx_policy_add_path(&p, inner, 0, &err), 0);
	ck_assert_int_eq(sbx_policy_add_path(&p, outer, 1, &err), 0);
	ck_assert_msg(plan(&p, prog, &pl, &err) == 0, "%s", err.msg);
	b = find(pl, outer);
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(b->writable, 1);
	b = find(pl, inner);
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(b->writable, 0);
	ck_assert_uint_lt(index_of(pl, outer), index_of(pl, inner));
	/* the program, outside the base view, read-only where it is */
	b = find(pl, prog);
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(b->writable, 0);
	ck_assert_int_eq(b->is_dir, 0);
	ck_assert_str_eq(pl->exec_path, prog);
	/* and after /tmp's tmpfs, which would hide it */
	ck_assert_uint_gt(index_of(pl, prog), index_of(pl, "/tmp"));
	plan_free(pl);
	sbx_policy_clear(&p);
	remove_dir();
}
END_TEST

START_TEST(test_plan_refuses_link_into_proc)
{
	struct sbx_error err = { 0, "" };
	char link[PATH_MAX];
	struct sbx_policy p;
	struct sbx_plan *pl;

	make_dir();
	path_in(link, sizeof(link), "proc");
	ck_assert_int_eq(symlink("/proc/self", link), 0);
	ck_assert_int_eq(sbx_policy_default(&p, &err), 0);
	ck_assert_int_eq(sbx_policy_add_path(&p, link, 0, &err), 0);
	ck_assert_int_eq(plan(&p, "/bin/sh", &pl, &err), -1);
	ck_assert_int_eq(err.code, EPERM);
	ck_assert_ptr_nonnull(strstr(err.msg, "leads into the host's /proc"));
	plan_free(pl);
	sbx_policy_clear(&p);
	remove_dir();
}
END_TEST

START_TEST(test_plan_refuses_program_not_a_file)
{
	struct sbx_error err = { 0, "" };
	struct sbx_policy p;
	struct sbx_plan *pl;

	ck_assert_int_eq(sbx_policy_default(&p, &err), 0);
	ck_assert_int_eq(plan(&p, "/usr", &pl, &err), -1);
	ck_assert_int_eq(err.code, EACCES);
	ck_assert_ptr_nonnull(strstr(err.msg, "not a regular file"));
	plan_free(pl);
	ck_assert_int_eq(plan(&p, "/nonexistent/plugin", &pl, &err), -1);
	ck_assert_int_eq(err.code, ENOENT);
	plan_free(pl);
	sbx_policy_clear(&p);
}
END_TEST

START_TEST(test_plan_limit_of_paths)
{
	struct sbx_error err = { 0, "" };
	char sub[PATH_MAX];
	struct sbx_policy p;
	struct sbx_plan *pl;

	make_dir();
	ck_assert_int_eq(sbx_policy_default(&p, &err), 0);
	for (int i = 0; i < SBX_PATHS_MAX; i++) {
		snprintf(sub, sizeof(sub), "%s/d%d", dir, i);
		ck_assert_int_eq(mkdir(sub, 0755), 0);
		ck_assert_int_eq(sbx_policy_add_path(&p, sub, i % 2, &err), 0);
	}
	/* the most a policy may have fits, with a program of its own */
	make_file("plugin", 0755);
	snprintf(sub, sizeof(sub), "%s/plugin", dir);
	ck_assert_msg(plan(&p, sub, &pl, &err) == 0, "%s", err.msg);
	plan_free(pl);
	/* one more is refused by the plan, whoever made the policy */
	snprintf(sub, sizeof(sub), "%s/d0", dir);
	ck_assert_int_eq(sbx_policy_add_path(&p, sub, 0, &err), 0);
	ck_assert_int_eq(plan(&p, "/bin/sh", &pl, &err), -1);
	ck_assert_int_eq(err.code, E2BIG);
	plan_free(pl);
	sbx_policy_clear(&p);
	remove_dir();
}
END_TEST

START_TEST(test_plan_workdir)
{
	struct sbx_error err = { 0, "" };
	char cwd[PATH_MAX];
	struct sbx_policy p;
	struct sbx_plan *pl;

	ck_assert_int_eq(sbx_policy_default(&p, &err), 0);
	ck_assert_msg(plan(&p, "/bin/sh", &pl, &err) == 0, "%s", err.msg);
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	ck_assert_str_eq(pl->workdir, cwd);
	plan_free(pl);
	p.workdir = strdup("/usr");
	ck_assert_msg(plan(&p, "/bin/sh", &pl, &err) == 0, "%s", err.msg);
	ck_assert_str_eq(pl->workdir, "/usr");
	plan_free(pl);
	sbx_policy_clear(&p);
}
END_TEST

static Suite *plan_suite(void)
{
	Suite *s = suite_create("plan");
	TCase *tc = tcase_create("plan");

	tcase_add_test(tc, test_plan_default_view);
	tcase_add_test(tc, test_plan_policy_paths_parents_first);
	tcase_add_test(tc, test_plan_refuses_link_into_proc);
	tcase_add_test(tc, test_plan_refuses_program_not_a_file);
	tcase_add_test(tc, test_plan_limit_of_paths);
	tcase_add_test(tc, test_plan_workdir);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	tap_seccomp_api();
	return tap_run(plan_suite());
}
