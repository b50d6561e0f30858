package main

// analysis is the last section of the report: what takes the time where a target is missed,
// and what was done about it. It names rows and tables of the report rather than repeating
// figures, which change from run to run.
const analysis = `
## Where the time goes

**Start-up (rows 3 and 7).** Most of the gap of row 3 is the start of the process, which row 7
measures alone. The kernel maps a larger binary, and the runtime runs the initialisers of every
linked package, whatever the command. The note under row 7 measures two floors. A Go main
that links net/http and does nothing else already takes a good part of the 1.3× that row
allows. The other links the packages hi's design fixes (cobra, viper, go-keyring, pretty) and
net/http, and does nothing else. Where it takes more than 1.3× on its own, as in every run on
this machine so far, no build of hi can meet row 7.

What hi adds on top of that floor has two parts. One is gojq, whose initialiser builds the
table of jq's builtin functions at every start: it is the slowest initialiser in the start-up
profile below. Viper's dotenv parser, which compiles regular expressions, and the YAML tables
come next, but they belong to the floor. The other part is the larger binary's page faults and
hi's own work: the command tree, the signal watcher and, for a call, reading the config file.

The signal watcher was the largest of hi's own costs. os/signal starts threads of its own on
the first Notify, and on this virtual machine that took a few tenths of a millisecond of each
call, about a tenth of a single hi get. hi needs the watcher: it turns Ctrl-C and SIGTERM
into exit codes 130 and 143 with a message, removes the temporary file of -o and puts back
the previous credential of an interrupted login (TestInterruptRequest and the other
interrupt tests). So the watcher's goroutine now calls Notify itself, and the threads start
beside the command instead of before it (watchInterrupt in main.go). Measured with perf stat,
a single hi get then took as long as a build without any watcher. Row 3 still sits close to
its target, and runs on this machine fall on either side of it.

What was done: hi builds only the command that runs. When the arguments name a command after
global flags only, the tree holds that command alone, without cobra's default completion
command; help, completion and unknown commands get the whole tree (NewRootCmdFor in
cmd/root.go, with a test that both trees run each case alike). It parses the config file
once instead of twice, and checks profile names with a loop instead of a regular expression
compiled at each start (internal/config). Earlier, the package-level values of hi's packages
were made lazy, and hi version, help and completion were kept from building an HTTP client,
reading the config or opening the keyring, which the end-to-end test
TestStartupCommandsTouchNothing checks. Going further would mean dropping gojq, and with it
--jq, or replacing viper, which the design fixes.

The rows time hi built as the release is, static. On a machine with a C compiler, go install
builds hi with cgo, linked dynamically against the C library, and the dynamic loader then
adds its own work to every start.

**OAuth (rows 5 and 6).** hi asks for every access token with an accessor secret, which the
token service then expects in place of the consumer secret when calls are signed. A call with a
cached token therefore reads one keyring entry, the token, as a bearer call reads its token.
The consumer secret is read only to fetch a new token (cmd/credential.go). Each keyring read
is several D-Bus calls to the Secret Service, which is where both rows spend the time they add
to row 1. Signing itself costs microseconds (BenchmarkAuthorize).

**Pagination (rows 8 and 9).** For each page the sandbox encodes 100 records while curl only
copies the bytes, so most of the reference's time is the server's. hi reads each page whole and
decodes it in one pass, which checks the JSON grammar and gives each item without white space
(BenchmarkDecodePage, internal/httpx/pagescan.go). In a perf profile of the walk, that decode
is the largest part of hi's CPU time. Most of the rest is net/http's connection goroutines and
the Go runtime's scheduler, whose monitor thread wakes up each time the process resumes after
waiting for the network. Any Go client pays those.

What was done: the encoding/json streaming decoder, which scanned each item three times, was
replaced by a one-pass decoder, and the items of a page go out in one write. That decoder is now
one loop that follows arrays and objects with a stack instead of recursion, scans strings eight
bytes at a time, and passes an item without white space, which is what servers send, as a
slice of the page rather than a copy. A walk that fetches one page after the other runs Go code
on one processor (oneProcessor in cmd/paginate_gc.go): the hand-offs between net/http's
goroutines and the walk then stay on one thread, which nearly halves the walk's context
switches. While hi decodes a page, the server already prepares the next one: the walk
requests the next page's URL, guessed by moving the offset on by the limit, before decoding,
and uses that response only when the decoded nextLink is the same URL (Walk in
internal/httpx/paginate.go). The goroutine that sends it must get the processor at once. An
earlier attempt left it waiting for the decode to end, and the walk got slower instead. The
check that a path belongs to an OAuth-only API, made before every request, no longer copies
the catalog entry.

A walk holds one page at a time. During a walk the garbage collector's target is halved
(cmd/paginate_gc.go). A long walk's heap then stays close to a short one's, instead of growing
to the runtime's 4 MB minimum goal before the first collection.

**Parallel pages (row 10).** The first page is fetched alone, because it gives totalResults,
and the others are then requested by offset, at most 8 at a time, so the speed-up is below 8.
`
