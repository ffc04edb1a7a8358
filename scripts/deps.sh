#!/bin/sh
# Installs the Debian packages brisk builds and runs with (`make run`), and
# with --test also those the tests use (`make check`: tmux for the terminal
# tests; git, cron and sudo to test brisk as their EDITOR; zsh for its
# completion; xclip and xvfb for the system clipboard; strace for the
# interrupted-save tests; python3-feedparser and openssl for the news
# service's Atom and HTTPS tests), only when one is
# missing. Without root it prints the exact command instead.
pkgs="build-essential pkg-config libncurses-dev liblua5.4-dev libcurl4-openssl-dev
libpcre2-dev libutf8proc-dev libxml2-dev libsqlite3-dev zlib1g-dev libssl-dev
libmicrohttpd-dev locales"
[ "${1:-}" = --test ] && pkgs="$pkgs tmux python3 python3-feedparser openssl xxd perl git cron sudo zsh xclip xvfb strace"
missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
cmd="apt-get update && apt-get install -y$missing"
if [ "$(id -u)" != 0 ]; then
  echo "brisk needs these Debian packages:$missing"
  echo "run as root:  $cmd"
  exit 1
fi
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null && apt-get install -y -q $missing >/dev/null || { echo "apt-get failed: $cmd"; exit 1; }
