/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A hostile test plugin: argv[1] names one thing to try inside the sandbox;
 * it prints one verdict line ("E550 ...") telling what happened, so that
 * tests/suites/sandbox.test can tell "denied" from "worked". Run it bare only with
 * care: outside the sandbox, kill/write/hostname act on the host. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef __NR_clone3
#define __NR_clone3 435
#endif

extern char **environ;

static unsigned long num(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end) {
		fprintf(stderr, "probe: bad number: %s\n", s);
		exit(2);
	}
	return v;
}

static int verdict(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* One line on stdout, flushed at once: the plugin may die right after. */
static int verdict(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	return 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Write s with \r \n \t \\ \0 and \xNN decoded. */
static void put_unescaped(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s != '\\' || !s[1]) {
			putc(*s, f);
			continue;
		}
		s++;
		switch (*s) {
		case 'r':
			putc('\r', f);
			break;
		case 'n':
			putc('\n', f);
			break;
		case 't':
			putc('\t', f);
			break;
		case '0':
			putc('\0', f);
			break;
		case 'x':
			if (hexval(s[1]) >= 0 && hexval(s[2]) >= 0) {
				putc(hexval(s[1]) * 16 + hexval(s[2]), f);
				s += 2;
				break;
			}
			putc('x', f);
			break;
		default:
			putc(*s, f);
		}
	}
}

/* say ARG...: print each argument as one line (escapes decoded); "sayn"
 * leaves the last line without newline. */
static int do_say(int argc, char **argv, int final_nl)
{
	int i;

	for (i = 2; i < argc; i++) {
		put_unescaped(stdout, argv[i]);
		if (i + 1 < argc || final_nl)
			putchar('\n');
	}
	fflush(stdout);
	return 0;
}

/* read PATH [NEEDLE]: open and read up to 64K. */
static int do_read(const char *path, const char *needle)
{
	static char buf[65537];
	size_t n = 0;
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return verdict("E550 denied errno=%d", errno);
	while (n < sizeof(buf) - 1) {
		r = read(fd, buf + n, sizeof(buf) - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			close(fd);
			return verdict("E550 opened readerr=%d", errno);
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	close(fd);
	if (!needle)
		return verdict("E550 opened n=%zu", n);
	if (memmem(buf, n, needle, strlen(needle)))
		return verdict("E550 found");
	return verdict("E550 notfound n=%zu", n);
}

/* write PATH: create it, write, read it back. */
static int do_write(const char *path)
{
	char back[8] = "";
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0)
		return verdict("E550 denied errno=%d", errno);
	if (write(fd, "sbx\n", 4) != 4) {
		close(fd);
		return verdict("E550 writeerr=%d", errno);
	}
	close(fd);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || read(fd, back, 4) != 4 || memcmp(back, "sbx\n", 4))
		return verdict("E550 wrote readback=bad");
	close(fd);
	return verdict("E550 wrote readback=ok");
}

static int do_net(int type, const char *port, const char *tag)
{
	struct sockaddr_in sa;
	struct pollfd pfd;
	socklen_t len = sizeof(int);
	const char *what = type == SOCK_STREAM ? "tcp" : "udp";
	int fd, e = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)num(port));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return verdict("E550 %s socket errno=%d", what, errno);
	if (type == SOCK_DGRAM) {
		if (sendto(fd, tag, strlen(tag), 0, (struct sockaddr *)&sa,
			   sizeof(sa)) < 0)
			return verdict("E550 udp errno=%d", errno);
		return verdict("E550 udp sent");
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
		return verdict("E550 tcp connected");
	if (errno != EINPROGRESS)
		return verdict("E550 tcp errno=%d", errno);
	pfd.fd = fd;
	pfd.events = POLLOUT;
	if (poll(&pfd, 1, 2000) != 1)
		return verdict("E550 tcp errno=%d", ETIMEDOUT);
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len) < 0)
		e = errno;
	if (e)
		return verdict("E550 tcp errno=%d", e);
	return verdict("E550 tcp connected");
}

/* unix NAME: connect to the abstract unix socket "@NAME" (abstract names
 * belong to the network namespace). */
static int do_unix(const char *name)
{
	struct sockaddr_un sa;
	size_t len = strlen(name);
	int fd;

	if (len + 1 > sizeof(sa.sun_path))
		return verdict("E550 unix name too long");
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path + 1, name, len);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return verdict("E550 unix socket errno=%d", errno);
	if (connect(fd, (struct sockaddr *)&sa,
		    (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
				len)) < 0)
		return verdict("E550 unix errno=%d", errno);
	return verdict("E550 unix connected");
}

/* shm ID: attach a System V shared memory segment of the host. */
static int do_shm(const char *id)
{
	void *p = shmat((int)num(id), NULL, SHM_RDONLY);

	if (p == (void *)-1)
		return verdict("E550 shm errno=%d", errno);
	return verdict("E550 shm attached");
}

/* kill PID [SIG]: signal a process (default SIGKILL), then give it 100ms
 * to react; self= shows that kill() itself works. */
static int do_kill(const char *pid, const char *sig)
{
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	int rc = kill((pid_t)num(pid), sig ? (int)num(sig) : SIGKILL);
	int e = rc ? errno : 0;

	nanosleep(&ts, NULL);
	return verdict("E550 kill rc=%d errno=%d self=%d", rc, e,
		       kill(getpid(), 0));
}

static int do_ptrace(const char *pid)
{
	long rc = ptrace(PTRACE_ATTACH, (pid_t)num(pid), NULL, NULL);

	return verdict("E550 ptrace rc=%ld errno=%d", rc, rc ? errno : 0);
}

/* procs [PID]: the pids /proc shows, and whether PID is among them. */
static int do_procs(const char *target)
{
	char list[900] = "";
	size_t used = 0;
	int n = 0, seen = 0;
	struct dirent *d;
	DIR *dir = opendir("/proc");

	if (!dir)
		return verdict("E550 procs errno=%d", errno);
	while ((d = readdir(dir))) {
		if (d->d_name[0] < '0' || d->d_name[0] > '9')
			continue;
		n++;
		if (target && !strcmp(d->d_name, target))
			seen = 1;
		if (used + strlen(d->d_name) + 2 < sizeof(list)) {
			used += (size_t)snprintf(list + used,
						 sizeof(list) - used, "%s%s",
						 used ? "," : "", d->d_name);
		}
	}
	closedir(dir);
	return verdict("E550 procs n=%d target=%s list=%s", n,
		       seen ? "present" : "absent", list);
}

/* caps: identity, capability sets, no_new_privs, seccomp mode. */
static int do_caps(void)
{
	static const char *const keys[] = {
		"CapInh:", "CapPrm:",	  "CapEff:",  "CapBnd:",
		"CapAmb:", "NoNewPrivs:", "Seccomp:", NULL,
	};
	char line[256], out[600];
	size_t used = 0;
	int i;
	FILE *f = fopen("/proc/self/status", "re");

	if (!f)
		return verdict("E550 caps errno=%d", errno);
	out[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		char *v;

		for (i = 0; keys[i]; i++)
			if (!strncmp(line, keys[i], strlen(keys[i])))
				break;
		if (!keys[i])
			continue;
		v = line + strlen(keys[i]);
		v += strspn(v, " \t");
		v[strcspn(v, "\n")] = '\0';
		used += (size_t)snprintf(out + used, sizeof(out) - used,
					 " %.*s=%s", (int)strlen(keys[i]) - 1,
					 keys[i], v);
		if (used >= sizeof(out))
			break;
	}
	fclose(f);
	return verdict("E550 uid=%d gid=%d%s", (int)getuid(), (int)getgid(),
		       out);
}

static int do_hostname(const char *name)
{
	char now[256] = "";
	int rc = sethostname(name, strlen(name));
	int e = rc ? errno : 0;

	gethostname(now, sizeof(now) - 1);
	return verdict("E550 sethostname rc=%d errno=%d name=%s", rc, e, now);
}

/* fds: the descriptors open in this process. */
static int do_fds(void)
{
	char list[600] = "", self[16];
	size_t used = 0;
	struct dirent *d;
	DIR *dir = opendir("/proc/self/fd");

	if (!dir)
		return verdict("E550 fds errno=%d", errno);
	/* The directory stream's own descriptor is not one we inherited. */
	snprintf(self, sizeof(self), "%d", dirfd(dir));
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.' || !strcmp(d->d_name, self))
			continue;
		used += (size_t)snprintf(list + used, sizeof(list) - used,
					 "%s%s", used ? " " : "", d->d_name);
		if (used >= sizeof(list))
			break;
	}
	closedir(dir);
	return verdict("E550 fds=%s", list);
}

static int do_stdin(void)
{
	struct pollfd pfd = { .fd = 0, .events = POLLIN };
	char c;
	ssize_t r;

	if (poll(&pfd, 1, 1000) == 0)
		return verdict("E550 stdin blocks");
	r = read(0, &c, 1);
	if (r == 0)
		return verdict("E550 stdin eof");
	if (r > 0)
		return verdict("E550 stdin data");
	return verdict("E550 stdin errno=%d", errno);
}

static int cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* env: the whole environment, sorted, space separated. */
static int do_env(void)
{
	size_t n = 0, i;
	char **v;

	while (environ[n])
		n++;
	v = calloc(n + 1, sizeof(*v));
	if (!v)
		return verdict("E550 env nomem");
	for (i = 0; i < n; i++)
		v[i] = environ[i];
	qsort(v, n, sizeof(*v), cmpstr);
	fputs("E550 env", stdout);
	for (i = 0; i < n; i++)
		printf(" %s", v[i]);
	free(v);
	return verdict("%s", "");
}

/* forkbomb: fork until the process limit says no, report how far it got.
 * forkbomb forever: every process forks without end. Both stop on their own
 * at a bound, so that a broken sandbox does not take the machine down. */
static int do_forkbomb(int forever)
{
	unsigned int *count;
	int n = 0;
	pid_t p;

	if (forever) {
		count = mmap(NULL, sizeof(*count), PROT_READ | PROT_WRITE,
			     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (count == MAP_FAILED)
			return verdict("E550 mmap errno=%d", errno);
		for (;;) {
			/* count: fork attempts of the whole tree */
			if (__sync_add_and_fetch(count, 1) > 1000)
				pause();
			fork();
		}
	}
	for (;;) {
		p = fork();
		if (p == 0) {
			pause();
			_exit(0);
		}
		if (p < 0 || ++n >= 100)
			break;
	}
	return verdict("E550 forks=%d errno=%d", n, p < 0 ? errno : 0);
}

/* mem MB: allocate and touch MB megabytes in 16M steps. The blocks stay
 * reachable and are written through volatile pointers, so that no compiler
 * can optimise the allocation away. */
static char *volatile blocks[4096];

static int do_mem(unsigned long mb)
{
	unsigned long got = 0;
	size_t i, step = 16ul << 20;
	volatile char *p;

	while (got < mb && got / 16 < sizeof(blocks) / sizeof(blocks[0])) {
		p = malloc(step);
		if (!p)
			return verdict("E550 mem failed mb=%lu", got);
		for (i = 0; i < step; i += 4096)
			p[i] = 0x5a;
		blocks[got / 16] = (char *)p;
		got += 16;
	}
	return verdict("E550 mem complete mb=%lu", got);
}

/* memfd MB: pin MB megabytes of host memory that no address space holds:
 * memfds of 8M each (under RLIMIT_FSIZE), grown by fallocate, kept open. */
static int do_memfd(unsigned long mb)
{
	unsigned long got = 0;

	while (got < mb) {
		int fd = memfd_create("probe-pin", MFD_CLOEXEC);

		if (fd < 0)
			return verdict("E550 memfd failed mb=%lu errno=%d", got,
				       errno);
		if (fallocate(fd, 0, 0, 8 << 20) < 0)
			return verdict("E550 memfd failed mb=%lu errno=%d", got,
				       errno);
		got += 8;
	}
	return verdict("E550 memfd pinned mb=%lu", got);
}

/* daemon: leave a grandchild in its own session holding stdout, deaf to
 * SIGHUP and SIGTERM, and exit at once. */
static int do_daemon(void)
{
	pid_t p;

	fflush(NULL);
	p = fork();
	if (p < 0)
		return verdict("E550 fork errno=%d", errno);
	if (p == 0) {
		setsid();
		if (fork() == 0) {
			signal(SIGHUP, SIG_IGN);
			signal(SIGTERM, SIG_IGN);
			sleep(30);
			_exit(0);
		}
		_exit(0);
	}
	waitpid(p, NULL, 0);
	return verdict("E550 daemonized");
}

/* flood out|err: write 64M to fd 1 or 2 (far beyond any cap). */
static int do_flood(int fd)
{
	char buf[4096];
	int i;

	memset(buf, 'x', sizeof(buf));
	buf[sizeof(buf) - 1] = '\n';
	for (i = 0; i < 16384; i++)
		if (write(fd, buf, sizeof(buf)) < 0 && errno != EINTR)
			return 1;
	return verdict("E550 flood done");
}

/* bigline: one 1 MB line that starts like a verdict. */
static int do_bigline(void)
{
	static char buf[1 << 20];

	memset(buf, 'x', sizeof(buf));
	memcpy(buf, "E550 ", 5);
	buf[sizeof(buf) - 1] = '\n';
	fwrite(buf, 1, sizeof(buf), stdout);
	fflush(stdout);
	return 0;
}

/* spin: burn CPU (for 20 s of wall time at most). */
static int do_spin(void)
{
	time_t end = time(NULL) + 20;
	volatile unsigned long i = 0;

	verdict("N");
	while (time(NULL) < end)
		for (i = 0; i < 10000000; i++)
			;
	return 0;
}

/* files: open descriptors until RLIMIT_NOFILE says no. */
static int do_files(void)
{
	int n = 0;

	while (open("/dev/null", O_RDONLY) >= 0)
		if (++n > 100000)
			break;
	return verdict("E550 files n=%d errno=%d", n, errno);
}

static void *thread_fn(void *arg)
{
	return arg;
}

static int do_thread(void)
{
	pthread_t t;
	void *ret = NULL;
	int rc = pthread_create(&t, NULL, thread_fn, (void *)1);

	if (rc)
		return verdict("E550 thread create=%d", rc);
	pthread_join(t, &ret);
	return verdict("E550 thread %s", ret == (void *)1 ? "ok" : "bad");
}

/* clone3: must fail with ENOSYS; a plain fork must still work. */
static int do_clone3(void)
{
	uint64_t args[11];
	long rc;
	int e, st = -1;
	pid_t p;

	memset(args, 0, sizeof(args));
	args[4] = SIGCHLD; /* exit_signal */
	rc = syscall(__NR_clone3, args, sizeof(args));
	e = rc < 0 ? errno : 0;
	if (rc == 0)
		_exit(0);
	if (rc > 0)
		waitpid((pid_t)rc, NULL, 0);
	p = fork();
	if (p == 0)
		_exit(7);
	if (p > 0)
		waitpid(p, &st, 0);
	return verdict("E550 clone3 rc=%ld errno=%d fork=%s", rc < 0 ? -1 : rc,
		       e, WIFEXITED(st) && WEXITSTATUS(st) == 7 ? "ok" : "bad");
}

/* x32: getpid through the x32 ABI (nr | 0x40000000). */
static int do_x32(void)
{
	long rc = syscall(__NR_getpid | 0x40000000);

	return verdict("E550 x32 rc=%ld errno=%d", rc, rc < 0 ? errno : 0);
}

/* int80: getpid (i386 nr 20) through the i386 ABI. */
static int do_int80(void)
{
#if defined(__x86_64__)
	long rc = 20;

	__asm__ volatile("int $0x80" : "+a"(rc) : : "memory");
	return verdict("E550 int80 rc=%ld", rc);
#else
	return verdict("E550 int80 unsupported");
#endif
}

static int usage(void)
{
	fputs("probe: usage: probe COMMAND [ARG...]\n", stderr);
	return 2;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	const char *a2 = argc > 2 ? argv[2] : NULL;
	const char *a3 = argc > 3 ? argv[3] : NULL;

	if (!strcmp(cmd, "say"))
		return do_say(argc, argv, 1);
	if (!strcmp(cmd, "sayn"))
		return do_say(argc, argv, 0);
	if (!strcmp(cmd, "read") && a2)
		return do_read(a2, a3);
	if (!strcmp(cmd, "write") && a2)
		return do_write(a2);
	if (!strcmp(cmd, "tcp") && a2)
		return do_net(SOCK_STREAM, a2, "");
	if (!strcmp(cmd, "udp") && a2 && a3)
		return do_net(SOCK_DGRAM, a2, a3);
	if (!strcmp(cmd, "unix") && a2)
		return do_unix(a2);
	if (!strcmp(cmd, "shm") && a2)
		return do_shm(a2);
	if (!strcmp(cmd, "kill") && a2)
		return do_kill(a2, a3);
	if (!strcmp(cmd, "ptrace") && a2)
		return do_ptrace(a2);
	if (!strcmp(cmd, "procs"))
		return do_procs(a2);
	if (!strcmp(cmd, "caps"))
		return do_caps();
	if (!strcmp(cmd, "setuid")) {
		long rc = syscall(SYS_setuid, 0);

		return verdict("E550 setuid rc=%ld errno=%d", rc,
			       rc ? errno : 0);
	}
	if (!strcmp(cmd, "hostname") && a2)
		return do_hostname(a2);
	if (!strcmp(cmd, "fds"))
		return do_fds();
	if (!strcmp(cmd, "stdin"))
		return do_stdin();
	if (!strcmp(cmd, "env"))
		return do_env();
	if (!strcmp(cmd, "stderr") && a2) {
		put_unescaped(stderr, a2);
		fputc('\n', stderr);
		fflush(stderr);
		return verdict("E550 stderr done");
	}
	/* The failing ones print a valid verdict first: it must be dropped. */
	if (!strcmp(cmd, "exit") && a2) {
		verdict("N");
		return (int)num(a2);
	}
	if (!strcmp(cmd, "segv")) {
		verdict("N");
		*(volatile int *)(uintptr_t)argc /* not NULL to the compiler */
			= 0;
		return 0;
	}
	if (!strcmp(cmd, "sleep") && a2) {
		verdict("N");
		sleep((unsigned int)num(a2));
		return 0;
	}
	if (!strcmp(cmd, "spin"))
		return do_spin();
	if (!strcmp(cmd, "forkbomb"))
		return do_forkbomb(a2 && !strcmp(a2, "forever"));
	if (!strcmp(cmd, "mem") && a2)
		return do_mem(num(a2));
	if (!strcmp(cmd, "memfd") && a2)
		return do_memfd(num(a2));
	if (!strcmp(cmd, "daemon"))
		return do_daemon();
	if (!strcmp(cmd, "flood") && a2)
		return do_flood(!strcmp(a2, "err") ? 2 : 1);
	if (!strcmp(cmd, "bigline"))
		return do_bigline();
	if (!strcmp(cmd, "files"))
		return do_files();
	if (!strcmp(cmd, "thread"))
		return do_thread();
	if (!strcmp(cmd, "clone3"))
		return do_clone3();
	if (!strcmp(cmd, "x32"))
		return do_x32();
	if (!strcmp(cmd, "int80"))
		return do_int80();
	return usage();
}
