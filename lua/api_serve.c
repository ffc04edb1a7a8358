/* brisk.http.serve: an HTTP(S) server for plugins, on GNU libmicrohttpd
 * driven by the editor's Loop. MHD runs in "external epoll" mode: the Loop
 * watches MHD's one epoll fd and keeps a timer for MHD_get_timeout(), so
 * there is no thread and nothing blocks.
 *
 * Lua never runs inside an MHD callback. A request whose head and body
 * have arrived is suspended and queued; after MHD_run() returns, the Lua
 * handler runs with a request object; its answer (now, or later through
 * req:respond) becomes an MHD response, the connection is resumed, and MHD
 * calls back once more to queue it. Malformed HTTP is answered by MHD
 * itself; methods other than GET/HEAD/POST, bodies over max_body and
 * requests that miss their deadline are answered (or cut) here: none of
 * them reaches Lua.
 *
 * Deadlines (slowloris): MHD closes a connection idle for timeout_ms; a
 * sweep every SWEEP_MS shuts down a socket whose request head (or, for a
 * kept-alive socket, whose next request) has not arrived timeout_ms after
 * it started waiting, or whose body trickles in for longer than that; a
 * request Lua has not answered after answer_ms gets a 503. */
#include "lua/host.h"
#include "lua/opts.h"
#include "buffer/array.h"
#include "buffer/list.h"
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#define SERVER_MT "brisk.http.server"
#define REQUEST_MT "brisk.http.server_request"
#define SWEEP_MS 250
#define GZIP_MIN 256 /* smaller bodies are sent as they are */
#define GZIP_KEEP 4096 /* larger ones are kept compressed, a few of them */
#define GZIP_CACHE 4

typedef struct Server Server;
typedef struct Conn Conn;

/* A body compressed lately, with the bytes it came from: many clients
 * asking for the same thing at once (a sync, the page) are answered from
 * one compression. Found by length and memcmp, so never a wrong match. */
typedef struct Gz {
	char *in, *out;
	size_t inlen, outlen;
	uint64_t used;
} Gz;

/* One TCP connection (MHD's socket context), for the head deadline. */
typedef struct Sock {
	Server *s;
	struct Sock *next, *prev;
	int fd;
	uint64_t since;  /* accepted, or its last request completed */
	Conn *cur;       /* the request whose head has arrived, if any */
	bool cut;        /* shut down for missing a deadline */
} Sock;

enum { CONN_READING, CONN_READY, CONN_WAITING, CONN_ANSWERED, CONN_DEAD };

/* The Lua request object: a pointer that the server clears when the
 * request ends, so a late req:respond() finds nothing instead of freed
 * memory. Its uservalue holds the fields. */
typedef struct ReqH {
	Conn *c;
} ReqH;

/* One request (MHD's con_cls). */
struct Conn {
	Server *s;
	struct MHD_Connection *mc;
	Conn *next, *prev;      /* held (suspended) list, or the dead list */
	Sock *sock;
	int state;
	char *body;
	size_t len, cap;
	uint64_t started;       /* ms: its head arrived */
	bool too_big;
	char method[8];
	char *path;             /* MHD gives the URL to the access handler only */
	struct MHD_Response *resp; /* answered: queued when MHD calls back */
	unsigned status;
	int ref;                /* the Lua request object, LUA_NOREF: none yet */
	ReqH *h;
};

struct Server {
	lua_State *L;           /* the main state */
	Loop *loop;
	struct MHD_Daemon *d;   /* NULL once stopped */
	int epfd;
	uint64_t timer, sweep;  /* Loop timers: MHD's timeout, the deadlines */
	int on_request, on_log, self_ref;
	Conn *held;             /* suspended requests, oldest first */
	Conn *dead;             /* completed, their Lua side not yet released */
	Sock *socks;
	size_t nsocks;
	size_t max_body;
	uint64_t timeout_ms, answer_ms;
	bool tls, pending, closing;
	bool resumed;           /* a connection resumed since the last MHD_run */
	int depth;              /* inside a region holding Conn pointers */
	uint64_t handled, rejected, accepted;
	uint16_t port;
	char host[64];
	char *cert, *key;
	char err[200];          /* MHD's last log line, for start-up failures */
	Gz gz[GZIP_CACHE];
	uint64_t gztick;
};

static void server_stop(Server *s);
static void pump(Server *s);

/* {======================================================================
 * Small helpers (no Lua)
 * ======================================================================= */

static bool buf_add(Conn *c, const char *p, size_t n)
{
	if (!ARRAY_RESERVE(c->body, c->cap, c->len + n))
		return false;
	memcpy(c->body + c->len, p, n);
	c->len += n;
	return true;
}

static void held_unlink(Conn *c)
{
	LIST_UNLINK(c->s->held, c);
}

/* A response made here (never by Lua): a short text body. */
static struct MHD_Response *text_response(const char *text)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
	if (r)
		MHD_add_response_header(r, "Content-Type", "text/plain; charset=utf-8");
	return r;
}

static enum MHD_Result queue_text(struct MHD_Connection *mc, unsigned status, const char *text)
{
	struct MHD_Response *r = text_response(text);
	if (!r)
		return MHD_NO;
	enum MHD_Result ok = MHD_queue_response(mc, status, r);
	MHD_destroy_response(r);
	return ok;
}

/* Hands a ready response to MHD: the connection resumes and MHD calls the
 * access handler again, which queues it. */
static void answer(Conn *c, unsigned status, struct MHD_Response *r)
{
	c->resp = r;
	c->status = status;
	c->state = CONN_ANSWERED;
	held_unlink(c);
	MHD_resume_connection(c->mc);
	c->s->resumed = true;
}

static void answer_text(Conn *c, unsigned status, const char *text)
{
	c->s->rejected++;
	answer(c, status, text_response(text));
}

/* }====================================================================== */

/* {======================================================================
 * MHD's callbacks: record, suspend, queue. Never Lua.
 * ======================================================================= */

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	Server *s = cls;
	vsnprintf(s->err, sizeof s->err, fmt, ap);
	s->err[strcspn(s->err, "\r\n")] = 0;
}

static void on_connection(void *cls, struct MHD_Connection *mc, void **sctx,
                          enum MHD_ConnectionNotificationCode toe)
{
	Server *s = cls;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		Sock *k = calloc(1, sizeof *k);
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CONNECTION_FD);
		if (!k)
			return; /* no deadline for this one; MHD's idle timeout remains */
		k->s = s;
		k->fd = ci ? ci->connect_fd : -1;
		k->since = loop_now_ms();
		LIST_PUSH(s->socks, k);
		s->nsocks++;
		s->accepted++;
		*sctx = k;
		return;
	}
	Sock *k = *sctx;
	if (!k)
		return;
	LIST_UNLINK(s->socks, k);
	s->nsocks--;
	if (k->cur)
		k->cur->sock = NULL;
	free(k);
	*sctx = NULL;
}

static void on_completed(void *cls, struct MHD_Connection *mc, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	Server *s = cls;
	Conn *c = *con_cls;
	(void)mc, (void)toe;
	if (!c)
		return;
	*con_cls = NULL;
	if (c->sock) {
		c->sock->cur = NULL;
		c->sock->since = loop_now_ms();
	}
	if (c->resp)
		MHD_destroy_response(c->resp);
	c->resp = NULL;
	free(c->body);
	c->body = NULL;
	free(c->path);
	c->path = NULL;
	/* The Lua side is released after MHD_run() returns (reap). */
	c->state = CONN_DEAD;
	c->prev = NULL;
	c->next = s->dead;
	s->dead = c;
}

static bool method_ok(const char *m)
{
	return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0 || strcmp(m, "POST") == 0;
}

/* The first call: the head has arrived. Checks what can be checked
 * before any body byte is read. */
static enum MHD_Result begin(Server *s, struct MHD_Connection *mc, const char *url, const char *method,
                             void **con_cls)
{
	if (!method_ok(method)) {
		s->rejected++;
		return queue_text(mc, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed\n");
	}
	const char *cl = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, "Content-Length");
	if (cl && strtoull(cl, NULL, 10) > s->max_body) {
		s->rejected++;
		return queue_text(mc, MHD_HTTP_CONTENT_TOO_LARGE, "request body too large\n");
	}
	Conn *c = calloc(1, sizeof *c);
	if (!c)
		return MHD_NO;
	c->s = s;
	c->mc = mc;
	c->ref = LUA_NOREF;
	c->started = loop_now_ms();
	snprintf(c->method, sizeof c->method, "%s", method);
	c->path = strdup(url);
	if (!c->path) {
		free(c);
		return MHD_NO;
	}
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	if (ci && ci->socket_context) {
		c->sock = ci->socket_context;
		c->sock->cur = c;
	}
	*con_cls = c;
	return MHD_YES;
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *mc, const char *url,
                                 const char *method, const char *version, const char *data,
                                 size_t *size, void **con_cls)
{
	Server *s = cls;
	Conn *c = *con_cls;
	(void)version;
	if (!c)
		return begin(s, mc, url, method, con_cls);
	if (c->state == CONN_ANSWERED) {
		/* Resumed with its answer. */
		struct MHD_Response *r = c->resp;
		c->resp = NULL;
		if (!r)
			return MHD_NO;
		enum MHD_Result ok = MHD_queue_response(mc, c->status, r);
		MHD_destroy_response(r);
		return ok;
	}
	if (*size > 0) {
		if (c->len + *size > s->max_body)
			c->too_big = true;
		if (!c->too_big && !buf_add(c, data, *size))
			return MHD_NO;
		*size = 0;
		if (loop_now_ms() - c->started > s->timeout_ms) {
			s->rejected++;
			return MHD_NO; /* a body trickling in: cut */
		}
		return MHD_YES;
	}
	if (c->too_big) {
		s->rejected++;
		return queue_text(mc, MHD_HTTP_CONTENT_TOO_LARGE, "request body too large\n");
	}
	/* Complete: hold it for Lua. */
	MHD_suspend_connection(mc);
	c->state = CONN_READY;
	LIST_APPEND(s->held, c, Conn);
	return MHD_YES;
}

/* }====================================================================== */

/* {======================================================================
 * The request object Lua sees
 * ======================================================================= */

typedef struct Fields {
	lua_State *L;
	int t;
	bool lower;
} Fields;

/* Adds one key/value to the table at f->t; a repeated header is joined
 * with ", " (as HTTP allows), other repeats keep the first value. */
static enum MHD_Result add_field(void *cls, enum MHD_ValueKind kind, const char *key, size_t klen,
                                 const char *value, size_t vlen)
{
	Fields *f = cls;
	lua_State *L = f->L;
	if (!key)
		return MHD_YES;
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	for (size_t i = 0; i < klen; i++)
		luaL_addchar(&b, f->lower ? (char)tolower((unsigned char)key[i]) : key[i]);
	luaL_pushresult(&b);
	lua_pushvalue(L, -1);
	lua_rawget(L, f->t);
	if (lua_isstring(L, -1) && kind == MHD_HEADER_KIND) {
		lua_pushliteral(L, ", ");
		lua_pushlstring(L, value ? value : "", value ? vlen : 0);
		lua_concat(L, 3);
		lua_rawset(L, f->t);
	} else if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		lua_pushlstring(L, value ? value : "", value ? vlen : 0);
		lua_rawset(L, f->t);
	} else {
		lua_pop(L, 2);
	}
	return MHD_YES;
}

static void push_values(lua_State *L, struct MHD_Connection *mc, enum MHD_ValueKind kind, bool lower)
{
	lua_newtable(L);
	Fields f = {L, lua_gettop(L), lower};
	MHD_get_connection_values_n(mc, kind, add_field, &f);
}

static void push_remote(lua_State *L, struct MHD_Connection *mc)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char buf[INET6_ADDRSTRLEN] = "";
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, buf, sizeof buf);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, buf, sizeof buf);
	lua_pushstring(L, buf);
}

static void push_basic_auth(lua_State *L, struct MHD_Connection *mc)
{
	char *pass = NULL;
	char *user = MHD_basic_auth_get_username_password(mc, &pass);
	if (user && pass) {
		lua_pushstring(L, user);
		lua_setfield(L, -2, "user");
		lua_pushstring(L, pass);
		lua_setfield(L, -2, "password");
	}
	MHD_free(user);
	MHD_free(pass);
}

/* Pushes the request object of c (made once, kept in c->ref). */
static void push_request(lua_State *L, Conn *c)
{
	if (c->ref != LUA_NOREF) {
		blua_push_ref(L, c->ref);
		return;
	}
	ReqH *h = lua_newuserdatauv(L, sizeof *h, 1);
	h->c = c;
	c->h = h;
	luaL_setmetatable(L, REQUEST_MT);
	lua_createtable(L, 0, 10);
	lua_pushstring(L, c->method);
	lua_setfield(L, -2, "method");
	lua_pushstring(L, c->path ? c->path : "/");
	lua_setfield(L, -2, "path");
	lua_pushlstring(L, c->body ? c->body : "", c->len);
	lua_setfield(L, -2, "body");
	push_values(L, c->mc, MHD_HEADER_KIND, true);
	lua_setfield(L, -2, "headers");
	push_values(L, c->mc, MHD_GET_ARGUMENT_KIND, false);
	lua_setfield(L, -2, "query");
	push_values(L, c->mc, MHD_COOKIE_KIND, false);
	lua_setfield(L, -2, "cookies");
	push_remote(L, c->mc);
	lua_setfield(L, -2, "remote");
	lua_pushboolean(L, c->s->tls);
	lua_setfield(L, -2, "tls");
	push_basic_auth(L, c->mc);
	lua_setiuservalue(L, -2, 1);
	lua_pushvalue(L, -1);
	c->ref = blua_ref(L);
}

static int req_index(lua_State *L)
{
	luaL_checkudata(L, 1, REQUEST_MT);
	lua_getmetatable(L, 1);
	lua_getfield(L, -1, "methods");
	lua_pushvalue(L, 2);
	if (lua_rawget(L, -2) != LUA_TNIL)
		return 1;
	lua_getiuservalue(L, 1, 1);
	lua_pushvalue(L, 2);
	lua_rawget(L, -2);
	return 1;
}

/* }====================================================================== */

/* {======================================================================
 * Responses: headers, ETag, gzip
 * ======================================================================= */

static bool header_name_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("!#$%&'*+-.^_`|~", *s))
			return false;
	return true;
}

static bool header_value_ok(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\r' || s[i] == '\n' || s[i] == '\0')
			return false;
	return true;
}

/* Whether a comma-separated header value lists token (case-insensitive)
 * with a q-value other than 0. */
static bool lists_token(const char *v, const char *token)
{
	size_t tl = strlen(token);
	while (v && *v) {
		while (*v == ' ' || *v == '\t' || *v == ',')
			v++;
		const char *end = v + strcspn(v, ",");
		const char *semi = memchr(v, ';', (size_t)(end - v));
		const char *ne = semi ? semi : end;
		while (ne > v && (ne[-1] == ' ' || ne[-1] == '\t'))
			ne--;
		if ((size_t)(ne - v) == tl && strncasecmp(v, token, tl) == 0) {
			const char *q = semi ? strstr(semi, "q=") : NULL;
			return !(q && q < end && strtod(q + 2, NULL) == 0.0);
		}
		v = end;
	}
	return false;
}

/* A weak validator from the body's SHA-256. */
static void make_etag(const char *body, size_t len, char out[24])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	if (!EVP_Digest(body, len, md, &n, EVP_sha256(), NULL))
		n = 0;
	char *p = out;
	p += sprintf(p, "W/\"");
	for (unsigned i = 0; i < 8 && i < n; i++)
		p += sprintf(p, "%02x", md[i]);
	sprintf(p, "\"");
}

static bool etag_matches(const char *inm, const char *etag)
{
	if (!inm)
		return false;
	if (strcmp(inm, "*") == 0)
		return true;
	/* Weak comparison: W/ prefixes do not matter. */
	const char *tag = etag + 2;
	size_t tl = strlen(tag);
	for (const char *p = inm; (p = strstr(p, tag)); p += tl) {
		char after = p[tl];
		if (after == 0 || after == ',' || after == ' ')
			return true;
	}
	return false;
}

/* gzip of body into a malloc'd block; NULL when it fails. */
static char *gzip_body(const char *body, size_t len, size_t *outlen)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	size_t cap = deflateBound(&z, (uLong)len);
	char *out = malloc(cap);
	if (!out) {
		deflateEnd(&z);
		return NULL;
	}
	z.next_in = (Bytef *)body;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)cap;
	int r = deflate(&z, Z_FINISH);
	*outlen = z.total_out;
	deflateEnd(&z);
	if (r != Z_STREAM_END) {
		free(out);
		return NULL;
	}
	return out;
}

/* body gzip'd: from the cache, or compressed (and kept when large). The
 * result belongs to the cache or, when *owned is set, to the caller. */
static const char *gzip_cached(Server *s, const char *body, size_t len, size_t *outlen, char **owned)
{
	Gz *lru = &s->gz[0];
	for (Gz *g = s->gz; g < s->gz + GZIP_CACHE; g++) {
		if (g->in && g->inlen == len && memcmp(g->in, body, len) == 0) {
			g->used = ++s->gztick;
			*outlen = g->outlen;
			return g->out;
		}
		if (g->used < lru->used)
			lru = g;
	}
	char *z = gzip_body(body, len, outlen);
	char *copy = z && len >= GZIP_KEEP ? malloc(len) : NULL;
	if (!copy) {
		*owned = z;
		return z;
	}
	free(lru->in);
	free(lru->out);
	memcpy(copy, body, len);
	*lru = (Gz){copy, z, len, *outlen, ++s->gztick};
	return z;
}

static void gzip_forget(Server *s)
{
	for (Gz *g = s->gz; g < s->gz + GZIP_CACHE; g++) {
		free(g->in);
		free(g->out);
		*g = (Gz){0};
	}
}

/* What respond() built, before it becomes an MHD response. */
typedef struct Out {
	unsigned status;
	const char *body;
	size_t len;
	char *owned;     /* a gzip'd body to free (not one from the cache) */
	char etag[24];
	bool gzip, vary;
	size_t head;     /* bytes of the head as built here */
} Out;

static unsigned opt_status(lua_State *L, int t)
{
	lua_getfield(L, t, "status");
	lua_Integer st = lua_isnil(L, -1) ? 200 : luaL_checkinteger(L, -1);
	lua_pop(L, 1);
	if (st < 100 || st > 599)
		luaL_error(L, "respond: status must be 100-599");
	return (unsigned)st;
}

/* ETag and gzip, as the response table asks and the request allows. */
static void shape_body(lua_State *L, Conn *c, int t, Out *o)
{
	lua_getfield(L, t, "etag");
	if (lua_toboolean(L, -1) && o->status == 200) {
		make_etag(o->body, o->len, o->etag);
		const char *inm = MHD_lookup_connection_value(c->mc, MHD_HEADER_KIND, "If-None-Match");
		if (etag_matches(inm, o->etag)) {
			o->status = MHD_HTTP_NOT_MODIFIED;
			o->len = 0;
		}
	}
	lua_pop(L, 1);
	lua_getfield(L, t, "compress");
	bool compress = lua_toboolean(L, -1);
	lua_pop(L, 1);
	if (!compress || o->status == MHD_HTTP_NOT_MODIFIED || o->status == MHD_HTTP_NO_CONTENT)
		return;
	o->vary = true;
	const char *ae = MHD_lookup_connection_value(c->mc, MHD_HEADER_KIND, "Accept-Encoding");
	if (o->len < GZIP_MIN || !lists_token(ae, "gzip"))
		return;
	size_t zl;
	const char *z = gzip_cached(c->s, o->body, o->len, &zl, &o->owned);
	if (!z)
		return;
	o->body = z;
	o->len = zl;
	o->gzip = true;
}

static void add_header(struct MHD_Response *r, Out *o, const char *name, const char *value)
{
	MHD_add_response_header(r, name, value);
	o->head += strlen(name) + strlen(value) + 4;
}

/* The headers of the response table; raises on a bad name or value. */
static void check_headers(lua_State *L, int t)
{
	lua_getfield(L, t, "headers");
	int h = lua_gettop(L);
	if (lua_isnil(L, h)) {
		lua_pop(L, 1);
		return;
	}
	luaL_argcheck(L, lua_istable(L, h), 2, "headers must be a table");
	lua_pushnil(L);
	while (lua_next(L, h)) {
		size_t vl;
		if (lua_type(L, -2) != LUA_TSTRING || !lua_isstring(L, -1))
			luaL_error(L, "respond: headers must map names to strings");
		const char *v = lua_tolstring(L, -1, &vl);
		if (!header_name_ok(lua_tostring(L, -2)) || !header_value_ok(v, vl))
			luaL_error(L, "respond: bad header %s", lua_tostring(L, -2));
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
}

/* Bytes of what MHD adds to a response head: the status line, Date,
 * Content-Length and the blank line. */
static size_t head_size(unsigned status, size_t len)
{
	size_t n = strlen("HTTP/1.1 200 \r\n") + strlen(MHD_get_reason_phrase_for(status)) +
	           strlen("Date: Sat, 05 Dec 2026 08:00:00 GMT\r\n") + 2;
	if (status != MHD_HTTP_NOT_MODIFIED && status != MHD_HTTP_NO_CONTENT)
		n += strlen("Content-Length: \r\n") + (size_t)snprintf(NULL, 0, "%zu", len);
	return n;
}

static struct MHD_Response *build(lua_State *L, int t, Out *o)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(o->len, (void *)(o->body ? o->body : ""),
	                                                         MHD_RESPMEM_MUST_COPY);
	if (!r)
		return NULL;
	lua_getfield(L, t, "headers");
	if (lua_istable(L, -1)) {
		lua_pushnil(L);
		while (lua_next(L, -2)) {
			add_header(r, o, lua_tostring(L, -2), lua_tostring(L, -1));
			lua_pop(L, 1);
		}
	}
	lua_pop(L, 1);
	if (o->etag[0])
		add_header(r, o, "ETag", o->etag);
	if (o->gzip)
		add_header(r, o, "Content-Encoding", "gzip");
	if (o->vary)
		add_header(r, o, "Vary", "Accept-Encoding");
	o->head += head_size(o->status, o->len);
	return r;
}

/* }====================================================================== */

/* {======================================================================
 * req:respond and the handler
 * ======================================================================= */

/* t.k = v for the table on top of the stack. */
static void set_int(lua_State *L, const char *k, lua_Integer v)
{
	lua_pushinteger(L, v);
	lua_setfield(L, -2, k);
}

static void call_log(Server *s, int req_idx, const Out *o, uint64_t ms)
{
	lua_State *L = s->L;
	if (s->on_log == LUA_NOREF)
		return;
	blua_push_ref(L, s->on_log);
	lua_pushvalue(L, req_idx);
	lua_createtable(L, 0, 4);
	set_int(L, "status", o->status);
	set_int(L, "body_bytes", (lua_Integer)o->len);
	set_int(L, "head_bytes", (lua_Integer)o->head);
	set_int(L, "ms", (lua_Integer)ms);
	blua_pcall(L, 2, 0);
}

/***
 * Answers a request the handler did not answer by returning a table.
 * @function req:respond
 * @tparam table resp as a handler's return value
 * @treturn boolean false when the request was answered already or its
 *   connection is gone
 */
static int api_serve_respond(lua_State *L)
{
	ReqH *h = luaL_checkudata(L, 1, REQUEST_MT);
	luaL_checktype(L, 2, LUA_TTABLE);
	Conn *c = h->c;
	if (!c || (c->state != CONN_READY && c->state != CONN_WAITING)) {
		lua_pushboolean(L, 0);
		return 1;
	}
	Server *s = c->s;
	Out o = {.status = opt_status(L, 2)};
	check_headers(L, 2);
	lua_getfield(L, 2, "body");
	o.body = lua_isnil(L, -1) ? "" : luaL_checklstring(L, -1, &o.len);
	shape_body(L, c, 2, &o);
	struct MHD_Response *r = build(L, 2, &o);
	free(o.owned);
	if (!r)
		return luaL_error(L, "respond: out of memory");
	uint64_t ms = loop_now_ms() - c->started;
	s->depth++;
	answer(c, o.status, r);
	/* Last: the log callback may close the server, which frees c. */
	call_log(s, 1, &o, ms);
	if (--s->depth == 0 && s->closing)
		server_stop(s);
	lua_pushboolean(L, 1);
	return 1;
}

/* A request that reached Lua and got no answer from it (an error, no
 * answer in time) is answered here, and logged like the others. */
static void answer_failed(Server *s, Conn *c, unsigned status, const char *text)
{
	lua_State *L = s->L;
	answer_text(c, status, text);
	if (c->ref == LUA_NOREF)
		return;
	Out o = {.status = status, .len = strlen(text)};
	o.head = head_size(status, o.len) + strlen("Content-Type: text/plain; charset=utf-8\r\n");
	blua_push_ref(L, c->ref);
	call_log(s, lua_gettop(L), &o, loop_now_ms() - c->started);
	lua_pop(L, 1);
}

/* Runs the handler for one ready request; answers 500 if it fails. */
static void handle(Server *s, Conn *c)
{
	lua_State *L = s->L;
	int top = lua_gettop(L);
	c->state = CONN_WAITING;
	s->handled++;
	push_request(L, c);
	int req = lua_gettop(L);
	blua_push_ref(L, s->on_request);
	lua_pushvalue(L, req);
	bool ok = blua_pcall(L, 1, 1);
	if (ok && lua_istable(L, -1) && c->state == CONN_WAITING) {
		/* Build the answer in protected mode: a bad table is an error. */
		lua_pushcfunction(L, api_serve_respond);
		lua_pushvalue(L, req);
		lua_pushvalue(L, -3);
		ok = blua_pcall(L, 2, 0);
	} else if (ok && !lua_isnil(L, -1) && c->state == CONN_WAITING) {
		msg_error(blua_editor(L), "http.serve: the handler must return a table or nil");
		ok = false;
	}
	if (!ok && c->state == CONN_WAITING)
		answer_failed(s, c, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal error\n");
	lua_settop(L, top);
}

/* }====================================================================== */

/* {======================================================================
 * Driving MHD from the Loop
 * ======================================================================= */

/* Releases the Lua side of completed requests (outside MHD_run). */
static void reap(Server *s)
{
	while (s->dead) {
		Conn *c = s->dead;
		s->dead = c->next;
		if (c->h)
			c->h->c = NULL;
		if (c->ref != LUA_NOREF)
			blua_unref(s->L, c->ref);
		free(c);
	}
}

/* Hands every ready request to Lua, oldest first. */
static void drain(Server *s)
{
	s->depth++;
	for (;;) {
		Conn *c = s->held;
		while (c && c->state != CONN_READY)
			c = c->next;
		if (!c || s->closing)
			break;
		handle(s, c);
	}
	s->depth--;
}

/* Deadlines: heads that do not arrive, bodies that trickle, answers Lua
 * owes. Runs every SWEEP_MS while there is a connection. */
static void on_sweep(void *ctx)
{
	Server *s = ctx;
	uint64_t now = loop_now_ms();
	for (Sock *k = s->socks; k; k = k->next) {
		bool late = k->cur ? k->cur->state == CONN_READING && now - k->cur->started > s->timeout_ms
		                   : now - k->since > s->timeout_ms;
		if (late && !k->cut && k->fd >= 0) {
			shutdown(k->fd, SHUT_RDWR);
			k->cut = true;
			s->rejected++;
		}
	}
	s->depth++;
	/* From the head again after each: the log callback may answer others. */
	for (Conn *c = s->held; c && !s->closing;) {
		if (c->state == CONN_WAITING && now - c->started > s->answer_ms) {
			answer_failed(s, c, MHD_HTTP_SERVICE_UNAVAILABLE, "no answer in time\n");
			c = s->held;
		} else {
			c = c->next;
		}
	}
	s->depth--;
	pump(s);
}

static void on_mhd_timer(void *ctx)
{
	Server *s = ctx;
	if (s->timer)
		loop_timer_cancel(s->loop, s->timer);
	s->timer = 0;
	pump(s);
}

/* MHD's timer, and the sweep while there is anything to watch. Both are
 * repeating Loop timers, so they never count as pending work: the server
 * itself does. */
static void rearm(Server *s)
{
	if (s->timer)
		loop_timer_cancel(s->loop, s->timer);
	s->timer = 0;
	MHD_UNSIGNED_LONG_LONG to;
	if (s->d && MHD_get_timeout(s->d, &to) == MHD_YES)
		s->timer = loop_timer_add(s->loop, to < 600000 ? to : 600000, true, on_mhd_timer, s);
	bool watch = s->d && (s->socks || s->held);
	if (watch && !s->sweep)
		s->sweep = loop_timer_add(s->loop, SWEEP_MS, true, on_sweep, s);
	else if (!watch && s->sweep) {
		loop_timer_cancel(s->loop, s->sweep);
		s->sweep = 0;
	}
}

static bool any_ready(const Server *s)
{
	for (const Conn *c = s->held; c; c = c->next)
		if (c->state == CONN_READY)
			return true;
	return false;
}

/* One round: MHD does its I/O, completed requests are released, ready
 * ones go to Lua. MHD runs again (a few times at most) while Lua answered
 * something (a connection resumed), a request became ready, or a
 * connection closed: at the connection limit MHD stops watching its
 * listening socket, and only takes it back on the run after one closes. */
static void pump(Server *s)
{
	if (!s->d || s->depth)
		return;
	s->depth++;
	for (int i = 0; i < 8 && s->d && !s->closing; i++) {
		size_t socks = s->nsocks;
		s->resumed = false;
		MHD_run(s->d);
		reap(s);
		if (!any_ready(s) && !s->resumed && s->nsocks >= socks)
			break;
		drain(s);
	}
	reap(s);
	s->depth--;
	if (s->closing)
		server_stop(s);
	else
		rearm(s);
}

static void on_epoll(void *ctx, int fd, int revents)
{
	(void)fd, (void)revents;
	pump(ctx);
}

/* }====================================================================== */

/* {======================================================================
 * Starting and stopping
 * ======================================================================= */

/* Parses "127.0.0.1", "::1", "[::1]", "localhost", "*" (every IPv4
 * address) or "::" into addr; false if it is none of those. Names other
 * than localhost are not resolved: that would block. */
static bool parse_host(const char *host, struct sockaddr_storage *addr, socklen_t *len, uint16_t port)
{
	char h[64];
	size_t n = strlen(host);
	if (n >= sizeof h)
		return false;
	if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
		memcpy(h, host + 1, n - 2);
		h[n - 2] = 0;
	} else {
		memcpy(h, host, n + 1);
	}
	if (strcmp(h, "localhost") == 0)
		strcpy(h, "127.0.0.1");
	if (strcmp(h, "*") == 0 || strcmp(h, "") == 0)
		strcpy(h, "0.0.0.0");
	memset(addr, 0, sizeof *addr);
	struct sockaddr_in *a4 = (struct sockaddr_in *)addr;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)addr;
	if (inet_pton(AF_INET, h, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons(port);
		*len = sizeof *a4;
		return true;
	}
	if (inet_pton(AF_INET6, h, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons(port);
		*len = sizeof *a6;
		return true;
	}
	return false;
}

/* Our own listening socket, so a failure has a clear errno. */
static int listen_on(const struct sockaddr_storage *addr, socklen_t len)
{
	int fd = socket(addr->ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (addr->ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
	if (bind(fd, (const struct sockaddr *)addr, len) != 0 || listen(fd, 128) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static uint16_t bound_port(int fd)
{
	struct sockaddr_storage a;
	socklen_t len = sizeof a;
	if (getsockname(fd, (struct sockaddr *)&a, &len) != 0)
		return 0;
	if (a.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&a)->sin6_port);
	return ntohs(((struct sockaddr_in *)&a)->sin_port);
}

typedef struct Limits {
	unsigned max_conn, per_addr;
	size_t max_header;
} Limits;

static struct MHD_Daemon *start_daemon(Server *s, int fd, bool v6, const Limits *lim)
{
	struct MHD_OptionItem o[16];
	int n = 0;
	o[n++] = (struct MHD_OptionItem){MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)on_mhd_log, s};
	o[n++] = (struct MHD_OptionItem){MHD_OPTION_LISTEN_SOCKET, fd, NULL};
	o[n++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, s};
	o[n++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)on_connection, s};
	o[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_LIMIT, lim->max_conn, NULL};
	o[n++] = (struct MHD_OptionItem){MHD_OPTION_PER_IP_CONNECTION_LIMIT, lim->per_addr, NULL};
	o[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_MEMORY_LIMIT, (intptr_t)lim->max_header, NULL};
	o[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_TIMEOUT, (intptr_t)(s->timeout_ms / 1000 + 1), NULL};
	if (s->tls) {
		o[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, s->key};
		o[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, s->cert};
	}
	o[n++] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
	unsigned flags = MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
	if (s->tls)
		flags |= MHD_USE_TLS;
	if (v6)
		flags |= MHD_USE_IPv6;
	return MHD_start_daemon(flags, 0, NULL, NULL, on_access, s, MHD_OPTION_ARRAY, o, MHD_OPTION_END);
}

/* Stops the daemon (every held request is answered 503 first, as MHD
 * requires) and releases everything but the userdata. */
static void server_stop(Server *s)
{
	if (!s->d)
		return;
	s->depth++;
	while (s->held) {
		Conn *c = s->held;
		if (c->state == CONN_ANSWERED)
			held_unlink(c);
		else
			answer_text(c, MHD_HTTP_SERVICE_UNAVAILABLE, "shutting down\n");
	}
	s->depth--;
	loop_fd_unwatch(s->loop, s->epfd);
	MHD_stop_daemon(s->d); /* closes the listening socket too */
	s->d = NULL;
	reap(s);
	if (s->timer)
		loop_timer_cancel(s->loop, s->timer);
	if (s->sweep)
		loop_timer_cancel(s->loop, s->sweep);
	s->timer = s->sweep = 0;
	if (s->pending)
		loop_pending_add(s->loop, -1);
	s->pending = false;
	lua_State *L = s->L;
	blua_unref(L, s->on_request);
	blua_unref(L, s->on_log);
	blua_unref(L, s->self_ref); /* last: the userdata may go after this */
	s->on_request = s->on_log = s->self_ref = LUA_NOREF;
}

/* }====================================================================== */

/* {======================================================================
 * brisk.http.serve
 * ======================================================================= */

/* cert and key: PEM text, both or neither. */
static void opt_tls(lua_State *L, Server *s)
{
	lua_getfield(L, 1, "cert");
	lua_getfield(L, 1, "key");
	bool c = !lua_isnil(L, -2), k = !lua_isnil(L, -1);
	if (c != k)
		luaL_error(L, "http.serve: cert and key go together");
	if (c) {
		if (!MHD_is_feature_supported(MHD_FEATURE_TLS))
			luaL_error(L, "http.serve: this libmicrohttpd has no TLS");
		s->cert = strdup(luaL_checkstring(L, -2));
		s->key = strdup(luaL_checkstring(L, -1));
		if (!s->cert || !s->key)
			luaL_error(L, "http.serve: out of memory");
		s->tls = true;
	}
	lua_pop(L, 2);
}

static Server *check_server(lua_State *L)
{
	return luaL_checkudata(L, 1, SERVER_MT);
}

static lua_Integer opt_int(lua_State *L, const char *k, lua_Integer def, lua_Integer min, lua_Integer max)
{
	return blua_opt_int(L, 1, k, def, min, max, "http.serve");
}

static void read_options(lua_State *L, Server *s, Limits *lim, const char **host, uint16_t *port)
{
	lua_getfield(L, 1, "host");
	*host = luaL_optstring(L, -1, "127.0.0.1");
	lua_pop(L, 1); /* the string stays in the options table */
	*port = (uint16_t)opt_int(L, "port", 0, 0, 65535);
	lim->max_conn = (unsigned)opt_int(L, "max_connections", 64, 1, 100000);
	lim->per_addr = (unsigned)opt_int(L, "max_per_address", 16, 1, 100000);
	lim->max_header = (size_t)opt_int(L, "max_header", 32 * 1024, 4096, 16 * 1024 * 1024);
	s->max_body = (size_t)opt_int(L, "max_body", 1024 * 1024, 0, (lua_Integer)1 << 40);
	s->timeout_ms = (uint64_t)opt_int(L, "timeout_ms", 10000, 100, 86400000);
	s->answer_ms = (uint64_t)opt_int(L, "answer_ms", 30000, 1, 86400000);
	opt_tls(L, s);
}

/***
 * Serves HTTP (HTTPS with `cert` and `key`) on the editor's event loop.
 * `on_request(req)` runs for each complete, well-formed request and
 * returns the response table, or nil to answer later with
 * `req:respond(resp)`. While it listens the server is pending work: a
 * headless run lasts until `:close()`.
 * @function brisk.http.serve
 * @tparam table opts `host` ("127.0.0.1"; an IPv4 or IPv6 literal,
 *   "localhost", or "*" for every IPv4 address), `port` (0: any free port),
 *   `cert`/`key` (PEM text), `max_connections` (64), `max_per_address`
 *   (16), `max_header` (32 KiB: request line and headers), `max_body`
 *   (1 MiB), `timeout_ms` (10000: a request's head and body must arrive
 *   within it; an idle kept-alive connection is closed after it),
 *   `answer_ms` (30000: a request Lua has not answered by then gets 503),
 *   `on_request(req)`, `on_log(req, info)` (after each answer: `status`,
 *   `body_bytes` as sent, `head_bytes`, `ms` since the head arrived)
 * @return a server handle with `:port()`, `:close()`, `:stats()`,
 *   `:active()`; or nil and a message
 */
static int api_serve_serve(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_settop(L, 1);
	Server *s = lua_newuserdatauv(L, sizeof *s, 0);
	memset(s, 0, sizeof *s);
	s->on_request = s->on_log = s->self_ref = LUA_NOREF;
	s->epfd = -1;
	luaL_setmetatable(L, SERVER_MT);
	int ud = lua_gettop(L);
	lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_MAINTHREAD);
	s->L = lua_tothread(L, -1);
	lua_pop(L, 1);
	s->loop = blua_loop(L);
	Limits lim;
	const char *host;
	uint16_t port;
	read_options(L, s, &lim, &host, &port);
	struct sockaddr_storage addr;
	socklen_t alen;
	if (!parse_host(host, &addr, &alen, port))
		return luaL_error(L, "http.serve: host must be an IP address, localhost or *");
	snprintf(s->host, sizeof s->host, "%s", host);
	int fd = listen_on(&addr, alen);
	if (fd < 0) {
		lua_pushnil(L);
		lua_pushfstring(L, "cannot listen on %s port %d: %s", host, (int)port, strerror(errno));
		return 2;
	}
	s->port = bound_port(fd);
	s->d = start_daemon(s, fd, addr.ss_family == AF_INET6, &lim);
	const union MHD_DaemonInfo *di = s->d ? MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_EPOLL_FD) : NULL;
	if (!di) {
		if (s->d)
			MHD_stop_daemon(s->d);
		else
			close(fd);
		s->d = NULL;
		lua_pushnil(L);
		lua_pushfstring(L, "cannot serve on %s port %d: %s", host, (int)port, s->err[0] ? s->err : "libmicrohttpd failed");
		return 2;
	}
	s->epfd = di->epoll_fd;
	s->on_request = blua_opt_fn(L, 1, "on_request", true, "http.serve");
	s->on_log = blua_opt_fn(L, 1, "on_log", false, "http.serve");
	lua_pushvalue(L, ud);
	s->self_ref = blua_ref(L);
	loop_fd_watch(s->loop, s->epfd, POLLIN, on_epoll, s);
	loop_pending_add(s->loop, 1);
	s->pending = true;
	rearm(s);
	lua_pushvalue(L, ud);
	return 1;
}

/***
 * The port the server listens on (useful after `port = 0`).
 * @function server:port
 */
static int api_serve_port(lua_State *L)
{
	lua_pushinteger(L, check_server(L)->port);
	return 1;
}

/***
 * Stops listening and closes every connection (a request still waiting
 * for its answer gets 503). Safe inside a handler: the server stops once
 * the handler returns.
 * @function server:close
 */
static int api_serve_close(lua_State *L)
{
	Server *s = check_server(L);
	if (!s->d)
		return 0;
	if (s->pending)
		loop_pending_add(s->loop, -1);
	s->pending = false;
	if (s->depth)
		s->closing = true;
	else
		server_stop(s);
	return 0;
}

/***
 * Counters: `connections` (open now), `accepted` (ever), `handled`
 * (requests given to on_request), `rejected` (answered or cut here, never
 * seen by Lua: bad method, body too large, deadlines), `held` (waiting
 * for Lua).
 * @function server:stats
 */
static int api_serve_stats(lua_State *L)
{
	Server *s = check_server(L);
	size_t held = 0;
	for (Conn *c = s->held; c; c = c->next)
		held++;
	lua_createtable(L, 0, 5);
	set_int(L, "connections", (lua_Integer)s->nsocks);
	set_int(L, "accepted", (lua_Integer)s->accepted);
	set_int(L, "handled", (lua_Integer)s->handled);
	set_int(L, "rejected", (lua_Integer)s->rejected);
	set_int(L, "held", (lua_Integer)held);
	return 1;
}

/***
 * Whether the server is listening.
 * @function server:active
 */
static int api_serve_active(lua_State *L)
{
	Server *s = check_server(L);
	lua_pushboolean(L, s->d && !s->closing);
	return 1;
}

static int server_gc(lua_State *L)
{
	Server *s = lua_touserdata(L, 1);
	server_stop(s);
	gzip_forget(s);
	free(s->cert);
	free(s->key);
	s->cert = s->key = NULL;
	return 0;
}

static int server_tostring(lua_State *L)
{
	Server *s = check_server(L);
	lua_pushfstring(L, "http server %s:%d%s", s->host, (int)s->port, s->d ? "" : " (closed)");
	return 1;
}

/* }====================================================================== */

/* Adds serve to the brisk.http table (on top of the stack). */
void api_serve_open(lua_State *L)
{
	static const luaL_Reg server_methods[] = {
		{"port", api_serve_port}, {"close", api_serve_close},
		{"stats", api_serve_stats}, {"active", api_serve_active},
		{NULL, NULL},
	};
	luaL_newmetatable(L, SERVER_MT);
	luaL_newlib(L, server_methods);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, server_gc);
	lua_setfield(L, -2, "__gc");
	lua_pushcfunction(L, server_tostring);
	lua_setfield(L, -2, "__tostring");
	lua_pop(L, 1);

	luaL_newmetatable(L, REQUEST_MT);
	lua_newtable(L);
	lua_pushcfunction(L, api_serve_respond);
	lua_setfield(L, -2, "respond");
	lua_setfield(L, -2, "methods");
	lua_pushcfunction(L, req_index);
	lua_setfield(L, -2, "__index");
	lua_pop(L, 1);

	lua_getfield(L, -1, "http");
	lua_pushcfunction(L, api_serve_serve);
	lua_setfield(L, -2, "serve");
	lua_pop(L, 1);
}
