"""Shared helpers for the benchmarks that drive brisk in a pty."""
import os
import select
import time


def drain(fd, quiet=0.15, deadline=30.0):
    """Reads until nothing comes for `quiet` seconds; returns (bytes, time of the last byte)."""
    out, last = b"", None
    end = time.perf_counter() + deadline
    while time.perf_counter() < end:
        r, _, _ = select.select([fd], [], [], quiet)
        if not r:
            break
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
        last = time.perf_counter()
    return out, last


def wait_for(fd, text, deadline=60.0):
    """Reads until `text` appears; False when the deadline passes first."""
    seen = b""
    end = time.perf_counter() + deadline
    while time.perf_counter() < end:
        r, _, _ = select.select([fd], [], [], 0.5)
        if r:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                return False
            if text in seen:
                return True
            seen = seen[-4096:]
    return False
