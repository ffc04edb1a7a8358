#!/bin/bash
# Figures (not a test): bytes on the wire to fetch and then refresh 12
# unchanged feeds over loopback, brisk vs newsboat (when installed), and
# the time each takes to fetch, parse and store a 1,000-item feed.
# usage: tests/plugins/news/bench_bytes.sh   (from the project root)
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
B=$root/brisk
T=$(mktemp -d)
SP=
trap 'kill $SP 2>/dev/null; rm -rf "$T"' EXIT
mkdir -p "$T/www" "$T/cfg/brisk" "$T/data" "$T/nb"
export HOME=$T XDG_CONFIG_HOME=$T/cfg XDG_DATA_HOME=$T/data
python3 - "$T/www" <<'PY'
import sys
root = sys.argv[1]
for f in range(1, 13):
    items = "".join(
        "<item><title>Feed %d item %d</title><link>http://f%d.example/%d</link><guid>f%d-%d</guid>"
        "<pubDate>Sun, 10 Mar 2024 16:15:00 GMT</pubDate><description>%s</description></item>\n"
        % (f, i, f, i, f, i, "A paragraph of the post, as feeds carry them. " * 12) for i in range(20))
    open("%s/f%d.xml" % (root, f), "w").write(
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Feed %d</title>'
        "<link>http://f%d.example/</link><description>d</description>\n%s</channel></rss>\n" % (f, f, items))
items = "".join(
    "<item><title>Item %d</title><link>http://big.example/%d</link><guid>big-%d</guid>"
    "<pubDate>Sun, 10 Mar 2024 16:15:00 GMT</pubDate><description>&lt;p&gt;%s&lt;/p&gt;</description></item>\n"
    % (i, i, i, "Body text of the post. " * 40) for i in range(1000))
open("%s/big.xml" % root, "w").write(
    '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Big</title>'
    "<link>http://big.example/</link><description>d</description>\n%s</channel></rss>\n" % items)
PY
python3 "$here/feedserver.py" "$T/port" "$T/www" "$T/log" & SP=$!
for i in $(seq 100); do [ -s "$T/port" ] && break; sleep 0.05; done
PORT=$(cat "$T/port")
{
	echo "require('news').setup{ feeds = {"
	for f in $(seq 12); do echo "{url = 'http://127.0.0.1:$PORT/f$f.xml'},"; done
	echo "} }"
} >"$T/cfg/brisk/init.lua"
for f in $(seq 12); do echo "http://127.0.0.1:$PORT/f$f.xml"; done >"$T/nb/urls"

sum() { # from-line: request+response bytes, body bytes, statuses
	python3 - "$T/log" "$1" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])][int(sys.argv[2]):]
wire = sum(r["req"] + r["head"] + r["bytes"] for r in rows)
body = sum(r["bytes"] for r in rows)
st = {}
for r in rows: st[r["status"]] = st.get(r["status"], 0) + 1
print("%d requests, %d bytes on the wire (request and response heads + %d body bytes), statuses %s" % (len(rows), wire, body, st))
PY
}
lines() { wc -l <"$T/log"; }

n0=$(lines); "$B" --headless -c "brisk.command('news-refresh')" 2>/dev/null
echo "brisk    first fetch of 12 feeds: $(sum $n0)"
n0=$(lines); "$B" --headless -c "brisk.command('news-refresh')" 2>/dev/null
echo "brisk    refresh, unchanged:      $(sum $n0)"
if command -v newsboat >/dev/null; then
	n0=$(lines); newsboat -u "$T/nb/urls" -c "$T/nb/cache.db" -C /dev/null -x reload >/dev/null 2>&1
	echo "newsboat first fetch of 12 feeds: $(sum $n0)"
	n0=$(lines); newsboat -u "$T/nb/urls" -c "$T/nb/cache.db" -C /dev/null -x reload >/dev/null 2>&1
	echo "newsboat refresh, unchanged:      $(sum $n0)"
fi

echo "require('news').setup{ feeds = { {url = 'http://127.0.0.1:$PORT/big.xml'} } }" >"$T/cfg/brisk/init.lua"
rm -rf "$T/data"
s=$(date +%s.%N); "$B" --headless -c "brisk.command('news-refresh')" 2>/dev/null; e=$(date +%s.%N)
echo "brisk    fetch, parse and store a 1000-item feed: $(echo "($e - $s) * 1000" | bc | cut -d. -f1) ms"
if command -v newsboat >/dev/null; then
	echo "http://127.0.0.1:$PORT/big.xml" >"$T/nb/urls2"
	s=$(date +%s.%N); newsboat -u "$T/nb/urls2" -c "$T/nb/cache2.db" -C /dev/null -x reload >/dev/null 2>&1; e=$(date +%s.%N)
	echo "newsboat fetch, parse and store a 1000-item feed: $(echo "($e - $s) * 1000" | bc | cut -d. -f1) ms"
fi
