/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of sbx_path_resolve (runner/lib/resolve.c): the host paths a bind
 * may use, in a tree of directories and links built for each test. */
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

static char top[512]; /* the test tree, resolved */

static void mk(const char *rel, mode_t mode)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", top, rel);
	ck_assert_int_eq(mkdir(p, mode), 0);
	ck_assert_int_eq(chmod(p, mode), 0);
}

static void ln(const char *target, const char *rel)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", top, rel);
	ck_assert_int_eq(symlink(target, p), 0);
}

/* top/
 *   safe/ (0755)   dir/   link -> dir   abs -> TOP/safe/dir   loop -> loop
 *   open/ (0777)   d/     l -> ../safe/dir
 *   sticky/ (1777) mine/
 *   rw/ (0755, a writable root)   sub/   l -> ../safe/dir */
static void setup(void)
{
	char tmpl[] = "/tmp/test_resolve.XXXXXX", abs[PATH_MAX];
	char real[PATH_MAX];

	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	ck_assert_ptr_nonnull(realpath(tmpl, real));
	ck_assert_uint_lt(strlen(real), sizeof(top));
	memcpy(top, real, strlen(real) + 1);
	ck_assert_int_eq(chmod(top, 0755), 0);
	mk("safe", 0755);
	mk("safe/dir", 0755);
	ln("dir", "safe/link");
	snprintf(abs, sizeof(abs), "%s/safe/dir", top);
	ln(abs, "safe/abs");
	ln("loop", "safe/loop");
	mk("open", 0777);
	mk("open/d", 0755);
	ln("../safe/dir", "open/l");
	mk("sticky", 01777);
	mk("sticky/mine", 0755);
	mk("rw", 0755);
	mk("rw/sub", 0755);
	ln("../safe/dir", "rw/l");
}

static void teardown(void)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	ck_assert_int_eq(system(cmd), 0);
}

struct row {
	const char *path; /* below top */
	int check_dirs;
	int with_root; /* top/rw is a writable root */
	const char *want; /* below top; NULL: refused */
	int code; /* errno when refused */
	const char *why; /* in the message when refused */
};

static const struct row rows[] = {
	{ "safe/dir", 1, 1, "safe/dir", 0, NULL },
	{ "safe/link", 1, 1, "safe/dir", 0, NULL },
	{ "safe/abs", 1, 1, "safe/dir", 0, NULL },
	{ "safe/./dir/../dir", 1, 1, "safe/dir", 0, NULL },
	{ "safe/loop", 1, 1, NULL, ELOOP, NULL },
	{ "safe/none", 1, 1, NULL, ENOENT, NULL },
	{ "safe/dir/x/y", 1, 1, NULL, ENOENT, NULL },
	/* entries of a directory others can write */
	{ "open/d", 1, 1, NULL, EPERM, "could be replaced by another user" },
	{ "open/l", 1, 1, NULL, EPERM, "could be replaced by another user" },
	{ "open/d", 0, 1, "open/d", 0, NULL },
	{ "open/l", 0, 1, "safe/dir", 0, NULL },
	/* a sticky directory: entries we own are ours */
	{ "sticky/mine", 1, 1, "sticky/mine", 0, NULL },
	/* inside a writable root: no link, whoever made it */
	{ "rw/sub", 1, 1, "rw/sub", 0, NULL },
	{ "rw/l", 1, 1, NULL, EPERM, "inside a writable path" },
	{ "rw/l", 0, 1, NULL, EPERM, "inside a writable path" },
	{ "rw/l", 1, 0, "safe/dir", 0, NULL },
	{ "rw", 1, 1, "rw", 0, NULL },
};

START_TEST(test_sbx_path_resolve_table)
{
	const struct row *r = &rows[_i];
	char path[PATH_MAX], want[PATH_MAX], out[PATH_MAX], root[PATH_MAX];
	const char *roots[1] = { root };
	struct sbx_resolve_rules rules = { geteuid(), r->check_dirs, roots,
					   r->with_root ? 1 : 0 };
	struct sbx_error err = { 0, "" };
	struct stat st;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", top, r->path);
	snprintf(root, sizeof(root), "%s/rw", top);
	rc = sbx_path_resolve(path, &rules, out, &st, &err);
	if (r->want) {
		ck_assert_msg(rc == 0, "%s: %s", r->path, err.msg);
		snprintf(want, sizeof(want), "%s/%s", top, r->want);
		ck_assert_str_eq(out, want);
		ck_assert(!S_ISLNK(st.st_mode));
	} else {
		ck_assert_msg(rc == -1, "%s: resolved to %s", r->path, out);
		ck_assert_int_eq(err.code, r->code);
		if (r->why)
			ck_assert_msg(strstr(err.msg, r->why), "%s: '%s'",
				      r->path, err.msg);
	}
}
END_TEST

START_TEST(test_sbx_path_resolve_relative)
{
	struct sbx_resolve_rules rules = { geteuid(), 1, NULL, 0 };
	struct sbx_error err = { 0, "" };
	char out[PATH_MAX], want[PATH_MAX], old[PATH_MAX];
	struct stat st;

	ck_assert_ptr_nonnull(getcwd(old, sizeof(old)));
	ck_assert_int_eq(chdir(top), 0);
	ck_assert_int_eq(sbx_path_resolve("safe/link", &rules, out, &st, &err),
			 0);
	ck_assert_int_eq(chdir(old), 0);
	snprintf(want, sizeof(want), "%s/safe/dir", top);
	ck_assert_str_eq(out, want);
	ck_assert(S_ISDIR(st.st_mode));
}
END_TEST

START_TEST(test_sbx_path_resolve_root)
{
	struct sbx_resolve_rules rules = { 0, 1, NULL, 0 };
	struct sbx_error err = { 0, "" };
	char out[PATH_MAX];
	struct stat st;

	ck_assert_int_eq(sbx_path_resolve("/", &rules, out, &st, &err), 0);
	ck_assert_str_eq(out, "/");
	ck_assert_int_eq(
		sbx_path_resolve("/usr/../etc", &rules, out, &st, &err), 0);
	ck_assert_str_eq(out, "/etc");
}
END_TEST

static Suite *resolve_suite(void)
{
	Suite *s = suite_create("resolve");
	TCase *tc = tcase_create("sbx_path_resolve");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_sbx_path_resolve_table, 0,
			    (int)(sizeof(rows) / sizeof(rows[0])));
	tcase_add_test(tc, test_sbx_path_resolve_relative);
	tcase_add_test(tc, test_sbx_path_resolve_root);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tap_run(resolve_suite());
}
