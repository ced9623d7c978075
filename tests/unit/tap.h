/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What every unit test program shares: run a check suite with TAP output
 * (the test driver reads it), and, for the programs that compile seccomp
 * filters, the workaround that lets them run under valgrind. */
#ifndef TAP_H
#define TAP_H

#include <check.h>

/* Run every test of s, TAP on stdout; returns the exit status. */
int tap_run(Suite *s);

/* Valgrind does not implement seccomp(2): libseccomp's probe then finds
 * no user notification and refuses SCMP_ACT_NOTIFY. Tests that compile
 * filters but never load one declare the kernel's features instead (API
 * level 5). In tap-seccomp.c. */
void tap_seccomp_api(void);

#endif
