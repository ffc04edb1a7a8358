#!/bin/sh
# `make corpus`: runs every tests/corpus/*.sh, which measures brisk over the
# large sample corpora kept outside the repository and prints figures
# (never part of `make check`). The corpus folder is $BRISK_CORPUS (the
# Makefile sets it: where the project's machines keep it, unless given); a
# script whose corpus is absent says so and exits 0.
cd "$(dirname "$0")/../.." || exit 1
BRISK_CORPUS=${BRISK_CORPUS:-}
export BRISK_CORPUS
set -- tests/corpus/*.sh
if [ ! -e "$1" ]; then
	echo "no corpus measurements (tests/corpus/*.sh)"
	exit 0
fi
[ -n "$BRISK_CORPUS" ] && [ -d "$BRISK_CORPUS" ] ||
	echo "corpus folder '$BRISK_CORPUS' is absent (set BRISK_CORPUS=DIR): the scripts say what they skip"
status=0
for s in "$@"; do
	echo "== $s"
	sh "$s" || { echo "$s failed (status $?)"; status=1; }
done
exit $status
