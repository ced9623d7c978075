/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A test plugin for isolation between runs (broker.test): `leave NAME SECS`
 * leaves traces (a file in /tmp, SysV shared memory and a message queue
 * keyed by NAME, an abstract Unix socket @NAME listening) and stays SECS
 * seconds; `look NAME` reports which of them it can reach, how many other
 * processes it sees and whether it may signal any (signal 0: it sends
 * none); `meet NAME SECS` tries to reach a concurrent run of its own
 * line; `abi` prints the kernel's Landlock ABI. One verdict line. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

static key_t key_of(const char *name, unsigned int salt)
{
	unsigned int h = 2166136261u ^ salt;

	for (const char *p = name; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return (key_t)(h & 0x7fffffff);
}

static socklen_t abstract(struct sockaddr_un *sa, const char *name)
{
	size_t n = strlen(name);

	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (n > sizeof(sa->sun_path) - 2)
		n = sizeof(sa->sun_path) - 2;
	memcpy(sa->sun_path + 1, name, n);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
}

static int leave(const char *name, unsigned int secs)
{
	char path[300];
	struct sockaddr_un sa;
	socklen_t len = abstract(&sa, name);
	int fd, shm, msg, s, ok_unix = 0;

	snprintf(path, sizeof(path), "/tmp/%s", name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	shm = shmget(key_of(name, 1), 4096, IPC_CREAT | 0666);
	msg = msgget(key_of(name, 2), IPC_CREAT | 0666);
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	if (s >= 0 && bind(s, (struct sockaddr *)&sa, len) == 0 &&
	    listen(s, 4) == 0)
		ok_unix = 1;
	sleep(secs);
	printf("E550 leave tmp=%s shm=%s msg=%s unix=%s\n",
	       fd >= 0 ? "ok" : "no", shm >= 0 ? "ok" : "no",
	       msg >= 0 ? "ok" : "no", ok_unix ? "ok" : "no");
	return 0;
}

static int look(const char *name)
{
	char path[300];
	struct sockaddr_un sa;
	socklen_t len = abstract(&sa, name);
	int others = 0, s, conn = 0, killable;
	struct dirent *d;
	DIR *dir;

	snprintf(path, sizeof(path), "/tmp/%s", name);
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	if (s >= 0 && connect(s, (struct sockaddr *)&sa, len) == 0)
		conn = 1;
	dir = opendir("/proc");
	while (dir && (d = readdir(dir))) {
		long pid = strtol(d->d_name, NULL, 10);

		if (pid > 1 && pid != getpid())
			others++;
	}
	if (dir)
		closedir(dir);
	/* Is there any process this one may signal, but itself and init?
	 * Signal 0 only asks: never send a real one to -1 (run bare as
	 * root, that would kill the host's every process). */
	killable = kill(-1, 0) == 0;
	printf("E550 look tmp=%s shm=%s msg=%s unix=%s others=%d "
	       "signalable=%s\n",
	       access(path, F_OK) == 0 ? "present" : "absent",
	       shmget(key_of(name, 1), 0, 0) >= 0 ? "present" : "absent",
	       msgget(key_of(name, 2), 0) >= 0 ? "present" : "absent",
	       conn ? "connected" : "refused", others,
	       killable ? "some" : "none");
	return 0;
}

/* meet NAME SECS: reach another run of the same plugin line through the
 * abstract socket @NAME, or listen there SECS seconds for one to connect.
 * "connected" when two runs talked; otherwise "alone", with bind=inuse
 * when @NAME was taken (the runs share a network namespace: Landlock
 * alone kept them apart). */
static int meet(const char *name, unsigned int secs)
{
	struct sockaddr_un sa;
	socklen_t len = abstract(&sa, name);
	int s = socket(AF_UNIX, SOCK_STREAM, 0), cerr, l;
	struct pollfd pfd;

	if (s >= 0 && connect(s, (struct sockaddr *)&sa, len) == 0) {
		printf("E550 meet connected\n");
		return 0;
	}
	cerr = errno;
	l = socket(AF_UNIX, SOCK_STREAM, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&sa, len) < 0) {
		printf("E550 meet alone bind=%s connect-errno=%d\n",
		       errno == EADDRINUSE ? "inuse" : "no", cerr);
		return 0;
	}
	listen(l, 4);
	pfd.fd = l;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, (int)secs * 1000) == 1 && accept(l, NULL, NULL) >= 0)
		printf("E550 meet connected\n");
	else
		printf("E550 meet alone bind=ok connect-errno=%d\n", cerr);
	return 0;
}

/* abi: the Landlock ABI this kernel has (0: none), for the suite to know
 * what to expect; harmless run bare. */
static int abi(void)
{
	long v = syscall(444 /* landlock_create_ruleset */, NULL, 0, 1U);

	printf("E550 abi %ld\n", v < 0 ? 0 : v);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "abi"))
		return abi();
	if (argc == 4 && !strcmp(argv[1], "leave"))
		return leave(argv[2], (unsigned int)strtoul(argv[3], NULL, 10));
	if (argc == 3 && !strcmp(argv[1], "look"))
		return look(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "meet"))
		return meet(argv[2], (unsigned int)strtoul(argv[3], NULL, 10));
	printf("E550 usage: neighbor leave NAME SECS | look NAME | "
	       "meet NAME SECS\n");
	return 0;
}
