#!/bin/sh
# Plugin UI API tests (TAP): runs tests/lua/{panes,decor,menus}.lua under
# `brisk --headless -l` (panes, sidebars, focus and key routing, status
# segments, decorations moving with edits, syntax colour caching, menus
# and prompts driven by keys). Each script prints "ok - ..." lines and
# "# done NAME: N checks, F failed"; this numbers them and adds the plan.
cd "$(dirname "$0")/../.." || exit 1
B=${BRISK:-./brisk}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
export HOME=$T XDG_CONFIG_HOME=$T/cfg XDG_DATA_HOME=$T/data XDG_STATE_HOME=$T/state

n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); echo "not ok $n - $*"; }

for s in panes decor menus; do
	timeout 60 "$B" --headless -l "tests/lua/$s.lua" >"$T/out" 2>"$T/err"
	while IFS= read -r line; do
		case $line in
		"ok - "*) ok "$s: ${line#ok - }" ;;
		"not ok - "*) notok "$s: ${line#not ok - }" ;;
		"#"*) echo "$line" ;;
		esac
	done <"$T/out"
	# Errors the scripts provoke on purpose go to stderr; a crash or an
	# early exit shows as a missing "done" line.
	if grep -q "^# done $s.lua: [0-9]* checks, 0 failed" "$T/out"; then
		ok "$s: ran to its end"
	else
		notok "$s: ran to its end"
		sed 's/^/# /' "$T/err" | tail -20
	fi
done

# A pane from a plugin's init.lua: loaded at start, shown, not focused.
mkdir -p "$T/cfg/brisk/plugins/side"
cat >"$T/cfg/brisk/plugins/side/init.lua" <<'LUA'
local p = brisk.sidebar{title = "Side", lines = {"one", "two"}}
brisk.register_command("side-state", function()
  print(p:visible(), brisk.focused_pane() == nil, p:count())
end)
LUA
out=$(timeout 10 "$B" --headless -c 'brisk.command("side-state")' 2>&1)
if [ "$out" = "true	true	2" ]; then ok "a plugin's sidebar pane is shown at start, without the focus"; else notok "plugin pane at start: $out"; fi
echo "1..$n"
