/* brisk.crypto: the few primitives a plugin needs to keep a secret
 * (libcrypto): random tokens, constant-time comparison, HMAC, and a
 * secret kept in a file only its owner can read. Lua's own string
 * comparison stops at the first difference (and interns short strings),
 * so secrets must never be compared with ==. */
#include "lua/host.h"
#include "buffer/fdio.h"
#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_RANDOM 1024
#define MIN_SECRET 16    /* bytes a secret read from a file must have */
#define MAX_SECRET 4096

static void push_hex(lua_State *L, const unsigned char *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	luaL_Buffer b;
	char *out = luaL_buffinitsize(L, &b, 2 * n);
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	luaL_pushresultsize(&b, 2 * n);
}

/***
 * `n` bytes (1-1024) from the system's cryptographic generator, as 2n
 * lower-case hex digits.
 * @function brisk.crypto.random
 * @usage local token = brisk.crypto.random(32) -- 64 hex digits
 */
static int api_crypto_random(lua_State *L)
{
	lua_Integer n = luaL_checkinteger(L, 1);
	luaL_argcheck(L, n >= 1 && n <= MAX_RANDOM, 1, "must be 1 to 1024");
	unsigned char buf[MAX_RANDOM];
	if (RAND_bytes(buf, (int)n) != 1)
		return luaL_error(L, "crypto.random: the generator failed");
	push_hex(L, buf, (size_t)n);
	OPENSSL_cleanse(buf, sizeof buf);
	return 1;
}

/* SHA-256 of s into md (32 bytes). */
static void digest(const char *s, size_t n, unsigned char md[32])
{
	unsigned int len = 0;
	if (!EVP_Digest(s, n, md, &len, EVP_sha256(), NULL) || len != 32)
		memset(md, 0, 32);
}

/***
 * Whether two strings are equal, in a time that depends on neither
 * content: both are hashed (SHA-256) and the digests compared with
 * CRYPTO_memcmp. For tokens and passwords.
 * @function brisk.crypto.equal
 * @usage if brisk.crypto.equal(given, token) then ... end
 */
static int api_crypto_equal(lua_State *L)
{
	size_t na, nb;
	const char *a = luaL_checklstring(L, 1, &na);
	const char *b = luaL_checklstring(L, 2, &nb);
	unsigned char da[32], db[32];
	digest(a, na, da);
	digest(b, nb, db);
	/* The lengths are compared too, after the content: a digest match
	 * between different strings is not a concern, but be exact. */
	int same = CRYPTO_memcmp(da, db, sizeof da) == 0;
	lua_pushboolean(L, same && na == nb);
	return 1;
}

/***
 * HMAC-SHA256 of `data` under `key`, as 64 hex digits.
 * @function brisk.crypto.hmac
 * @usage local cookie = brisk.crypto.hmac(token, "session")
 */
static int api_crypto_hmac(lua_State *L)
{
	size_t nk, nd;
	const char *key = luaL_checklstring(L, 1, &nk);
	const char *data = luaL_checklstring(L, 2, &nd);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	if (!HMAC(EVP_sha256(), key, (int)nk, (const unsigned char *)data, nd, md, &len))
		return luaL_error(L, "crypto.hmac: failed");
	push_hex(L, md, len);
	return 1;
}

/* {======================================================================
 * Secret files
 * ======================================================================= */

/* A new secret of n random bytes (hex), written with O_EXCL, mode 0600. */
static int create_secret(lua_State *L, const char *path, int n)
{
	unsigned char raw[MAX_RANDOM];
	if (RAND_bytes(raw, n) != 1)
		return luaL_error(L, "crypto.secret_file: the generator failed");
	push_hex(L, raw, (size_t)n);
	OPENSSL_cleanse(raw, sizeof raw);
	blua_make_parents(path);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return luaL_fileresult(L, 0, path);
	size_t len;
	const char *hex = lua_tolstring(L, -1, &len);
	bool ok = fd_write_all(fd, hex, len) && fd_write_all(fd, "\n", 1) && fsync(fd) == 0;
	int e = errno;
	close(fd);
	if (!ok) {
		unlink(path);
		errno = e;
		return luaL_fileresult(L, 0, path);
	}
	lua_pushboolean(L, 1);
	return 2;
}

/* The secret in an open file: its first line, trimmed. */
static int read_secret(lua_State *L, int fd, const char *path)
{
	struct stat st;
	if (fstat(fd, &st) != 0)
		return luaL_fileresult(L, 0, path);
	if (!S_ISREG(st.st_mode)) {
		lua_pushnil(L);
		lua_pushfstring(L, "%s: not a regular file", path);
		return 2;
	}
	if (st.st_mode & 077) {
		lua_pushnil(L);
		lua_pushfstring(L, "%s: readable by others (run: chmod 600 %s)", path, path);
		return 2;
	}
	char buf[MAX_SECRET + 1];
	ssize_t n = read(fd, buf, MAX_SECRET);
	if (n < 0)
		return luaL_fileresult(L, 0, path);
	buf[n] = 0;
	size_t a = 0, e = strcspn(buf, "\r\n");
	while (a < e && (buf[a] == ' ' || buf[a] == '\t'))
		a++;
	while (e > a && (buf[e - 1] == ' ' || buf[e - 1] == '\t'))
		e--;
	if (e - a < MIN_SECRET) {
		OPENSSL_cleanse(buf, sizeof buf);
		lua_pushnil(L);
		lua_pushfstring(L, "%s: the secret is shorter than %d characters", path, MIN_SECRET);
		return 2;
	}
	lua_pushlstring(L, buf + a, e - a);
	OPENSSL_cleanse(buf, sizeof buf);
	lua_pushboolean(L, 0);
	return 2;
}

/***
 * Reads the secret kept in `path` (its first line, trimmed; at least 16
 * characters); when the file is missing and `create` is not false, makes
 * one with `bytes` (32) random bytes as hex, mode 0600 (and missing
 * directories, mode 0700). A file that others may read is refused, as
 * ssh does.
 * @function brisk.crypto.secret_file
 * @tparam string path
 * @tparam[opt] table opts `create` (true), `bytes` (32)
 * @return the secret and whether it was just created; or nil, message
 * @usage local token, new = assert(brisk.crypto.secret_file(path))
 */
static int api_crypto_secret_file(lua_State *L)
{
	const char *path = luaL_checkstring(L, 1);
	bool create = true;
	lua_Integer bytes = 32;
	if (lua_istable(L, 2)) {
		lua_getfield(L, 2, "create");
		create = lua_isnil(L, -1) || lua_toboolean(L, -1);
		lua_getfield(L, 2, "bytes");
		bytes = luaL_optinteger(L, -1, 32);
		lua_pop(L, 2);
	}
	luaL_argcheck(L, bytes >= MIN_SECRET / 2 && bytes <= MAX_RANDOM, 2, "bytes must be 8 to 1024");
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && errno == ENOENT && create)
		return create_secret(L, path, (int)bytes);
	if (fd < 0)
		return luaL_fileresult(L, 0, path);
	int r = read_secret(L, fd, path);
	close(fd);
	return r;
}

/* }====================================================================== */

void api_crypto_open(lua_State *L)
{
	static const luaL_Reg fns[] = {
		{"random", api_crypto_random},
		{"equal", api_crypto_equal},
		{"hmac", api_crypto_hmac},
		{"secret_file", api_crypto_secret_file},
		{NULL, NULL},
	};
	luaL_newlib(L, fns);
	lua_setfield(L, -2, "crypto");
}
