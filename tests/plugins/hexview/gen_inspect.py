#!/usr/bin/env python3
"""Expected inspector readings, computed independently with struct.

gen_inspect.py OUT.json: random 8-byte groups (plus edge cases) with every
reading the inspector shows, and values to write with hex-set with the
bytes struct.pack gives for them."""
import json
import math
import random
import struct
import sys
from datetime import datetime, timezone

random.seed(7)
INTS = {"u8": "<B", "i8": "<b"}
for bits, c in ((16, "h"), (32, "i"), (64, "q")):
    for order, o in (("le", "<"), ("be", ">")):
        INTS[f"u{bits}{order}"] = o + c.upper()
        INTS[f"i{bits}{order}"] = o + c
FLOATS = {"f32le": "<f", "f32be": ">f", "f64le": "<d", "f64be": ">d"}


def readings(b):
    r = {}
    for k, f in INTS.items():
        r[k] = str(struct.unpack_from(f, b)[0])
    for k, f in FLOATS.items():
        x = struct.unpack_from(f, b)[0]
        r[k] = "nan" if math.isnan(x) else ("inf" if x == math.inf else "-inf" if x == -math.inf else repr(x))
    r["binary"] = format(b[0], "08b")
    if 0x20 <= b[0] < 0x7f:
        r["char"] = "'%s'" % chr(b[0])
    for k, f in (("time32le", "<I"), ("time32be", ">I")):
        v = struct.unpack_from(f, b)[0]
        r[k] = datetime.fromtimestamp(v, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    return r


groups = [bytes(random.randrange(256) for _ in range(8)) for _ in range(60)]
groups += [bytes(8), b"\xff" * 8, b"\x7f\xff\xff\xff\xff\xff\xff\xff", b"\x80" + bytes(7),
           struct.pack("<d", 1.5), struct.pack(">f", -2.25) + b"\0\0\0\0",
           struct.pack("<f", float("inf")) + bytes(4), struct.pack("<I", 1700000000) + bytes(4)]
cases = [{"hex": g.hex(), "want": readings(g)} for g in groups]

writes = []
for k, f in INTS.items():
    size = struct.calcsize(f)
    lo, hi = (-(1 << (8 * size - 1)), (1 << (8 * size - 1)) - 1) if k[0] == "i" else (0, (1 << (8 * size)) - 1)
    for v in (lo, hi, random.randint(lo, hi)):
        writes.append({"kind": k, "text": str(v), "hex": struct.pack(f, v).hex()})
for k, f in FLOATS.items():
    for v in (0.5, -1234.75, 3.0e10):
        writes.append({"kind": k, "text": repr(v), "hex": struct.pack(f, v).hex()})
writes.append({"kind": "binary", "text": "10100101", "hex": "a5"})
writes.append({"kind": "char", "text": "Z", "hex": "5a"})
writes.append({"kind": "time32le", "text": "2023-11-14 22:13:20",
               "hex": struct.pack("<I", 1700000000).hex()})
writes.append({"kind": "u32le", "text": "0x1c00ac00", "hex": struct.pack("<I", 0x1C00AC00).hex()})

json.dump({"cases": cases, "writes": writes}, open(sys.argv[1], "w"))
