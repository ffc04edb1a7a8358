#!/bin/sh
# News service tests (TAP): plugins/news/serve.lua started as a user would,
# over a loopback feed server (tests/plugins/news/feedserver.py): access,
# the page, Atom, the sync API (tests/plugins/news/test_service.py), brisk
# clients syncing and marking (online and offline), a restart in the middle
# of a sync (test_client.lua), 20 clients at once while the service polls,
# the page of 150 items, as an unprivileged user. (The sidebar as a client
# in tmux, e2e_client.sh, runs with the other tmux test in news.t.)
# Run from the project root; needs python3 (python3-feedparser to parse the
# Atom feed as a feed reader would).
B=$(pwd)/brisk
D=tests/plugins/news
T=$(mktemp -d)
FP= SP=
cleanup() { for p in $FP $SP; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
mkdir -p "$T/www" "$T/svc/cfg/brisk" "$T/svc/data" "$T/c1" "$T/c2"
export HOME=$T XDG_STATE_HOME=$T/state NEWS_TEST_TMP=$T
n=0 fails=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
check() { desc=$1; shift; if "$@" >"$T/out" 2>&1; then ok "$desc"; else notok "$desc"; sed 's/^/#   /' "$T/out" | head -20; fi; }
# numbers the ok / not ok lines of a script's output (read from a file:
# a pipe would count in a subshell)
tap() { while IFS= read -r l; do case $l in "ok "*) ok "${l#* - }";; "not ok "*) notok "${l#* - }";; 1..*) ;; *) echo "$l";; esac; done; }
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
[ -x "$B" ] || { echo "1..0 # SKIP no ./brisk"; exit 0; }

# The parts on their own: page, auth, sync.
timeout 120 "$B" --headless -l $D/test_service_parts.lua >"$T/parts.out" 2>&1; tap <"$T/parts.out"
# the python with feedparser (Debian's python3-feedparser), when there is one
PY=python3; $PY -c 'import feedparser' 2>/dev/null || { /usr/bin/python3 -c 'import feedparser' 2>/dev/null && PY=/usr/bin/python3; }

# Three feeds: entities, tracking parameters, images in the bodies.
python3 - "$T/www" <<'PY'
import sys
for f in (1, 2, 3):
    items = "".join(
        "<item><title>Feed %d &amp; item %d</title><link>http://f%d.example/%d?utm_source=rss&amp;id=%d</link>"
        "<guid>f%d-%d</guid><pubDate>Sun, 10 Mar 2024 %02d:15:00 GMT</pubDate>"
        "<description>&lt;p&gt;Body of item %d, a paragraph as feeds carry them. &lt;img src=\"http://track.example/p%d.gif\"&gt;&lt;/p&gt;</description></item>\n"
        % (f, i, f, i, i, f, i, i, i, i) for i in range(1, 5))
    open("%s/f%d.xml" % (sys.argv[1], f), "w").write(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Feed %d</title><link>http://f%d.example/</link>\n%s</channel></rss>\n' % (f, f, items))
PY
python3 $D/feedserver.py "$T/fport" "$T/www" "$T/flog" 2>"$T/feedserver.err" & FP=$!
i=0; while [ ! -s "$T/fport" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
FPORT=$(cat "$T/fport")
cat >"$T/svc/cfg/brisk/init.lua" <<LUA
require("news").setup{ feeds = {
  {url = "http://127.0.0.1:$FPORT/f1.xml", interval = 1},
  {url = "http://127.0.0.1:$FPORT/f2.xml", interval = 1},
  {url = "http://127.0.0.1:$FPORT/f3.xml", interval = 1} } }
LUA
SPORT=$(port)
start_service() {
	XDG_CONFIG_HOME=$T/svc/cfg XDG_DATA_HOME=$T/svc/data "$B" --headless -l plugins/news/serve.lua \
		--listen "127.0.0.1:$SPORT" --token-file "$T/svc/token" >>"$T/serve.out" 2>>"$T/serve.err" & SP=$!
	i=0; while ! grep -q "news service: http" "$T/serve.out" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
}
stop_service() { kill -"${1:-TERM}" "$SP" 2>/dev/null; wait "$SP" 2>/dev/null; SP=; : >"$T/serve.out"; }
start_service
check "the service starts: a missing token file is made (mode 600) and named" \
	sh -c "grep -q 'new token written to $T/svc/token' '$T/serve.out' && [ \$(stat -c %a '$T/svc/token') = 600 ] && grep -q 'http://127.0.0.1:$SPORT/' '$T/serve.out'"
TOKEN=$(cat "$T/svc/token")
BASE=http://127.0.0.1:$SPORT

$PY $D/test_service.py checks "$BASE" "$TOKEN" "$T/www" >"$T/py.out" 2>&1; tap <"$T/py.out"

# Two brisk clients (cli.lua), each with its own local store.
for c in c1 c2; do
	mkdir -p "$T/$c/cfg/brisk"
	echo "require('news').setup{ service = '$BASE', token_file = '$T/svc/token' }" >"$T/$c/cfg/brisk/init.lua"
done
as() { c=$1; shift; XDG_CONFIG_HOME=$T/$c/cfg XDG_DATA_HOME=$T/$c/data timeout 30 "$B" --headless "$@"; }
unread() { as "$1" -l plugins/news/cli.lua unread 2>>"$T/cerr" | wc -l; }
as c1 -l plugins/news/cli.lua refresh >/dev/null 2>"$T/cerr"; u1=$(unread c1)
as c2 -l plugins/news/cli.lua refresh >/dev/null 2>>"$T/cerr"; u2=$(unread c2)
check "two clients sync: 12 unread each ($u1, $u2)" test "$u1" = 12 -a "$u2" = 12
check "the client keeps its own store (news-client.db)" test -s "$T/c1/data/brisk/news-client.db"
# client 1 marks two items read (the first two of its list); client 2 sees it after a sync
as c1 -c "brisk.command('news-mark-read 1'); brisk.command('news-mark-read 2')" 2>>"$T/cerr"
as c2 -l plugins/news/cli.lua refresh >/dev/null 2>>"$T/cerr"
check "client 1 marks two read, client 2 sees 10 unread after its sync" test "$(unread c2)" = 10 -a "$(unread c1)" = 10
# offline: the mark waits in the queue, reading goes on from the local store
stop_service
as c1 -c "brisk.command('news-mark-read 3')" 2>"$T/offline.err"
check "offline: the local store still lists the items, the mark is kept ($(unread c1) unread)" test "$(unread c1)" = 9
check "offline: the mark is queued, and the message says so in one line" grep -q "read marks queued until the service can be reached" "$T/offline.err"
start_service
as c1 -l plugins/news/cli.lua refresh >/dev/null 2>>"$T/cerr"
as c2 -l plugins/news/cli.lua refresh >/dev/null 2>>"$T/cerr"
check "back online: the queued mark reaches the service and client 2 ($(unread c2) unread)" test "$(unread c2)" = 9
check "no client error when online" sh -c "! grep '^brisk:' '$T/cerr'"

# A restart in the middle of a sync, and nothing lost by a kill -9.
timeout 120 "$B" --headless -l $D/test_client.lua "$B" "$T" >"$T/tc.out" 2>"$T/tc.err"; tap <"$T/tc.out"
[ -s "$T/tc.err" ] && sed 's/^/# stderr: /' "$T/tc.err" | grep -v "sync .*failed" | head -5

# Twenty clients at once while the service polls feeds that change.
python3 $D/test_service.py load "$BASE" "$TOKEN" 20 5 "$T/www" >"$T/py.out" 2>&1; tap <"$T/py.out"
check "the service logged no error" sh -c "! grep -i 'error\|interrupted' '$T/serve.err'"
stop_service

# The page of 150 unread items: text of realistic length (words of brisk's
# own prose, summaries of 150-350 words, as many feeds send), <= 90 KB gzip.
python3 $D/gen_feeds.py "$T/www" 150 page:150
mkdir -p "$T/pg/cfg/brisk"
echo "require('news').setup{ feeds = { {url = 'http://127.0.0.1:$FPORT/page.xml'} } }" >"$T/pg/cfg/brisk/init.lua"
XDG_CONFIG_HOME=$T/pg/cfg XDG_DATA_HOME=$T/pg/data "$B" --headless -l plugins/news/serve.lua \
	--listen "127.0.0.1:$SPORT" --token-file "$T/svc/token" >"$T/pg.out" 2>&1 & SP=$!
page=""
i=0; while [ $i -lt 100 ]; do
	page=$(python3 $D/test_service.py page "$BASE" "$TOKEN" 2>/dev/null)
	case $page in "200 150 "*) break ;; esac
	sleep 0.2; i=$((i + 1))
done
set -- $page
check "the page of 150 unread items is ${3:-?} bytes gzip-compressed (${4:-?} bytes of HTML), at most 90 KB" \
	test "${2:-0}" = 150 -a "${3:-999999}" -le 92160
echo "# figure: the page of 150 unread items: ${3:-?} bytes gzip, ${4:-?} bytes HTML"
stop_service
# HTTPS with --cert/--key (a throw-away certificate from openssl(1)).
if command -v openssl >/dev/null; then
	(cd "$T" && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout key.pem -out cert.pem -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1) 2>/dev/null
	XDG_CONFIG_HOME=$T/svc/cfg XDG_DATA_HOME=$T/svc/data "$B" --headless -l plugins/news/serve.lua \
		--listen "127.0.0.1:$SPORT" --token-file "$T/svc/token" --cert "$T/cert.pem" --key "$T/key.pem" >"$T/serve.out" 2>&1 & SP=$!
	i=0; while ! grep -q "news service: https://127.0.0.1:$SPORT/" "$T/serve.out" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	python3 $D/test_service.py tls "https://127.0.0.1:$SPORT" "$TOKEN" "$T/cert.pem" >"$T/py.out" 2>&1; tap <"$T/py.out"
	stop_service
else
	n=$((n + 1)); echo "ok $n - HTTPS # SKIP no openssl"
fi

# As an unprivileged user: the token is made 0600 in folders made 0700,
# and a token file the user cannot read is a clear one-line error.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	mkdir -p "$T/nb" && chown nobody:nogroup "$T/nb" && chmod 755 "$T"
	# a simple command (setpriv execs brisk), so $! is brisk's pid to stop
	NOBODY="setpriv --reuid=nobody --regid=nogroup --clear-groups"
	NPORT=$(port)
	HOME=$T/nb XDG_CONFIG_HOME=$T/nb/cfg XDG_DATA_HOME=$T/nb/data $NOBODY \
		"$B" --headless -l plugins/news/serve.lua --listen "127.0.0.1:$NPORT" >"$T/nb.out" 2>&1 & SP=$!
	i=0; while ! grep -q "news service: http" "$T/nb.out" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	check "as nobody: the token is made, mode 600 in a 700 folder, owned by nobody" \
		sh -c "[ \"\$(stat -c '%a %U' '$T/nb/cfg/brisk/news-token')\" = '600 nobody' ] && [ \"\$(stat -c %a '$T/nb/cfg/brisk')\" = 700 ]"
	check "as nobody: the service answers with that token" sh -c \
		"curl -sf -o /dev/null -H \"Authorization: Bearer \$(cat '$T/nb/cfg/brisk/news-token')\" http://127.0.0.1:$NPORT/api/v1/sync"
	stop_service
	HOME=$T/nb XDG_CONFIG_HOME=$T/nb/cfg XDG_DATA_HOME=$T/nb/data $NOBODY \
		"$B" --headless -l plugins/news/serve.lua --listen "127.0.0.1:$NPORT" --token-file "$T/svc/token" >"$T/nb.out" 2>&1
	rc=$?
	check "as nobody, root's token file: exit 1 and one line naming it ($(head -c 120 "$T/nb.out"))" \
		sh -c "[ $rc = 1 ] && [ \$(wc -l <'$T/nb.out') = 1 ] && grep -q 'svc/token: Permission denied' '$T/nb.out'"
else
	n=$((n + 1)); echo "ok $n - as nobody # SKIP not root, or no setpriv"
fi

echo "1..$n"
[ $fails = 0 ]
