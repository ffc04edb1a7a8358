-- logview.oopses: what kernel crash reports look like and how syzkaller
-- names them, as data (no code): the crash kinds with their title formats,
-- the stacks the guilty frame is read from and the frames never blamed.
-- logview.kreport is the engine that reads these tables.
--
-- The facts (header strings, title formats, skip lists) follow syzkaller's
-- Linux report parser (google/syzkaller pkg/report/linux.go, Apache-2.0),
-- so brisk names a crash as syzbot does; the tables are brisk's own.
--
-- Patterns are PCRE2 (brisk.regex, byte mode, ^ $ at line ends) with these
-- shorthands expanded by the engine:
--   {{PC}}    a code address as printed in traces: [<ffffffff81234567>]
--   {{FUNC}}  a function name, captured, followed by "+" or "."
--   {{SRC}}   a source position, captured: fs/namei.c:123
--   {{ADDR}}  0x and hex digits
--
-- An oops: `header` (a plain substring that starts a report anywhere in a
-- line), `formats` (tried in order; the one whose `title` matches first in
-- the report wins, ties go to the earlier one) and `suppress` (lines that
-- hold the header but are not crashes).
--
-- A format: `title` (pattern; its captures are the arguments %[1]v...),
-- `report` (optional pattern that must match too and then gives the
-- arguments), `fmt` and `alt` (title and alternative titles: %[N]v is the
-- N-th argument; the frames taken from the stack come after the captures),
-- `stack` (how to find the guilty frame, below), `no_stack_trace` (the
-- report has no call trace to check), `corrupted` (matching this format
-- means the report is cut or mixed).
--
-- A stack: `parts`, matched one after the other down the report lines: a
-- pattern (which, if it captures, yields frames), or PARSE (the frames of
-- a trace, up to the next trace keyword); each PARSE after the first, and
-- the end of the parts, turns the frames gathered so far into one
-- argument (the first frame not skipped, or what `extractor` picks: "stall"
-- or "hang"). `parts2` is tried when `parts` finds no frame. `skip` adds
-- frame patterns to the common SKIP list.
local M = {}

local PARSE = { "parse a stack trace here" }
M.PARSE = PARSE

-- The line that names the faulting instruction: x86 RIP/IP, powerpc NIP,
-- arm64 "pc : ", arm "PC is at".
local RIP = [[(?:IP|NIP|pc |PC is at):? (?:(?:[0-9]+:)?(?:{{PC}} +){0,2}{{FUNC}}|(?:[0-9]+:)?0x[0-9a-f]+|(?:[0-9]+:)?{{PC}} +\[< *\(null\)>\] +\(null\)|[0-9]+: +\(null\))]]
local CALL_TRACE = [[(?:Call (?:T|t)race:)|(?:Backtrace:)]]
M.RIP, M.CALL_TRACE = RIP, CALL_TRACE

-- A WARNING's stack: from the RIP line (x86) or "--- interrupt:" (powerpc),
-- else from the call trace.
local function warning_stack(...)
	return {
		parts = { "(?:" .. RIP .. [[|--- interrupt: [0-9]+ at {{FUNC}})]], PARSE },
		parts2 = { CALL_TRACE, PARSE },
		skip = { ... },
	}
end

local function rip_trace(extra)
	local st = { parts = { RIP, CALL_TRACE, PARSE } }
	for k, v in pairs(extra or {}) do st[k] = v end
	return st
end

local function trace(extra)
	local st = { parts = { CALL_TRACE, PARSE } }
	for k, v in pairs(extra or {}) do st[k] = v end
	return st
end

local BAD_ACCESS = "bad-access in %[1]v"

--{====================================================================
-- Crash kinds
--=====================================================================

M.oopses = {
	{ header = "BUG:", formats = {
		{ title = [[BUG: KASAN:]],
		  report = [[BUG: KASAN: ([a-z\-]+) in {{FUNC}}(?:.*\n)+?.*(Read|Write) (?:of size|at addr) (?:[0-9a-f]+)]],
		  fmt = "KASAN: %[1]v %[3]v in %[4]v", alt = { "bad-access in %[4]v" },
		  stack = { parts = { [[BUG: KASAN: (?:[a-z\-]+) in {{FUNC}}]], CALL_TRACE, PARSE },
		            skip = { "kernel_fault", "tag_check", "mem_abort", "^el1_", "^el1h_" } } },
		{ title = [[BUG: KASAN:]],
		  report = [[BUG: KASAN: (?:double-free or invalid-free|double-free|invalid-free) in {{FUNC}}]],
		  fmt = "KASAN: invalid-free in %[2]v", alt = { "invalid-free in %[2]v" },
		  stack = { parts = { [[BUG: KASAN: (?:double-free or invalid-free|double-free|invalid-free) in {{FUNC}}]], CALL_TRACE, PARSE },
		            skip = { "slab_", "kfree", "vunmap", "vfree" } } },
		{ title = [[BUG: KASAN: ([a-z\-]+) on address(?:.*\n)+?.*(Read|Write) of size ([0-9]+)]],
		  fmt = "KASAN: %[1]v %[2]v" },
		{ title = [[BUG: KASAN: (.*)]], fmt = "KASAN: %[1]v", corrupted = true },
		{ title = [[BUG: KMSAN: kernel-usb-infoleak]],
		  report = [[BUG: KMSAN: kernel-usb-infoleak in {{FUNC}}]],
		  fmt = "KMSAN: kernel-usb-infoleak in %[2]v", alt = { "KMSAN origin in %[3]v" },
		  stack = { parts = { PARSE, [[(Local variable .* created at:|Uninit was created at:)]], PARSE },
		            skip = { "alloc_skb", "usb_submit_urb", "usb_start_wait_urb", "usb_bulk_msg", "usb_interrupt_msg", "usb_control_msg" } },
		  no_stack_trace = true },
		{ title = [[BUG: KMSAN:]],
		  report = [[BUG: KMSAN: ([a-z\-]+) in {{FUNC}}]],
		  fmt = "KMSAN: %[1]v in %[3]v", alt = { "bad-access in %[3]v", "KMSAN origin in %[4]v" },
		  stack = { parts = { PARSE, [[(Local variable .* created at:|Uninit was created at:)]], PARSE },
		            skip = { "alloc_skb", "netlink_ack", "netlink_rcv_skb" } },
		  no_stack_trace = true },
		{ title = [[BUG: KCSAN:]], report = [[BUG: KCSAN: (.*)]], fmt = "KCSAN: %[1]v", no_stack_trace = true },
		{ title = [[BUG: KFENCE: (use-after-free|out-of-bounds) ([a-z\-]+) in {{FUNC}}]],
		  fmt = "KFENCE: %[1]v %[2]v in %[4]v", alt = { "bad-access in %[4]v" },
		  stack = { parts = { [[BUG: KFENCE: (?:[a-z\- ]+) in {{FUNC}}]], PARSE } } },
		{ title = [[BUG: KFENCE: invalid free in {{FUNC}}]],
		  fmt = "KFENCE: invalid free in %[2]v", alt = { "invalid-free in %[2]v" }, no_stack_trace = true,
		  stack = { parts = { [[BUG: KFENCE: (?:[a-z\- ]+) in {{FUNC}}]], PARSE } } },
		{ title = [[BUG: KFENCE: invalid (read|write) in {{FUNC}}]],
		  fmt = "KFENCE: invalid %[1]v in %[3]v", alt = { "bad-access in %[3]v" },
		  stack = { parts = { [[BUG: KFENCE: (?:[a-z\- ]+) in {{FUNC}}]], PARSE } } },
		{ title = [[BUG: KFENCE: memory corruption in {{FUNC}}]],
		  fmt = "KFENCE: memory corruption in %[2]v", no_stack_trace = true,
		  stack = { parts = { [[BUG: KFENCE: (?:[a-z\- ]+) in {{FUNC}}]], PARSE } } },
		{ title = [[BUG: (?:unable to handle kernel paging request|unable to handle page fault for address|Unable to handle kernel data access)]],
		  fmt = "BUG: unable to handle kernel paging request in %[1]v", alt = { BAD_ACCESS }, stack = rip_trace() },
		{ title = [[BUG: (?:unable to handle kernel NULL pointer dereference|kernel NULL pointer dereference|Kernel NULL pointer dereference)]],
		  fmt = "BUG: unable to handle kernel NULL pointer dereference in %[1]v", alt = { BAD_ACCESS }, stack = rip_trace() },
		-- The kernel prints this headline in two printk calls: the second
		-- half may be missing or mixed with other output.
		{ title = [[BUG: (?:unable to handle kernel|Unable to handle kernel)]], fmt = "BUG: unable to handle kernel", corrupted = true },
		{ title = [[BUG: (spinlock|rwlock) (lockup suspected|already unlocked|recursion|cpu recursion|bad magic|wrong owner|wrong CPU|trylock failure on UP)]],
		  fmt = "BUG: %[1]v %[2]v in %[3]v", stack = trace{ skip = { "spin_", "_lock", "_unlock" } } },
		{ title = [[BUG: soft lockup]], fmt = "BUG: soft lockup in %[1]v", alt = { "stall in %[1]v" },
		  stack = rip_trace{ extractor = "stall" } },
		{ title = [[BUG: .*still has locks held!]], report = [[BUG: .*still has locks held!(?:.*\n)+?.*{{PC}} +{{FUNC}}]],
		  fmt = "BUG: still has locks held in %[1]v" },
		{ title = [[BUG: scheduling while atomic]], fmt = "BUG: scheduling while atomic in %[1]v",
		  stack = trace{ skip = { "schedule" } } },
		{ title = [[BUG: lock held when returning to user space]],
		  report = [[BUG: lock held when returning to user space(?:.*\n)+?.*leaving the kernel with locks still held(?:.*\n)+?.*at: (?:{{PC}} +)?{{FUNC}}]],
		  fmt = "BUG: lock held when returning to user space in %[1]v", no_stack_trace = true },
		{ title = [[BUG: bad unlock balance detected!]], fmt = "BUG: bad unlock balance in %[1]v",
		  stack = { parts = { [[{{PC}} +{{FUNC}}]], CALL_TRACE, PARSE } } },
		{ title = [[BUG: held lock freed!]], report = [[BUG: held lock freed!(?:.*\n)+?.*{{PC}} +{{FUNC}}]],
		  fmt = "BUG: held lock freed in %[1]v" },
		{ title = [[BUG: Bad rss-counter state]], fmt = "BUG: Bad rss-counter state", no_stack_trace = true },
		{ title = [[BUG: non-zero nr_ptes on freeing mm]], fmt = "BUG: non-zero nr_ptes on freeing mm", no_stack_trace = true },
		{ title = [[BUG: non-zero nr_pmds on freeing mm]], fmt = "BUG: non-zero nr_pmds on freeing mm", no_stack_trace = true },
		-- The filesystem and block device in this message make duplicates:
		-- left out of the title.
		{ title = [[BUG: Dentry .* still in use]], report = [=[BUG: Dentry .* still in use \([0-9]+\) \[(unmount) of ([^\]]+)\]]=],
		  fmt = "BUG: Dentry still in use in %[1]v", alt = { "BUG: Dentry still in use [%[1]v of %[2]v]" } },
		-- Named after who allocated the page (page_owner), past the allocator.
		{ title = [[BUG: Bad page state]], fmt = "BUG: Bad page state in %[1]v",
		  stack = { parts = { [[page last allocated]], PARSE },
		            skip = { "alloc", "page_owner", "get_page_from_freelist", "filemap_get_folio", "pagecache_get_page" } } },
		{ title = [[BUG: Bad page map]], fmt = "BUG: Bad page map" },
		{ title = [[BUG: workqueue lockup]], fmt = "BUG: workqueue lockup", no_stack_trace = true },
		{ title = [[BUG: sleeping function called from invalid context at (.*)]],
		  fmt = "BUG: sleeping function called from invalid context in %[2]v", stack = trace() },
		{ title = [[BUG: using ([a-z_]+)\(\) in preemptible]], fmt = "BUG: using %[1]v() in preemptible code in %[2]v",
		  stack = trace{ skip = { "dump_stack", "preemption", "preempt", "debug_", "processor_id", "this_cpu" } } },
		{ title = [[BUG: workqueue leaked lock or atomic]],
		  report = [[BUG: workqueue leaked lock or atomic(?:.*\n)+?.*last function: ([a-zA-Z0-9_]+)\n]],
		  fmt = "BUG: workqueue leaked lock or atomic in %[1]v", no_stack_trace = true },
		{ title = [[BUG: memory leak]], fmt = "memory leak in %[1]v",
		  stack = { parts = { [[backtrace(?: \(crc [0-9a-f]+\))?:]], PARSE },
		            skip = { "kmemleak", "mmap", "kmem", "slab", "alloc", "create_object", "idr_get", "list_lru_init",
		                     "kasprintf", "kvasprintf", "pcpu_create", "strdup", "strndup", "memdup" } } },
		{ title = [[BUG: .*stack guard page was hit at]], fmt = "BUG: stack guard page was hit in %[1]v",
		  alt = { "stack-overflow in %[1]v" }, stack = rip_trace{ extractor = "stall" } },
		-- amd64 and arm report this differently; one title for both.
		{ title = [[BUG: Invalid wait context]], fmt = "WARNING: locking bug in %[1]v",
		  stack = trace{ skip = { "lock_sock", "release_sock" } } },
		{ title = [=[BUG:[[:space:]]*(?:\n|$)]=], fmt = "BUG: corrupted", corrupted = true },
	}, suppress = {
		"ODEBUG:", "Boot_DEBUG:", "xlog_status:", "DEBUG:", "BUG: no syscalls can create resource",
	} },

	{ header = "WARNING:", formats = {
		-- Kernels since 6.15 may print "at 0x0" for the function: the
		-- file alone names the subsystem then.
		{ title = [[WARNING: .*lib/debugobjects\.c.*(?: (?:debug_print|debug_check)|at 0x0)]], fmt = "WARNING: ODEBUG bug in %[1]v",
		  -- The users of debug objects are skipped too.
		  stack = warning_stack("debug_", "rcu", "hrtimer_", "timer_", "work_", "percpu_", "vunmap", "vfree",
		                        "__free_", "debug_check", "kobject_") },
		{ title = [[WARNING: .*mm/usercopy\.c.*(?: usercopy_warn|at 0x0)]], fmt = "WARNING: bad usercopy in %[1]v",
		  stack = warning_stack("usercopy", "__check") },
		{ title = [[WARNING: .*lib/kobject\.c.*(?: kobject_|at 0x0)]], fmt = "WARNING: kobject bug in %[1]v", stack = warning_stack("kobject_") },
		{ title = [[WARNING: .*fs/proc/generic\.c.*(?: proc_register|at 0x0)]], fmt = "WARNING: proc registration bug in %[1]v",
		  stack = warning_stack("proc_") },
		{ title = [[WARNING: .*lib/refcount\.c.*(?: refcount_|at 0x0)]], fmt = "WARNING: refcount bug in %[1]v",
		  stack = warning_stack("refcount", "kobject_") },
		{ title = [[WARNING: .*kernel/locking/lockdep\.c.*(?:lock_|at 0x0)]], fmt = "WARNING: locking bug in %[1]v",
		  stack = warning_stack("lock_sock", "release_sock") },
		{ title = [[WARNING: .*still has locks held!]], report = [[WARNING: .*still has locks held!(?:.*\n)+?.*at: {{FUNC}}]],
		  fmt = "WARNING: still has locks held in %[1]v" },
		{ title = [[WARNING: Nested lock was not taken]], fmt = "WARNING: nested lock was not taken in %[1]v", stack = warning_stack() },
		{ title = [[WARNING: lock held when returning to user space]],
		  report = [[WARNING: lock held when returning to user space(?:.*\n)+?.*leaving the kernel with locks still held(?:.*\n)+?.*at: (?:{{PC}} +)?{{FUNC}}]],
		  fmt = "WARNING: lock held when returning to user space in %[1]v", no_stack_trace = true },
		{ title = [[WARNING: .*mm/.*\.c.* k?.?malloc]], fmt = "WARNING: kmalloc bug in %[1]v",
		  stack = warning_stack("kmalloc", "krealloc", "slab", "kmem") },
		{ title = [[WARNING: .*mm/vmalloc.c.*__vmalloc_node]], fmt = "WARNING: zero-size vmalloc in %[1]v", stack = warning_stack() },
		{ title = [[WARNING: .* usb_submit_urb]], fmt = "WARNING in %[1]v/usb_submit_urb",
		  stack = warning_stack("usb_submit_urb", "usb_start_wait_urb", "usb_bulk_msg", "usb_interrupt_msg", "usb_control_msg") },
		{ title = [[WARNING: .* at {{SRC}} {{FUNC}}]], fmt = "WARNING in %[3]v", stack = warning_stack() },
		-- Since Linux 6.15: "WARNING: fs/jfs/jfs_dmap.c:2867 at dbAdjTree+0x4/0x8,
		-- CPU#0: comm/1", maybe with the condition first ("[cond] file:line")
		-- and "at 0x0" for the function: named after the stack.
		{ title = [[WARNING: (?:\[.*\] )?{{SRC}} at (?:{{FUNC}}|0x[0-9a-f]+)]], fmt = "WARNING in %[3]v", stack = warning_stack() },
		{ title = [[WARNING: possible circular locking dependency detected]],
		  report = [[WARNING: possible circular locking dependency detected(?:.*\n)+?.*is trying to acquire lock]],
		  fmt = "possible deadlock in %[1]v",
		  -- Workqueue functions take locks of their work items: a deadlock
		  -- there is the work item's.
		  stack = { parts = { [[at: (?:{{PC}} +)?{{FUNC}}]], [[at: (?:{{PC}} +)?{{FUNC}}]], PARSE },
		            skip = { "process_one_work", "flush_workqueue", "drain_workqueue", "destroy_workqueue" } } },
		{ title = [[WARNING: possible irq lock inversion dependency detected]],
		  report = [[WARNING: possible irq lock inversion dependency detected(?:.*\n)+?.*just changed the state of lock(?:.*\n)+?.*at: (?:{{PC}} +)?{{FUNC}}]],
		  fmt = "possible deadlock in %[1]v" },
		{ title = [[WARNING: .*-safe -> .*-unsafe lock order detected]], fmt = "possible deadlock in %[1]v",
		  stack = { parts = { [[which became (?:.*) at:]], PARSE } } },
		{ title = [[WARNING: possible recursive locking detected]],
		  report = [[WARNING: possible recursive locking detected(?:.*\n)+?.*is trying to acquire lock(?:.*\n)+?.*at: (?:{{PC}} +)?{{FUNC}}]],
		  fmt = "possible deadlock in %[1]v" },
		{ title = [[WARNING: inconsistent lock state]],
		  report = [[WARNING: inconsistent lock state(?:.*\n)+?.*takes(?:.*\n)+?.*at: (?:{{PC}} +)?{{FUNC}}]],
		  fmt = "inconsistent lock state in %[2]v", stack = trace() },
		{ title = [[WARNING: suspicious RCU usage]], report = [[WARNING: suspicious RCU usage(?:.*\n)+?.*?{{SRC}}]],
		  fmt = "WARNING: suspicious RCU usage in %[2]v", stack = trace{ skip = { "rcu", "kmem", "slab" } } },
		{ title = [[WARNING: kernel stack regs at [0-9a-f]+ in [^ ]* has bad '([^']+)' value]],
		  fmt = "WARNING: kernel stack regs has bad '%[1]v' value", no_stack_trace = true },
		{ title = [[WARNING: kernel stack frame pointer at [0-9a-f]+ in [^ ]* has bad value]],
		  fmt = "WARNING: kernel stack frame pointer has bad value", no_stack_trace = true },
		{ title = [[WARNING: bad unlock balance detected!]], fmt = "WARNING: bad unlock balance in %[1]v",
		  stack = { parts = { [[{{PC}} +{{FUNC}}]], CALL_TRACE, PARSE } } },
		{ title = [[WARNING: held lock freed!]], report = [[WARNING: held lock freed!(?:.*\n)+?.*at:(?: {{PC}})? +{{FUNC}}]],
		  fmt = "WARNING: held lock freed in %[1]v" },
		{ title = [[WARNING: kernel stack regs .* has bad 'bp' value]], fmt = "WARNING: kernel stack regs has bad value", no_stack_trace = true },
		{ title = [[WARNING: kernel stack frame pointer .* has bad value]], fmt = "WARNING: kernel stack regs has bad value", no_stack_trace = true },
		{ title = [=[WARNING:[[:space:]]*(?:\n|$)]=], fmt = "WARNING: corrupted", corrupted = true },
	}, suppress = {
		[[WARNING: /etc/ssh/moduli does not exist, using fixed modulus]],
		[[WARNING: workqueue cpumask: online intersect > possible intersect]],
		[[WARNING: [Tt]he mand mount option]],
		[[WARNING: Unsupported flag value\(s\) of 0x%x in DT_FLAGS_1]],
		[[WARNING: Unprivileged eBPF is enabled with eIBRS]],
		[[WARNING: fbcon: Driver '(.*)' missed to adjust virtual screen size]],
		-- A subsystem's own message ("XFS (loop0): WARNING: ...",
		-- "Speculative Return Stack Overflow: WARNING: ..."), not a splat
		-- (syslog's "host kernel: WARNING: CPU: ..." is one).
		[[(?<!kernel)[A-Za-z)]: WARNING:]],
	} },

	{ header = "INFO:", formats = {
		{ title = [[INFO: possible circular locking dependency detected]],
		  report = [[INFO: possible circular locking dependency detected \](?:.*\n)+?.*is trying to acquire lock(?:.*\n)+?.*at: {{PC}} +{{FUNC}}]],
		  fmt = "possible deadlock in %[1]v" },
		{ title = [[INFO: possible irq lock inversion dependency detected]],
		  report = [[INFO: possible irq lock inversion dependency detected \](?:.*\n)+?.*just changed the state of lock(?:.*\n)+?.*at: {{PC}} +{{FUNC}}]],
		  fmt = "possible deadlock in %[1]v" },
		{ title = [[INFO: SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected]],
		  report = [[INFO: SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected \](?:.*\n)+?.*is trying to acquire(?:.*\n)+?.*at: {{PC}} +{{FUNC}}]],
		  fmt = "possible deadlock in %[1]v" },
		{ title = [[INFO: possible recursive locking detected]],
		  report = [[INFO: possible recursive locking detected \](?:.*\n)+?.*is trying to acquire lock(?:.*\n)+?.*at: {{PC}} +{{FUNC}}]],
		  fmt = "possible deadlock in %[1]v" },
		{ title = [[INFO: inconsistent lock state]],
		  report = [[INFO: inconsistent lock state \](?:.*\n)+?.*takes(?:.*\n)+?.*at: {{PC}} +{{FUNC}}]],
		  fmt = "inconsistent lock state in %[1]v" },
		-- A stall is named after the code the timer interrupt found
		-- looping, from the interrupt frame down.
		{ title = [[INFO: rcu_\w+ (?:self-)?detected(?: expedited)? stall]],
		  fmt = "INFO: rcu detected stall in %[1]v", alt = { "stall in %[1]v" },
		  stack = { parts = { [[apic_timer_interrupt]], RIP, PARSE },
		            parts2 = { [[(?:apic_timer_interrupt|Exception stack|el1h_64_irq)]], PARSE },
		            skip = { "apic_timer_interrupt", "rcu" }, extractor = "stall" } },
		{ title = [[INFO: trying to register non-static key]], fmt = "INFO: trying to register non-static key in %[1]v",
		  stack = trace{ skip = { "stack", "lock", "IRQ" } } },
		{ title = [[INFO: suspicious RCU usage]], report = [[INFO: suspicious RCU usage(?:.*\n)+?.*?{{SRC}}]],
		  fmt = "INFO: suspicious RCU usage in %[2]v", stack = trace{ skip = { "rcu", "kmem", "slab" } } },
		{ title = [[INFO: task .*(?:\n.*)? blocked .*for more than [0-9]+ seconds]], fmt = "INFO: task hung in %[1]v",
		  alt = { "hang in %[1]v" }, stack = trace{ extractor = "hang" } },
		{ title = [[INFO: task .* can't die for more than .* seconds]], fmt = "INFO: task can't die in %[1]v",
		  alt = { "hang in %[1]v" }, stack = trace{ skip = { "schedule" } } },
		-- Old-style KASAN reports cut before their headline.
		{ title = [[INFO: (Freed|Allocated) in (.*)]], fmt = "INFO: %[1]v in %[2]v", corrupted = true },
		{ title = [=[INFO:[[:space:]]*(?:\n|$)]=], fmt = "INFO: corrupted", corrupted = true },
	}, suppress = {
		"INFO: lockdep is turned off", "INFO: Stall ended before state dump start", "INFO: NMI handler",
		"INFO: recovery required on readonly filesystem", [[(handler|interrupt).*took too long]], "_INFO::",
		[[INFO: sys_.* is not present in /proc/kallsyms]], "INFO: no syscalls can create resource",
		"CAM_INFO:", "rmt_storage:INFO:",
	} },

	{ header = "Unable to handle kernel", formats = {
		{ title = [[Unable to handle kernel (paging request|NULL pointer dereference|access to user memory)]],
		  fmt = "BUG: unable to handle kernel %[1]v in %[2]v", alt = { "bad-access in %[2]v" }, stack = rip_trace() },
	} },

	{ header = "general protection fault", formats = {
		{ title = [[general protection fault.*:]], fmt = "general protection fault in %[1]v", alt = { BAD_ACCESS },
		  stack = rip_trace() },
	}, suppress = { [[general protection fault .* error:\d+ in ]] } },

	{ header = "stack segment: ", formats = {
		{ title = [[stack segment: ]], fmt = "stack segment fault in %[1]v", stack = rip_trace() },
	} },

	{ header = "Kernel panic", formats = {
		-- A corrupted stack may leave no symbol and no trace.
		{ title = [[Kernel panic - not syncing: stack-protector:]],
		  report = [[Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: {{FUNC}}]],
		  fmt = "kernel panic: stack is corrupted in %[1]v", no_stack_trace = true },
		{ title = [[Kernel panic - not syncing: stack-protector:]],
		  report = [[Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: [a-f0-9]+]],
		  fmt = "kernel panic: stack is corrupted in %[1]v", stack = trace{ skip = { "stack_chk" } } },
		{ title = [[Kernel panic - not syncing: corrupted stack end]],
		  report = [[Kernel panic - not syncing: corrupted stack end detected inside scheduler]],
		  fmt = "kernel panic: corrupted stack end in %[1]v", alt = { "stack-overflow in %[1]v" },
		  stack = trace{ skip = { "schedule", "retint_kernel" }, extractor = "stall" } },
		{ title = [[Kernel panic - not syncing: kernel stack overflow]], fmt = "kernel stack overflow in %[1]v",
		  alt = { "stack-overflow in %[1]v" }, stack = trace{ skip = { "bad_stack" }, extractor = "stall" } },
		{ title = [[Kernel panic - not syncing: Attempted to kill init!]], fmt = "kernel panic: Attempted to kill init!" },
		{ title = [[Kernel panic - not syncing: Couldn't open N_TTY ldisc for [^ ]+ --- error -[0-9]+]],
		  fmt = "kernel panic: Couldn't open N_TTY ldisc" },
		-- These follow another report: seen alone, that report was lost.
		{ title = [[Kernel panic - not syncing: Fatal exception]], fmt = "kernel panic: Fatal exception", corrupted = true },
		{ title = [[Kernel panic - not syncing: panic_on_warn set]], fmt = "kernel panic: panic_on_warn set", corrupted = true },
		{ title = [[Kernel panic - not syncing: hung_task: blocked tasks]], fmt = "kernel panic: hung_task: blocked tasks", corrupted = true },
		{ title = [[Kernel panic - not syncing: (.*)]], fmt = "kernel panic: %[1]v" },
	} },

	{ header = "PANIC: double fault", formats = {
		{ title = [[PANIC: double fault]], fmt = "PANIC: double fault in %[1]v", stack = { parts = { RIP } } },
	} },

	{ header = "kernel BUG", formats = {
		{ title = [[kernel BUG at mm/usercopy.c]], fmt = "BUG: bad usercopy in %[1]v", stack = trace{ skip = { "usercopy", "__check" } } },
		{ title = [[kernel BUG at lib/list_debug.c]], fmt = "BUG: corrupted list in %[1]v", alt = { BAD_ACCESS }, stack = trace() },
		-- skb helpers BUG_ON their arguments: the caller is to blame.
		{ title = [[kernel BUG at (.*)]], fmt = "kernel BUG in %[2]v", stack = rip_trace{ skip = { "^skb_" } } },
	} },

	{ header = "Kernel BUG", formats = {
		{ title = [[Kernel BUG (.*)]], fmt = "kernel BUG %[1]v" },
	} },

	{ header = "BUG kmalloc-", formats = {
		{ title = [[BUG kmalloc-.*: Object already free]], fmt = "BUG: Object already free" },
	} },

	{ header = "divide error:", formats = {
		{ title = [[divide error: ]], fmt = "divide error in %[1]v", stack = { parts = { RIP } } },
	} },
	-- The same, as spelt by kernels 5.9 and later.
	{ header = "divide_error:", formats = {
		{ title = [[divide_error: ]], fmt = "divide error in %[1]v", stack = { parts = { RIP } } },
	} },

	-- Since Linux 6.9 die() prints the trap first: "Oops: int3: 0000 [#1]".
	{ header = "Oops: ", formats = {
		{ title = [[Oops: ([a-z][a-z0-9 ]*[a-z0-9]): [0-9a-f]{4} \[#]], fmt = "%[1]v in %[2]v", stack = rip_trace() },
	}, suppress = {
		-- Any other Oops: line (the classic second line of a report, "Oops:
		-- 0000 [#1] SMP", powerpc's "Oops: Kernel access of bad area"), and
		-- traps that have their own kind.
		[[Oops: (?![a-z][a-z0-9 ]*[a-z0-9]: [0-9a-f]{4} \[#)]],
		[[Oops: (?:general protection fault|invalid opcode|divide error|stack segment)]],
	} },

	{ header = "invalid opcode:", formats = {
		{ title = [[invalid opcode: ]], fmt = "invalid opcode in %[1]v", stack = { parts = { RIP } } },
	} },

	{ header = "UBSAN:", formats = {
		{ title = [[UBSAN:]], report = [[UBSAN: Undefined behaviour in]], fmt = "UBSAN: undefined-behaviour in %[1]v",
		  stack = trace{ skip = { "ubsan", "overflow" } } },
		{ title = [[UBSAN: array-index-out-of-bounds in]], fmt = "UBSAN: array-index-out-of-bounds in %[1]v",
		  alt = { BAD_ACCESS }, stack = trace{ skip = { "ubsan", "overflow" } } },
		{ title = [[UBSAN:]], report = [[UBSAN: (.*?) in]], fmt = "UBSAN: %[1]v in %[2]v",
		  stack = trace{ skip = { "ubsan", "overflow" } } },
	} },

	{ header = "Booting the kernel.", formats = {
		{ title = [[Booting the kernel.]], fmt = "unexpected kernel reboot", no_stack_trace = true },
	}, suppress = {
		-- Boot messages read back from the console and echoed by the
		-- kernel as a bad mount option are no reboot.
		[[Parsing ELF|Decompressing Linux]],
		-- Quoted: echoed back as data ("Unknown parameter '...'").
		[['[^']*Booting the kernel]],
	} },

	{ header = "unregister_netdevice: waiting for", formats = {
		{ title = [[unregister_netdevice: waiting for (?:.*) to become free]],
		  fmt = "unregister_netdevice: waiting for DEV to become free", no_stack_trace = true },
	} },

	{ header = "VFS: Close: file count is 0", formats = {
		{ title = [[VFS: Close: file count is 0]], fmt = "VFS: Close: file count is zero (use-after-free)", no_stack_trace = true },
	} },

	{ header = "VFS: Busy inodes after unmount", formats = {
		{ title = [[VFS: Busy inodes after unmount]], fmt = "VFS: Busy inodes after unmount (use-after-free)", no_stack_trace = true },
	} },

	-- arm64 shows some faults as "Internal error: synchronous external
	-- abort" where arm says "Unable to handle kernel paging request".
	{ header = "Internal error:", formats = {
		{ title = [[Internal error:]], fmt = "Internal error in %[1]v", alt = { BAD_ACCESS }, stack = rip_trace() },
	} },

	-- arm shows NULL dereferences as "Unhandled fault: page domain fault".
	{ header = "Unhandled fault:", formats = {
		{ title = [[Unhandled fault:]], fmt = "Unhandled fault in %[1]v", alt = { BAD_ACCESS }, stack = rip_trace() },
	} },

	{ header = "Alignment trap:", formats = {
		{ title = [[Alignment trap:]], fmt = "Alignment trap in %[1]v", stack = rip_trace() },
	} },

	{ header = "trusty: panic", formats = {
		{ title = [[trusty: panic.* ASSERT FAILED]], report = [[trusty: panic \(.*?\):(?: DEBUG)? ASSERT FAILED at \(.*?\): (.+)]],
		  fmt = "trusty: ASSERT FAILED: %[1]v", no_stack_trace = true },
		{ title = [[trusty: panic.* ASSERT FAILED.*: *(.*)]], fmt = "trusty: ASSERT FAILED: %[1]v", corrupted = true },
		{ title = [[trusty: panic]], report = [[trusty: panic \(.*?\): (.+)]], fmt = "trusty: panic: %[1]v", no_stack_trace = true },
	} },

	-- Rust code that panicked: "rust_kernel: panicked at FILE:LINE:COL:",
	-- the message on the next line; named after the first frame that is
	-- not the panic machinery (names demangled).
	{ header = "panicked at ", formats = {
		{ title = [[panicked at [^\n]*:\n(.+)]], fmt = "%[1]v in %[2]v",
		  stack = trace{ skip = { "rust_begin_unwind", "rust_helper_BUG" } } },
	} },

	-- Printed by the fuzzer itself, and Go programs' crashes.
	{ header = "SYZFAIL:", formats = {
		{ title = [[SYZFAIL:(.*)]], fmt = "SYZFAIL:%[1]v", no_stack_trace = true },
	} },
	{ header = "SYZFATAL:", formats = {
		{ title = [[SYZFATAL:(.*)()]], alt = { "SYZFATAL%[2]v" }, fmt = "SYZFATAL:%[1]v", no_stack_trace = true },
	} },
	{ header = "panic:", formats = {
		{ title = [[panic: Sentry detected .* stuck task]], fmt = "panic: Sentry detected stuck tasks", no_stack_trace = true },
		{ title = [[panic:(.*)]], fmt = "panic:%[1]v", no_stack_trace = true },
	}, suppress = {
		-- Kernel functions such as skb_panic.
		"_panic:", "xlog_status:", [[ddb\.onpanic:]], "evtlog_status:",
	} },
	-- A Go program's crash: "fatal error:" and the Go traceback after it.
	{ header = "fatal error:", confirm = [[^(?:goroutine [0-9]+ \[|runtime stack:)]], formats = {
		{ title = [[fatal error:]], fmt = "go runtime error", no_stack_trace = true },
	}, suppress = { "ALSA" } },
}

--{====================================================================
-- Stacks
--=====================================================================

-- Lines that start a stack trace (and end the one before).
M.STACK_START = {
	[[Call (?:T|t)race]], [[Allocated:]], [[Allocated by task [0-9]+:]], [[Freed:]], [[Freed by task [0-9]+:]],
	-- "backtrace:" (kmemleak's, "backtrace (crc 1a2b):" since 6.8) but not
	-- "stack backtrace:"
	[[[^k] backtrace(?: \(crc [0-9a-f]+\))?:]], [[Backtrace:]], [[Uninit was stored to memory at]],
}

-- A frame line: x86 " [<ffffffff8123>] func+0x1/0x2", arm64 " func+0x1/0x2";
-- arm "[<c0123>] (func) from [<c0456>] (caller+0x1/0x2)" names two.
M.FRAME = {
	[[^ *(?:{{PC}} ){0,2}{{FUNC}}]],
	[[^ *{{PC}} \(([a-zA-Z0-9_.]+)\) from {{PC}} \({{FUNC}}]],
}

-- Frames never blamed: sanitizers, reporting, locking, allocation,
-- string and list helpers, work queues, device model teardown...
M.SKIP = {
	"__sanitizer", "__asan", "kasan", "__msan", "kmsan", "kcsan_setup_watchpoint", "check_memory_region",
	"check_heap_object", "check_object", "read_word_at_a_time", "(read|write)_once_.*nocheck",
	"print_address_description", "panic", "invalid_op", "report_bug", "fixup_bug", "print_report",
	"print_usage_bug", "do_error", [[_trap$|do_trap]], "show_stack", "dump_stack", "walk_stack",
	"dump_backtrace", "warn_slowpath", "warn_alloc", "warn_bogus", "__warn", "alloc_page",
	"k?v?(?:m|z|c)alloc", "krealloc", "kmem_cache", "allocate_slab", "slab_", "debug_object",
	"timer_is_static_object", "work_is_static_object", "__might_fault", "print_unlock", "imbalance_bug",
	"lockdep", "bh_enable", "bh_disable", "perf_trace", "lock_acquire", "lock_release", "lock_class",
	"mark_lock", "(reacquire|mark)_held_locks", "raw_spin_rq", "spin_lock", "spin_trylock", "spin_unlock",
	"read_lock", "read_trylock", "write_lock", "write_trylock", "read_unlock", "write_unlock", "^down$",
	"down_read", "down_write", "down_read_trylock", "down_write_trylock", "down_trylock", "up_read",
	"up_write", "^mutex_", "^__mutex_", "^rt_mutex_", "owner_on_cpu", "osq_lock", "osq_unlock",
	"atomic(64)?_(dec|inc|read|set|or|xor|and|add|sub|fetch|xchg|cmpxchg|try)", "(set|clear|change|test)_bit",
	"__wake_up", "^refcount_", "^kref_", "ref_tracker", "seqprop_assert", "memcpy", "memcmp", "memset",
	"memchr", "memmove", "memdup", "strcmp", "strncmp", "strcpy", "strlcpy", "strncpy", "strscpy",
	"strlen", "strnstr", "strnlen", "strchr", "strdup", "strndup", "copy_to_user", "copy_from_user",
	"copy_to_iter", "copy_from_iter", "^copyin$", "^copyout$", "put_user", "get_user", "might_fault",
	"might_sleep", "list_add", "list_del", "list_replace", "list_move", "list_splice", "^rb_", "^__rb_",
	"_indirect_thunk_", "string", "pointer", "snprintf", "scnprintf", "kasprintf", "kvasprintf",
	"printk", "va_format", "dev_info", "dev_notice", "dev_warn", "dev_err", "dev_alert", "dev_crit",
	"dev_emerg", "program_check_exception", "program_check_common", "del_timer", "flush_work",
	"__cancel_work_timer", "cancel_work_sync", "try_to_grab_pending", "flush_workqueue", "drain_workqueue",
	"destroy_workqueue", "queue_work", "finish_wait", "kthread_stop", "kobject_", "add_uevent_var",
	"get_device_parent", "device_add", "device_del", "device_unregister", "device_destroy",
	"device_release", "devres_release_all", "hwrng_unregister", "i2c_del_adapter", "__unregister_client",
	"device_for_each_child", "rollback_registered", "unregister_netdev", "sysfs_remove",
	"device_remove_file", "tty_unregister_device", "dummy_urb_enqueue", "usb_kill_urb",
	"usb_kill_anchored_urbs", "usb_control_msg", "usb_hcd_submit_urb", "usb_submit_urb", "^complete$",
	"wait_for_completion", "^kv?free$", "kfree_skb", "readb$", "readw$", "readl$", "readq$", "writeb$",
	"writew$", "writel$", "writeq$", "logic_in", "logic_out", [[^crc\d+]], "crc_itu_t", "__might_resched",
	"assertfail", "^iput$", "^iput_final$", "^ihold$", "hex_dump_to_buffer", "print_hex_dump", "^klist_",
	"(trace|lockdep)_(hard|soft)irq", "^(un)?lock_page", "stack_trace_consume_entry", "arch_stack_walk",
	"stack_trace_save", "insert_work", "__queue_delayed_work", "queue_delayed_work_on",
	-- arm64's way into a translation fault.
	"do_(kernel|translation)_fault", "do_mem_abort", "el1_abort", "el1h_64_sync(?:_handler)?", "print_tainted",
	-- The same kinds of helpers under newer names: hwasan, fortify checks,
	-- allocators with memory profiling (*_noprof), folio locks, iterator
	-- copies, libc-like string functions, generic containers (xarray, IDR,
	-- rhashtable), timers, the physical address check, device refcounts.
	"__hwasan", "fortify", "_noprof$", "alloc_frozen_pages", "^folio_(?:un)?lock", "^(?:un)?lock_folio",
	"copy_page_(?:to|from)_iter", "^str[a-z]{2,7}$", "^xas?_", "^id[ar]_", "^rhashtable_", "lock_timer_base",
	"^__?mod_timer", "timer_delete", "_timer_sync$", "^sk_(?:stop|reset)_timer", "__phys_addr", "^put_device$",
	-- Inode, dentry and buffer helpers that warn about their caller's misuse.
	"^(?:fast_|__)?dput$", "^(?:drop|clear|set|inc)_nlink$", "^mark_buffer_dirty", "^__?brelse$", "^__bforget$",
	-- The crypto API and its ciphers (crypto/, lib/crypto/): the bytes
	-- they read or write are their caller's.
	"^crypto_", "^drbg_", "^rng_", "^cipher_crypt", "^aes", "^(?:xts|ecb|cbc|ctr|gcm)_(?:en|de)crypt",
}

-- Fault injection stacks are often mixed into crash reports; a report
-- that shows one is corrupted.
M.CORRUPTED_LINES = {
	[[^( \[\<?(?:0x)?[0-9a-f]+\>?\])? should_fail(slab)?(\.[a-z0-9.]+)?\+0x]],
}

-- Syscall entry prefixes differ per architecture: taken off frame names.
M.STRIP_PREFIXES = {
	"SYSC_", "SyS_", "sys_", "__x64_", "__ia32_", "__arm64_", "____sys_", "___sys_", "__sys_", "__se_",
	"__do_sys_", "compat_SYSC_", "compat_SyS_", "ksys_",
}

--{====================================================================
-- Frame extractors for hangs and stalls
--=====================================================================

-- A stall loops somewhere below a dispatcher: the frame just above the
-- first of these names it (the syscall, the work item, the timer...).
M.STALL_ANCHORS = {
	"process_one_work", "do_syscall_", "do_fast_syscall_", "sysenter_dispatch", "tracesys_phase2",
	"el0_svc_handler", "invoke_syscall", "ret_fast_syscall", "netif_receive_skb", "do_softirq",
	"call_timer_fn", "_run_timers", "run_timer_softirq", "hrtimer_run", "run_ksoftirqd",
	"smpboot_thread_fn", "^kthread$", "start_secondary", "cpu_startup_entry", "ret_from_fork",
	-- Syscalls that dispatch on a file or a socket: the callee names it.
	"vfs_write", "vfs_read", "vfs_iter_read", "vfs_iter_write", "do_iter_read", "do_iter_write",
	"call_read_iter", "call_write_iter", "new_sync_read", "new_sync_write", "vfs_ioctl", "ksys_ioctl",
	"compat_ioctl", "compat_sys_ioctl", "blkdev_driver_ioctl", "blkdev_ioctl", "^call_read_iter",
	"^call_write_iter", "do_iter_readv_writev", "^call_mmap", "mmap_region", "do_mmap", "do_dentry_open",
	"vfs_open", "^sock_sendmsg", "^sock_recvmsg", "^sock_release", "^__sock_release", "^setsockopt$",
	"kernel_setsockopt", "sock_common_setsockopt", "^listen$", "kernel_listen", "sk_common_release",
	"^sock_mmap", "^accept$", "kernel_accept", "^sock_do_ioctl", "^sock_ioctl", "^compat_sock_ioctl",
	"^nfnetlink_rcv_msg", "^rtnetlink_rcv_msg", "^netlink_dump", "^(sys_)?(socketpair|connect|ioctl)",
	-- Page faults, and work run on the way back to user space.
	"__do_fault", "do_page_fault", "^page_fault$", "__fput", "task_work_run", "exit_to_usermode",
	"smp_call_function", "tasklet_action", "tasklet_hi_action",
}

-- A hung task is a victim: hangs on RCU or on rtnl_lock are grouped under
-- those, else the first frame that is not waiting machinery.
M.HANG_ANCHORS = {
	{ "rtnl_lock", nil }, { "synchronize_rcu", "synchronize_rcu" }, { "synchronize_srcu", "synchronize_rcu" },
	{ "synchronize_net", "synchronize_rcu" }, { "synchronize_sched", "synchronize_rcu" },
}
M.HANG_SKIP = {
	"sched", "_lock", "_slowlock", "down", "rwsem", "completion", "kthread", "wait", "synchronize",
	"context_switch", "__switch_to", "cancel_delayed_work", "rcu_barrier",
}

--{====================================================================
-- Reading the console
--=====================================================================

-- The console prefix: timestamp and, with CONFIG_PRINTK_CALLER, the
-- caller (task T123 or CPU C1) whose lines belong together.
M.CONSOLE = [[^(?:\*\* [0-9]+ printk messages dropped \*\* )?(?:.* login: )?(?:\<[0-9]+\>)?\[ *[0-9]+\.[0-9]+\](\[ *(?:C|T)[0-9]+\])? ]]
-- Frames the unwinder is not sure of: x86 "? func", powerpc "(unreliable)".
M.QUESTIONABLE = [[(\[\<[0-9a-f]+\>\])? \? ]]

-- Lines that never start a report: syslog's copies of console lines
-- ("Dec  4 15:56:11 host kern.warn kernel: [ 62.26] ...").
M.NOT_A_START = { [[(?i)\bkern\.[a-z]+ kernel: ]] }

-- Headlines that may appear inside a report without starting another.
M.REPORT_START_IGNORES = {
	"invalid opcode: 0000", "Kernel panic - not syncing", "unregister_netdevice: waiting for",
	-- A double fault may be part of a page fault's handling.
	"PANIC: double fault", "Internal error:",
}
-- Messages that carry a stack but are no bug: inside a report they mean
-- another stack got mixed in.
M.INFO_WITH_STACK = { "vmalloc: allocation failure:", "FAULT_INJECTION: forcing a failure", "FAULT_FLAG_ALLOW_RETRY missing" }

-- When a panic (panic_on_warn) or a lockdep splat caused by the report
-- comes after enough of it, the rest is left out.
M.TRAILERS = { "Kernel panic - not syncing", "WARNING: possible circular locking dependency detected" }
M.TRAILER_MIN_LINES = 22
M.TRAILER_MIN_LINES_KMSAN = 16

--{====================================================================
-- Titles
--=====================================================================

-- Parts of a title that differ between two runs of the same bug:
-- replaced (each until nothing changes) so equal bugs get equal titles.
M.TITLE_REPLACE = {
	{ [[syz-executor\.?[0-9]+((/|:)[0-9]+)?]], "syz-executor" },
	{ [[syzkaller[0-9]+((/|:)[0-9]+)?]], "syzkaller" },
	{ [[([^a-zA-Z0-9])(?:0x)?[0-9a-f]{6,}]], "${1}ADDR" },
	{ [[([0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3})]], "IP" },
	{ [[(\.\w+)(:[0-9]+)+]], "${1}:LINE" },
	{ [[([a-zA-Z][a-zA-Z0-9_.]+)\+0x[0-9a-z]+/0x[0-9a-z]+]], "${1}" },
	{ [[CPU#[0-9]+]], "CPU" },
	{ [[(\W)(\d+)(\W|$)]], "${1}NUM${3}" },
	{ [[(\d+){7,}]], "NUM" },
}
M.TITLE_MAX = 120
-- A timestamp inside a title means two lines got merged.
M.CORRUPTED_TITLES = { [=[\[ *[0-9]+\.[0-9]+\]]=] }

return M
