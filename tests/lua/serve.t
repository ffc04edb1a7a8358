#!/bin/sh
# brisk.http.serve (TAP): tests/lua/serve.lua, a server in the process
# asked by brisk.http and by raw sockets (tests/tools/rawhttp.py; python3,
# openssl(1) for the TLS case). The handler errors it provokes make brisk
# exit 1, so it runs through lua-tap.sh, which judges by the checks.
exec "$(dirname "$0")/../tools/lua-tap.sh" tests/lua/serve.lua
