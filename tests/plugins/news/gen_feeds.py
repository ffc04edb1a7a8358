#!/usr/bin/env python3
"""Feeds with text of realistic length for the news service's tests and
bench: random sentences of the words of brisk's own prose (README.md,
docs/api.md, plugins/news/README.md), so they compress like text.

usage: gen_feeds.py DIR SEED NAME:ITEMS [NAME:ITEMS ...]

Writes DIR/NAME.xml, an RSS 2.0 feed of ITEMS items: titles of 5-12
words, links with tracking parameters, an author, dates a minute apart,
descriptions of 2-4 HTML paragraphs (150-350 words).
"""
import os
import random
import re
import sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")
words = []
for p in ("README.md", "docs/api.md", "plugins/news/README.md"):
    words += re.findall(r"[A-Za-z]+", open(os.path.join(root, p)).read())
out, seed = sys.argv[1], int(sys.argv[2])
random.seed(seed)


def sentence(n):
    return " ".join(random.choice(words) for _ in range(n)).capitalize() + "."


for spec in sys.argv[3:]:
    name, n = spec.split(":")
    items = []
    for i in range(int(n)):
        title = sentence(random.randint(5, 12))[:-1]
        slug = "-".join(title.lower().split()[:6])
        body = "".join("&lt;p&gt;%s&lt;/p&gt;" % " ".join(sentence(random.randint(8, 20)) for _ in range(random.randint(2, 5)))
                       for _ in range(random.randint(2, 4)))
        items.append("<item><title>%s</title><link>https://%s.example/2026/12/%d/%s?utm_source=rss&amp;utm_medium=feed</link>"
                     "<guid>%s-%d</guid><author>%s %s</author><pubDate>Sat, 05 Dec 2026 %02d:%02d:00 GMT</pubDate>"
                     "<description>%s</description></item>" % (title, name, i, slug, name, i, random.choice(words),
                                                               random.choice(words), i // 60 % 24, i % 60, body))
    with open(os.path.join(out, name + ".xml"), "w") as f:
        f.write('<?xml version="1.0"?><rss version="2.0"><channel><title>%s</title><link>https://%s.example/</link>\n%s\n'
                "</channel></rss>\n" % (name, name, "\n".join(items)))
