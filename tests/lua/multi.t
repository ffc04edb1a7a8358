#!/bin/sh
# brisk.multi (lua/api_multi.c), headless.
exec "$(dirname "$0")/../tools/lua-tap.sh" tests/lua/multi.lua
