/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Demo of a plugin that prints "accept" and then crashes: the sandbox
 * discards its half-output and the client gets a temporary failure. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	static const char msg[] = "A\n";
	volatile int *p = NULL;

	write(1, msg, sizeof(msg) - 1);
	return *p;
}
