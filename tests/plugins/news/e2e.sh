#!/bin/bash
# News in a real terminal (tmux): the sidebar shows the store at once, a
# broken feed's row says why,
# Enter opens a feed and then an item (a read-only buffer with the link),
# the unread count drops in the status bar, and a refresh that waits on a
# hanging server never stops typing in the main pane.
# Exit 0 and "ok: ..." when it holds; "skip: ..." when brisk draws no panes.
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
BRISK=${BRISK:-$root/brisk}
. "$root/tests/e2e/lib.sh"
SP=
trap 'kill $SP 2>/dev/null; cleanup' EXIT
mkdir -p "$T/cfg/brisk" "$T/www"
cp "$here/corpus/rss20.xml" "$T/www/feed.xml"
python3 "$here/feedserver.py" "$T/port" "$T/www" "$T/log" & SP=$!
for i in $(seq 100); do [ -s "$T/port" ] && break; sleep 0.05; done
PORT=$(cat "$T/port")

# Does this build draw panes at all?
cat >"$T/cfg/brisk/init.lua" <<LUA
brisk.sidebar{title = "probe-pane", lines = {"probe-line"}}
LUA
printf 'probe\n' >"$T/probe.txt"
start 100 20 probe.txt
wait_for "probe" || fail "brisk did not start"
if ! wait_for "probe-line" 3; then
	echo "skip: this build draws no sidebar panes yet"
	exit 0
fi
keys C-q
wait_exit || fail "probe did not quit"

cat >"$T/cfg/brisk/init.lua" <<LUA
require("news").setup{ feeds = {
	{url = "http://127.0.0.1:$PORT/feed.xml", title = "Quirks", interval = 3600},
	{url = "http://127.0.0.1:$PORT/hang", title = "Hanging", interval = 3600, timeout_ms = 8000},
	{url = "http://127.0.0.1:$PORT/missing.xml", title = "Gone", interval = 3600},
} }
LUA
printf 'code\n' >"$T/main.txt"
start 120 30 main.txt
wait_for "code" || fail "brisk did not start"
keys C-e; text "news"; keys Enter
wait_for "Quirks" || fail "the sidebar did not show the feeds"
wait_for "news 4" 15 || fail "the status bar did not show 4 unread"
wait_for "! Gone: HTTP 404" 15 || fail "the broken feed's row does not say why"
keys Enter
wait_for "Tom & Jerry" || fail "Enter on the feed did not list its items"
keys Enter
wait_for "Link:   https://quirks.example/posts/1" || fail "Enter on the item did not open it"
wait_for "news 3" || fail "opening the item did not mark it read"
keys C-e; text "news-mark-unread"; keys Enter
wait_for "news 4" || fail "news-mark-unread"
keys C-e; text "open main.txt"; keys Enter
keys C-e; text "pane-unfocus"; keys Enter
wait_for "code" || fail "main.txt not shown"
# a refresh that waits on a server that never answers, while typing
keys C-e; text "news-refresh"; keys Enter
text "typed while fetching"
wait_for "typed while fetching" 2 || fail "typing was held up by the refresh"
pass "sidebar, a broken feed's error, open item, read state, typing during a hanging refresh"
