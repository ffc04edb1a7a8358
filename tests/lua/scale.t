#!/bin/sh
# The cost of opening big files (tests/lua/scale.lua): a 100 MB single
# line and 100 MB of 50-byte lines, written here, opened headless.
cd "$(dirname "$0")/../.." || exit 1
D=$(mktemp -d "${TMPDIR:-/tmp}/brisk-scale.XXXXXX")
trap 'rm -rf "$D"' EXIT
python3 - "$D/one.json" "$D/many.txt" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("[" + ",".join('{"k%d":"v%d"}' % (i, i) for i in range(7_800_000)) + "]\n")
line = "%-49s\n"
with open(sys.argv[2], "w") as f:
    for c in range(2000):
        f.write("".join(line % ("line %d of many" % (c * 1000 + i)) for i in range(1000)))
PY
exec tests/tools/lua-tap.sh tests/lua/scale.lua "$D/one.json" "$D/many.txt"
