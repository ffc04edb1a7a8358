#!/usr/bin/env python3
"""brisk beside vis on big text files in a real terminal, with the shared
harness (../shared/bench/measure_tui.py: tmux 120x40, time to the first
screen, to the end after the go-to-end key, peak RSS).

bench_scale_tui.py TEXT_FILE ONE_LINE_FILE [--runs N]
Prints one line per tool and file (medians)."""
import argparse
import os
import shutil
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "..", "shared", "bench"))
import measure_tui  # noqa: E402

BRISK = os.path.join(ROOT, "brisk")


def ends(path, n):
    """The first n bytes and the last n bytes before the final newline."""
    with open(path, "rb") as f:
        head = f.read(n)
        f.seek(max(0, os.path.getsize(path) - n - 1))
        tail = f.read().rstrip(b"\n")[-n:]
    return head.decode("ascii", "replace"), tail.decode("ascii", "replace")


def spec(tool, path):
    one_line = path.endswith(".json")
    head, tail = ends(path, 20)
    if one_line:
        # The end of a 100 MB line: End (brisk), $ (vis).
        keys = ["End"] if tool == "brisk" else ["$"]
    else:
        keys = ["C-End"] if tool == "brisk" else ["G"]
    quit_keys = [["C-e"], ["quit-force", "Enter"]] if tool == "brisk" else [["Escape"], [":q!", "Enter"]]
    return dict(cmd=BRISK if tool == "brisk" else "vis", first=lambda s: head in s.replace("\n", ""),
                end_keys=keys, end=lambda s: tail in s.replace("\n", ""), quit=quit_keys)


measure_tui.spec = spec


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs=2)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    for path in a.files:
        for tool in ("brisk", "vis"):
            if tool == "vis" and not shutil.which("vis"):
                print("  vis not installed (apt-get install -y vis)")
                continue
            runs = [measure_tui.one_run(tool, path, 120) for _ in range(a.runs)]

            def med(k):
                v = [r[k] for r in runs if r[k] is not None]
                return statistics.median(v) if v else None
            first, end, rss = med("first_screen_s"), med("jump_end_s"), med("peak_rss_kib")
            print("  %-5s %-22s first screen %s  to the end %s  peak RSS %s" % (
                tool, os.path.basename(path), "%.3f s" % first if first is not None else "-",
                "%.3f s" % end if end is not None else "-", "%.0f MB" % (rss / 1024) if rss else "-"))
            sys.stdout.flush()


if __name__ == "__main__":
    main()
