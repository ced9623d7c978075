/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A log read in large blocks and cut into lines (source.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "source.h"

#define BLOCK 65536

struct reader {
	struct rep_tally *t;
	unsigned int file;
	unsigned long lineno;
	time_t now;
	/* the start of a line that did not end in the last block, up to
	 * REP_LINE_MAX + 1 bytes (one more says "longer") */
	char part[REP_LINE_MAX + 1];
	size_t npart;
	int in_line; /* a line is open: part holds its start */
};

static int line(struct reader *r, const char *s, size_t n)
{
	struct rep_line l;

	r->lineno++;
	rep_line_parse(s, n, r->now, &l);
	return rep_tally_add(r->t, &l, r->file, r->lineno);
}

/* Keep up to what part holds of a line that goes on. */
static void keep(struct reader *r, const char *s, size_t n)
{
	size_t room = sizeof(r->part) - r->npart;

	memcpy(r->part + r->npart, s, n < room ? n : room);
	r->npart += n < room ? n : room;
	r->in_line = 1;
}

static int block(struct reader *r, const char *s, size_t n)
{
	while (n) {
		const char *nl = memchr(s, '\n', n);
		size_t len = nl ? (size_t)(nl - s) : n;

		if (!nl) {
			keep(r, s, len);
			return 0;
		}
		if (r->in_line) {
			keep(r, s, len);
			if (line(r, r->part, r->npart) < 0)
				return -1;
			r->npart = 0;
			r->in_line = 0;
		} else if (line(r, s, len) < 0) {
			return -1;
		}
		s += len + 1;
		n -= len + 1;
	}
	return 0;
}

int rep_source_read(int fd, const char *name, unsigned int file, time_t now,
		    struct rep_tally *t, struct sbx_error *err)
{
	struct reader *r = calloc(1, sizeof(*r));
	char *buf = malloc(BLOCK);
	int rc = -1;

	if (!r || !buf) {
		sbx_fail(err, ENOMEM, "%s: out of memory", name);
		goto fail;
	}
	r->t = t;
	r->file = file;
	r->now = now;
	for (;;) {
		ssize_t got = read(fd, buf, BLOCK);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			sbx_fail(err, errno, "%s: read: %s", name,
				 strerror(errno));
			goto fail;
		}
		if (got == 0)
			break;
		if (block(r, buf, (size_t)got) < 0) {
			sbx_fail(err, ENOMEM, "%s: out of memory", name);
			goto fail;
		}
	}
	if (r->in_line && line(r, r->part, r->npart) < 0) {
		sbx_fail(err, ENOMEM, "%s: out of memory", name);
		goto fail;
	}
	rc = 0;
fail:
	free(buf);
	free(r);
	return rc;
}
