#!/usr/bin/env python3
"""brisk --hex beside hexedit and bvi in a real terminal, with the project's
harness (measure_tui.py in $BRISK_BENCH_TOOLS, which the Makefile sets:
tmux 120x40, time to the first screen, time to the end after the go-to-end
key, peak RSS).

bench_hex_tui.py FILE [--runs N] [--tools brisk,hexedit,bvi]
FILE must start with "BRISK-MARK" (the first screen shows it). Tools that
are not installed are skipped. Prints one line per tool (medians)."""
import argparse
import os
import shutil
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TOOLS = os.environ.get("BRISK_BENCH_TOOLS", "")
if not TOOLS or not os.path.isfile(os.path.join(TOOLS, "measure_tui.py")):
    print("  (no measure_tui.py in BRISK_BENCH_TOOLS=%r: skipped)" % TOOLS)
    sys.exit(0)
sys.path.insert(0, TOOLS)
import measure_tui  # noqa: E402

BRISK = os.path.join(ROOT, "brisk")
shared_spec = measure_tui.spec


def spec(tool, path):
    if tool != "brisk":
        return shared_spec(tool, path)
    size = os.path.getsize(path)
    last_row = "%08x:" % ((size - 1) // 16 * 16)
    return dict(cmd=BRISK + " --hex", first=lambda s: "BRISK-MARK" in s, end_keys=["C-End"],
                end=lambda s: last_row in s, quit=[["C-q"]])


measure_tui.spec = spec


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--tools", default="brisk,hexedit,bvi")
    a = ap.parse_args()
    env = dict(os.environ, HOME=os.environ.get("HOME", "/tmp"))
    os.environ.update(env)
    for tool in a.tools.split(","):
        if tool != "brisk" and not shutil.which(tool):
            print("  %-8s not installed (apt-get install -y %s)" % (tool, tool))
            continue
        runs = [measure_tui.one_run(tool, a.file, 120) for _ in range(a.runs)]

        def med(k):
            v = [r[k] for r in runs if r[k] is not None]
            return statistics.median(v) if v else None
        first, end, rss = med("first_screen_s"), med("jump_end_s"), med("peak_rss_kib")
        print("  %-8s first screen %s  to the end %s  peak RSS %s" % (
            tool, "%.3f s" % first if first is not None else "-",
            "%.3f s" % end if end is not None else "-",
            "%.0f MB" % (rss / 1024) if rss else "-"))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
