/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Test-only: built into the *-escape variants of the rbl, helo and tarpit
 * plugins, which try one thing named by SPP_ESCAPE before their work, to
 * show that their shipped policy stops it (tests/suites/plugins-escape.test). */
#ifndef TEST_PLUGINS_ESCAPE_H
#define TEST_PLUGINS_ESCAPE_H

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static int escape_port(const char *s)
{
	char *end;
	unsigned long p = strtoul(s, &end, 10);

	return (*end || p == 0 || p > 65535) ? 0 : (int)p;
}

/*
 * SPP_ESCAPE is one of: unix (a unix socket), inet (an IPv4 socket),
 * udp:PORT (a datagram to 127.0.0.1:PORT), tcp:PORT (a connection to
 * 127.0.0.1:PORT), open:PATH (read a file), fork (a child process).
 * Prints "escape: done" or "escape: denied: why" on stderr and goes on.
 */
static void escape(void)
{
	const char *e = getenv("SPP_ESCAPE");
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int fd = -1, ok = 0;
	char c;

	if (!e || !*e)
		return;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (strcmp(e, "unix") == 0) {
		fd = socket(AF_UNIX, SOCK_DGRAM, 0);
		ok = fd >= 0;
	} else if (strcmp(e, "inet") == 0) {
		fd = socket(AF_INET, SOCK_DGRAM, 0);
		ok = fd >= 0;
	} else if (strncmp(e, "udp:", 4) == 0) {
		sin.sin_port = htons((unsigned short)escape_port(e + 4));
		fd = socket(AF_INET, SOCK_DGRAM, 0);
		ok = fd >= 0 && sendto(fd, "x", 1, 0, (struct sockaddr *)&sin,
				       sizeof(sin)) == 1;
	} else if (strncmp(e, "tcp:", 4) == 0) {
		sin.sin_port = htons((unsigned short)escape_port(e + 4));
		fd = socket(AF_INET, SOCK_STREAM, 0);
		ok = fd >= 0 &&
		     connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0;
	} else if (strncmp(e, "open:", 5) == 0) {
		fd = open(e + 5, O_RDONLY);
		ok = fd >= 0 && read(fd, &c, 1) >= 0;
	} else if (strcmp(e, "fork") == 0) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		ok = pid > 0 && waitpid(pid, NULL, 0) == pid;
	}
	if (ok)
		fprintf(stderr, "escape: done\n");
	else
		fprintf(stderr, "escape: denied: %s\n", strerror(errno));
	if (fd >= 0)
		close(fd);
}

#endif
