/* brisk.xml.parse and brisk.html.to_text on libxml2. Owns the conversion
 * of libxml2 trees to plain Lua tables and of HTML to wrapped plain text.
 * Must never touch the network or the file system: no DTD loading, no
 * external entities (a loader that refuses everything is installed while
 * parsing), and internal entities are expanded by us under a budget, so an
 * entity bomb is refused rather than expanded. */
#include "lua/host.h"
#include "buffer/array.h"
#include "buffer/utf8.h"
#include "lua/charset.h"
#include "lua/xmlprep.h"
#include <libxml/HTMLparser.h>
#include <libxml/entities.h>
#include <libxml/hash.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_EXPANSION (1024 * 1024) /* bytes of entity text per document */
#define MAX_ENTITY_DEPTH 16

/* {======================================================================
 * Parsing safely: errors collected, nothing loaded from outside
 * ======================================================================= */

typedef struct Errors {
	char first[200];  /* first error (fatal or not) */
	bool entity;      /* libxml2 saw an entity loop / amplification */
	int count;
} Errors;

static void on_error(void *ctx, xmlErrorPtr e)
{
	Errors *er = ctx;
	if (!e)
		return;
	if (e->level == XML_ERR_WARNING)
		return;
	er->count++;
	if (e->code == XML_ERR_ENTITY_LOOP || e->code == XML_ERR_ENTITY_BOUNDARY ||
	    e->code == XML_ERR_ENTITY_PE_INTERNAL)
		er->entity = true;
	if (er->first[0])
		return;
	snprintf(er->first, sizeof er->first, "line %d: %s", e->line, e->message ? e->message : "error");
	/* One line. */
	for (char *p = er->first; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = *(p + 1) ? ' ' : 0;
}

static void silent(void *ctx, const char *msg, ...)
{
	(void)ctx, (void)msg;
}

static xmlParserInputPtr no_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url, (void)id, (void)ctxt;
	return NULL; /* nothing is ever fetched or read */
}

typedef struct Guard {
	xmlExternalEntityLoader loader;
} Guard;

static void guard_on(Guard *g, Errors *er)
{
	g->loader = xmlGetExternalEntityLoader();
	xmlSetExternalEntityLoader(no_loader);
	xmlSetStructuredErrorFunc(er, on_error);
	xmlSetGenericErrorFunc(NULL, silent);
}

static void guard_off(Guard *g)
{
	xmlSetExternalEntityLoader(g->loader);
	xmlSetStructuredErrorFunc(NULL, NULL);
	xmlSetGenericErrorFunc(NULL, NULL);
}

/* }====================================================================== */

/* {======================================================================
 * Entity bomb check: the expanded size of every internal entity declared
 * in the document's DTD, computed from the declarations (memoised, cycles
 * refused) before anything is expanded.
 * ======================================================================= */

typedef struct EntScan {
	xmlDocPtr doc;
	xmlHashTablePtr sizes; /* name -> (size + 1), 0 while in progress */
	bool bomb;
} EntScan;

static size_t entity_size(EntScan *s, xmlEntityPtr ent, int depth);

/* Expanded size of a replacement text: its bytes, with each &name; reference
 * to another internal entity replaced by that entity's expanded size. */
static size_t content_size(EntScan *s, const xmlChar *c, int depth)
{
	size_t n = 0;
	for (const xmlChar *p = c; p && *p && !s->bomb;) {
		if (*p != '&' || p[1] == '#') {
			n++, p++;
			continue;
		}
		const xmlChar *semi = (const xmlChar *)strchr((const char *)p, ';');
		if (!semi || semi - p > 200) {
			n++, p++;
			continue;
		}
		char name[256];
		memcpy(name, p + 1, (size_t)(semi - p - 1));
		name[semi - p - 1] = 0;
		xmlEntityPtr e = xmlGetDocEntity(s->doc, (const xmlChar *)name);
		if (e && e->etype == XML_INTERNAL_GENERAL_ENTITY)
			n += entity_size(s, e, depth + 1);
		else
			n += (size_t)(semi - p + 1);
		p = semi + 1;
		if (n > MAX_EXPANSION)
			s->bomb = true;
	}
	return n;
}

static size_t entity_size(EntScan *s, xmlEntityPtr ent, int depth)
{
	if (depth > MAX_ENTITY_DEPTH) {
		s->bomb = true;
		return 0;
	}
	void *known = xmlHashLookup(s->sizes, ent->name);
	if (known == (void *)1) { /* in progress: a reference loop */
		s->bomb = true;
		return 0;
	}
	if (known)
		return (size_t)((uintptr_t)known - 2);
	xmlHashAddEntry(s->sizes, ent->name, (void *)1);
	size_t n = content_size(s, ent->content, depth);
	xmlHashUpdateEntry(s->sizes, ent->name, (void *)(uintptr_t)(n + 2), NULL);
	return n;
}

static void scan_entity(void *payload, void *data, const xmlChar *name)
{
	xmlEntityPtr ent = payload;
	EntScan *s = data;
	(void)name;
	if (!s->bomb && ent->etype == XML_INTERNAL_GENERAL_ENTITY)
		entity_size(s, ent, 0);
}

static bool has_entity_bomb(xmlDocPtr doc)
{
	if (!doc->intSubset || !doc->intSubset->entities)
		return false;
	EntScan s = {doc, xmlHashCreate(16), false};
	if (!s.sizes)
		return true;
	xmlHashScan(doc->intSubset->entities, scan_entity, &s);
	xmlHashFree(s.sizes, NULL);
	return s.bomb;
}

/* }====================================================================== */

/* {======================================================================
 * libxml2 tree -> Lua tables
 * ======================================================================= */

typedef struct Conv {
	lua_State *L;
	xmlDocPtr doc;
	size_t expanded;  /* entity bytes produced so far */
	bool keep_ws;
	bool over;        /* expansion budget exceeded */
	luaL_Buffer *text;/* the text run being collected, or NULL */
} Conv;

static bool is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return false;
	return true;
}

/* Children are gathered in the table on top; text runs (text, CDATA and
 * expanded entities) are merged into one string. */
typedef struct Kids {
	int table;        /* stack index of the children table */
	lua_Integer n;
	luaL_Buffer *buf; /* open text run */
} Kids;

static void push_element(Conv *c, xmlNodePtr node, int depth);

static void run_close(Conv *c, Kids *k)
{
	if (!k->buf)
		return;
	luaL_pushresult(k->buf);
	size_t n;
	const char *s = lua_tolstring(c->L, -1, &n);
	if (n == 0 || (!c->keep_ws && is_blank(s, n)))
		lua_pop(c->L, 1);
	else
		lua_rawseti(c->L, k->table, ++k->n);
	k->buf = NULL;
}

static void add_nodes(Conv *c, Kids *k, luaL_Buffer *b, xmlNodePtr node, int depth);

static void add_text(Conv *c, Kids *k, luaL_Buffer *b, const xmlChar *s)
{
	if (!s || !*s)
		return;
	if (!k->buf) {
		k->buf = b;
		luaL_buffinit(c->L, b);
	}
	luaL_addstring(k->buf, (const char *)s);
}

static void add_entity(Conv *c, Kids *k, luaL_Buffer *b, xmlNodePtr node, int depth)
{
	xmlEntityPtr ent = xmlGetDocEntity(c->doc, node->name);
	if (!ent || ent->etype != XML_INTERNAL_GENERAL_ENTITY)
		return; /* external entities are never read */
	if (depth > MAX_ENTITY_DEPTH) {
		c->over = true;
		return;
	}
	size_t len = ent->content ? strlen((const char *)ent->content) : 0;
	c->expanded += len;
	if (c->expanded > MAX_EXPANSION) {
		c->over = true;
		return;
	}
	if (ent->children)
		add_nodes(c, k, b, ent->children, depth + 1);
	else if (ent->content && !strchr((const char *)ent->content, '<') && !strchr((const char *)ent->content, '&'))
		add_text(c, k, b, ent->content);
}

static void add_nodes(Conv *c, Kids *k, luaL_Buffer *b, xmlNodePtr node, int depth)
{
	for (; node && !c->over; node = node->next) {
		switch (node->type) {
		case XML_TEXT_NODE:
		case XML_CDATA_SECTION_NODE:
			add_text(c, k, b, node->content);
			break;
		case XML_ENTITY_REF_NODE:
			add_entity(c, k, b, node, depth);
			break;
		case XML_ELEMENT_NODE:
			run_close(c, k);
			push_element(c, node, depth + 1);
			lua_rawseti(c->L, k->table, ++k->n);
			break;
		default: /* comments, processing instructions */
			break;
		}
	}
}

/* Attribute values are flattened with entities expanded under the budget. */
static void push_attr_value(Conv *c, xmlAttrPtr a)
{
	lua_State *L = c->L;
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	for (xmlNodePtr t = a->children; t; t = t->next) {
		if (t->type == XML_TEXT_NODE && t->content) {
			luaL_addstring(&b, (const char *)t->content);
		} else if (t->type == XML_ENTITY_REF_NODE) {
			xmlEntityPtr ent = xmlGetDocEntity(c->doc, t->name);
			if (!ent || ent->etype != XML_INTERNAL_GENERAL_ENTITY || !ent->content)
				continue;
			c->expanded += strlen((const char *)ent->content);
			if (c->expanded > MAX_EXPANSION || strchr((const char *)ent->content, '&')) {
				c->over = c->expanded > MAX_EXPANSION;
				continue;
			}
			luaL_addstring(&b, (const char *)ent->content);
		}
	}
	luaL_pushresult(&b);
}

static void push_element(Conv *c, xmlNodePtr node, int depth)
{
	lua_State *L = c->L;
	luaL_checkstack(L, 10, "xml: document nested too deeply");
	lua_createtable(L, 0, 4);
	lua_pushstring(L, (const char *)node->name);
	lua_setfield(L, -2, "name");
	if (node->ns && node->ns->href) {
		lua_pushstring(L, (const char *)node->ns->href);
		lua_setfield(L, -2, "ns");
	}
	if (node->ns && node->ns->prefix) {
		lua_pushstring(L, (const char *)node->ns->prefix);
		lua_setfield(L, -2, "prefix");
	}
	lua_newtable(L);
	for (xmlAttrPtr a = node->properties; a; a = a->next) {
		if (a->ns && a->ns->prefix)
			lua_pushfstring(L, "%s:%s", (const char *)a->ns->prefix, (const char *)a->name);
		else
			lua_pushstring(L, (const char *)a->name);
		push_attr_value(c, a);
		lua_rawset(L, -3);
	}
	lua_setfield(L, -2, "attrs");
	lua_newtable(L);
	luaL_Buffer b;
	Kids k = {lua_gettop(L), 0, NULL};
	add_nodes(c, &k, &b, node->children, depth);
	run_close(c, &k);
	lua_setfield(L, -2, "children");
}

static int convert(lua_State *L)
{
	Conv *c = lua_touserdata(L, 1);
	push_element(c, xmlDocGetRootElement(c->doc), 0);
	return 1;
}

/* Parses text already decoded to UTF-8 and cleaned (xmlprep): the
 * declaration's encoding is ignored, it described the bytes before. */
static xmlDocPtr read_doc(const char *text, size_t n, Errors *er)
{
	Guard g;
	memset(er, 0, sizeof *er);
	guard_on(&g, er);
	xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
	xmlDocPtr doc = NULL;
	if (ctxt)
		doc = xmlCtxtReadMemory(ctxt, text, (int)n, NULL, "UTF-8",
		                        XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_NOERROR |
		                        XML_PARSE_NOWARNING | XML_PARSE_NOCDATA | XML_PARSE_COMPACT |
		                        XML_PARSE_IGNORE_ENC);
	guard_off(&g);
	if (ctxt)
		xmlFreeParserCtxt(ctxt);
	return doc;
}

/***
 * Parses XML text into plain tables. The root element comes back as
 * `{name = "rss", ns = uri or nil, prefix = "atom" or nil, attrs = {...},
 * children = {...}}` where each child is such a table or a string (text
 * and CDATA merged; whitespace-only strings dropped unless
 * `opts.whitespace`). Attribute names keep their prefix (`"xml:lang"`).
 * Malformed documents are recovered as far as libxml2 can. Nothing is
 * fetched: no DTD, no external entity (such a reference expands to
 * nothing); internal entities are expanded up to 1 MiB per document, and a
 * document whose entities would expand further (a "billion laughs") is
 * refused. A bare '&' and HTML entities that no DTD declares (`&nbsp;`,
 * `&mdash;`), common in feeds, are read as the characters they stand for.
 * The encoding comes from the XML declaration (ISO-8859-1,
 * windows-1251, ... are converted to UTF-8) unless `opts.encoding` says.
 * @function brisk.xml.parse
 * @tparam string text
 * @tparam[opt] table opts `encoding` (string), `whitespace` (boolean)
 * @return the root element, or nil and a message
 * @usage local root = assert(brisk.xml.parse(body))
 *   for _, ch in ipairs(root.children[1].children) do
 *     if type(ch) == "table" and ch.name == "item" then print(ch.children[1]) end
 *   end
 */
static int parse_doc(lua_State *L)
{
	size_t n;
	const char *text = luaL_checklstring(L, 1, &n);
	const char *encoding = NULL, *charset = NULL;
	bool keep_ws = false;
	if (lua_istable(L, 2)) {
		lua_getfield(L, 2, "encoding");
		encoding = lua_tostring(L, -1); /* stays on the stack */
		lua_getfield(L, 2, "charset");
		charset = lua_tostring(L, -1);
		lua_getfield(L, 2, "whitespace");
		keep_ws = lua_toboolean(L, -1);
		lua_pop(L, 1);
	} else {
		luaL_argcheck(L, lua_isnoneornil(L, 2), 2, "table expected");
	}
	if (n > INT_MAX / 8) {
		luaL_pushfail(L);
		lua_pushliteral(L, "xml: document too large");
		return 2;
	}
	/* bytes -> UTF-8 -> what libxml2 accepts -> tree; no Lua call in
	 * between, so nothing can jump past the frees. (The time it takes is
	 * given back to the caller by api_xml_parse.) */
	CharsetResult cr;
	char *clean = NULL;
	size_t cn = 0;
	bool mem = charset_decode(text, n, encoding, charset, &cr);
	if (mem) {
		mem = xmlprep_clean(cr.text, cr.len, &clean, &cn);
		free(cr.text);
	}
	if (!mem)
		return luaL_error(L, "xml: not enough memory");
	Errors er;
	xmlDocPtr doc = cn <= INT_MAX ? read_doc(clean, cn, &er) : NULL;
	free(clean);
	const char *fail = NULL;
	if (!doc)
		fail = er.first[0] ? er.first : "not an XML document";
	else if (er.entity || has_entity_bomb(doc))
		fail = "entity expansion refused: the document's entities expand beyond the limit (entity bomb?)";
	else if (!xmlDocGetRootElement(doc))
		fail = er.first[0] ? er.first : "no root element";
	if (fail) {
		xmlFreeDoc(doc);
		luaL_pushfail(L);
		lua_pushfstring(L, "xml: %s", fail);
		return 2;
	}
	Conv c = {L, doc, 0, keep_ws, false, NULL};
	/* Converted in a protected call so that a Lua error (out of memory)
	 * cannot leak the document. */
	lua_pushcfunction(L, convert);
	lua_pushlightuserdata(L, &c);
	int rc = lua_pcall(L, 1, 1, 0);
	xmlFreeDoc(doc);
	if (rc != LUA_OK)
		return lua_error(L);
	if (c.over) {
		lua_pop(L, 1);
		luaL_pushfail(L);
		lua_pushliteral(L, "xml: entity expansion refused: beyond the limit (entity bomb?)");
		return 2;
	}
	lua_pushstring(L, cr.name);
	return 2;
}

/* libxml2's work on a large feed (decoding and cleaning included) is not
 * the plugin's time: the running callback (or task slice) gets it back,
 * once, here. */
static int api_xml_parse(lua_State *L)
{
	uint64_t t0 = loop_now_ms();
	int n = parse_doc(L);
	blua_budget_credit_since(L, t0, 0);
	return n;
}

/* }====================================================================== */

/* {======================================================================
 * HTML -> plain text
 * ======================================================================= */

/* A put that does not fit leaves ok false: the result is an error, never
 * cut short. */
static void b_add(StrBuf *b, const char *s, size_t n) { strbuf_put(b, s, n); }

static void b_str(StrBuf *b, const char *s) { strbuf_put(b, s, strlen(s)); }

typedef struct Render {
	lua_State *L;
	int width;          /* 0: no wrapping */
	bool links;         /* number links and list them at the end */
	StrBuf out;         /* finished lines */
	StrBuf para;        /* inline text of the current block; '\n' = hard break */
	StrBuf indent;      /* prefix of every line ("> ", spaces) */
	const char *bullet; /* replaces the start of the indent on the next line */
	size_t bullet_at;   /* where in the indent the bullet goes */
	size_t bullet_w;
	bool blank;         /* a blank line before the next output */
	size_t floor;       /* out.n where the current quote/item began: no
	                       blank line right after it */
	int pre;            /* inside <pre> */
	int nlinks;
	int links_idx;      /* stack index of the link list */
	int list_depth;
	size_t bytes;       /* output budget */
} Render;

static int cp_width(uint32_t cp)
{
	int w = utf8_width(cp);
	return w < 0 ? 1 : w;
}

static size_t str_width(const char *s, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		i += utf8_decode(s + i, n - i, &cp);
		w += (size_t)cp_width(cp);
	}
	return w;
}

/* Starts an output line with the indent (and a pending bullet). */
static void line_start(Render *r)
{
	if (r->bullet) {
		if (r->bullet_at)
			b_add(&r->out, r->indent.s, r->bullet_at);
		b_str(&r->out, r->bullet);
		size_t after = r->bullet_at + r->bullet_w;
		if (after < r->indent.n)
			b_add(&r->out, r->indent.s + after, r->indent.n - after);
		r->bullet = NULL;
	} else if (r->indent.n) {
		b_add(&r->out, r->indent.s, r->indent.n);
	}
}

static void line_end(Render *r)
{
	while (r->out.n && r->out.s[r->out.n - 1] == ' ')
		r->out.n--;
	b_add(&r->out, "\n", 1);
}

/* Greedy word wrap of one hard line of the paragraph. */
static void wrap_line(Render *r, const char *s, size_t n)
{
	size_t avail = r->width > 0 ? (size_t)r->width : (size_t)-1;
	size_t iw = str_width(r->indent.s ? r->indent.s : "", r->indent.n);
	avail = avail > iw + 10 ? avail - iw : 10;
	line_start(r);
	size_t col = 0;
	size_t i = 0;
	while (i < n) {
		while (i < n && s[i] == ' ')
			i++;
		size_t start = i;
		while (i < n && s[i] != ' ')
			i++;
		if (i == start)
			break;
		const char *w = s + start;
		size_t wl = i - start, ww = str_width(w, wl);
		if (col > 0 && col + 1 + ww > avail) {
			line_end(r);
			line_start(r);
			col = 0;
		}
		if (col > 0) {
			b_add(&r->out, " ", 1);
			col++;
		}
		/* A word longer than the line is cut at the width. */
		while (ww > avail - col && col + ww > avail) {
			size_t k = 0, kw = 0;
			while (k < wl) {
				uint32_t cp;
				size_t cl = utf8_decode(w + k, wl - k, &cp);
				if (kw + (size_t)cp_width(cp) > avail - col)
					break;
				kw += (size_t)cp_width(cp);
				k += cl;
			}
			if (k == 0)
				break;
			b_add(&r->out, w, k);
			line_end(r);
			line_start(r);
			col = 0;
			w += k, wl -= k, ww -= kw;
		}
		b_add(&r->out, w, wl);
		col += ww;
	}
	line_end(r);
}

/* The pending blank line between blocks, unless at the start of an item
 * or a quote. */
static void emit_blank(Render *r)
{
	if (r->blank && r->out.n > r->floor) {
		size_t keep = r->indent.n;
		while (keep && r->indent.s[keep - 1] == ' ')
			keep--;
		if (keep)
			b_add(&r->out, r->indent.s, keep);
		b_add(&r->out, "\n", 1);
	}
	r->blank = false;
}

static void flush(Render *r)
{
	if (r->pre == 0) { /* trim */
		while (r->para.n && (r->para.s[r->para.n - 1] == ' ' || r->para.s[r->para.n - 1] == '\n'))
			r->para.n--;
	}
	size_t start = 0;
	while (r->pre == 0 && start < r->para.n && (r->para.s[start] == ' ' || r->para.s[start] == '\n'))
		start++;
	if (start >= r->para.n) {
		r->para.n = 0;
		return;
	}
	emit_blank(r);
	const char *s = r->para.s + start, *end = r->para.s + r->para.n;
	while (s <= end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end;
		if (r->pre) {
			line_start(r);
			b_add(&r->out, s, (size_t)(e - s));
			line_end(r);
		} else {
			wrap_line(r, s, (size_t)(e - s));
		}
		if (!nl)
			break;
		s = nl + 1;
	}
	r->para.n = 0;
}

/* Inline text with white space collapsed (kept as is inside <pre>). */
static void add_inline(Render *r, const char *s)
{
	if (r->pre) {
		b_str(&r->para, s);
		return;
	}
	for (; *s; s++) {
		bool ws = *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f';
		if (ws) {
			if (r->para.n && r->para.s[r->para.n - 1] != ' ' && r->para.s[r->para.n - 1] != '\n')
				b_add(&r->para, " ", 1);
		} else if ((unsigned char)*s == 0xc2 && (unsigned char)s[1] == 0xa0) {
			b_add(&r->para, " ", 1); /* &nbsp; wraps like a space here */
			s++;
		} else {
			b_add(&r->para, s, 1);
		}
	}
}

static bool name_in(const xmlChar *name, const char *const *list)
{
	for (; *list; list++)
		if (xmlStrcasecmp(name, (const xmlChar *)*list) == 0)
			return true;
	return false;
}

static const char *const SKIP[] = {"script", "style", "head", "title", "noscript", "template",
	"iframe", "object", "embed", "svg", "math", "select", "button", "input", "textarea", NULL};
/* Blocks followed by a blank line. */
static const char *const PARA[] = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote",
	"ul", "ol", "dl", "table", "figure", "hr", "address", "details", NULL};
/* Blocks that only start a new line. */
static const char *const BLOCK[] = {"div", "section", "article", "header", "footer", "main",
	"nav", "aside", "li", "dt", "dd", "tr", "figcaption", "summary", "caption", "form",
	"fieldset", "center", "body", "html", NULL};

static void render_nodes(Render *r, xmlNodePtr n, int depth);

static void render_link(Render *r, xmlNodePtr n, int depth)
{
	render_nodes(r, n->children, depth + 1);
	xmlChar *href = xmlGetProp(n, (const xmlChar *)"href");
	if (!href)
		return;
	const char *h = (const char *)href;
	if (r->links && *h && *h != '#' && strncmp(h, "javascript:", 11) != 0 && strncmp(h, "mailto:", 7) != 0) {
		char num[32];
		snprintf(num, sizeof num, "[%d]", ++r->nlinks);
		if (r->para.n && r->para.s[r->para.n - 1] != ' ')
			b_add(&r->para, " ", 1);
		b_str(&r->para, num);
		lua_pushstring(r->L, h);
		lua_rawseti(r->L, r->links_idx, r->nlinks);
	}
	xmlFree(href);
}

static void render_item(Render *r, xmlNodePtr n, int depth, int number)
{
	flush(r);
	char bullet[32];
	if (number > 0)
		snprintf(bullet, sizeof bullet, "%d. ", number);
	else
		snprintf(bullet, sizeof bullet, "%s", r->list_depth % 2 ? "• " : "◦ ");
	size_t saved = r->indent.n;
	size_t bw = str_width(bullet, strlen(bullet));
	r->bullet_at = saved;
	r->bullet_w = bw;
	for (size_t i = 0; i < bw; i++)
		b_add(&r->indent, " ", 1);
	r->bullet = bullet; /* consumed by the item's first line */
	size_t floor = r->floor;
	r->floor = r->out.n;
	render_nodes(r, n->children, depth + 1);
	flush(r);
	r->floor = floor;
	r->blank = false;
	r->bullet = NULL;
	r->indent.n = saved;
}

static void render_list(Render *r, xmlNodePtr n, int depth, bool ordered)
{
	flush(r);
	emit_blank(r);
	r->list_depth++;
	size_t saved = r->indent.n;
	int num = 0;
	xmlChar *start = ordered ? xmlGetProp(n, (const xmlChar *)"start") : NULL;
	if (start) {
		num = atoi((const char *)start) - 1;
		xmlFree(start);
	}
	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (c->type == XML_ELEMENT_NODE && xmlStrcasecmp(c->name, (const xmlChar *)"li") == 0)
			render_item(r, c, depth + 1, ordered ? ++num : 0);
		else
			render_nodes(r, c, depth + 1); /* stray text: rendered in place */
	}
	flush(r);
	r->indent.n = saved;
	r->list_depth--;
}

static void render_element(Render *r, xmlNodePtr n, int depth)
{
	const xmlChar *name = n->name;
	if (name_in(name, SKIP))
		return;
	if (xmlStrcasecmp(name, (const xmlChar *)"br") == 0) {
		b_add(&r->para, "\n", 1);
		return;
	}
	if (xmlStrcasecmp(name, (const xmlChar *)"a") == 0) {
		render_link(r, n, depth);
		return;
	}
	if (xmlStrcasecmp(name, (const xmlChar *)"img") == 0) {
		xmlChar *alt = xmlGetProp(n, (const xmlChar *)"alt");
		if (alt && *alt) {
			add_inline(r, "[");
			add_inline(r, (const char *)alt);
			add_inline(r, "]");
		}
		xmlFree(alt);
		return;
	}
	bool ul = xmlStrcasecmp(name, (const xmlChar *)"ul") == 0;
	if (ul || xmlStrcasecmp(name, (const xmlChar *)"ol") == 0) {
		render_list(r, n, depth, !ul);
		r->blank = r->list_depth == 0;
		return;
	}
	if (xmlStrcasecmp(name, (const xmlChar *)"hr") == 0) {
		flush(r);
		b_str(&r->para, "----");
		flush(r);
		r->blank = true;
		return;
	}
	bool para = name_in(name, PARA), block = para || name_in(name, BLOCK);
	bool quote = xmlStrcasecmp(name, (const xmlChar *)"blockquote") == 0;
	bool pre = xmlStrcasecmp(name, (const xmlChar *)"pre") == 0;
	bool cell = xmlStrcasecmp(name, (const xmlChar *)"td") == 0 || xmlStrcasecmp(name, (const xmlChar *)"th") == 0;
	if (!block) {
		if (cell && r->para.n)
			add_inline(r, "  ");
		render_nodes(r, n->children, depth + 1);
		if (cell)
			b_add(&r->para, " ", 1);
		return;
	}
	flush(r);
	if (para)
		r->blank = true;
	size_t saved = r->indent.n, floor = r->floor;
	if (quote) {
		emit_blank(r); /* outside the quote */
		b_str(&r->indent, "> ");
		r->floor = r->out.n;
	}
	r->pre += pre;
	render_nodes(r, n->children, depth + 1);
	flush(r);
	r->pre -= pre;
	r->indent.n = saved;
	r->floor = floor;
	if (para)
		r->blank = true;
}

static void render_nodes(Render *r, xmlNodePtr n, int depth)
{
	if (depth > 200)
		return;
	for (; n; n = n->next) {
		if (r->out.n > r->bytes)
			return;
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
			add_inline(r, (const char *)n->content);
		else if (n->type == XML_ELEMENT_NODE)
			render_element(r, n, depth);
	}
}

static int render_doc(lua_State *L)
{
	Render *r = lua_touserdata(L, 1);
	htmlDocPtr doc = lua_touserdata(L, 2);
	r->links_idx = 3; /* indices of the caller's frame mean nothing here */
	render_nodes(r, xmlDocGetRootElement(doc), 0);
	flush(r);
	return 0;
}

/***
 * Renders HTML as readable plain text: paragraphs separated by blank lines,
 * `<br>` as line breaks, list items with bullets ("• ", "1. "), quotes
 * with "> ", `<pre>` kept as is, images as their [alt text], links as
 * "text [n]" with a numbered list of their URLs appended, script, style
 * and forms dropped; wrapped at `width` display columns (0: no wrapping).
 * Never fetches anything.
 * @function brisk.html.to_text
 * @tparam string html
 * @tparam[opt=72] integer width
 * @tparam[opt] table opts `links` (default true: number links and list them;
 *   false: link text only), `encoding` (default "UTF-8")
 * @treturn string the text (no trailing newline)
 * @treturn table the link URLs, in order
 * @usage local text, links = brisk.html.to_text(item.description, 60)
 */
static int api_html_to_text(lua_State *L)
{
	size_t n;
	const char *html = luaL_checklstring(L, 1, &n);
	lua_Integer width = luaL_optinteger(L, 2, 72);
	luaL_argcheck(L, width >= 0 && width < 100000, 2, "width out of range");
	bool links = true;
	const char *encoding = "UTF-8";
	if (lua_istable(L, 3)) {
		lua_getfield(L, 3, "links");
		links = lua_isnil(L, -1) || lua_toboolean(L, -1);
		lua_getfield(L, 3, "encoding");
		if (lua_isstring(L, -1))
			encoding = lua_tostring(L, -1);
	}
	if (n > INT_MAX)
		return luaL_argerror(L, 1, "too large");
	lua_newtable(L);
	int links_idx = lua_gettop(L);
	Render r = {.L = L, .width = (int)width, .links = links, .links_idx = links_idx, .bytes = n * 4 + 4096,
	            .out.ok = true, .para.ok = true, .indent.ok = true};
	Errors er = {"", false, 0};
	Guard g;
	guard_on(&g, &er);
	htmlDocPtr doc = n ? htmlReadMemory(html, (int)n, NULL, encoding,
	                                    HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
	                                    HTML_PARSE_NOWARNING | HTML_PARSE_COMPACT)
	                   : NULL;
	guard_off(&g);
	int rc = LUA_OK;
	if (doc) {
		lua_pushcfunction(L, render_doc);
		lua_pushlightuserdata(L, &r);
		lua_pushlightuserdata(L, doc);
		lua_pushvalue(L, links_idx);
		rc = lua_pcall(L, 3, 0, 0);
		xmlFreeDoc(doc);
	}
	if (rc != LUA_OK) {
		free(r.out.s);
		free(r.para.s);
		free(r.indent.s);
		return lua_error(L);
	}
	if (links && r.nlinks) {
		if (r.out.n)
			b_str(&r.out, "\n");
		for (int i = 1; i <= r.nlinks; i++) {
			lua_rawgeti(L, links_idx, i);
			char num[32];
			snprintf(num, sizeof num, "[%d] ", i);
			b_str(&r.out, num);
			b_str(&r.out, lua_tostring(L, -1));
			b_str(&r.out, "\n");
			lua_pop(L, 1);
		}
	}
	while (r.out.n && r.out.s[r.out.n - 1] == '\n')
		r.out.n--;
	bool oom = !r.out.ok || !r.para.ok || !r.indent.ok;
	if (!oom)
		lua_pushlstring(L, r.out.s ? r.out.s : "", r.out.n);
	free(r.out.s);
	free(r.para.s);
	free(r.indent.s);
	if (oom)
		return luaL_error(L, "not enough memory");
	lua_pushvalue(L, links_idx);
	return 2;
}

/* }====================================================================== */

/***
 * Decodes HTML character references in text: named ones (HTML 4's table,
 * and `&apos;`), decimal and hex (`&#X41;` too), where `&#128;`-`&#159;`
 * are windows-1252 characters as in HTML and invalid values are U+FFFD;
 * `&amp`, `&lt`, `&gt`, `&quot`, `&nbsp`, `&copy`, `&reg` also without
 * the `;` (unless a `=` follows, as in a query string). Anything else,
 * undefined names included, stays as written.
 * @function brisk.html.unescape
 * @tparam string s
 * @treturn string
 * @usage brisk.html.unescape("caf&eacute; &#8211; AT&amp;T &bogus;") --> "café – AT&T &bogus;"
 */
static int api_html_unescape(lua_State *L)
{
	size_t n;
	const char *s = luaL_checklstring(L, 1, &n);
	const char *p = s, *end = s + n, *amp;
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	while ((amp = memchr(p, '&', (size_t)(end - p)))) {
		luaL_addlstring(&b, p, (size_t)(amp - p));
		uint32_t cp;
		size_t len = xmlprep_ref(amp, end, &cp);
		if (len) {
			char u[4];
			luaL_addlstring(&b, u, utf8_encode(cp, u));
		} else {
			luaL_addchar(&b, '&');
		}
		p = amp + (len ? len : 1);
	}
	luaL_addlstring(&b, p, (size_t)(end - p));
	luaL_pushresult(&b);
	return 1;
}

void api_xml_open(lua_State *L)
{
	xmlInitParser();
	lua_newtable(L);
	lua_pushcfunction(L, api_xml_parse);
	lua_setfield(L, -2, "parse");
	lua_setfield(L, -2, "xml");
	lua_newtable(L);
	lua_pushcfunction(L, api_html_to_text);
	lua_setfield(L, -2, "to_text");
	lua_pushcfunction(L, api_html_unescape);
	lua_setfield(L, -2, "unescape");
	lua_setfield(L, -2, "html");
}
