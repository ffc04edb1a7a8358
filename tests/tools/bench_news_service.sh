#!/bin/sh
# `make bench`: figures of the news service (plugins/news/serve.lua), not
# assertions: the bytes of an unchanged sync, the page of 150 unread items,
# 20 clients syncing at once while the service polls feeds that change
# (latency percentiles), and the 30-day bandwidth simulation (the client
# against polling the feeds directly). From the project root.
set -u
B=$(pwd)/brisk
D=tests/plugins/news
T=$(mktemp -d)
FP= SP= WP=
trap 'for p in $FP $SP $WP; do kill $p 2>/dev/null; done; rm -rf "$T"' EXIT
export HOME=$T XDG_CONFIG_HOME=$T/cfg XDG_DATA_HOME=$T/data XDG_STATE_HOME=$T/state NEWS_TEST_TMP=$T
mkdir -p "$T/www" "$T/cfg/brisk"
echo "== news service =="
python3 $D/gen_feeds.py "$T/www" 12 f1:150 $(for f in $(seq 2 12); do printf 'f%d:20 ' $f; done)
python3 $D/feedserver.py "$T/fport" "$T/www" "$T/flog" & FP=$!
i=0; while [ ! -s "$T/fport" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
FPORT=$(cat "$T/fport")
{ echo "require('news').setup{ feeds = {"
  for f in $(seq 12); do echo "{url = 'http://127.0.0.1:$FPORT/f$f.xml', interval = 1},"; done
  echo "} }"; } >"$T/cfg/brisk/init.lua"
SPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$B" --headless -l plugins/news/serve.lua --listen "127.0.0.1:$SPORT" --token-file "$T/token" >"$T/serve.out" 2>&1 & SP=$!
BASE=http://127.0.0.1:$SPORT
i=0; while [ $i -lt 200 ]; do
	page=$(python3 $D/test_service.py page "$BASE" "$(cat "$T/token" 2>/dev/null)" 2>/dev/null)
	case $page in "200 "*) set -- $page; [ "$2" -ge 370 ] && break ;; esac
	sleep 0.2; i=$((i + 1))
done
TOKEN=$(cat "$T/token")
# the page with the 150 items of f1 unread, the others read
python3 - "$BASE" "$TOKEN" <<'PY'
import json, sys, urllib.request
base, tok = sys.argv[1], sys.argv[2]
h = {"Authorization": "Bearer " + tok}
d = json.load(urllib.request.urlopen(urllib.request.Request(base + "/api/v1/sync", headers=h)))
f1 = [f["id"] for f in d["feeds"] if f["url"].endswith("/f1.xml")]
ids = [i["id"] for i in d["items"] if i["feed"] not in f1]
urllib.request.urlopen(urllib.request.Request(base + "/api/v1/read", headers=h, method="POST",
                                              data=json.dumps({"ids": ids, "read": True}).encode()))
PY
page=$(python3 $D/test_service.py page "$BASE" "$TOKEN"); set -- $page
echo "  the page of $2 unread items: $3 bytes gzip ($4 bytes of HTML; the goal for 150: at most 92160)"
python3 $D/test_service.py checks "$BASE" "$TOKEN" "$T/www" 2>/dev/null | sed -n 's/^# figure: /  /p'
# one feed changes every 0.3 s, so the service keeps polling and merging
( n=0; while :; do n=$((n + 1)); sed "s|</channel>|<item><title>Load $n</title><guid>load-$n</guid></item></channel>|" "$T/www/f2.xml" >"$T/www/f2.tmp" && mv "$T/www/f2.tmp" "$T/www/f2.xml"; sleep 0.3; done ) & WP=$!
printf '  while the service polls: '
"$B" --headless -l $D/bench_load.lua "$BASE" "$TOKEN" 20 20
kill $WP; WP=
echo "  30 days of 12 feeds (tests/plugins/news/test_sim.lua):"
"$B" --headless -l $D/test_sim.lua 2>/dev/null | sed -n 's/^# figure: /    /p'
exit 0
