# Shared helpers for the end-to-end tests: brisk runs in a real terminal
# (a private tmux server, fixed size, UTF-8 locale); keys go in with
# send-keys and the screen is polled with capture-pane until the expected
# text shows or a deadline passes. No bare sleeps, no timing asserts.
#
# A test sources this file, calls start W H ARGS..., then uses keys/text,
# wait_for/wait_not/wait_file/wait_exit, and ends with `pass "what held"`.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
B=${BRISK:-$ROOT/brisk}
[ -x "$B" ] || { echo "no $B (run make)"; exit 1; }
T=$(mktemp -d "${TMPDIR:-/tmp}/brisk-e2e.XXXXXX")
S=brisk-e2e-$$-$(basename "$0" .sh)
DEADLINE=${BRISK_E2E_DEADLINE:-10}

tm() { tmux -L "$S" -f /dev/null "$@"; }
cleanup() {
	tm kill-server 2>/dev/null
	chmod -R u+w "$T" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

export HOME=$T XDG_CONFIG_HOME=$T/cfg XDG_DATA_HOME=$T/data XDG_STATE_HOME=$T/state
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color
unset TMUX

screen() { tm capture-pane -p -t w 2>/dev/null; }
# The screen with colours/attributes as escape sequences.
screen_e() { tm capture-pane -p -e -t w 2>/dev/null; }

fail() {
	echo "FAIL: $*"
	echo "--- screen:"
	screen | sed 's/^/| /'
	exit 1
}

pass() {
	echo "ok: $*"
	exit 0
}

# skip WHY: the test cannot run here (a tool is missing); e2e.t reports a
# TAP SKIP. `make check` installs what the tests need (scripts/deps.sh).
skip() {
	echo "skip: $*"
	exit 0
}

# start W H [ARGS...]: brisk ARGS in a W x H terminal. BRISK_WRAP, when
# set, is a command prefix (e.g. setpriv ...).
start() {
	local w=$1 h=$2 cmd
	shift 2
	cmd="cd $(printf %q "$T") && exec ${BRISK_WRAP:-} $(printf %q "$B")"
	for a in "$@"; do
		cmd="$cmd $(printf %q "$a")"
	done
	tm new-session -d -s w -x "$w" -y "$h" "$cmd" || fail "tmux did not start"
	tm set-option -t w remain-on-exit off >/dev/null 2>&1
}

# start_sh W H 'SHELL COMMAND': a shell command line (that runs brisk, as
# $B, e.g. through git or a pipe) in a W x H terminal, in $T (also set).
start_sh() {
	local w=$1 h=$2
	tm new-session -d -s w -x "$w" -y "$h" "cd $(printf %q "$T") && T=\$PWD B=$(printf %q "$B") && $3" || fail "tmux did not start"
	tm set-option -t w remain-on-exit off >/dev/null 2>&1
}

keys() { tm send-keys -t w "$@"; }
text() { tm send-keys -t w -l -- "$1"; }

# wait_for TEXT [SECONDS]: the screen shows TEXT.
wait_for() {
	local i n=$(( ${2:-$DEADLINE} * 20 ))
	for i in $(seq "$n"); do
		screen | grep -qF -- "$1" && return 0
		sleep 0.05
	done
	return 1
}

# wait_not TEXT [SECONDS]: the screen no longer shows TEXT.
wait_not() {
	local i n=$(( ${2:-$DEADLINE} * 20 ))
	for i in $(seq "$n"); do
		screen | grep -qF -- "$1" || return 0
		sleep 0.05
	done
	return 1
}

# wait_line N TEXT: screen row N (1-based) is exactly TEXT (trailing
# blanks ignored).
wait_line() {
	local i n=$(( DEADLINE * 20 ))
	for i in $(seq "$n"); do
		[ "$(screen | sed -n "$1p" | sed 's/ *$//')" = "$2" ] && return 0
		sleep 0.05
	done
	return 1
}

# wait_file FILE TEXT: FILE contains TEXT.
wait_file() {
	local i n=$(( DEADLINE * 20 ))
	for i in $(seq "$n"); do
		[ -f "$1" ] && grep -qF -- "$2" "$1" && return 0
		sleep 0.05
	done
	return 1
}

# wait_glob PATTERN TEXT: a file matching PATTERN (a shell glob) contains TEXT.
wait_glob() {
	local i f n=$(( DEADLINE * 20 ))
	for i in $(seq "$n"); do
		for f in $1; do
			[ -f "$f" ] && grep -qF -- "$2" "$f" && return 0
		done
		sleep 0.05
	done
	return 1
}

# wait_exit: brisk has quit (the tmux session is gone).
wait_exit() {
	local i n=$(( DEADLINE * 20 ))
	for i in $(seq "$n"); do
		tm has-session -t w 2>/dev/null || return 0
		sleep 0.05
	done
	return 1
}

alive() { tm has-session -t w 2>/dev/null; }

# wait_raw: brisk has set up the terminal (raw mode: no ICANON, no IXON),
# for screens too small to show anything to wait for.
wait_raw() {
	local i n=$(( DEADLINE * 20 )) tty
	tty=$(tm display-message -p -t w '#{pane_tty}')
	for i in $(seq "$n"); do
		stty -F "$tty" -a 2>/dev/null | grep -q -- '-icanon' && return 0
		sleep 0.05
	done
	return 1
}

# The status bar's line:col, e.g. "3:7".
status_pos() { screen | tail -2 | head -1 | grep -oE '[0-9]+:[0-9]+( |$)' | tail -1 | tr -d ' '; }

pos_is() { [ "$(status_pos)" = "$1" ]; }
wait_pos() { poll pos_is "$1"; }

# poll CMD [ARGS...]: CMD succeeds before the deadline.
poll() {
	local i n=$(( DEADLINE * 20 ))
	for i in $(seq "$n"); do
		"$@" && return 0
		sleep 0.05
	done
	return 1
}

# wait_cursor 0|1: the terminal's cursor is hidden / shown (brisk hides
# the text cursor while a pane has the focus).
cursor_is() { [ "$(tm display -p -t w '#{cursor_flag}')" = "$1" ]; }
wait_cursor() { poll cursor_is "$1"; }
