/* SPDX-License-Identifier: GPL-2.0-or-later */
/* spp-sandboxd's wire protocol: one request from spp-run, one reply from
 * the broker, over a Unix stream socket, then the connection is closed. */
#ifndef SPP_WIRE_H
#define SPP_WIRE_H

#include <stddef.h>

#include "sbx.h"

/* A message is a list of fields, each a one-byte tag, a four-byte length
 * (big-endian) and that many bytes, ended by an SPP_WIRE_END field of
 * length 0. The first field is SPP_WIRE_VERSION "1". Strings hold no NUL.
 * Anything else (an unknown tag, a field or message over its bound, a
 * missing field, a number that is not one) is garbage: the broker
 * refuses it and closes the connection. */
enum spp_wire_tag {
	SPP_WIRE_END = 0,
	SPP_WIRE_VERSION = 1,
	/* request */
	SPP_WIRE_HOME = 2, /* the qmail home: spp-run's working directory */
	SPP_WIRE_EVENT = 3, /* --event */
	SPP_WIRE_POLICY = 4, /* --policy as given (absent: none) */
	SPP_WIRE_SHELL = 5, /* --shell: "1" */
	SPP_WIRE_INHERIT = 6, /* --inherit-env: "1" */
	SPP_WIRE_SMTPD = 7, /* qmail-smtpd's pid, decimal, for the report */
	SPP_WIRE_ARG = 8, /* the plugin and its arguments, in order */
	SPP_WIRE_ENV = 9, /* NAME=VALUE, spp-run's environment */
	/* reply */
	SPP_WIRE_STATUS = 32, /* spp-run's exit status, decimal */
	SPP_WIRE_OUT = 33, /* what spp-run printed on stdout */
	SPP_WIRE_LOG = 34, /* what it printed on stderr (log lines) */
	SPP_WIRE_REFUSE = 35, /* not made: why; the client runs it itself */
};

#define SPP_WIRE_VERSION_1 "1"
/* Bounds: a request is small (a qmail-smtpd environment is a few KiB), a
 * reply holds spp-run's stdout (the hook keeps 1 MiB at most) and its
 * logs. */
#define SPP_WIRE_REQ_MAX (256 * 1024)
#define SPP_WIRE_REPLY_MAX (2 * 1024 * 1024)
#define SPP_WIRE_ARGS_MAX 256
#define SPP_WIRE_ENV_MAX 1024
#define SPP_WIRE_PATH_MAX 4096

/* Append one field to b. Returns 0, or -1 with errno ENOMEM. */
int spp_wire_put(struct sbx_buf *b, int tag, const void *s, size_t n);
int spp_wire_puts(struct sbx_buf *b, int tag, const char *s);

struct spp_wire_req {
	char *home, *event, *policy; /* policy NULL: none given */
	int shell, inherit;
	long smtpd;
	struct sbx_strv args, env;
};

struct spp_wire_reply {
	int status; /* -1 when refused */
	struct sbx_buf out, log;
	char refused[200]; /* why, when refused */
};

/* Parse the request in buf (len bytes, as read so far). Returns 1 when it
 * is complete (*r filled: free with spp_wire_req_clear), 0 when more
 * bytes are needed, -1 with *err when it is garbage or out of memory. */
int spp_wire_req_parse(const char *buf, size_t len, struct spp_wire_req *r,
		       struct sbx_error *err);
void spp_wire_req_clear(struct spp_wire_req *r);

/* The same for a reply; *r is filled only when it is complete. */
int spp_wire_reply_parse(const char *buf, size_t len, struct spp_wire_reply *r,
			 struct sbx_error *err);
void spp_wire_reply_clear(struct spp_wire_reply *r);

#endif
