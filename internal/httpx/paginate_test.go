package httpx

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// collectionServer serves a collection of total items {"n":i} by offset and limit, with
// absolute nextLinks, as the platform does. Each page is built once and kept, so that a
// benchmark counts the allocations of the client rather than of the server.
func collectionServer(t testing.TB, total int) (*httptest.Server, *atomic.Int64) {
	var requests atomic.Int64
	var mu sync.Mutex
	pages := map[string][]byte{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		mu.Lock()
		body, ok := pages[r.URL.RawQuery]
		if !ok {
			body = collectionPage(r, total)
			pages[r.URL.RawQuery] = body
		}
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv, &requests
}

// collectionPage builds the page that r selects from a collection of total items.
func collectionPage(r *http.Request, total int) []byte {
	offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	limit, err := strconv.Atoi(r.URL.Query().Get("limit"))
	if err != nil || limit <= 0 {
		limit = 20
	}
	var b bytes.Buffer
	b.WriteString(`{"items":[`)
	for i := offset; i < min(offset+limit, total); i++ {
		if i > offset {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"n":%d,"name":"item %d"}`, i, i)
	}
	fmt.Fprintf(&b, `],"totalResults":%d`, total)
	if offset+limit < total {
		fmt.Fprintf(&b, `,"nextLink":"http://%s%s?offset=%d&limit=%d"`, r.Host, r.URL.Path, offset+limit, limit)
	}
	b.WriteString("}\n")
	return b.Bytes()
}

// newTestPager returns a pager over srv whose items go to out.
func newTestPager(srv *httptest.Server, out io.Writer, format ItemFormat) (*Pager, *ItemWriter) {
	items := NewItemWriter(out, format, false)
	base, _ := url.Parse(srv.URL)
	fetch := func(ctx context.Context, u *url.URL) (*http.Response, error) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
		return srv.Client().Do(req)
	}
	return &Pager{
		Fetch:      fetch,
		FetchAhead: fetch,
		Page:       func(body io.Reader) (PageInfo, error) { return DecodePage(body, items.Item) },
		Host:       base,
		MaxPages:   1000,
		Parallel:   1,
	}, items
}

func TestPagerWalk(t *testing.T) {
	cases := []struct {
		name         string
		total        int
		parallel     int
		maxPages     int
		wantItems    int
		wantPages    int
		wantParallel bool
		wantCut      bool
	}{
		{name: "sequential pages", total: 50, parallel: 1, wantItems: 50, wantPages: 8},
		{name: "parallel pages", total: 50, parallel: 4, wantItems: 50, wantPages: 8, wantParallel: true},
		{name: "single page", total: 5, parallel: 4, wantItems: 5, wantPages: 1},
		{name: "empty collection", total: 0, parallel: 1, wantItems: 0, wantPages: 1},
		{name: "max pages stops early", total: 50, parallel: 1, maxPages: 3, wantItems: 21, wantPages: 3, wantCut: true},
		{name: "max pages bounds parallel", total: 50, parallel: 4, maxPages: 3, wantItems: 21, wantPages: 3, wantParallel: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, requests := collectionServer(t, tc.total)
			var out bytes.Buffer
			pager, items := newTestPager(srv, &out, Compact)
			pager.Parallel = tc.parallel
			if tc.maxPages > 0 {
				pager.MaxPages = tc.maxPages
			}
			first, _ := url.Parse(srv.URL + "/things?limit=7")
			res, err := pager.Walk(context.Background(), first)
			if err != nil {
				t.Fatal(err)
			}
			if err := items.Close(res.TotalResults); err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Items []struct {
					N int `json:"n"`
				} `json:"items"`
				TotalResults int `json:"totalResults"`
			}
			if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
				t.Fatalf("merged document: %v\n%s", err, out.String())
			}
			if len(doc.Items) != tc.wantItems {
				t.Errorf("items = %d, want %d", len(doc.Items), tc.wantItems)
			}
			for i, item := range doc.Items {
				if item.N != i {
					t.Fatalf("item %d is n=%d: out of order", i, item.N)
				}
			}
			if doc.TotalResults != tc.total {
				t.Errorf("totalResults = %d, want %d", doc.TotalResults, tc.total)
			}
			if res.Pages != tc.wantPages || int(requests.Load()) != tc.wantPages {
				t.Errorf("pages = %d, requests = %d, want %d", res.Pages, requests.Load(), tc.wantPages)
			}
			if res.Parallel != tc.wantParallel {
				t.Errorf("parallel = %v, want %v", res.Parallel, tc.wantParallel)
			}
			if res.Truncated != tc.wantCut {
				t.Errorf("truncated = %v, want %v", res.Truncated, tc.wantCut)
			}
		})
	}
}

func TestPagerStopsAtBadLinks(t *testing.T) {
	var otherRequests atomic.Int64
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		otherRequests.Add(1)
	}))
	defer other.Close()
	cases := []struct {
		name     string
		nextLink func(self string) string
		want     string
	}{
		{name: "other host", nextLink: func(string) string { return other.URL + "/page2" },
			want: "stopped after page 1: its nextLink " + other.URL + "/page2 is on another host than the profile's "},
		{name: "same page again", nextLink: func(self string) string { return self + "/start" },
			want: "stopped after page 1: its nextLink %s/start repeats an earlier page, which would loop forever"},
		{name: "loop over two pages", nextLink: func(self string) string { return self + "/start?p=2" },
			want: "stopped after page 2: its nextLink %s/start repeats an earlier page, which would loop forever"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var srv *httptest.Server
			srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				next := tc.nextLink(srv.URL)
				if r.URL.RawQuery == "p=2" {
					next = srv.URL + "/start"
				}
				fmt.Fprintf(w, `{"items":[1],"nextLink":%q}`, next)
			}))
			defer srv.Close()
			pager, _ := newTestPager(srv, io.Discard, Compact)
			first, _ := url.Parse(srv.URL + "/start")
			_, err := pager.Walk(context.Background(), first)
			var linkErr *LinkError
			if !errors.As(err, &linkErr) {
				t.Fatalf("error = %v, want a *LinkError", err)
			}
			want := strings.ReplaceAll(tc.want, "%s", srv.URL)
			if !strings.HasPrefix(err.Error(), want) {
				t.Errorf("error = %q, want it to start with %q", err, want)
			}
			if n := otherRequests.Load(); n != 0 {
				t.Errorf("the other host got %d requests", n)
			}
		})
	}
}

func TestPagerStopsAtErrorStatus(t *testing.T) {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("offset") == "14" {
			http.Error(w, `{"code":503}`, http.StatusServiceUnavailable)
			return
		}
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		fmt.Fprintf(w, `{"items":[%d],"totalResults":30,"nextLink":"%s/c?offset=%d&limit=7"}`, offset, srv.URL, offset+7)
	}))
	defer srv.Close()
	for _, parallel := range []int{1, 3} {
		pager, items := newTestPager(srv, io.Discard, Compact)
		pager.Parallel = parallel
		first, _ := url.Parse(srv.URL + "/c?offset=0&limit=7")
		_, err := pager.Walk(context.Background(), first)
		var status *PageStatusError
		if !errors.As(err, &status) {
			t.Fatalf("parallel %d: error = %v, want a *PageStatusError", parallel, err)
		}
		status.Resp.Body.Close()
		if status.Page != 3 || status.Resp.StatusCode != 503 {
			t.Errorf("parallel %d: stopped at page %d with %d, want page 3 with 503", parallel, status.Page, status.Resp.StatusCode)
		}
		if items.Count() != 2 {
			t.Errorf("parallel %d: %d items written before the failure, want 2", parallel, items.Count())
		}
	}
}

func TestItemWriterFormats(t *testing.T) {
	items := []string{`{"a":1,"b":[1,2]}`, `{"c":"x"}`}
	whole := `{"items":[` + strings.Join(items, ",") + `],"totalResults":9}`
	cases := []struct {
		name   string
		format ItemFormat
		color  bool
		items  []string
		want   string
	}{
		{name: "compact document", format: Compact, items: items, want: whole + "\n"},
		{name: "compact empty", format: Compact, want: `{"items":[],"totalResults":9}` + "\n"},
		{name: "pretty matches whole document", format: Pretty, items: items, want: string(prettyJSON([]byte(whole), false))},
		{name: "pretty coloured", format: Pretty, color: true, items: items, want: string(prettyJSON([]byte(whole), true))},
		{name: "pretty empty", format: Pretty, want: string(prettyJSON([]byte(`{"items":[],"totalResults":9}`), false))},
		{name: "ndjson lines", format: NDJSON, items: items, want: items[0] + "\n" + items[1] + "\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			w := NewItemWriter(&out, tc.format, tc.color)
			for _, item := range tc.items {
				if err := w.Item([]byte(item)); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(9); err != nil {
				t.Fatal(err)
			}
			if out.String() != tc.want {
				t.Errorf("output = %q, want %q", out.String(), tc.want)
			}
		})
	}
}

func TestDecodePage(t *testing.T) {
	body := `{"totalResults": 3, "items": [ {"a": 1, "b": [ 1 ]}, "x", 2 ], "firstLink": "f", "nextLink": "n"}`
	var got []string
	info, err := DecodePage(strings.NewReader(body), func(item []byte) error {
		got = append(got, string(item))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, " ") != `{"a":1,"b":[1]} "x" 2` {
		t.Errorf("items = %q", got)
	}
	if info != (PageInfo{Items: 3, TotalResults: 3, HasTotal: true, NextLink: "n"}) {
		t.Errorf("info = %+v", info)
	}
	for _, bad := range []string{`[1,2]`, `{"total":1}`, `{"items":{}}`, `{"items":[1,`} {
		if _, err := DecodePage(strings.NewReader(bad), func([]byte) error { return nil }); err == nil {
			t.Errorf("page %s accepted", bad)
		}
	}
}

// TestPagerFetchesTheNextPageAhead checks that a sequential walk requests the next page
// before it reads the current one, when the next page's URL steps the offset by the limit:
// reading each page waits until the server has seen the request for the page after it.
func TestPagerFetchesTheNextPageAhead(t *testing.T) {
	const total, limit = 50, 7
	var mu sync.Mutex
	requested := map[int]chan struct{}{}
	requestedAt := func(offset int) chan struct{} {
		mu.Lock()
		defer mu.Unlock()
		if requested[offset] == nil {
			requested[offset] = make(chan struct{})
		}
		return requested[offset]
	}
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		close(requestedAt(offset))
		w.Write(collectionPage(r, total))
	}))
	defer srv.Close()
	pager, items := newTestPager(srv, io.Discard, Compact)
	pager.Page = func(body io.Reader) (PageInfo, error) {
		// The page being read starts at the items so far. From the second page on, the
		// walk has asked for the page after it, unless that is past the end.
		offset := items.Count()
		if next := offset + limit; offset > 0 && next < total {
			select {
			case <-requestedAt(next):
			case <-time.After(5 * time.Second):
				t.Errorf("the page at offset %d was read before the page at %d was asked for", offset, next)
			}
		}
		return DecodePage(body, items.Item)
	}
	first, _ := url.Parse(srv.URL + "/things?limit=7")
	res, err := pager.Walk(context.Background(), first)
	if err != nil {
		t.Fatal(err)
	}
	if res.Pages != 8 || items.Count() != total || requests.Load() != 8 {
		t.Fatalf("pages %d, items %d, requests %d; want 8, %d and 8", res.Pages, items.Count(), requests.Load(), total)
	}
}

// TestPagerStopsGuessingAfterMiss walks a collection whose nextLinks skip a page, so that
// the guessed next page is wrong: the walk follows the links, requests one page it does not
// use and guesses no more.
func TestPagerStopsGuessingAfterMiss(t *testing.T) {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		next := ""
		if offset < 40 {
			// Pages of 5 items whose links step by 10.
			next = fmt.Sprintf(`,"nextLink":"%s/c?offset=%d&limit=5"`, srv.URL, offset+10)
		}
		fmt.Fprintf(w, `{"items":[%d],"totalResults":100%s}`, offset, next)
	}))
	defer srv.Close()
	var out bytes.Buffer
	pager, items := newTestPager(srv, &out, NDJSON)
	var mu sync.Mutex
	var fetched []string
	fetch := pager.Fetch
	pager.Fetch = func(ctx context.Context, u *url.URL) (*http.Response, error) {
		mu.Lock()
		fetched = append(fetched, u.Query().Get("offset"))
		mu.Unlock()
		return fetch(ctx, u)
	}
	pager.FetchAhead = pager.Fetch
	first, _ := url.Parse(srv.URL + "/c?offset=0&limit=5")
	res, err := pager.Walk(context.Background(), first)
	if err != nil {
		t.Fatal(err)
	}
	items.Flush()
	if got, want := out.String(), "0\n10\n20\n30\n40\n"; got != want || res.Pages != 5 {
		t.Errorf("%d pages of items %q, want 5 pages of %q", res.Pages, got, want)
	}
	mu.Lock()
	defer mu.Unlock()
	if want := []string{"0", "10", "15", "20", "30", "40"}; !slices.Equal(sortedOffsets(fetched), want) {
		t.Errorf("fetched offsets %q, want %q: one wrong guess, then none", fetched, want)
	}
}

// TestPagerRefetchesFailedAheadPage fails the first request for the page at offset 14, which
// the walk requests ahead of its turn: the walk fetches it again in its turn, gets every
// item, and requests no more pages ahead.
func TestPagerRefetchesFailedAheadPage(t *testing.T) {
	const total = 50
	var requests atomic.Int64
	var failed atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if r.URL.Query().Get("offset") == "14" && !failed.Swap(true) {
			http.Error(w, `{"code":503}`, http.StatusServiceUnavailable)
			return
		}
		w.Write(collectionPage(r, total))
	}))
	defer srv.Close()
	pager, items := newTestPager(srv, io.Discard, Compact)
	var ahead atomic.Int64
	fetchAhead := pager.FetchAhead
	pager.FetchAhead = func(ctx context.Context, u *url.URL) (*http.Response, error) {
		ahead.Add(1)
		return fetchAhead(ctx, u)
	}
	first, _ := url.Parse(srv.URL + "/things?limit=7")
	res, err := pager.Walk(context.Background(), first)
	if err != nil {
		t.Fatal(err)
	}
	if res.Pages != 8 || items.Count() != total {
		t.Errorf("pages %d, items %d; want 8 and %d", res.Pages, items.Count(), total)
	}
	if !failed.Load() || ahead.Load() != 1 || requests.Load() != 9 {
		t.Errorf("failed %t, pages asked for ahead %d, requests %d; want the one failure, 1 and 9",
			failed.Load(), ahead.Load(), requests.Load())
	}
}

// sortedOffsets returns the offsets in numeric order.
func sortedOffsets(offsets []string) []string {
	out := slices.Clone(offsets)
	slices.SortFunc(out, func(a, b string) int {
		x, _ := strconv.Atoi(a)
		y, _ := strconv.Atoi(b)
		return x - y
	})
	return out
}

func TestNextByOffset(t *testing.T) {
	total := PageInfo{HasTotal: true, TotalResults: 100}
	cases := []struct {
		query string
		info  PageInfo
		want  string
	}{
		{query: "offset=20&limit=10", info: total, want: "offset=30&limit=10"},
		{query: "limit=10&x=a%20b&offset=20", info: total, want: "limit=10&x=a%20b&offset=30"},
		{query: "offset=90&limit=10", info: total},
		{query: "offset=20&limit=10", info: PageInfo{}},
		{query: "limit=10", info: total},
		{query: "offset=20", info: total},
		{query: "offset=20&limit=0", info: total},
		{query: "offset=x&limit=10", info: total},
		{query: "offset=20&offset=30&limit=10", info: total},
		{query: "offset=-5&limit=10", info: total},
		{query: "offset=9223372036854775800&limit=10", info: total},
	}
	for _, tc := range cases {
		u, _ := url.Parse("http://127.0.0.1/c?" + tc.query)
		next, ok := nextByOffset(u, tc.info)
		if ok != (tc.want != "") || (ok && next.RawQuery != tc.want) {
			t.Errorf("nextByOffset(%q) = %v, %t; want %q", tc.query, next, ok, tc.want)
		}
		if u.RawQuery != tc.query {
			t.Errorf("nextByOffset changed its argument to %q", u.RawQuery)
		}
	}
}

// BenchmarkPaginate walks a collection of 100,000 items from an in-process server in pages of
// 100 and reports the bytes allocated per item. The server's pages are built before the
// timer starts, though its per-request allocations still count. Flat memory shows as a
// per-item figure that does not depend on the number of items.
func BenchmarkPaginate(b *testing.B) {
	const total = 100_000
	srv, _ := collectionServer(b, total)
	first, _ := url.Parse(srv.URL + "/things?limit=100")
	warm, _ := newTestPager(srv, io.Discard, Compact)
	if _, err := warm.Walk(context.Background(), first); err != nil {
		b.Fatal(err)
	}
	var before, after runtime.MemStats
	b.ReportAllocs()
	runtime.ReadMemStats(&before)
	for b.Loop() {
		pager, items := newTestPager(srv, io.Discard, Compact)
		res, err := pager.Walk(context.Background(), first)
		if err != nil {
			b.Fatal(err)
		}
		items.Close(res.TotalResults)
		if items.Count() != total {
			b.Fatalf("items = %d, want %d", items.Count(), total)
		}
	}
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N*total), "B/item")
}
