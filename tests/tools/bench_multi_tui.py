#!/usr/bin/env python3
"""A keystroke at N cursors in the real UI: brisk runs in a pty (120x40,
xterm-256color) on a file of N lines "    foo_count = 1;"; Alt-Shift-L puts
a cursor on every foo_count, then each typed key is timed from the write
to the last byte of the screen update it caused (the output going quiet
for 150 ms ends the update; that wait is not counted).

bench_multi_tui.py BRISK DIR [--cursors N] [--keys K]
Prints the median and the worst of K keystrokes."""
import argparse
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import termios
import fcntl
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ptybench import drain, wait_for  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("brisk")
    ap.add_argument("dir")
    ap.add_argument("--cursors", type=int, default=100000)
    ap.add_argument("--keys", type=int, default=20)
    a = ap.parse_args()
    path = os.path.join(a.dir, "multi-tui.c")
    with open(path, "w") as f:
        f.write("    foo_count = 1;\n" * a.cursors)
    home = os.path.join(a.dir, "home")
    env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8", HOME=home,
               XDG_CONFIG_HOME=home + "/cfg", XDG_DATA_HOME=home + "/data", XDG_STATE_HOME=home + "/state")
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    p = subprocess.Popen([a.brisk, path], stdin=slave, stdout=slave, stderr=slave, env=env,
                         start_new_session=True)
    os.close(slave)
    try:
        if not wait_for(master, b"foo_count"):
            print("  (tui: no first screen)")
            return
        drain(master)
        os.write(master, b"\x1b[C" * 5)      # onto the word
        drain(master)
        os.write(master, b"\x1bL")           # Alt-Shift-L: select all occurrences
        if not wait_for(master, b"%d cursors" % a.cursors):
            print("  (tui: select-all-occurrences did not show %d cursors)" % a.cursors)
            return
        drain(master)
        times = []
        for i in range(a.keys):
            t0 = time.perf_counter()
            os.write(master, b"x")
            _, last = drain(master)
            if last is not None:
                times.append((last - t0) * 1000)
        if times:
            print("  %-52s %9.2f ms  (worst %.2f ms, %d keys)" % (
                "key at %d cursors to the updated screen (median)" % a.cursors,
                statistics.median(times), max(times), len(times)))
    finally:
        os.write(master, b"\x11")  # Ctrl-Q
        time.sleep(0.2)
        p.kill()
        p.wait()
        os.close(master)
        os.remove(path)


if __name__ == "__main__":
    sys.exit(main())
