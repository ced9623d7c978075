/* SPDX-License-Identifier: GPL-2.0-or-later */
/* spp-sandboxd's wire protocol: fields written and parsed, every bound
 * checked (the broker reads requests from other users' processes). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

int spp_wire_put(struct sbx_buf *b, int tag, const void *s, size_t n)
{
	unsigned char h[5];

	if (n > UINT32_MAX) {
		errno = EOVERFLOW;
		return -1;
	}
	h[0] = (unsigned char)tag;
	h[1] = (unsigned char)(n >> 24);
	h[2] = (unsigned char)(n >> 16);
	h[3] = (unsigned char)(n >> 8);
	h[4] = (unsigned char)n;
	if (sbx_buf_add(b, h, sizeof(h)) < 0)
		return -1;
	return n ? sbx_buf_add(b, s, n) : 0;
}

int spp_wire_puts(struct sbx_buf *b, int tag, const char *s)
{
	return spp_wire_put(b, tag, s, strlen(s));
}

/* The next field at *off: 1 (tag, value and length set, *off moved), 0
 * when it is not all there yet, -1 when its length passes max. */
static int next(const char *buf, size_t len, size_t *off, size_t max, int *tag,
		const char **val, size_t *vlen)
{
	const unsigned char *p = (const unsigned char *)buf + *off;
	size_t n;

	if (len - *off < 5)
		return 0;
	n = (size_t)p[1] << 24 | (size_t)p[2] << 16 | (size_t)p[3] << 8 |
	    (size_t)p[4];
	if (n > max)
		return -1;
	if (len - *off - 5 < n)
		return 0;
	*tag = p[0];
	*val = buf + *off + 5;
	*vlen = n;
	*off += 5 + n;
	return 1;
}

/* A field's value as a string: no NUL, at most max bytes. */
static char *str(const char *v, size_t n, size_t max, struct sbx_error *err)
{
	char *s;

	if (n > max || memchr(v, '\0', n)) {
		sbx_fail(err, EINVAL, "a field holds a NUL or is too long");
		return NULL;
	}
	s = malloc(n + 1);
	if (!s) {
		sbx_fail(err, ENOMEM, "out of memory");
		return NULL;
	}
	memcpy(s, v, n);
	s[n] = '\0';
	return s;
}

static int number(const char *v, size_t n, long lo, long hi, long *out)
{
	long x = 0;

	if (n == 0 || n > 10)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		x = x * 10 + (v[i] - '0');
	}
	if (x < lo || x > hi)
		return -1;
	*out = x;
	return 0;
}

static int flag(const char *v, size_t n)
{
	return n == 1 && v[0] == '1' ? 1 : -1;
}

/* One string field into *dst, which must still be unset. */
static int once(char **dst, const char *v, size_t n, struct sbx_error *err)
{
	if (*dst)
		return sbx_fail(err, EINVAL, "a field is given twice");
	*dst = str(v, n, SPP_WIRE_PATH_MAX, err);
	return *dst ? 0 : -1;
}

static int add(struct sbx_strv *sv, size_t max, const char *v, size_t n,
	       struct sbx_error *err)
{
	char *s;
	int rc;

	if (sv->n >= max)
		return sbx_fail(err, EINVAL, "too many fields");
	s = str(v, n, SPP_WIRE_REQ_MAX, err);
	if (!s)
		return -1;
	rc = sbx_strv_add(sv, s, err);
	free(s);
	return rc;
}

static int req_field(struct spp_wire_req *r, int tag, const char *v, size_t n,
		     struct sbx_error *err)
{
	int f;

	switch (tag) {
	case SPP_WIRE_HOME:
		return once(&r->home, v, n, err);
	case SPP_WIRE_EVENT:
		return once(&r->event, v, n, err);
	case SPP_WIRE_POLICY:
		return once(&r->policy, v, n, err);
	case SPP_WIRE_SHELL:
	case SPP_WIRE_INHERIT:
		f = flag(v, n);
		if (f < 0)
			return sbx_fail(err, EINVAL, "a flag is not 1");
		*(tag == SPP_WIRE_SHELL ? &r->shell : &r->inherit) = f;
		return 0;
	case SPP_WIRE_SMTPD:
		if (number(v, n, 0, 0x7fffffff, &r->smtpd) < 0)
			return sbx_fail(err, EINVAL, "a bad pid");
		return 0;
	case SPP_WIRE_ARG:
		return add(&r->args, SPP_WIRE_ARGS_MAX, v, n, err);
	case SPP_WIRE_ENV:
		if (!memchr(v, '=', n) || v[0] == '=')
			return sbx_fail(err, EINVAL,
					"an environment entry "
					"without a name");
		return add(&r->env, SPP_WIRE_ENV_MAX, v, n, err);
	}
	return sbx_fail(err, EINVAL, "unknown field %d", tag);
}

int spp_wire_req_parse(const char *buf, size_t len, struct spp_wire_req *r,
		       struct sbx_error *err)
{
	size_t off = 0, n;
	const char *v;
	int tag, rc;

	memset(r, 0, sizeof(*r));
	if (len > SPP_WIRE_REQ_MAX)
		return sbx_fail(err, EFBIG, "request too big");
	rc = next(buf, len, &off, SPP_WIRE_REQ_MAX, &tag, &v, &n);
	if (rc <= 0)
		return rc < 0 ? sbx_fail(err, EINVAL, "field too big") : 0;
	if (tag != SPP_WIRE_VERSION || n != 1 || v[0] != '1')
		return sbx_fail(err, EPROTO, "not version 1 of the protocol");
	for (;;) {
		rc = next(buf, len, &off, SPP_WIRE_REQ_MAX, &tag, &v, &n);
		if (rc < 0) {
			sbx_fail(err, EINVAL, "field too big");
			goto fail;
		}
		if (rc == 0) {
			spp_wire_req_clear(r);
			return 0;
		}
		if (tag == SPP_WIRE_END)
			break;
		if (req_field(r, tag, v, n, err) < 0)
			goto fail;
	}
	if (n != 0 || off != len) {
		sbx_fail(err, EINVAL, "bytes after the end");
		goto fail;
	}
	if (!r->home || !r->event || !r->args.n) {
		sbx_fail(err, EINVAL,
			 "a request without home, event or "
			 "plugin");
		goto fail;
	}
	return 1;
fail:
	spp_wire_req_clear(r);
	return -1;
}

void spp_wire_req_clear(struct spp_wire_req *r)
{
	free(r->home);
	free(r->event);
	free(r->policy);
	sbx_strv_clear(&r->args);
	sbx_strv_clear(&r->env);
	memset(r, 0, sizeof(*r));
}

int spp_wire_reply_parse(const char *buf, size_t len, struct spp_wire_reply *r,
			 struct sbx_error *err)
{
	size_t off = 0, n;
	const char *v;
	long st;
	int tag, rc, have_status = 0;
	unsigned int seen = 0;

	memset(r, 0, sizeof(*r));
	r->status = -1;
	if (len > SPP_WIRE_REPLY_MAX)
		return sbx_fail(err, EFBIG, "reply too big");
	rc = next(buf, len, &off, SPP_WIRE_REPLY_MAX, &tag, &v, &n);
	if (rc <= 0)
		return rc < 0 ? sbx_fail(err, EINVAL, "field too big") : 0;
	if (tag != SPP_WIRE_VERSION || n != 1 || v[0] != '1')
		return sbx_fail(err, EPROTO, "not version 1 of the protocol");
	for (;;) {
		rc = next(buf, len, &off, SPP_WIRE_REPLY_MAX, &tag, &v, &n);
		if (rc < 0) {
			sbx_fail(err, EINVAL, "field too big");
			goto fail;
		}
		if (rc == 0) {
			spp_wire_reply_clear(r);
			return 0;
		}
		if (tag == SPP_WIRE_END)
			break;
		/* each once: of two stdouts, which is the verdict? */
		if (tag >= SPP_WIRE_STATUS && tag <= SPP_WIRE_REFUSE) {
			if (seen & 1U << (tag - SPP_WIRE_STATUS)) {
				sbx_fail(err, EINVAL, "a field is given twice");
				goto fail;
			}
			seen |= 1U << (tag - SPP_WIRE_STATUS);
		}
		switch (tag) {
		case SPP_WIRE_STATUS:
			if (number(v, n, 0, 255, &st) < 0) {
				sbx_fail(err, EINVAL, "a bad exit status");
				goto fail;
			}
			r->status = (int)st;
			have_status = 1;
			break;
		case SPP_WIRE_OUT:
		case SPP_WIRE_LOG:
			if (sbx_buf_add(tag == SPP_WIRE_OUT ? &r->out : &r->log,
					v, n) < 0) {
				sbx_fail(err, ENOMEM, "out of memory");
				goto fail;
			}
			break;
		case SPP_WIRE_REFUSE:
			sbx_escape(r->refused, sizeof(r->refused), v,
				   n > 150 ? 150 : n);
			if (!r->refused[0])
				r->refused[0] = '-';
			break;
		default:
			sbx_fail(err, EINVAL, "unknown field %d", tag);
			goto fail;
		}
	}
	if (n != 0 || off != len || (!have_status && !r->refused[0])) {
		sbx_fail(err, EINVAL, "a reply without a status");
		goto fail;
	}
	return 1;
fail:
	spp_wire_reply_clear(r);
	return -1;
}

void spp_wire_reply_clear(struct spp_wire_reply *r)
{
	sbx_buf_free(&r->out);
	sbx_buf_free(&r->log);
	memset(r, 0, sizeof(*r));
	r->status = -1;
}
