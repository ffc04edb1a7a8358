/* The versions of the libraries lua/ links (for `brisk --version`): what
 * runs, asked of each library, where it can say; Lua only has its
 * compile-time release string. */
#include "lua/host.h"
#include <curl/curl.h>
#include <libxml/xmlversion.h>
#include <libxml/parser.h>
#include <openssl/crypto.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* libxml2 says "21004" for 2.10.4. */
static void xml_version(char *out, size_t size)
{
	long v = strtol(xmlParserVersion, NULL, 10);
	snprintf(out, size, "%ld.%ld.%ld", v / 10000, v / 100 % 100, v % 100);
}

void blua_lib_versions(void (*add)(void *arg, const char *name, const char *version), void *arg)
{
	char xml[32];
	const curl_version_info_data *c = curl_version_info(CURLVERSION_NOW);
	add(arg, "Lua", LUA_RELEASE + 4); /* "Lua 5.4.6" */
	add(arg, "libcurl", c && c->version ? c->version : "?");
	add(arg, "SQLite", sqlite3_libversion());
	xml_version(xml, sizeof xml);
	add(arg, "libxml2", xml);
	add(arg, "zlib", zlibVersion());
	const char *ssl = OpenSSL_version(OPENSSL_VERSION);
	add(arg, "OpenSSL", strncmp(ssl, "OpenSSL ", 8) == 0 ? ssl + 8 : ssl);
}
