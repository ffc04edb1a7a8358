-- XML, HTML, SVG and friends.
return {
  name = "xml",
  extensions = {"xml", "html", "htm", "xhtml", "svg", "xsl", "xslt", "xsd", "rss", "atom", "opml", "plist", "glade", "ui"},
  comment = "<!-- ", tabwidth = 2, expandtab = true,
  states = {
    main = {
      {[==[<!--]==], "comment", next = "comment"},
      {[==[<!\[CDATA\[]==], "preproc", next = "cdata"},
      {[==[<[!?][^>]*>?]==], "preproc"},
      {[==[</?[\w:.-]+]==], "tag", next = "tag"},
      {[==[&(?:\w+|#\d+|#[xX][0-9a-fA-F]+);]==], "special"},
    },
    tag = {
      {[==[/?>]==], "tag", next = "main"},
      {[==["[^"]*"|'[^']*']==], "string"},
      {[==[[\w:.-]+]==], "attribute"},
    },
    comment = {style = "comment", {[==[-->]==], "comment", next = "main"}},
    cdata = {style = "string", {[==[\]\]>]==], "preproc", next = "main"}},
  },
}
