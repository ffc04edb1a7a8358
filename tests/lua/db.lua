-- brisk.db: SQLite basics, statements, transactions, closed handles.
local T = loadfile(arg[0]:match("^(.-)[^/]*$") .. "tap.lua", "t", _ENV)()
local dir = os.tmpname()
os.remove(dir)
local path = dir .. "/sub/test.db"
local db = assert(brisk.db.open(path))
T.ok(T.read(path) ~= nil, "open creates the file and its directories")
T.is(db:first("PRAGMA journal_mode").journal_mode, "wal", "WAL mode")
T.ok(db:exec("CREATE TABLE items(id INTEGER PRIMARY KEY, guid TEXT UNIQUE, title TEXT, score REAL, data BLOB)"), "exec")
T.ok(db:exec("INSERT INTO items(guid, title, score) VALUES (?, ?, ?)", "g1", "One", 1.5), "exec with values")
T.is(db:last_insert_id(), 1, "last_insert_id")
local ok, err = db:exec("INSERT INTO items(guid) VALUES (?)", "g1")
T.ok(ok == nil and err:find("UNIQUE"), "constraint violation: nil, message", err)
local st = assert(db:prepare("INSERT INTO items(guid, title, data) VALUES (:guid, :title, :data)"))
for i = 2, 5 do st:bind{guid = "g" .. i, title = "T" .. i, data = "a\0b"}:step() end
st:finalize()
st:finalize()
T.ok(not pcall(st.step, st), "a finalized statement raises")
T.is(db:first("SELECT count(*) AS n FROM items").n, 5, "prepared inserts")
local row = db:first("SELECT * FROM items WHERE guid = ?", "g3")
T.ok(row.title == "T3" and row.data == "a\0b" and row.score == nil, "row: text, blob with NUL, NULL absent")
T.is(db:first("SELECT * FROM items WHERE guid = ?", "none"), nil, "first: nil when no row")
local seen = {}
for r in db:rows("SELECT guid FROM items WHERE id > ? ORDER BY id", 2) do seen[#seen + 1] = r.guid end
T.is(table.concat(seen, ","), "g3,g4,g5", "rows iterator with values")
for r in db:rows("SELECT * FROM items") do break end
local q = assert(db:prepare("SELECT id FROM items ORDER BY id"))
T.is(q:step().id, 1, "step returns a row")
T.is(table.concat(q:columns(), ","), "id", "columns")
local n = 1
while q:step() do n = n + 1 end
T.is(n, 5, "step returns false at the end")
q:reset()
local m = 0
for _ in q:rows() do m = m + 1 end
T.is(m, 5, "reset, then rows")
local bad, why = db:prepare("SELEKT 1")
T.ok(bad == nil and why:find("syntax"), "syntax error: nil, message", why)
-- transactions
local okt, e = pcall(db.transaction, db, function() db:exec("DELETE FROM items"); error("boom") end)
T.ok(not okt and tostring(e):find("boom"), "transaction: the error is raised again")
T.is(db:first("SELECT count(*) AS n FROM items").n, 5, "transaction: rolled back on error")
T.ok(not db:in_transaction(), "in_transaction: not outside one")
local a, b = db:transaction(function(d)
  T.ok(d:in_transaction(), "in_transaction: inside one")
  d:exec("DELETE FROM items WHERE guid = 'g1'")
  pcall(d.transaction, d, function() d:exec("DELETE FROM items"); error("inner") end)
  return "r1", 2
end)
T.ok(a == "r1" and b == 2, "transaction returns fn's results")
T.is(db:first("SELECT count(*) AS n FROM items").n, 4, "nested transaction: only the inner part rolled back")
-- the statement cache of rows/first/exec: the same SQL nested, reused
-- after a break, after an error, and recompiled after a schema change
local outer, inner = 0, 0
for r in db:rows("SELECT guid FROM items ORDER BY guid") do
  outer = outer + 1
  for r2 in db:rows("SELECT guid FROM items ORDER BY guid") do inner = inner + 1 end
end
T.ok(outer == 4 and inner == 16, "cache: the same query nested in itself runs twice at once", outer .. " " .. inner)
for _ = 1, 3 do
  for r in db:rows("SELECT guid FROM items WHERE guid > ? ORDER BY guid", "g") do break end
end
T.is(db:first("SELECT guid FROM items WHERE guid > ? ORDER BY guid", "g3").guid, "g4", "cache: a statement left by break is reset and bound afresh")
T.is(db:first("SELECT count(*) AS n FROM items WHERE guid = ?").n, 0, "cache: parameters not given are NULL, not the last values")
local bad = pcall(db.first, db, "SELECT guid FROM items WHERE guid = ?", {})
T.is(db:first("SELECT guid FROM items WHERE guid = ?", "g2").guid, "g2", "cache: usable after a binding error")
db:exec("ALTER TABLE items ADD COLUMN extra TEXT DEFAULT 'x'")
T.is(db:first("SELECT * FROM items WHERE guid = ?", "g2").extra, "x", "cache: recompiled after a schema change")
for i = 1, 120 do db:first("SELECT ? + " .. i .. " AS v", i) end
T.is(db:first("SELECT guid FROM items WHERE guid = ?", "g3").guid, "g3", "cache: more queries than slots")
-- a second connection sees committed data (WAL)
local db2 = assert(brisk.db.open(path))
T.is(db2:first("SELECT count(*) AS n FROM items").n, 4, "second connection sees committed rows")
db2:close()
-- closed handles
local q2 = db:prepare("SELECT 1")
db:close()
db:close()
T.ok(not db:is_open(), "is_open after close")
local okc, ec = pcall(db.exec, db, "SELECT 1")
T.ok(not okc and tostring(ec):find("db is closed"), "a closed db raises 'db is closed'", ec)
local oks, es = pcall(q2.step, q2)
T.ok(not oks and tostring(es):find("db is closed"), "its statements too", es)
local no, msg = brisk.db.open("/proc/brisk-no/x.db")
T.ok(no == nil and msg, "open failure: nil, message", msg)
local mem = assert(brisk.db.open(":memory:"))
T.is(mem:first("SELECT 1 + 1 AS two").two, 2, ":memory:")
os.remove(path); os.remove(path .. "-wal"); os.remove(path .. "-shm"); os.remove(dir .. "/sub"); os.remove(dir)
T.finish()
