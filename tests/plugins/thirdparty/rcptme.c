/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A [rcpt] plugin like the C recipient checks: for a recipient of the
 * domain in control/me, refuses a local part that is no user (getpwnam).
 * When it cannot read control/me it exits 1 without a word, and under
 * qmail-spp 0.42 every recipient passes (the fail-open the side-by-side
 * check must catch). */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
	const char *rcpt = getenv("SMTPRCPTTO");
	char me[256], user[256];
	const char *at;
	size_t n;
	FILE *f = fopen("control/me", "r");

	if (!f)
		return 1;
	if (!fgets(me, sizeof(me), f))
		return 1;
	fclose(f);
	me[strcspn(me, "\n")] = '\0';
	if (!rcpt || !(at = strrchr(rcpt, '@')) || strcmp(at + 1, me) != 0)
		return 0;
	n = (size_t)(at - rcpt);
	if (n >= sizeof(user))
		return 0;
	memcpy(user, rcpt, n);
	user[n] = '\0';
	if (!getpwnam(user))
		printf("E550 sorry, no mailbox here by that name (#5.1.1)\n");
	return 0;
}
