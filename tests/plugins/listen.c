/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A host-side listener for the sandbox tests: TCP and UDP on one 127.0.0.1
 * port and the abstract unix socket "@sbx-listen-PORT". Writes the port to
 * PORTFILE, logs "tcp", "udp DATA", "unix" to LOGFILE, exits after SECONDS. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int bind_lo(int type, unsigned short port, unsigned short *got)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int one = 1, fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    (type == SOCK_STREAM && listen(fd, 16) < 0) ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) < 0) {
		close(fd);
		return -1;
	}
	*got = ntohs(sa.sin_port);
	return fd;
}

static int bind_abstract(unsigned short port)
{
	struct sockaddr_un sa;
	int len, fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	len = snprintf(sa.sun_path + 1, sizeof(sa.sun_path) - 1,
		       "sbx-listen-%u", port);
	if (bind(fd, (struct sockaddr *)&sa,
		 (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
			     (size_t)len)) < 0 ||
	    listen(fd, 16) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void logline(const char *path, const char *what, const char *data,
		    size_t len)
{
	char line[600];
	int n = snprintf(line, sizeof(line), "%s%s%.*s\n", what, len ? " " : "",
			 (int)len, data);
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0)
		return;
	if (n > 0 && write(fd, line, (size_t)n) < 0)
		perror("listen: write");
	close(fd);
}

int main(int argc, char **argv)
{
	struct pollfd p[3];
	unsigned short port = 0, uport = 0;
	char data[512], tmp[4200];
	ssize_t n;
	int tries, fd;
	long secs;
	FILE *f;

	if (argc != 4) {
		fputs("listen: usage: listen PORTFILE LOGFILE SECONDS\n",
		      stderr);
		return 100;
	}
	secs = strtol(argv[3], NULL, 10);
	/* The UDP socket takes the port the kernel picked for TCP. */
	for (tries = 0; tries < 50; tries++) {
		p[0].fd = bind_lo(SOCK_STREAM, 0, &port);
		if (p[0].fd < 0)
			break;
		p[1].fd = bind_lo(SOCK_DGRAM, port, &uport);
		if (p[1].fd >= 0)
			break;
		close(p[0].fd);
	}
	if (p[0].fd < 0 || tries == 50) {
		perror("listen: bind");
		return 111;
	}
	p[2].fd = bind_abstract(port);
	if (p[2].fd < 0) {
		perror("listen: bind unix");
		return 111;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", argv[1]);
	f = fopen(tmp, "w");
	if (!f || fprintf(f, "%u\n", port) < 0 || fclose(f) ||
	    rename(tmp, argv[1])) {
		perror("listen: portfile");
		return 111;
	}
	alarm((unsigned int)secs);
	p[0].events = p[1].events = p[2].events = POLLIN;
	for (;;) {
		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			return 111;
		}
		if (p[0].revents & POLLIN) {
			fd = accept(p[0].fd, NULL, NULL);
			if (fd >= 0) {
				logline(argv[2], "tcp", "", 0);
				close(fd);
			}
		}
		if (p[2].revents & POLLIN) {
			fd = accept(p[2].fd, NULL, NULL);
			if (fd >= 0) {
				logline(argv[2], "unix", "", 0);
				close(fd);
			}
		}
		if (p[1].revents & POLLIN) {
			n = recv(p[1].fd, data, sizeof(data), 0);
			if (n >= 0)
				logline(argv[2], "udp", data, (size_t)n);
		}
	}
}
