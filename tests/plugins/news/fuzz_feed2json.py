#!/usr/bin/env python3
"""Fuzz smoke of feed2json: random mutations of the sample feeds.

usage: fuzz_feed2json.py BRISK TMPDIR [ROUNDS]     (FUZZ_SEED=n replays)

Each mutated feed goes through `brisk --headless -l plugins/news/feed2json.lua`;
it must exit 0 with valid JSON (strict UTF-8) on stdout, or exit 1 with one
line "feed2json: ..." on stderr, within 20 s. Prints the seed, a TAP line per
failure kind, and keeps the first failing input in TMPDIR/fuzz-fail.xml.
"""
import glob
import json
import os
import random
import subprocess
import sys

brisk, tmp = sys.argv[1], sys.argv[2]
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 150
seed = int(os.environ.get("FUZZ_SEED") or random.SystemRandom().randrange(1 << 30))
rng = random.Random(seed)
print("# seed %d (FUZZ_SEED=%d replays)" % (seed, seed))

root = os.path.dirname(os.path.abspath(__file__))
samples = sorted(glob.glob(os.path.join(root, "corpus", "*.xml")) + glob.glob(os.path.join(root, "corpus", "*.rdf"))
                 + glob.glob(os.path.join(root, "..", "..", "data", "feeds", "*.xml")))
seeds = [open(p, "rb").read() for p in samples]

SNIPPETS = [b"<", b">", b"&", b"&amp;", b"&#", b"&#x9b;", b"&#27;[31m", b"]]>", b"<![CDATA[", b"<!--", b"</item>",
            b"<item>", b"</channel>", b"<entry>", b"<br>", b"<p>", b"\x1b[2J", b"\x1b]0;x\x07", b"\x00", b"\x07",
            b"\xc2\x9b", b"\xff\xfe", b"\xef\xbb\xbf", b"\x92", b"\xe9", b"\xc3", b"&bogus;", b"&nbsp;",
            b"<!DOCTYPE r [<!ENTITY e \"ee\">]>", b"&e;", b"encoding='utf-16'", b"encoding='x-bogus'",
            b"<?xml version='1.0' encoding='iso-8859-1'?>", b"<pubDate>Mon, 13 Feb, 2012 06:28:00 ET</pubDate>",
            b"<dc:date>2003-W01-1</dc:date>", b"<content type='application/octet-stream'>SGk=</content>",
            b"\"", b"'", b"=", b" ", b"\n"]


def mutate(data):
    data = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if not data:
            data += rng.choice(SNIPPETS)
            continue
        i = rng.randrange(len(data))
        op = rng.randrange(6)
        if op == 0:
            data[i] = rng.randrange(256)
        elif op == 1:
            data[i:i] = rng.choice(SNIPPETS)
        elif op == 2:
            del data[i:i + rng.randint(1, 64)]
        elif op == 3:
            j = rng.randrange(len(data))
            data[i:i] = data[j:j + rng.randint(1, 200)]
        elif op == 4:
            data = data[:i]
        else:
            data[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    return bytes(data)


fails = {}
path = os.path.join(tmp, "fuzz.xml")
for n in range(rounds):
    data = mutate(rng.choice(seeds))
    with open(path, "wb") as f:
        f.write(data)
    why = None
    try:
        p = subprocess.run([brisk, "--headless", "-l", "plugins/news/feed2json.lua", path],
                           capture_output=True, timeout=20)
        if p.returncode == 0:
            try:
                d = json.loads(p.stdout.decode("utf-8", errors="strict"))
                if sorted(d) != ["feed", "format", "items"]:
                    why = "JSON of another shape"
            except (UnicodeDecodeError, ValueError) as e:
                why = "invalid JSON (%s)" % str(e)[:60]
        elif p.returncode == 1:
            err = p.stderr.decode("utf-8", errors="replace").strip()
            if not err.startswith("feed2json: ") or "\n" in err:
                why = "a failure without its one-line message"
        else:
            why = "exit status %d" % p.returncode
    except subprocess.TimeoutExpired:
        why = "no answer in 20 s"
    if why and why not in fails:
        fails[why] = n
        with open(os.path.join(tmp, "fuzz-fail.xml"), "wb") as f:
            f.write(data)
        print("# round %d: %s (input kept in %s/fuzz-fail.xml)" % (n, why, tmp))

print("# %d mutated feeds from %d samples" % (rounds, len(seeds)))
sys.exit(1 if fails else 0)
