# Shared start of the headless shell tests (sourced from the project root,
# tests/lua/commands.t, dispatch.t): the binary in $B, a private temporary
# HOME and XDG directories in $T, and numbered TAP: `check DESC COMMAND...`
# passes when the command does; a failure prints what notok prints (a
# test may redefine it to show more). The file ends with `echo "1..$n"`.
B=${BRISK:-./brisk}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
export HOME=$T/home XDG_CONFIG_HOME=$T/cfg XDG_DATA_HOME=$T/data XDG_STATE_HOME=$T/state
mkdir -p "$HOME" "$XDG_CONFIG_HOME/brisk"

n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); echo "not ok $n - $*"; }
check() { desc=$1; shift; if "$@"; then ok "$desc"; else notok "$desc"; fi; }
