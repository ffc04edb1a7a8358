#!/bin/bash
# The sidebar as a client of the news service, in a real terminal (tmux):
# the service (plugins/news/serve.lua) polls a loopback feed; the editor,
# set up with setup{service =, token_file =}, lists its feeds and items,
# opening an item marks it read on the service; with the service gone the
# list stays readable and a refresh says it failed, in one line.
# Exit 0 and "ok: ..." when it holds.
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
BRISK=${BRISK:-$root/brisk}
. "$root/tests/e2e/lib.sh"
FP= SP=
trap 'kill $FP $SP 2>/dev/null; cleanup' EXIT
mkdir -p "$T/cfg/brisk" "$T/svc/cfg/brisk" "$T/www"
cp "$here/corpus/rss20.xml" "$T/www/feed.xml"
python3 "$here/feedserver.py" "$T/fport" "$T/www" "$T/log" & FP=$!
for i in $(seq 100); do [ -s "$T/fport" ] && break; sleep 0.05; done
FPORT=$(cat "$T/fport")
SPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$T/svc/cfg/brisk/init.lua" <<LUA
require("news").setup{ feeds = { {url = "http://127.0.0.1:$FPORT/feed.xml", title = "Quirks", interval = 3600} } }
LUA
XDG_CONFIG_HOME=$T/svc/cfg XDG_DATA_HOME=$T/svc/data "$B" --headless -l "$root/plugins/news/serve.lua" \
	--listen "127.0.0.1:$SPORT" --token-file "$T/svc/token" >"$T/serve.out" 2>&1 & SP=$!
unread_on_service() {
	python3 - "$SPORT" "$T/svc/token" <<'PY'
import json, sys, urllib.request
tok = open(sys.argv[2]).read().strip()
r = urllib.request.Request("http://127.0.0.1:%s/api/v1/sync" % sys.argv[1], headers={"Authorization": "Bearer " + tok})
print(sum(1 for i in json.load(urllib.request.urlopen(r, timeout=5))["items"] if not i["read"]))
PY
}
for i in $(seq 100); do [ "$(unread_on_service 2>/dev/null)" = 4 ] && break; sleep 0.1; done
[ "$(unread_on_service 2>/dev/null)" = 4 ] || fail "the service did not poll its feed"

cat >"$T/cfg/brisk/init.lua" <<LUA
require("news").setup{ service = "http://127.0.0.1:$SPORT", token_file = "$T/svc/token" }
LUA
printf 'code\n' >"$T/main.txt"
start 120 30 main.txt
wait_for "code" || fail "brisk did not start"
keys C-e; text "news"; keys Enter
wait_for "Quirks" 15 || fail "the sidebar did not show the service's feed"
wait_for "news 4" 15 || fail "the status bar did not show 4 unread"
keys Enter
wait_for "Tom & Jerry" || fail "Enter on the feed did not list its items"
keys Enter
wait_for "Link:   https://quirks.example/posts/1" || fail "Enter on the item did not open it"
wait_for "news 3" || fail "opening the item did not mark it read here"
for i in $(seq 100); do [ "$(unread_on_service)" = 3 ] && break; sleep 0.1; done
[ "$(unread_on_service)" = 3 ] || fail "the read mark did not reach the service ($(unread_on_service) unread there)"
# the service goes away: reading goes on, a refresh says it failed
kill $SP; wait $SP 2>/dev/null; SP=
keys C-e; text "news-refresh"; keys Enter
wait_for "failed (reading offline)" || fail "a refresh without the service did not say so"
keys C-e; text "news-unread"; keys Enter
wait_for "Quirks" || fail "the items are not readable offline"
pass "client: the service's feed and items, read marks sent, offline reading"
