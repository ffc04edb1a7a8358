#!/bin/sh
# Key fixtures: tests/keys/NAME/{in,keys,out} (see tests/README.md).
# Plain fixtures run `brisk --headless --keys "$(cat keys)<C-s>"` on a copy
# of `in` and compare the saved file with `out`. Fixtures with selection
# markers (%( ) and %[ ]) or ":command" lines in `keys` go through
# tests/tools/keys.lua, which sets and dumps the selections.
cd "$(dirname "$0")/.." || exit 1
B=${BRISK:-$(pwd)/brisk}
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
export HOME=$T XDG_CONFIG_HOME=$T/cfg XDG_DATA_HOME=$T/data XDG_STATE_HOME=$T/state
n=0
for d in tests/keys/*/; do
	[ -f "$d/keys" ] && n=$((n + 1))
done
echo "1..$n"
i=0
for d in tests/keys/*/; do
	[ -f "$d/keys" ] || continue
	i=$((i + 1))
	name=$(basename "$d")
	file=file.txt
	[ -f "$d/file" ] && file=$(cat "$d/file")
	rm -rf "$T/w"
	mkdir "$T/w"
	cp "$d/in" "$T/w/$file"
	if grep -q '%[[(]' "$d/in" "$d/out" || grep -q '^:' "$d/keys"; then
		prim=
		grep -q '%\[' "$d/out" && prim=primary
		timeout 20 "$B" --headless -l tests/tools/keys.lua "$T/w/$file" "$d/keys" "$T/got" $prim >"$T/log" 2>&1
	else
		timeout 20 "$B" --headless --keys "$(tr -d '\n' <"$d/keys")<C-s>" "$T/w/$file" >"$T/log" 2>&1
		cp "$T/w/$file" "$T/got"
	fi
	if cmp -s "$T/got" "$d/out"; then
		echo "ok $i - $name"
	else
		echo "not ok $i - $name"
		sed -n l "$d/out" | head -20 | sed 's/^/#   expected: /'
		sed -n l "$T/got" 2>/dev/null | head -20 | sed 's/^/#   got:      /'
		sed 's/^/#   log: /' "$T/log" | head -5
	fi
done
