package main

// analysis is the last section of the report: what takes the time where a target is missed,
// and what was done about it. It names rows and tables of the report rather than repeating
// figures, which change from run to run.
const analysis = `
## Where the time goes

**Start-up (rows 3 and 7).** hi and the minimal Go client spend about the same time on the
request itself: the gap between hi version and the empty Go main (row 7) accounts for the gap
of row 3. It is the start of the process. The kernel maps a larger binary, and the runtime runs
the initialisers of every linked package, whatever the command: cobra, viper and the file
formats it parses, gojq, go-keyring with its D-Bus client, and net/http. A perf profile of hi
version puts most of its time in the kernel's exec and page faults and in those initialisers.
Building the command tree in main is a small part. The note under row 7 shows that linking
net/http alone costs a good part of the 1.3× that row allows, so no Go program that makes
HTTP requests can meet it.

What was done: the name patterns of the config package, the slowest initialiser of hi's own
code, and the other package-level values of hi's packages are now built on first use. hi
version, help and completion build no HTTP client, read no config and open no keyring, which
the end-to-end test TestStartupCommandsTouchNothing checks. What remains is in dependencies,
as the start-up profile shows. gojq builds its table of builtin functions, viper's dotenv
parser compiles regular expressions, and YAML and Unicode tables are set up. Going further
would mean replacing viper or gojq.

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
decodes it in one pass, which checks the JSON grammar and copies each item without white space
(BenchmarkDecodePage, internal/httpx/pagescan.go). The encoding/json streaming decoder it
replaced scanned each item three times and made the walk several times slower than curl. The
items of a page now go out in one write instead of one per item.

What is left is that decode and the bookkeeping of each request, done while the server waits.
hi cannot ask for the next page before it has found the current page's nextLink, which the
platform puts after the items. A walk that requested the next page as soon as a byte search of
the body found its link, and checked it against the link of the full decode, was tried. It
still requested every page once, but it was no faster on this two-core machine, where hi and
the sandbox then compete for the same cores, so it was left out.

A walk holds one page at a time. During a walk the garbage collector's target is halved
(cmd/paginate_gc.go). A long walk's heap then stays close to a short one's, instead of growing
to the runtime's 4 MB minimum goal before the first collection.

**Parallel pages (row 10).** The first page is fetched alone, because it gives totalResults,
and the others are then requested by offset, at most 8 at a time, so the speed-up is below 8.
`
