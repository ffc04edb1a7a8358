# Shared start of the sandbox tests (tests/lua/sandbox.t, fuzz.t): run from
# the project root against ./brisk-san (brisk under ASan+UBSan, built by
# `make test`), else ./brisk; a private temporary HOME and XDG dirs in $T.
cd "$(dirname "$0")/../.." || exit 1
B=$(pwd)/brisk-san
[ -x "$B" ] || B=$(pwd)/brisk
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
export HOME=$T XDG_CONFIG_HOME=$T/cfg XDG_DATA_HOME=$T/data XDG_STATE_HOME=$T/state
