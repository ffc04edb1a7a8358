/* path_expand: ~, ~/, ~user, $VAR, ${VAR}, unset names kept, \$ escapes. */
#include "editor/path.h"
#include "tests/unit/tap.h"
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

static const char *x(const char *s)
{
	static char out[512];
	char *r = path_expand(s);
	snprintf(out, sizeof out, "%s", r ? r : "(null)");
	free(r);
	return out;
}

int main(void)
{
	setenv("HOME", "/home/u", 1);
	setenv("PROJ", "/src/p", 1);
	unsetenv("BRISK_TEST_UNSET");
	is_str(x("~"), "/home/u", "~ alone");
	is_str(x("~/a.txt"), "/home/u/a.txt", "~/");
	is_str(x("a/~/b"), "a/~/b", "~ only at the start");
	is_str(x("$PROJ/x.c"), "/src/p/x.c", "$VAR");
	is_str(x("${PROJ}x.c"), "/src/px.c", "${VAR}");
	is_str(x("a$PROJ"), "a/src/p", "$VAR inside a name");
	is_str(x("$BRISK_TEST_UNSET/x"), "$BRISK_TEST_UNSET/x", "an unset variable stays as typed");
	is_str(x("${PROJ"), "${PROJ", "an unclosed brace stays");
	is_str(x("cost\\$5"), "cost$5", "\\$ is a dollar");
	is_str(x("$"), "$", "a lone dollar");
	is_str(x("~nosuchuser_brisk/x"), "~nosuchuser_brisk/x", "an unknown user stays as typed");
	struct passwd *pw = getpwuid(0);
	if (pw) {
		char want[512];
		snprintf(want, sizeof want, "%s/f", pw->pw_dir);
		char in[300];
		snprintf(in, sizeof in, "~%s/f", pw->pw_name);
		is_str(x(in), want, "~user/");
	}
	unsetenv("HOME");
	ok(x("~")[0] == '/', "~ without $HOME: the password file's home");
	return done_testing();
}
