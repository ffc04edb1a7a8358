#!/bin/sh
# Split windows and macros, headless.
exec "$(dirname "$0")/../tools/lua-tap.sh" tests/lua/windows.lua
