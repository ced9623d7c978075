/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A test plugin for tests/suites/policy-enforce.test: argv[1] names one thing to do
 * that a policy directive allows or forbids; it prints one verdict line
 * ("E550 ...") telling what happened. "serve" is a host-side TCP server. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static unsigned long num(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end) {
		fprintf(stderr, "enforce: bad number: %s\n", s);
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

/* msleep MS: sleep MS milliseconds of wall-clock time, then report. */
static int do_msleep(unsigned long ms)
{
	struct timespec ts = { (time_t)(ms / 1000),
			       (long)(ms % 1000) * 1000 * 1000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	return verdict("E550 slept ms=%lu", ms);
}

static unsigned long cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (unsigned long)ts.tv_sec * 1000 +
	       (unsigned long)ts.tv_nsec / 1000000;
}

/* burn MS: use MS milliseconds of CPU time (20 s of wall time at most). */
static int do_burn(unsigned long ms)
{
	time_t end = time(NULL) + 20;
	volatile unsigned long i;

	while (cpu_ms() < ms && time(NULL) < end)
		for (i = 0; i < 1000000; i++)
			;
	return verdict("E550 burned ms=%lu", cpu_ms());
}

/* children N: start N children that wait, report how many started. */
static int do_children(unsigned long want)
{
	static pid_t kids[4096];
	unsigned long n = 0, i;
	int e = 0;

	if (want > sizeof(kids) / sizeof(kids[0]))
		want = sizeof(kids) / sizeof(kids[0]);
	fflush(NULL);
	while (n < want) {
		pid_t p = fork();

		if (p == 0) {
			pause();
			_exit(0);
		}
		if (p < 0) {
			e = errno;
			break;
		}
		kids[n++] = p;
	}
	for (i = 0; i < n; i++)
		kill(kids[i], SIGKILL);
	for (i = 0; i < n; i++)
		waitpid(kids[i], NULL, 0);
	return verdict("E550 children n=%lu errno=%d", n, e);
}

/* fwrite PATH BYTES: write BYTES to a new file; SIGXFSZ ignored, so that
 * the file size limit shows as EFBIG. */
static int do_fwrite(const char *path, unsigned long bytes)
{
	static char buf[65536];
	unsigned long done = 0;
	int fd, e = 0;

	signal(SIGXFSZ, SIG_IGN);
	memset(buf, 'f', sizeof(buf));
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return verdict("E550 open errno=%d", errno);
	while (done < bytes) {
		size_t len = sizeof(buf);
		ssize_t r;

		if (bytes - done < len)
			len = bytes - done;
		r = write(fd, buf, len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			e = r < 0 ? errno : EIO;
			break;
		}
		done += (unsigned long)r;
	}
	close(fd);
	return verdict("E550 wrote n=%lu errno=%d", done, e);
}

/* flood out|err BYTES: write BYTES in 100-byte lines (valid H lines on
 * stdout), then a verdict. */
static int do_flood(int fd, unsigned long bytes)
{
	char line[101];
	unsigned long done = 0;

	memset(line, 'x', sizeof(line));
	memcpy(line, fd == 1 ? "HX-Flood: " : "flood: ", fd == 1 ? 10 : 7);
	line[99] = '\n';
	while (done < bytes) {
		if (write(fd, line, 100) != 100 && errno != EINTR)
			return 1;
		done += 100;
	}
	return verdict("E550 flood done");
}

/* ids: the Uid, Gid and Groups lines of /proc/self/status, tabs made
 * spaces, blanks at the ends dropped. */
static int do_ids(void)
{
	char line[256], uid[128] = "?", gid[128] = "?", grp[128] = "?";
	FILE *f = fopen("/proc/self/status", "re");

	if (!f)
		return verdict("E550 ids errno=%d", errno);
	while (fgets(line, sizeof(line), f)) {
		char *dst, *s;

		if (!strncmp(line, "Uid:", 4))
			dst = uid;
		else if (!strncmp(line, "Gid:", 4))
			dst = gid;
		else if (!strncmp(line, "Groups:", 7))
			dst = grp;
		else
			continue;
		s = strchr(line, ':') + 1;
		s += strspn(s, " \t");
		s[strcspn(s, "\n")] = '\0';
		for (char *c = s; *c; c++)
			if (*c == '\t')
				*c = ' ';
		for (size_t n = strlen(s); n > 0 && s[n - 1] == ' '; n--)
			s[n - 1] = '\0';
		snprintf(dst, sizeof(uid), "%s", s);
	}
	fclose(f);
	return verdict("E550 Uid=%s Gid=%s Groups=%s", uid, gid, grp);
}

static int do_cwd(void)
{
	char buf[4096];

	if (!getcwd(buf, sizeof(buf)))
		return verdict("E550 cwd errno=%d", errno);
	return verdict("E550 cwd=%s", buf);
}

/* socket: a plain socket() call (AF_UNIX, always a legal family). */
static int do_socket(void)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return verdict("E550 socket rc=-1 errno=%d", errno);
	close(fd);
	return verdict("E550 socket rc=0 errno=0");
}

/* An IPv4 or IPv6 (when it holds a ':') address and port; returns the
 * address length, 0 for a bad address. */
static socklen_t addr46(const char *addr, const char *port,
			struct sockaddr_storage *ss)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (strchr(addr, ':')) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)num(port));
		if (inet_pton(AF_INET6, addr, &in6->sin6_addr) != 1)
			return 0;
		return sizeof(*in6);
	}
	in->sin_family = AF_INET;
	in->sin_port = htons((uint16_t)num(port));
	if (inet_pton(AF_INET, addr, &in->sin_addr) != 1)
		return 0;
	return sizeof(*in);
}

/* tcp ADDR PORT: non-blocking connect, 2 s at most (ADDR may be IPv6). */
static int do_tcp(const char *addr, const char *port)
{
	struct sockaddr_storage ss;
	struct pollfd pfd;
	socklen_t len = sizeof(int), sl = addr46(addr, port, &ss);
	int fd, e = 0;

	if (!sl)
		return verdict("E550 tcp badaddr");
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
		    0);
	if (fd < 0)
		return verdict("E550 tcp socket errno=%d", errno);
	if (connect(fd, (struct sockaddr *)&ss, sl) == 0)
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

/* tcpsend ADDR PORT: blocking connect, then send() one line on the
 * connected socket (a sendto that names no destination). */
static int do_tcpsend(const char *addr, const char *port)
{
	struct sockaddr_storage ss;
	socklen_t sl = addr46(addr, port, &ss);
	int fd;

	if (!sl)
		return verdict("E550 tcpsend badaddr");
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return verdict("E550 tcpsend socket errno=%d", errno);
	if (connect(fd, (struct sockaddr *)&ss, sl) < 0)
		return verdict("E550 tcpsend connect errno=%d", errno);
	if (send(fd, "hello\n", 6, MSG_NOSIGNAL) != 6)
		return verdict("E550 tcpsend send errno=%d", errno);
	return verdict("E550 tcpsend sent");
}

/* tfo ADDR PORT: TCP Fast Open, the connection made by sendto(). */
static int do_tfo(const char *addr, const char *port)
{
	struct sockaddr_storage ss;
	struct timeval tv = { 2, 0 };
	socklen_t sl = addr46(addr, port, &ss);
	int fd;

	if (!sl)
		return verdict("E550 tfo badaddr");
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return verdict("E550 tfo socket errno=%d", errno);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (sendto(fd, "hello\n", 6, MSG_FASTOPEN | MSG_NOSIGNAL,
		   (struct sockaddr *)&ss, sl) < 0)
		return verdict("E550 tfo errno=%d", errno);
	return verdict("E550 tfo sent");
}

/* udp ADDR PORT TAG: send one datagram holding TAG with sendto();
 * udpconn: connect(), then send(); udpmsg: sendmsg() with msg_name. */
static int do_udp(const char *how, const char *addr, const char *port,
		  const char *tag)
{
	struct sockaddr_storage ss;
	struct iovec iov = { (void *)tag, strlen(tag) };
	struct msghdr mh;
	socklen_t sl = addr46(addr, port, &ss);
	ssize_t r;
	int fd;

	if (!sl)
		return verdict("E550 udp badaddr");
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return verdict("E550 udp socket errno=%d", errno);
	if (!strcmp(how, "udpconn")) {
		if (connect(fd, (struct sockaddr *)&ss, sl) < 0)
			return verdict("E550 udp connect errno=%d", errno);
		r = send(fd, tag, strlen(tag), 0);
	} else if (!strcmp(how, "udpmsg")) {
		memset(&mh, 0, sizeof(mh));
		mh.msg_name = &ss;
		mh.msg_namelen = sl;
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		r = sendmsg(fd, &mh, 0);
	} else {
		r = sendto(fd, tag, strlen(tag), 0, (struct sockaddr *)&ss, sl);
	}
	if (r < 0)
		return verdict("E550 udp errno=%d", errno);
	return verdict("E550 udp sent");
}

/* udpmmsg ADDR PORT1 PORT2 TAG: one sendmmsg() of two datagrams, "TAG-1"
 * to PORT1 and "TAG-2" to PORT2. */
static int do_udpmmsg(const char *addr, const char *p1, const char *p2,
		      const char *tag)
{
	struct sockaddr_storage ss[2];
	struct mmsghdr mm[2];
	struct iovec iov[2];
	char buf[2][128];
	socklen_t sl[2];
	int fd, r;

	sl[0] = addr46(addr, p1, &ss[0]);
	sl[1] = addr46(addr, p2, &ss[1]);
	if (!sl[0] || !sl[1])
		return verdict("E550 mmsg badaddr");
	fd = socket(ss[0].ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return verdict("E550 mmsg socket errno=%d", errno);
	memset(mm, 0, sizeof(mm));
	for (int i = 0; i < 2; i++) {
		snprintf(buf[i], sizeof(buf[i]), "%s-%d", tag, i + 1);
		iov[i].iov_base = buf[i];
		iov[i].iov_len = strlen(buf[i]);
		mm[i].msg_hdr.msg_name = &ss[i];
		mm[i].msg_hdr.msg_namelen = sl[i];
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	r = sendmmsg(fd, mm, 2, 0);
	return verdict("E550 mmsg n=%d errno=%d", r, r < 0 ? errno : 0);
}

/* listen ADDR PORT: bind a TCP socket and listen on it; listen none:
 * listen without bind (the kernel picks a port). */
static int do_listen(const char *addr, const char *port)
{
	struct sockaddr_storage ss;
	socklen_t sl = 0;
	int fd;

	if (port && !(sl = addr46(addr, port, &ss)))
		return verdict("E550 listen badaddr");
	fd = socket(port ? ss.ss_family : AF_INET, SOCK_STREAM | SOCK_CLOEXEC,
		    0);
	if (fd < 0)
		return verdict("E550 listen socket errno=%d", errno);
	if (port && bind(fd, (struct sockaddr *)&ss, sl) < 0)
		return verdict("E550 listen bind errno=%d", errno);
	if (listen(fd, 4) < 0)
		return verdict("E550 listen listen errno=%d", errno);
	return verdict("E550 listen ok");
}

/* serve ADDR PORT LOGFILE SECONDS [TAG] (on the host): accept TCP
 * connections on ADDR:PORT, log "tcp" for each, exit after SECONDS; prints
 * "ready" once listening. TAG only marks the process's argv. */
static int do_serve(const char *addr, const char *port, const char *log,
		    const char *secs)
{
	struct sockaddr_storage ss;
	socklen_t sl = addr46(addr, port, &ss);
	int one = 1, fd, c;

	if (!sl)
		return 100;
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 111;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0 || listen(fd, 16) < 0) {
		perror("enforce: serve");
		return 111;
	}
	alarm((unsigned int)num(secs));
	verdict("ready");
	for (;;) {
		c = accept(fd, NULL, NULL);
		if (c < 0) {
			if (errno == EINTR)
				continue;
			return 111;
		}
		close(c);
		c = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
		if (c >= 0) {
			if (write(c, "tcp\n", 4) != 4)
				perror("enforce: log");
			close(c);
		}
	}
}

/* hold ADDR PORT SECONDS (on the host): listen with a backlog of 1 and
 * never accept nor read, exit after SECONDS; prints "ready". */
static int do_hold(const char *addr, const char *port, const char *secs)
{
	struct sockaddr_storage ss;
	socklen_t sl = addr46(addr, port, &ss);
	int one = 1, fd;

	if (!sl)
		return 100;
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 111;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0 || listen(fd, 1) < 0) {
		perror("enforce: hold");
		return 111;
	}
	verdict("ready");
	sleep((unsigned int)num(secs));
	return 0;
}

/* fdsend N ADDR PORT TAG: raise the soft descriptor limit to the hard one,
 * move a UDP socket to descriptor N and sendmsg() TAG from there. */
static int do_fdsend(const char *nfd, const char *addr, const char *port,
		     const char *tag)
{
	struct sockaddr_storage ss;
	struct iovec iov = { (void *)tag, strlen(tag) };
	struct msghdr mh;
	struct rlimit rl;
	socklen_t sl = addr46(addr, port, &ss);
	int fd, n = (int)num(nfd);

	if (!sl)
		return verdict("E550 fdsend badaddr");
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return verdict("E550 fdsend socket errno=%d", errno);
	if (fd != n && dup2(fd, n) < 0)
		return verdict("E550 fdsend dup2 errno=%d", errno);
	memset(&mh, 0, sizeof(mh));
	mh.msg_name = &ss;
	mh.msg_namelen = sl;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (sendmsg(n, &mh, 0) < 0)
		return verdict("E550 fdsend errno=%d", errno);
	return verdict("E550 fdsend sent");
}

/* pairmsg: sendmsg() on a socketpair (the first socket a plugin opens),
 * read back on the other end. */
static int do_pairmsg(void)
{
	struct iovec iov = { (void *)"ping", 4 };
	struct msghdr mh;
	char back[8] = "";
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv) < 0)
		return verdict("E550 pairmsg socketpair errno=%d", errno);
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (sendmsg(sv[0], &mh, 0) != 4)
		return verdict("E550 pairmsg fd=%d errno=%d", sv[0], errno);
	if (recv(sv[1], back, sizeof(back) - 1, 0) != 4 ||
	    memcmp(back, "ping", 4))
		return verdict("E550 pairmsg recv errno=%d", errno);
	return verdict("E550 pairmsg fd=%d ok", sv[0]);
}

/* sockopt FAMILY LEVEL NAME: setsockopt(LEVEL, NAME) with an int 1 (a
 * larger zeroed buffer for the structured options) on a UDP socket of
 * FAMILY (4 or 6, 't' after it for TCP). */
static int do_sockopt(const char *fam, const char *level, const char *name)
{
	int af = fam[0] == '6' ? AF_INET6 : AF_INET;
	int type = fam[1] == 't' ? SOCK_STREAM : SOCK_DGRAM;
	char buf[64];
	int fd = socket(af, type | SOCK_CLOEXEC, 0), one = 1;
	socklen_t len = sizeof(one);
	const void *val = &one;

	if (fd < 0)
		return verdict("E550 sockopt socket errno=%d", errno);
	/* SO_BINDTODEVICE wants a name; options with a struct get zeros */
	if ((int)num(level) == SOL_SOCKET &&
	    (int)num(name) == SO_BINDTODEVICE) {
		val = "lo";
		len = 3;
	} else if ((int)num(name) == IP_OPTIONS ||
		   (int)num(name) == IPV6_PKTINFO) {
		memset(buf, 0, sizeof(buf));
		val = buf;
		len = (int)num(name) == IP_OPTIONS ? 4 : 20;
	}
	if (setsockopt(fd, (int)num(level), (int)num(name), val, len) < 0)
		return verdict("E550 sockopt errno=%d", errno);
	return verdict("E550 sockopt ok");
}

/* rthdr6 ADDR PORT SEGMENT: an IPv6 segment routing header (type 4)
 * through SEGMENT as a sticky option, then a datagram to [ADDR]:PORT. The
 * header sends it to SEGMENT, whatever ADDR the guard checked. */
static int do_rthdr6(const char *addr, const char *port, const char *seg)
{
	struct {
		uint8_t nexthdr, hdrlen, type, segments_left;
		uint8_t first_segment, flags;
		uint16_t tag;
		struct in6_addr segments[2];
	} srh;
	struct sockaddr_storage ss;
	socklen_t sl = addr46(addr, port, &ss);
	int fd, rc, e;

	if (!sl || ss.ss_family != AF_INET6)
		return verdict("E550 rthdr6 badaddr");
	memset(&srh, 0, sizeof(srh));
	srh.hdrlen = sizeof(srh.segments) / 8;
	srh.type = 4;
	srh.segments_left = 1;
	srh.first_segment = 1;
	if (inet_pton(AF_INET6, seg, &srh.segments[1]) != 1)
		return verdict("E550 rthdr6 badseg");
	fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return verdict("E550 rthdr6 socket errno=%d", errno);
	rc = setsockopt(fd, IPPROTO_IPV6, IPV6_RTHDR, &srh, sizeof(srh));
	e = rc < 0 ? errno : 0;
	if (sendto(fd, "x", 1, 0, (struct sockaddr *)&ss, sl) < 0)
		return verdict("E550 rthdr6 setsockopt=%d send errno=%d", e,
			       errno);
	return verdict("E550 rthdr6 setsockopt=%d sent", e);
}

/* sendflags ADDR PORT FLAGS: one UDP datagram by sendto() with FLAGS. */
static int do_sendflags(const char *addr, const char *port, const char *flags)
{
	struct sockaddr_storage ss;
	socklen_t sl = addr46(addr, port, &ss);
	int fd;

	if (!sl)
		return verdict("E550 sendflags badaddr");
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return verdict("E550 sendflags socket errno=%d", errno);
	if (sendto(fd, "x", 1, (int)num(flags), (struct sockaddr *)&ss, sl) < 0)
		return verdict("E550 sendflags errno=%d", errno);
	return verdict("E550 sendflags sent");
}

static int usage(void)
{
	fputs("enforce: usage: enforce COMMAND [ARG...]\n", stderr);
	return 2;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	const char *a2 = argc > 2 ? argv[2] : NULL;
	const char *a3 = argc > 3 ? argv[3] : NULL;
	const char *a4 = argc > 4 ? argv[4] : NULL;
	const char *a5 = argc > 5 ? argv[5] : NULL;

	if (!strcmp(cmd, "msleep") && a2)
		return do_msleep(num(a2));
	if (!strcmp(cmd, "burn") && a2)
		return do_burn(num(a2));
	if (!strcmp(cmd, "children") && a2)
		return do_children(num(a2));
	if (!strcmp(cmd, "fwrite") && a2 && a3)
		return do_fwrite(a2, num(a3));
	if (!strcmp(cmd, "flood") && a2 && a3)
		return do_flood(!strcmp(a2, "err") ? 2 : 1, num(a3));
	if (!strcmp(cmd, "ids"))
		return do_ids();
	if (!strcmp(cmd, "cwd"))
		return do_cwd();
	if (!strcmp(cmd, "socket"))
		return do_socket();
	if (!strcmp(cmd, "tcp") && a2 && a3)
		return do_tcp(a2, a3);
	if (!strcmp(cmd, "tcpsend") && a2 && a3)
		return do_tcpsend(a2, a3);
	if (!strcmp(cmd, "tfo") && a2 && a3)
		return do_tfo(a2, a3);
	if ((!strcmp(cmd, "udp") || !strcmp(cmd, "udpconn") ||
	     !strcmp(cmd, "udpmsg")) &&
	    a2 && a3 && a4)
		return do_udp(cmd, a2, a3, a4);
	if (!strcmp(cmd, "fdsend") && a2 && a3 && a4 && a5)
		return do_fdsend(a2, a3, a4, a5);
	if (!strcmp(cmd, "pairmsg"))
		return do_pairmsg();
	if (!strcmp(cmd, "hold") && a2 && a3 && a4)
		return do_hold(a2, a3, a4);
	if (!strcmp(cmd, "udpmmsg") && a2 && a3 && a4 && a5)
		return do_udpmmsg(a2, a3, a4, a5);
	if (!strcmp(cmd, "listen") && a2 && !strcmp(a2, "none"))
		return do_listen(NULL, NULL);
	if (!strcmp(cmd, "listen") && a2 && a3)
		return do_listen(a2, a3);
	if (!strcmp(cmd, "sockopt") && a2 && a3 && a4)
		return do_sockopt(a2, a3, a4);
	if (!strcmp(cmd, "rthdr6") && a2 && a3 && a4)
		return do_rthdr6(a2, a3, a4);
	if (!strcmp(cmd, "sendflags") && a2 && a3 && a4)
		return do_sendflags(a2, a3, a4);
	if (!strcmp(cmd, "serve") && a2 && a3 && a4 && a5)
		return do_serve(a2, a3, a4, a5);
	return usage();
}
