#!/bin/sh
# News plugin tests (TAP): parser corpus, store, the 30-day simulation,
# fetching over loopback, the CLI and feed2json. Run from the project root.
B=$(pwd)/brisk
D=tests/plugins/news
T=$(mktemp -d)
SP=
cleanup() { [ -n "$SP" ] && kill "$SP" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
mkdir -p "$T/cfg/brisk" "$T/data" "$T/www"
export HOME=$T XDG_CONFIG_HOME=$T/cfg XDG_DATA_HOME=$T/data XDG_STATE_HOME=$T/state NEWS_TEST_TMP=$T
n=0
fails=0
check() { # name, command... (set NEWS_TRACE=1 to trace)
	name=$1; shift
	n=$((n + 1))
	if "$@" >"$T/out" 2>&1; then
		echo "ok $n - $name"
		grep '^# ' "$T/out"
	else
		fails=$((fails + 1))
		echo "not ok $n - $name"
		grep -v '^ok ' "$T/out" | head -40 | sed 's/^/#   /'
	fi
}
lua_test() { timeout 300 "$B" --headless -l "$@"; }

[ -x "$B" ] || { echo "1..0 # SKIP no ./brisk"; exit 0; }
for f in miniflux-encoding_ISO-8859-1.xml miniflux-encoding_WINDOWS-1251.xml miniflux-large_atom.xml miniflux-large_rss.xml miniflux-urdu_UTF8.xml; do
	[ -f tests/data/feeds/$f ] || echo "# missing sample tests/data/feeds/$f (the parser test fails)"
done

check "parser corpus and the five real feeds" lua_test $D/test_parse.lua
check "what feeds publish, by cause: elements, dates, encodings, recovery, text, identity" lua_test $D/test_causes.lua
check "store: history, aging by date, read state, search, stats" lua_test $D/test_store.lua
check "30-day simulation: 12 feeds over HTTP, nothing new twice; the service's client at <= 0.5 x the bytes" lua_test $D/test_sim.lua
check "sidebar rows, pane glue, item buffer, commands, OPML/newsboat" lua_test $D/test_view.lua
check "read marks made while a merge holds the transaction open: kept when it rolls back or commits" lua_test $D/test_marks.lua

python3 $D/feedserver.py "$T/port" "$T/www" "$T/log" & SP=$!
i=0; while [ ! -s "$T/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
PORT=$(cat "$T/port" 2>/dev/null)
check "fetch over loopback: gzip, 304, no Referer, faults, backoff" lua_test $D/test_fetch.lua "$PORT" "$T/www" "$T/log"

# The CLI and feed2json, as a user runs them.
cli_case() {
	rm -rf "$T/data/brisk" "$T/cfg/brisk/init.lua"
	cp $D/corpus/rss20.xml "$T/www/cli.xml"
	echo "require('news').setup{ feeds = { {url = 'http://127.0.0.1:$PORT/cli.xml', title = 'CLI feed', interval = 3600} } }" >"$T/cfg/brisk/init.lua"
	timeout 20 "$B" --headless -c "brisk.command('news-refresh'); brisk.quit()" || return 1
	timeout 10 "$B" --headless -l plugins/news/cli.lua unread >"$T/unread" || return 1
	[ "$(wc -l <"$T/unread")" = 4 ] || { echo "want 4 unread:"; cat "$T/unread"; return 1; }
	grep -q "^CLI feed	Tom & Jerry bold “quoted”	https://quirks.example/posts/1?utm_source=rss\$" "$T/unread" || { cat "$T/unread"; return 1; }
	timeout 10 "$B" --headless -c "brisk.command('news-mark-all-read'); brisk.quit()" || return 1
	[ -z "$(timeout 10 "$B" --headless -l plugins/news/cli.lua unread)" ] || return 1
	timeout 10 "$B" --headless -l plugins/news/cli.lua stats | grep -q "CLI feed" || return 1
	# with no feeds configured, the demo feeds are read from disk
	rm -f "$T/cfg/brisk/init.lua"
	timeout 20 "$B" --headless -c "brisk.command('news-refresh'); brisk.quit()" || return 1
	demo=$(timeout 10 "$B" --headless -l plugins/news/cli.lua unread | grep -c "brisk news")
	[ "$demo" -ge 5 ] || { echo "demo feeds: $demo unread"; return 1; }
	echo "# cli: 4 unread listed, none after mark-all-read; demo feeds give $demo items"
}
check "cli.lua unread / stats, demo feeds when none are configured" cli_case

# A client whose service cannot be reached: the sync failure is one short
# line (what the message area shows last); curl's detail comes just
# before it, in full, for *messages*.
sync_msg_case() {
	rm -rf "$T/data/brisk"
	free=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	printf 'token-of-the-sync-message-test\n' >"$T/tok"; chmod 600 "$T/tok"
	echo "require('news').setup{ service = 'http://127.0.0.1:$free', token_file = '$T/tok' }" >"$T/cfg/brisk/init.lua"
	timeout 20 "$B" --headless -c "brisk.command('news-refresh')" 2>"$T/sync.err"
	rm -f "$T/cfg/brisk/init.lua"
	last=$(tail -n 1 "$T/sync.err")
	case $last in "news: sync failed (reading offline): cannot connect; more in *messages*") ;;
	*) echo "last message: $last"; cat "$T/sync.err"; return 1 ;; esac
	grep -q "^news: sync with http://127.0.0.1:$free failed: cannot connect (.*127.0.0.1.*$free" "$T/sync.err" ||
		{ echo "no detail line:"; cat "$T/sync.err"; return 1; }
	echo "# ${#last} columns: $last"
}
check "client: a failed sync says so in one short line, curl's detail in *messages*" sync_msg_case

# Big feeds: cli.lua refresh stores every item of a 5,000- and a
# 50,000-item feed (a brisk.task each, in slices, one transaction per
# feed: items and ETag together); a failing feed between them stops
# nothing; the next refresh is conditional (304) for both.
big_case() {
	rm -rf "$T/data/brisk" "$T/cfg/brisk/init.lua"
	python3 - "$T/www" <<'PY2' || return 1
import sys
for name, n in (("big5k.xml", 5000), ("big50k.xml", 50000)):
    with open(sys.argv[1] + "/" + name, "w") as f:
        f.write('<?xml version="1.0"?><rss version="2.0"><channel><title>%s</title><link>http://x.example/</link>\n' % name)
        for i in range(n):
            f.write("<item><title>%s item %d</title><link>http://x.example/%d</link><guid>%s-%d</guid>"
                    "<description>%d &amp;</description></item>\n" % (name, i, i, name, i, i))
        f.write("</channel></rss>\n")
PY2
	cat >"$T/cfg/brisk/init.lua" <<EOF
require('news').setup{ feeds = {
	{url = 'http://127.0.0.1:$PORT/big5k.xml', title = 'Big 5k'},
	{url = 'http://127.0.0.1:$PORT/status/500', title = 'Broken'},
	{url = 'http://127.0.0.1:$PORT/big50k.xml', title = 'Big 50k'},
} }
EOF
	s=$(date +%s)
	timeout 600 "$B" --headless -l plugins/news/cli.lua refresh >"$T/refresh.out" 2>"$T/refresh.err"
	rc=$?
	[ $rc = 0 ] || { echo "refresh exited $rc"; cat "$T/refresh.err"; return 1; }
	echo "# refresh of 55,000 items: $(( $(date +%s) - s )) s"
	timeout 120 "$B" --headless -l plugins/news/cli.lua unread >"$T/unread" || return 1
	k5=$(grep -c "^Big 5k	big5k.xml item" "$T/unread"); k50=$(grep -c "^Big 50k	big50k.xml item" "$T/unread")
	[ "$k5" = 5000 ] && [ "$k50" = 50000 ] || { echo "stored $k5 of 5000 and $k50 of 50000"; return 1; }
	timeout 120 "$B" --headless -l plugins/news/cli.lua feeds | grep "status/500" | grep -q "HTTP 500" ||
		{ echo "the broken feed's error is not recorded"; return 1; }
	: >"$T/log"
	timeout 120 "$B" --headless -l plugins/news/cli.lua refresh >/dev/null 2>&1 || return 1
	[ "$(grep -c '"path": "/big[0-9]*k.xml".*"status": 304' "$T/log")" = 2 ] ||
		{ echo "second refresh not conditional:"; cat "$T/log"; return 1; }
}
check "cli.lua refresh: 5,000- and 50,000-item feeds stored whole, a broken feed between" big_case

json_case() {
	timeout 10 "$B" --headless -l plugins/news/feed2json.lua $D/corpus/atom10.xml >"$T/a.json" || return 1
	timeout 10 "$B" --headless -l plugins/news/feed2json.lua "http://127.0.0.1:$PORT/cli.xml" >"$T/b.json" || return 1
	python3 - "$T/a.json" "$T/b.json" <<'PY'
import json, sys
want_item = ["id", "title", "link", "published", "updated", "author", "summary"]
for p in sys.argv[1:]:
    d = json.load(open(p))
    assert sorted(d) == ["feed", "format", "items"], d.keys()
    assert d["format"] in ("rss20", "rss10", "rss09", "atom10", "atom03", "cdf", "unknown")
    assert sorted(d["feed"]) == ["link", "title", "updated"], d["feed"]
    for it in d["items"]:
        assert sorted(it) == sorted(want_item), it
        for k in ("published", "updated"):
            assert it[k] is None or isinstance(it[k], int), (k, it[k])
        assert it["link"] is None or it["link"].lower().startswith("http"), it["link"]
a = json.load(open(sys.argv[1]))
assert a["format"] == "atom10"
assert a["items"][0]["link"] == "https://atom.example/blog/posts/one.html", a["items"][0]
assert a["items"][1]["published"] is None
assert a["items"][0]["published"] == 1710087300
b = json.load(open(sys.argv[2]))
assert b["format"] == "rss20" and len(b["items"]) == 4
assert b["items"][0]["title"] == "Tom & Jerry bold \u201cquoted\u201d", b["items"][0]["title"]
PY
}
check "feed2json: the shape the issue specifies, from a file and a URL" json_case

# feed2json URL: the HTTP charset decodes an undeclared feed, Content-Location
# is the base of its relative links (the loopback server sends both).
http_case() {
	printf '<rss version="2.0"><channel><title>Caf\351</title><item><title>\360\322\311\327\305\324</title><link>post/1</link></item></channel></rss>' >"$T/www/koi.xml"
	printf '<rss version="2.0"><channel><title>Caf\351 cr\350me</title><item><title>\223Quoted\224</title><link>post/1</link></item></channel></rss>' >"$T/www/latin.xml"
	timeout 10 "$B" --headless -l plugins/news/feed2json.lua "http://127.0.0.1:$PORT/charset/koi8-r/koi.xml" >"$T/k.json" || return 1
	timeout 10 "$B" --headless -l plugins/news/feed2json.lua "http://127.0.0.1:$PORT/charset/iso-8859-1/latin.xml" >"$T/l.json" || return 1
	timeout 10 "$B" --headless -l plugins/news/feed2json.lua "http://127.0.0.1:$PORT/located/latin.xml" >"$T/c.json" || return 1
	timeout 10 "$B" --headless -l plugins/news/feed2json.lua "http://127.0.0.1:$PORT/latin.xml" >"$T/u.json" || return 1
	python3 - "$T" "$PORT" <<'PY'
import json, sys
t, port = sys.argv[1], sys.argv[2]
k, l, c, u = (json.load(open("%s/%s.json" % (t, n), encoding="utf-8")) for n in "klcu")
assert k["items"][0]["title"] == "Привет", k["items"][0]["title"]
assert l["feed"]["title"] == "Café crème", l["feed"]["title"]
assert l["items"][0]["title"] == "“Quoted”", l["items"][0]["title"]
assert l["items"][0]["link"] == "http://127.0.0.1:%s/charset/iso-8859-1/post/1" % port, l["items"][0]["link"]
assert c["items"][0]["link"] == "http://127.0.0.1:%s/base/dir/post/1" % port, c["items"][0]["link"]
assert u["feed"]["title"] == "Café crème", "undeclared, no charset: " + u["feed"]["title"]
PY
}
check "feed2json over HTTP: the Content-Type charset and Content-Location count" http_case

check "fuzz smoke: mutated sample feeds give valid JSON or a one-line error, never a crash" \
	python3 $D/fuzz_feed2json.py "$B" "$T" 100

# End to end in tmux (skipped when tmux is missing or panes are not drawn):
# the sidebar on its own feeds (e2e.sh), and as a client of the news
# service (e2e_client.sh).
for e in e2e e2e_client; do
	n=$((n + 1))
	if ! command -v tmux >/dev/null; then
		echo "ok $n - $e in tmux # SKIP no tmux"
	elif out=$(bash $D/$e.sh 2>&1); then
		case $out in
		*skip:*) echo "ok $n - $e in tmux # SKIP ${out##*skip: }" ;;
		*) echo "ok $n - $e in tmux: ${out##*ok: }" ;;
		esac
	else
		fails=$((fails + 1))
		echo "not ok $n - $e in tmux"
		echo "$out" | tail -40 | sed 's/^/#   /'
	fi
done

echo "1..$n"
[ $fails = 0 ]
