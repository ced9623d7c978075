/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The benchmark's plugin: the cheapest possible qmail-spp plugin, which
 * accepts the command ("N"). Linked statically so exec needs no loader. */
#include <unistd.h>

int main(void)
{
	if (write(STDOUT_FILENO, "N\n", 2) != 2)
		return 1;
	return 0;
}
