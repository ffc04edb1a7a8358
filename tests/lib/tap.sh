# Numbered TAP from shell test files (sourced): `check NAME COMMAND...` runs
# the command, prints "ok N - NAME" or "not ok N - NAME" with the tail of
# its output as diagnostics; `done_testing` prints the plan and returns the
# result, for the file's exit status.
n=0
fails=0
check() {
	name=$1
	shift
	n=$((n + 1))
	if out=$("$@" 2>&1); then
		echo "ok $n - $name"
	else
		fails=$((fails + 1))
		echo "not ok $n - $name"
		echo "$out" | tail -20 | sed 's/^/#   /'
	fi
}
done_testing() {
	echo "1..$n"
	[ $fails = 0 ]
}
