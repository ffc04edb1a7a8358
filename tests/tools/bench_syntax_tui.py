#!/usr/bin/env python3
"""Key-to-screen latency with and without syntax colours, in the real UI:
brisk runs in a pty (120x40, xterm-256color) on FILE opened at +LINE; each
typed key is timed from the write to the last byte of the screen update it
caused (the output going quiet for 150 ms ends the update; that wait is
not counted). "without" disables the syntax plugin from init.lua
(brisk.disabled_plugins.syntax = true); BENCH_SYNTAX_INIT=LUA adds a line
to the "with" run's init.lua (to try variants). Also times the first screen.

bench_syntax_tui.py BRISK DIR FILE LINE MARKER [--keys K]"""
import argparse
import fcntl
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import termios
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ptybench import drain, wait_for  # noqa: E402


def run(a, label, highlight):
    home = os.path.join(a.dir, "home-syntax-" + label)
    cfg = os.path.join(home, "cfg", "brisk")
    os.makedirs(cfg, exist_ok=True)
    with open(os.path.join(cfg, "init.lua"), "w") as f:
        if not highlight:
            f.write("brisk.disabled_plugins.syntax = true\n")
        elif os.environ.get("BENCH_SYNTAX_INIT"):
            f.write(os.environ["BENCH_SYNTAX_INIT"] + "\n")
    env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8", HOME=home,
               XDG_CONFIG_HOME=home + "/cfg", XDG_DATA_HOME=home + "/data", XDG_STATE_HOME=home + "/state")
    env.pop("COLORTERM", None)
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    t0 = time.perf_counter()
    p = subprocess.Popen([a.brisk, "+%d" % a.line, a.file], stdin=slave, stdout=slave, stderr=slave,
                         env=env, start_new_session=True)
    os.close(slave)
    try:
        if not wait_for(master, a.marker.encode(), 120.0):
            print("  (%s: no first screen)" % label)
            return None
        first = (time.perf_counter() - t0) * 1000
        drain(master)
        def timed(keys):
            times = []
            for i in range(a.keys):
                t = time.perf_counter()
                os.write(master, keys[i % 2])
                _, last = drain(master)
                if last is not None:
                    times.append((last - t) * 1000)
            return times
        # Typing then deleting a letter (the line stays the same length),
        # then Enter and Backspace (every line below moves).
        times = timed([b"x", b"\x7f"])
        enter = timed([b"\r", b"\x7f"])
        if not times:
            print("  (%s: no screen updates)" % label)
            return None
        med = statistics.median(times)
        print("  %-52s %9.2f ms  (p90 %.2f, worst %.2f ms, %d keys; first screen %.0f ms)" % (
            "key to screen, %s highlighting (median)" % label, med,
            sorted(times)[int(len(times) * 0.9) - 1], max(times), len(times), first))
        if enter:
            print("  %-52s %9.2f ms  (worst %.2f ms)" % (
                "Enter/Backspace to screen, %s highlighting (median)" % label,
                statistics.median(enter), max(enter)))
        return med
    finally:
        os.write(master, b"\x11")  # Ctrl-Q
        time.sleep(0.2)
        os.write(master, b"n")     # do not save
        time.sleep(0.1)
        p.kill()
        p.wait()
        os.close(master)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("brisk")
    ap.add_argument("dir")
    ap.add_argument("file")
    ap.add_argument("line", type=int)
    ap.add_argument("marker")
    ap.add_argument("--keys", type=int, default=40)
    a = ap.parse_args()
    off = run(a, "without", False)
    on = run(a, "with", True)
    if off and on:
        print("  %-52s %9.2fx" % ("ratio with / without", on / off))


if __name__ == "__main__":
    sys.exit(main())
