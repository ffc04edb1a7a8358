/* ~ and $VAR in typed file names. Nothing else (no globbing, no quotes):
 * the rest of the name is taken as it is. */
#include "editor/path.h"
#include "buffer/array.h"
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The home directory of the user named [name, name+len), or of the
 * current user when len is 0 ($HOME first, as the shell does). */
static const char *home_of(const char *name, size_t len)
{
	if (len == 0) {
		const char *h = getenv("HOME");
		if (h && *h)
			return h;
		struct passwd *pw = getpwuid(getuid());
		return pw ? pw->pw_dir : NULL;
	}
	char user[256];
	if (len >= sizeof user)
		return NULL;
	memcpy(user, name, len);
	user[len] = '\0';
	struct passwd *pw = getpwnam(user);
	return pw ? pw->pw_dir : NULL;
}

/* A leading ~ or ~user; returns how many bytes of s it took. */
static size_t tilde(StrBuf *o, const char *s)
{
	if (s[0] != '~')
		return 0;
	size_t len = strcspn(s + 1, "/");
	const char *home = home_of(s + 1, len);
	if (!home)
		return 0;
	strbuf_put(o, home, strlen(home));
	return len + 1;
}

static bool is_name(char c, bool first)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
}

/* $NAME or ${NAME} at s (s[0] == '$'); returns the bytes taken, 0 when
 * it is no set variable (the '$' is then kept). */
static size_t variable(StrBuf *o, const char *s)
{
	bool brace = s[1] == '{';
	const char *name = s + 1 + brace;
	size_t len = 0;
	while (is_name(name[len], len == 0))
		len++;
	if (len == 0 || (brace && name[len] != '}') || len >= 256)
		return 0;
	char var[256];
	memcpy(var, name, len);
	var[len] = '\0';
	const char *v = getenv(var);
	if (!v)
		return 0;
	strbuf_put(o, v, strlen(v));
	return 1 + brace + len + brace;
}

char *path_expand(const char *s)
{
	StrBuf o = {.ok = true};
	strbuf_put(&o, "", 0);
	s += tilde(&o, s);
	while (*s && o.ok) {
		size_t took = 0;
		if (s[0] == '\\' && s[1] == '$') {
			strbuf_put(&o, "$", 1);
			took = 2;
		} else if (s[0] == '$') {
			took = variable(&o, s);
		}
		if (!took) {
			strbuf_put(&o, s, 1);
			took = 1;
		}
		s += took;
	}
	if (!o.ok) {
		free(o.s);
		return NULL;
	}
	return o.s;
}
