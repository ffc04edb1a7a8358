/* brisk.http: asynchronous HTTP(S) and file:// requests on libcurl's multi
 * interface, driven by the editor's Loop (curl's sockets and timer become
 * Loop watches and a Loop timer). Never blocks and never calls Lua from
 * inside a libcurl callback: callbacks only record, Lua runs after
 * curl_multi_socket_action() returns.
 *
 * Content decoding is done here with zlib rather than by libcurl, so that
 * wire_bytes counts exactly the bytes received (headers + encoded body)
 * and the size cap applies to the decoded body while it streams in.
 *
 * A Req lives in its handle's userdata; while in flight the handle is
 * referenced from the registry, so curl's private pointer stays valid. */
#include "lua/host.h"
#include "buffer/array.h"
#include "buffer/list.h"
#include "lua/opts.h"
#include <ctype.h>
#include <limits.h>
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#ifndef BRISK_VERSION
#define BRISK_VERSION "0.1"
#endif

#define REQ_MT "brisk.http.request"
#define DEFAULT_TIMEOUT_MS 30000
#define DEFAULT_MAX_BYTES (16 * 1024 * 1024)
#define DEFAULT_MAX_REDIRECTS 10
#define MAX_HEADER_BYTES (1024 * 1024)

typedef struct Req Req;

typedef struct Http {
	lua_State *L;      /* the main state */
	Loop *loop;
	CURLM *multi;
	uint64_t timer;    /* Loop timer standing for curl's, 0: none */
	Req *head;         /* requests in flight */
} Http;

/* A growable byte buffer. */
typedef struct Bytes {
	char *p;
	size_t len, cap;
} Bytes;

struct Req {
	Http *h;
	Req *next, *prev;
	CURL *easy;
	struct curl_slist *hdrs;
	int ref_resp, ref_prog, self_ref;
	bool done;            /* finished or cancelled: no more callbacks */
	bool in_done_list;    /* collected from curl_multi_info_read */
	CURLcode result;
	bool is_file;
	long max_redirects, timeout_ms;
	size_t max_bytes;
	Bytes body;           /* decoded */
	Bytes head;           /* header lines of the last response */
	Bytes moved;          /* where permanent redirects (301, 308) led, NUL-terminated */
	long last_status;     /* of the response whose headers are coming */
	bool temporary;       /* a temporary redirect (302, 303, 307) was followed */
	uint64_t wire;        /* header + raw body bytes received */
	uint64_t raw_body;    /* encoded body bytes of the last response */
	/* decoding */
	char encoding[32];    /* Content-Encoding of the last response */
	bool z_on, z_end, z_started;
	z_stream z;
	/* failures noticed in callbacks */
	bool too_big, bad_encoding, headers_too_big;
	char zmsg[96];
	bool progress_dirty;
	char errbuf[CURL_ERROR_SIZE];
};

static const char HTTP_KEY = 0;

/* {======================================================================
 * Buffers and decoding (called from libcurl's callbacks: no Lua here)
 * ======================================================================= */

static bool bytes_add(Bytes *b, const char *s, size_t n)
{
	if (n > SIZE_MAX - b->len || !ARRAY_RESERVE(b->p, b->cap, b->len + n))
		return false;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	return true;
}

static void bytes_free(Bytes *b)
{
	free(b->p);
	*b = (Bytes){NULL, 0, 0};
}

/* Appends decoded bytes under the cap; false aborts the transfer. */
static bool body_add(Req *r, const char *s, size_t n)
{
	if (r->body.len + n > r->max_bytes) {
		r->too_big = true;
		return false;
	}
	if (!bytes_add(&r->body, s, n)) {
		r->too_big = true;
		return false;
	}
	return true;
}

static void z_reset(Req *r)
{
	if (r->z_started)
		inflateEnd(&r->z);
	r->z_on = r->z_end = r->z_started = false;
}

static bool z_start(Req *r, const unsigned char *first, size_t n)
{
	memset(&r->z, 0, sizeof r->z);
	int wbits = 15 + 32; /* gzip or zlib, detected */
	if (strstr(r->encoding, "deflate") && !strstr(r->encoding, "gzip") && n > 0 &&
	    ((first[0] & 0x0f) != 8 || (first[0] >> 4) > 7))
		wbits = -15; /* "deflate" sent raw, as some servers do */
	if (inflateInit2(&r->z, wbits) != Z_OK) {
		snprintf(r->zmsg, sizeof r->zmsg, "cannot start the decoder");
		return false;
	}
	r->z_started = true;
	return true;
}

static bool z_feed(Req *r, const char *s, size_t n)
{
	if (!r->z_started && !z_start(r, (const unsigned char *)s, n))
		return false;
	if (r->z_end)
		return true; /* trailing garbage after the stream: ignored */
	unsigned char out[16384];
	r->z.next_in = (unsigned char *)s;
	r->z.avail_in = (uInt)n;
	while (r->z.avail_in > 0 || r->z.avail_out == 0) {
		r->z.next_out = out;
		r->z.avail_out = sizeof out;
		int zr = inflate(&r->z, Z_NO_FLUSH);
		size_t got = sizeof out - r->z.avail_out;
		if (got && !body_add(r, (const char *)out, got))
			return false;
		if (zr == Z_STREAM_END) {
			r->z_end = true;
			return true;
		}
		if (zr == Z_BUF_ERROR && got == 0)
			return true; /* needs more input */
		if (zr != Z_OK) {
			snprintf(r->zmsg, sizeof r->zmsg, "%s", r->z.msg ? r->z.msg : "corrupt data");
			return false;
		}
	}
	return true;
}

static size_t on_write(char *data, size_t size, size_t nmemb, void *ud)
{
	Req *r = ud;
	size_t n = size * nmemb;
	r->wire += n;
	r->raw_body += n;
	r->progress_dirty = true;
	if (r->done)
		return 0;
	if (r->z_on) {
		if (!z_feed(r, data, n)) {
			if (!r->too_big)
				r->bad_encoding = true;
			return 0;
		}
		return n;
	}
	return body_add(r, data, n) ? n : 0;
}

/* The status code of a status line ("HTTP/1.1 301 Moved"), 0 if none. */
static long status_of(const char *line, size_t n)
{
	const char *sp = memchr(line, ' ', n);
	if (!sp || (size_t)(sp - line) + 4 > n)
		return 0;
	long st = 0;
	for (int i = 1; i <= 3 && isdigit((unsigned char)sp[i]); i++)
		st = st * 10 + (sp[i] - '0');
	return st;
}

/* A new response begins. If the last one redirected here, remember the
 * URL a chain of permanent redirects led to; a temporary one ends the
 * chain (what follows it is not the resource's new home). */
static void note_redirect(Req *r)
{
	long st = r->last_status;
	if (st < 300 || st > 399 || st == 304)
		return;
	if (st != 301 && st != 308)
		r->temporary = true;
	char *url = NULL;
	if (r->temporary || curl_easy_getinfo(r->easy, CURLINFO_EFFECTIVE_URL, &url) != CURLE_OK || !url)
		return;
	r->moved.len = 0;
	bytes_add(&r->moved, url, strlen(url) + 1);
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *ud)
{
	Req *r = ud;
	size_t n = size * nmemb;
	r->wire += n;
	if (r->done)
		return 0;
	if (n >= 5 && memcmp(data, "HTTP/", 5) == 0) {
		/* A new response (after a redirect or a 100 Continue). */
		note_redirect(r);
		r->last_status = status_of(data, n);
		r->head.len = 0;
		r->body.len = 0;
		r->raw_body = 0;
		r->encoding[0] = 0;
		z_reset(r);
	}
	if (r->head.len + n > MAX_HEADER_BYTES || !bytes_add(&r->head, data, n)) {
		r->headers_too_big = true;
		return 0;
	}
	if (n > 17 && strncasecmp(data, "content-encoding:", 17) == 0) {
		size_t i = 17, k = 0;
		while (i < n && k + 1 < sizeof r->encoding) {
			char c = (char)tolower((unsigned char)data[i++]);
			if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
				r->encoding[k++] = c;
		}
		r->encoding[k] = 0;
		r->z_on = strstr(r->encoding, "gzip") || strstr(r->encoding, "deflate");
	}
	return n;
}

/* }====================================================================== */

/* {======================================================================
 * The response table
 * ======================================================================= */

/* Pushes the headers of the last response: lower-case names, values
 * trimmed, repeated names joined with ", ". */
static void push_headers(lua_State *L, const Bytes *b)
{
	lua_newtable(L);
	const char *p = b->p, *end = b->p + b->len;
	while (p && p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *next = eol ? eol + 1 : end;
		if (!eol)
			eol = end;
		const char *colon = memchr(p, ':', (size_t)(eol - p));
		if (colon && colon > p && !(eol - p >= 5 && memcmp(p, "HTTP/", 5) == 0)) {
			luaL_Buffer name;
			luaL_buffinit(L, &name);
			for (const char *q = p; q < colon; q++)
				luaL_addchar(&name, (char)tolower((unsigned char)*q));
			luaL_pushresult(&name);
			const char *v = colon + 1, *ve = eol;
			while (v < ve && (*v == ' ' || *v == '\t'))
				v++;
			while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t'))
				ve--;
			lua_pushvalue(L, -1);
			lua_rawget(L, -3);
			if (lua_isstring(L, -1)) {
				lua_pushliteral(L, ", ");
				lua_pushlstring(L, v, (size_t)(ve - v));
				lua_concat(L, 3);
			} else {
				lua_pop(L, 1);
				lua_pushlstring(L, v, (size_t)(ve - v));
			}
			lua_rawset(L, -3);
		}
		p = next;
	}
}

/* One line naming the cause: "timeout", "size", "redirect", "TLS",
 * "resolve", "connect", ... */
static void push_error(lua_State *L, Req *r)
{
	const char *detail = r->errbuf[0] ? r->errbuf : curl_easy_strerror(r->result);
	switch (r->result) {
	case CURLE_OPERATION_TIMEDOUT:
		lua_pushfstring(L, "timeout after %d ms (%s)", (int)r->timeout_ms, detail);
		break;
	case CURLE_TOO_MANY_REDIRECTS:
		lua_pushfstring(L, "too many redirects (more than %d)", (int)r->max_redirects);
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		lua_pushfstring(L, "cannot resolve host (%s)", detail);
		break;
	case CURLE_COULDNT_CONNECT:
		lua_pushfstring(L, "cannot connect (%s)", detail);
		break;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_SHUTDOWN_FAILED:
	case CURLE_USE_SSL_FAILED:
		lua_pushfstring(L, "TLS error (%s)", detail);
		break;
	case CURLE_FILESIZE_EXCEEDED:
		lua_pushfstring(L, "size limit exceeded: the body is larger than max_bytes (%d)", (int)r->max_bytes);
		break;
	case CURLE_UNSUPPORTED_PROTOCOL:
		lua_pushfstring(L, "unsupported protocol, or a redirect to one (%s)", detail);
		break;
	case CURLE_FILE_COULDNT_READ_FILE:
		lua_pushfstring(L, "cannot read file (%s)", detail);
		break;
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_PARTIAL_FILE:
		lua_pushfstring(L, "connection failed (%s)", detail);
		break;
	default:
		lua_pushfstring(L, "%s (%s)", curl_easy_strerror(r->result), detail);
		break;
	}
	/* One line, whatever curl said. */
	size_t n;
	const char *s = lua_tolstring(L, -1, &n);
	if (memchr(s, '\n', n) || memchr(s, '\r', n)) {
		luaL_gsub(L, s, "\n", " ");
		luaL_gsub(L, lua_tostring(L, -1), "\r", "");
		lua_remove(L, -2);
		lua_remove(L, -2);
	}
}

static void push_response(lua_State *L, Req *r)
{
	long status = 0;
	curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
	bool ok = r->result == CURLE_OK && !r->too_big && !r->bad_encoding && !r->headers_too_big;
	if (ok && r->z_on && r->z_started && !r->z_end) {
		ok = false; /* the compressed stream stopped early */
		r->bad_encoding = true;
		snprintf(r->zmsg, sizeof r->zmsg, "truncated stream");
	}
	if (r->is_file && ok && status == 0)
		status = 200; /* file:// has no status: report success as HTTP does */
	lua_createtable(L, 0, 10);
	lua_pushinteger(L, status);
	lua_setfield(L, -2, "status");
	push_headers(L, &r->head);
	lua_setfield(L, -2, "headers");
	if (ok) {
		lua_pushlstring(L, r->body.p ? r->body.p : "", r->body.len);
		lua_setfield(L, -2, "body");
	} else {
		if (r->too_big)
			lua_pushfstring(L, "size limit exceeded: the body is larger than max_bytes (%d)", (int)r->max_bytes);
		else if (r->headers_too_big)
			lua_pushliteral(L, "size limit exceeded: response headers too large");
		else if (r->bad_encoding)
			lua_pushfstring(L, "bad %s content encoding (%s)", r->encoding, r->zmsg);
		else
			push_error(L, r);
		lua_setfield(L, -2, "error");
	}
	lua_pushinteger(L, (lua_Integer)r->wire);
	lua_setfield(L, -2, "wire_bytes");
	lua_pushinteger(L, (lua_Integer)r->body.len);
	lua_setfield(L, -2, "body_bytes");
	/* sent: request heads (every redirect's) and the body uploaded */
	long head = 0;
	curl_off_t up = 0;
	curl_easy_getinfo(r->easy, CURLINFO_REQUEST_SIZE, &head);
	curl_easy_getinfo(r->easy, CURLINFO_SIZE_UPLOAD_T, &up);
	lua_pushinteger(L, (lua_Integer)head + (lua_Integer)up);
	lua_setfield(L, -2, "sent_bytes");
	char *url = NULL;
	if (curl_easy_getinfo(r->easy, CURLINFO_EFFECTIVE_URL, &url) == CURLE_OK && url) {
		lua_pushstring(L, url);
		lua_setfield(L, -2, "url");
	}
	long redirects = 0;
	curl_easy_getinfo(r->easy, CURLINFO_REDIRECT_COUNT, &redirects);
	lua_pushinteger(L, redirects);
	lua_setfield(L, -2, "redirects");
	if (r->moved.len) {
		lua_pushstring(L, r->moved.p);
		lua_setfield(L, -2, "permanent_url");
	}
}

/* }====================================================================== */

/* {======================================================================
 * Request life cycle
 * ======================================================================= */

/* Frees everything C-side; the handle keeps only its `done` flag. */
static void req_release(Req *r)
{
	Http *h = r->h;
	if (r->easy) {
		if (h->multi)
			curl_multi_remove_handle(h->multi, r->easy);
		curl_easy_cleanup(r->easy);
		r->easy = NULL;
	}
	curl_slist_free_all(r->hdrs);
	r->hdrs = NULL;
	z_reset(r);
	bytes_free(&r->body);
	bytes_free(&r->head);
	bytes_free(&r->moved);
	LIST_UNLINK(h->head, r);
	if (r->ref_prog != LUA_NOREF)
		blua_unref(h->L, r->ref_prog);
	r->ref_prog = LUA_NOREF;
}

static void req_finish(Req *r)
{
	Http *h = r->h;
	lua_State *L = h->L;
	if (r->done)
		return;
	r->done = true;
	int resp = r->ref_resp, self = r->self_ref;
	r->ref_resp = r->self_ref = LUA_NOREF;
	if (resp != LUA_NOREF) {
		blua_push_ref(L, resp);
		blua_unref(L, resp);
		push_response(L, r);
	}
	req_release(r);
	if (resp != LUA_NOREF)
		blua_pcall(L, 1, 0);
	loop_pending_add(h->loop, -1);
	blua_unref(L, self); /* last: r may be collected after this */
}

static void call_progress(Req *r)
{
	lua_State *L = r->h->L;
	r->progress_dirty = false;
	if (r->ref_prog == LUA_NOREF || r->done)
		return;
	curl_off_t total = -1;
	curl_easy_getinfo(r->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &total);
	blua_push_ref(L, r->ref_prog);
	lua_pushinteger(L, (lua_Integer)r->raw_body);
	if (total >= 0)
		lua_pushinteger(L, (lua_Integer)total);
	else
		lua_pushnil(L);
	blua_pcall(L, 2, 0);
}

/* After curl_multi_socket_action: progress, then finished transfers. Lua
 * may start or cancel requests meanwhile, so the work list is taken first
 * and each handle held (referenced) while it is processed. */
static void after_action(Http *h)
{
	lua_State *L = h->L;
	int base = lua_gettop(L);
	CURLMsg *m;
	int left;
	while ((m = curl_multi_info_read(h->multi, &left))) {
		if (m->msg != CURLMSG_DONE)
			continue;
		Req *r = NULL;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
		if (!r || r->done || r->in_done_list)
			continue;
		r->result = m->data.result;
		r->in_done_list = true;
	}
	/* Hold every request that has something to report. */
	lua_newtable(L);
	int n = 0;
	for (Req *r = h->head; r; r = r->next)
		if (r->progress_dirty || r->in_done_list) {
			blua_push_ref(L, r->self_ref);
			lua_rawseti(L, base + 1, ++n);
		}
	for (int i = 1; i <= n; i++) {
		lua_rawgeti(L, base + 1, i);
		Req *r = lua_touserdata(L, -1);
		lua_pop(L, 1);
		if (r->progress_dirty)
			call_progress(r);
	}
	for (int i = 1; i <= n; i++) {
		lua_rawgeti(L, base + 1, i);
		Req *r = lua_touserdata(L, -1);
		lua_pop(L, 1);
		if (r->in_done_list)
			req_finish(r);
	}
	lua_settop(L, base);
}

static void on_curl_fd(void *ctx, int fd, int revents)
{
	Http *h = ctx;
	int flags = 0, running;
	if (revents & (POLLIN | POLLHUP))
		flags |= CURL_CSELECT_IN;
	if (revents & POLLOUT)
		flags |= CURL_CSELECT_OUT;
	if (revents & (POLLERR | POLLNVAL))
		flags |= CURL_CSELECT_ERR;
	curl_multi_socket_action(h->multi, fd, flags, &running);
	after_action(h);
}

static void on_curl_timer(void *ctx)
{
	Http *h = ctx;
	int running;
	if (h->timer)
		loop_timer_cancel(h->loop, h->timer);
	h->timer = 0;
	curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	after_action(h);
}

static int socket_cb(CURL *easy, curl_socket_t s, int what, void *ud, void *sockp)
{
	Http *h = ud;
	(void)easy, (void)sockp;
	if (what == CURL_POLL_REMOVE) {
		loop_fd_unwatch(h->loop, s);
		return 0;
	}
	short ev = 0;
	if (what & CURL_POLL_IN)
		ev |= POLLIN;
	if (what & CURL_POLL_OUT)
		ev |= POLLOUT;
	loop_fd_watch(h->loop, s, ev, on_curl_fd, h);
	return 0;
}

/* curl's single timer. A repeating Loop timer (cancelled when it fires) so
 * that it does not count as pending work: the requests do. */
static int timer_cb(CURLM *multi, long ms, void *ud)
{
	Http *h = ud;
	(void)multi;
	if (h->timer)
		loop_timer_cancel(h->loop, h->timer);
	h->timer = 0;
	if (ms >= 0)
		h->timer = loop_timer_add(h->loop, (uint64_t)ms, true, on_curl_timer, h);
	return 0;
}

/* }====================================================================== */

/* {======================================================================
 * brisk.http.request
 * ======================================================================= */

static Http *get_http(lua_State *L)
{
	lua_rawgetp(L, LUA_REGISTRYINDEX, &HTTP_KEY);
	Http *h = lua_touserdata(L, -1);
	lua_pop(L, 1);
	return h;
}

static bool has_crlf(const char *s)
{
	return strpbrk(s, "\r\n") != NULL;
}

/* Adds one "Name: value" unless it is a Referer (never sent). */
static void add_header(lua_State *L, Req *r, const char *name, const char *value, bool *has_ae)
{
	if (has_crlf(name) || has_crlf(value) || strchr(name, ':') || !*name)
		luaL_error(L, "http.request: bad header name or value");
	if (strcasecmp(name, "referer") == 0)
		return;
	if (strcasecmp(name, "accept-encoding") == 0)
		*has_ae = true;
	lua_pushfstring(L, "%s: %s", name, value);
	struct curl_slist *n = curl_slist_append(r->hdrs, lua_tostring(L, -1));
	lua_pop(L, 1);
	if (!n)
		luaL_error(L, "http.request: out of memory");
	r->hdrs = n;
}

static void set_headers(lua_State *L, Req *r)
{
	bool has_ae = false;
	lua_getfield(L, 1, "headers");
	int t = lua_gettop(L);
	if (lua_istable(L, t)) {
		lua_pushnil(L);
		while (lua_next(L, t)) {
			if (lua_type(L, -2) == LUA_TSTRING && lua_isstring(L, -1)) {
				add_header(L, r, lua_tostring(L, -2), lua_tostring(L, -1), &has_ae);
			} else if (lua_isinteger(L, -2) && lua_type(L, -1) == LUA_TSTRING) {
				/* {"Name: value", ...} */
				const char *line = lua_tostring(L, -1), *colon = strchr(line, ':');
				if (!colon)
					luaL_error(L, "http.request: header %s has no ':'", line);
				lua_pushlstring(L, line, (size_t)(colon - line));
				const char *v = colon + 1;
				while (*v == ' ')
					v++;
				add_header(L, r, lua_tostring(L, -1), v, &has_ae);
				lua_pop(L, 1);
			} else {
				luaL_error(L, "http.request: headers must map names to strings");
			}
			lua_pop(L, 1);
		}
	} else if (!lua_isnil(L, t)) {
		luaL_error(L, "http.request: headers must be a table");
	}
	lua_pop(L, 1);
	if (!has_ae)
		r->hdrs = curl_slist_append(r->hdrs, "Accept-Encoding: gzip, deflate");
	/* No "Expect: 100-continue" round trip for bodies. */
	r->hdrs = curl_slist_append(r->hdrs, "Expect:");
}

static void set_method(lua_State *L, Req *r)
{
	lua_getfield(L, 1, "method");
	const char *m = luaL_optstring(L, -1, "GET");
	lua_getfield(L, 1, "body");
	size_t blen = 0;
	const char *body = lua_isnil(L, -1) ? NULL : lua_tolstring(L, -1, &blen);
	if (!lua_isnil(L, -1) && !body)
		luaL_error(L, "http.request: body must be a string");
	if (has_crlf(m) || !*m)
		luaL_error(L, "http.request: bad method");
	if (strcmp(m, "HEAD") == 0)
		curl_easy_setopt(r->easy, CURLOPT_NOBODY, 1L);
	else if (strcmp(m, "GET") != 0 || body) {
		if (strcmp(m, "POST") != 0)
			curl_easy_setopt(r->easy, CURLOPT_CUSTOMREQUEST, m);
		if (body || strcmp(m, "POST") == 0) {
			curl_easy_setopt(r->easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)blen);
			curl_easy_setopt(r->easy, CURLOPT_COPYPOSTFIELDS, body ? body : "");
		}
	}
	lua_pop(L, 2);
}

static const char *user_agent(lua_State *L)
{
	lua_getfield(L, 1, "user_agent");
	if (lua_isstring(L, -1))
		return lua_tostring(L, -1); /* left on the stack */
	lua_pop(L, 1);
	lua_getfield(L, lua_upvalueindex(1), "user_agent");
	if (lua_isstring(L, -1))
		return lua_tostring(L, -1);
	lua_pop(L, 1);
	lua_pushliteral(L, "brisk/" BRISK_VERSION);
	return lua_tostring(L, -1);
}

static void configure(lua_State *L, Req *r, const char *url)
{
	CURL *e = r->easy;
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, (char *)r);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->errbuf);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, r->max_redirects);
	curl_easy_setopt(e, CURLOPT_AUTOREFERER, 0L);
	/* We decode (see the top): curl passes the encoded bytes through. */
	curl_easy_setopt(e, CURLOPT_HTTP_CONTENT_DECODING, 0L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, r->timeout_ms);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, r->timeout_ms);
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)r->max_bytes);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https,file");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(e, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS | CURLPROTO_FILE));
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(e, CURLOPT_USERAGENT, user_agent(L));
	lua_pop(L, 1);
	set_headers(L, r);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->hdrs);
	set_method(L, r);
}

/***
 * Starts an HTTP(S) or file:// request; returns at once. `on_response`
 * runs later with one table: `status` (0 when there was no response; 200
 * for a file read), `headers` (lower-case names; repeated headers joined
 * with ", "), `body` (nil on error, never longer than `max_bytes`),
 * `error` (nil, or one line naming the cause: "timeout", "size",
 * "redirect", "TLS", "resolve", "connect", "encoding", ...), `wire_bytes`
 * (bytes received: headers + encoded body), `body_bytes` (decoded body),
 * `sent_bytes` (request heads and body sent),
 * `url` (after redirects), `redirects` and `permanent_url` (where a chain
 * of permanent redirects, 301 or 308, led: the resource's new address;
 * nil when there was none, or when a temporary one came first). An HTTP
 * error status (404, 500)
 * is not an `error`. The request counts as pending work until on_response
 * has run.
 *
 * gzip and deflate are accepted and decoded; redirects are followed (to
 * http/https only); TLS is verified; proxies come from the environment
 * (http_proxy, https_proxy, no_proxy); no Referer header is ever sent.
 * The User-Agent is `opts.user_agent`, else `brisk.http.user_agent`
 * (default "brisk/<version>").
 * @function brisk.http.request
 * @tparam table opts `url` (required), `method` ("GET"), `headers` (table
 *   name -> value, or a list of "Name: value"), `body` (string),
 *   `timeout_ms` (30000, whole transfer), `max_bytes` (16 MiB, decoded
 *   body; the transfer is aborted when it would grow past it),
 *   `max_redirects` (10), `user_agent`, `on_response(resp)`,
 *   `on_progress(received, total)` (body bytes as sent, so compressed if
 *   the body is; total is the Content-Length or nil)
 * @return a handle with `:cancel()` and `:active()`
 * @usage brisk.http.request{url = "https://example.org/feed.xml",
 *     headers = {["If-None-Match"] = etag}, timeout_ms = 10000,
 *     on_response = function(r)
 *       if r.error then print("failed: " .. r.error)
 *       elseif r.status == 304 then print("unchanged")
 *       else print(#r.body, r.headers.etag) end
 *     end}
 */
static int api_http_request(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_settop(L, 1);
	Http *h = get_http(L);
	lua_getfield(L, 1, "url");
	const char *url = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
	luaL_argcheck(L, url && *url && !has_crlf(url), 1, "url must be a string");

	Req *r = lua_newuserdatauv(L, sizeof *r, 0);
	memset(r, 0, sizeof *r);
	r->h = h;
	r->done = true; /* until it is in flight: __gc has nothing to do */
	r->ref_resp = r->ref_prog = r->self_ref = LUA_NOREF;
	luaL_setmetatable(L, REQ_MT);
	int ud = lua_gettop(L);
	r->timeout_ms = (long)blua_opt_int(L, 1, "timeout_ms", DEFAULT_TIMEOUT_MS, 1, LONG_MAX, "http.request");
	r->max_bytes = (size_t)blua_opt_int(L, 1, "max_bytes", DEFAULT_MAX_BYTES, 0, LUA_MAXINTEGER, "http.request");
	r->max_redirects = (long)blua_opt_int(L, 1, "max_redirects", DEFAULT_MAX_REDIRECTS, 0, LONG_MAX, "http.request");
	r->is_file = strncasecmp(url, "file:", 5) == 0;
	r->easy = curl_easy_init();
	if (!r->easy)
		return luaL_error(L, "http.request: cannot create a transfer");
	configure(L, r, url);
	r->ref_resp = blua_opt_fn(L, 1, "on_response", false, "http.request");
	r->ref_prog = blua_opt_fn(L, 1, "on_progress", false, "http.request");
	lua_pushvalue(L, ud);
	r->self_ref = blua_ref(L);
	r->done = false;
	LIST_PUSH(h->head, r);
	loop_pending_add(h->loop, 1);
	CURLMcode mc = curl_multi_add_handle(h->multi, r->easy);
	if (mc != CURLM_OK) {
		r->result = CURLE_FAILED_INIT;
		snprintf(r->errbuf, sizeof r->errbuf, "%s", curl_multi_strerror(mc));
		r->in_done_list = true;
		curl_easy_cleanup(r->easy); /* never added */
		r->easy = NULL;
		req_finish(r);
	}
	lua_pushvalue(L, ud);
	return 1;
}

/***
 * Stops a request: the transfer is aborted and on_response is not called.
 * Does nothing once on_response has run.
 * @function request:cancel
 * @treturn boolean true if the request was still in flight
 * @usage local req = brisk.http.request{url = u, on_response = f}
 *   req:cancel()
 */
static int api_http_cancel(lua_State *L)
{
	Req *r = luaL_checkudata(L, 1, REQ_MT);
	if (r->done) {
		lua_pushboolean(L, 0);
		return 1;
	}
	r->done = true;
	Http *h = r->h;
	if (r->ref_resp != LUA_NOREF)
		blua_unref(h->L, r->ref_resp);
	r->ref_resp = LUA_NOREF;
	int self = r->self_ref;
	r->self_ref = LUA_NOREF;
	req_release(r);
	loop_pending_add(h->loop, -1);
	blua_unref(h->L, self); /* the argument keeps r alive until we return */
	lua_pushboolean(L, 1);
	return 1;
}

/***
 * Whether the request is still in flight.
 * @function request:active
 * @treturn boolean
 * @usage if req:active() then req:cancel() end
 */
static int api_http_active(lua_State *L)
{
	Req *r = luaL_checkudata(L, 1, REQ_MT);
	lua_pushboolean(L, !r->done);
	return 1;
}

/* Reached after the request ended, or when the state closes. */
static int req_gc(lua_State *L)
{
	Req *r = lua_touserdata(L, 1);
	r->done = true;
	if (r->ref_resp != LUA_NOREF && r->h->L)
		blua_unref(r->h->L, r->ref_resp);
	r->ref_resp = LUA_NOREF;
	req_release(r);
	return 0;
}

static int http_gc(lua_State *L)
{
	Http *h = lua_touserdata(L, 1);
	while (h->head) {
		h->head->done = true;
		req_release(h->head);
	}
	if (h->timer)
		loop_timer_cancel(h->loop, h->timer);
	h->timer = 0;
	if (h->multi)
		curl_multi_cleanup(h->multi);
	h->multi = NULL;
	return 0;
}

/* }====================================================================== */

/***
 * The default User-Agent (a string field; assign to change it).
 * @field brisk.http.user_agent
 * @usage brisk.http.user_agent = "brisk-news/1.0 (+https://example.org)"
 */
void api_http_open(lua_State *L)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	Http *h = lua_newuserdatauv(L, sizeof *h, 0);
	memset(h, 0, sizeof *h);
	lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_MAINTHREAD);
	h->L = lua_tothread(L, -1);
	lua_pop(L, 1);
	h->loop = blua_loop(L);
	h->multi = curl_multi_init();
	if (!h->multi)
		luaL_error(L, "http: cannot initialise libcurl");
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, socket_cb);
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, timer_cb);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
	lua_newtable(L);
	lua_pushcfunction(L, http_gc);
	lua_setfield(L, -2, "__gc");
	lua_setmetatable(L, -2);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &HTTP_KEY);

	static const luaL_Reg methods[] = {
		{"cancel", api_http_cancel},
		{"active", api_http_active},
		{NULL, NULL},
	};
	luaL_newmetatable(L, REQ_MT);
	luaL_newlib(L, methods);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, req_gc);
	lua_setfield(L, -2, "__gc");
	lua_pop(L, 1);

	lua_newtable(L); /* brisk.http */
	lua_pushliteral(L, "brisk/" BRISK_VERSION);
	lua_setfield(L, -2, "user_agent");
	lua_pushvalue(L, -1);
	lua_pushcclosure(L, api_http_request, 1);
	lua_setfield(L, -2, "request");
	lua_setfield(L, -2, "http");
}
