-- Plugin menus and prompts, headless: driven by keys as a user would
-- (typing filters, arrows move, Enter chooses, Esc cancels, Tab
-- completes); while one is open no key reaches the text. Run by ui-api.t.
local T = loadfile(arg[0]:match("^(.-)[^/]*$") .. "tap.lua", "t", _ENV)()

local b = brisk.buffer()
local got

-- a menu: filter, move, choose; the item itself comes back
local items = {"apple", {text = "Banana split", id = 7}, "cherry", "blueberry"}
T.ok(brisk.menu{title = "Fruit", items = items, on_choose = function(item, i) got = {item, i} end},
  "brisk.menu opens")
local pk = brisk.picker()
T.is(pk and pk.kind, "menu", "brisk.picker() describes it")
T.is(pk and #pk.items, 4, "every item shown")
T.is(pk and pk.title, "Fruit", "title")
brisk.keys("b")
pk = brisk.picker()
T.is(table.concat(pk.items, ","), "Banana split,blueberry", "typing filters (case-insensitive)")
brisk.keys("<Down><CR>")
T.ok(got and got[1] == "blueberry" and got[2] == 4, "Down, Enter: on_choose(item, index in items)",
  got and (tostring(got[1]) .. " " .. tostring(got[2])))
T.is(brisk.picker(), nil, "closed after choosing")
T.is(b:text(), "", "no key reached the text")

got = nil
brisk.menu{items = items, on_choose = function(item, i) got = {item, i} end}
brisk.keys("split<CR>")
T.ok(got and type(got[1]) == "table" and got[1].id == 7 and got[2] == 2, "a table item is passed back as is")

local cancelled = false
got = nil
brisk.menu{items = items, on_choose = function() got = true end, on_cancel = function() cancelled = true end}
brisk.keys("zzz<CR>")
T.ok(brisk.picker() ~= nil, "Enter with nothing matching keeps the menu open")
brisk.keys("<BS><BS><BS><Esc>")
T.ok(cancelled and not got, "Esc cancels: on_cancel, not on_choose")
T.is(brisk.picker(), nil, "closed after Esc")

-- opening another one cancels the first
cancelled = false
brisk.menu{items = {"a"}, on_cancel = function() cancelled = true end}
brisk.menu{items = {"x", "y"}, selected = 2, on_choose = function(item) got = item end}
T.ok(cancelled, "a new menu cancels the open one")
brisk.keys("<CR>")
T.is(got, "y", "selected= picks the starting row")

-- an error in a callback is reported and closes nothing else
brisk.menu{items = {"boom"}, on_choose = function() error("menu boom") end}
brisk.keys("<CR>")
T.is(brisk.picker(), nil, "a failing on_choose still closes the menu")
brisk.keys("ok")
T.is(b:text(), "ok", "keys go to the text once it is closed")

-- a prompt with completion
local words = {"alpha", "alpine", "beta", "gamma"}
local answer, asked = "unset", 0
brisk.prompt{label = "Word: ", text = "al",
  complete = function(text)
    asked = asked + 1
    local out = {}
    for _, w in ipairs(words) do if w:sub(1, #text) == text then out[#out + 1] = w end end
    return out
  end,
  on_done = function(text) answer = text end}
pk = brisk.picker()
T.is(pk.kind, "prompt", "brisk.prompt opens")
T.is(pk.text, "al", "pre-filled text")
T.is(table.concat(pk.items, ","), "alpha,alpine", "completions for the pre-filled text")
brisk.keys("<End>p")
T.is(brisk.picker().text, "alp", "End keeps the selected pre-filled text, typing goes after it")
T.is(table.concat(brisk.picker().items, ","), "alpha,alpine", "completions follow the text")
brisk.keys("i")
T.is(table.concat(brisk.picker().items, ","), "alpine", "narrowed")
brisk.keys("<Tab>")
T.is(brisk.picker().text, "alpine", "Tab takes the selected completion")
brisk.keys("!<CR>")
T.is(answer, "alpine!", "Enter: on_done(text)")
T.ok(asked >= 4, "complete was asked after each change")

brisk.prompt{label = "x", on_done = function(text) answer = text end}
brisk.keys("abc<Esc>")
T.is(answer, nil, "Esc: on_done(nil)")
brisk.prompt{on_done = function(text) answer = text end}
brisk.keys("a<C-u>b<CR>")
T.is(answer, "b", "Ctrl-U clears the line")
T.is(b:text(), "ok", "the text never saw the prompt's keys")

-- a pre-filled value is selected: typing replaces it (the hex inspector's
-- edit prompt: 70000 typed over "1" is 70000, not 170000)
brisk.prompt{label = "value: ", text = "1", on_done = function(text) answer = text end}
brisk.keys("70000<CR>")
T.is(answer, "70000", "typing replaces a pre-filled value")
brisk.prompt{label = "value: ", text = "12", on_done = function(text) answer = text end}
brisk.keys("<BS>5<CR>")
T.is(answer, "5", "Backspace clears a pre-filled value")
brisk.prompt{label = "value: ", text = "12", on_done = function(text) answer = text end}
brisk.keys("<Left>3<CR>")
T.is(answer, "123", "an arrow keeps it; typing then adds")

local ok = pcall(brisk.menu, {title = "no items"})
T.ok(not ok, "a menu needs items")
ok = pcall(brisk.prompt, {complete = 3})
T.ok(not ok, "complete must be a function")

T.finish()
