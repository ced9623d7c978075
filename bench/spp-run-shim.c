/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The session benchmark's stand-in for spp-run: takes the hook layer's
 * arguments (... -- PLUGIN [ARGS]) and execs the plugin unsandboxed. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	int i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--"))
			break;
	if (i + 1 >= argc) {
		fputs("spp-run-shim: fatal: usage: spp-run-shim ... -- PLUGIN\n",
		      stderr);
		return 100;
	}
	execv(argv[i + 1], argv + i + 1);
	perror("spp-run-shim: fatal: exec");
	return 111;
}
