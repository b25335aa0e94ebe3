package bench

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// Browser is one headless Chromium for the search measures. Each query
// runs in a browser context of its own (an empty cache, as a first visit).
type Browser struct {
	ctx    context.Context
	cancel func()
	out    *tail
	mu     *sync.Mutex
}

// StartBrowser launches Chromium with the flags of generator/browsertest
// (headless, no sandbox, no GPU, nothing that reaches the network on its
// own) and a fresh profile in profileDir.
func StartBrowser(chromium, profileDir string) (*Browser, error) {
	out := &tail{}
	mu := &sync.Mutex{}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium),
		chromedp.UserDataDir(profileDir),
		chromedp.Flag("headless", "new"),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-features", "Translate,MediaRouter,OptimizationHints,BackForwardCache"),
		chromedp.Flag("mute-audio", true),
		chromedp.Flag("lang", "fr-FR"),
		chromedp.CombinedOutput(lockedWriter{mu, out}),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	b := &Browser{ctx: ctx, cancel: func() { cancel(); cancelAlloc() }, out: out, mu: mu}
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err := <-started:
		if err != nil {
			b.cancel()
			return nil, fmt.Errorf("chromium (%s) does not start: %v\n%s", chromium, err, b.output())
		}
	case <-time.After(60 * time.Second):
		b.cancel()
		return nil, fmt.Errorf("chromium (%s) did not start in 60 s\n%s", chromium, b.output())
	}
	return b, nil
}

// Close stops the browser.
func (b *Browser) Close() { b.cancel() }

func (b *Browser) output() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.out.String()
}

type lockedWriter struct {
	mu *sync.Mutex
	t  *tail
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.t.Write(p)
}

// FirstResult is what one query costs a visitor's browser on its first
// search: every file of the search (search/ for cqp, pagefind/ for
// Pagefind) downloaded from opening the page until the results are shown,
// headers included, as Chromium's DevTools Network domain accounts them
// (encodedDataLength). The few responses DevTools does not report, such as
// a web worker's own script, are sized by what the server wrote for them.
type FirstResult struct {
	Query    string      `json:"query"`
	Bytes    int64       `json:"bytes"`
	Requests int         `json:"requests"`
	Results  int         `json:"results"`
	Shown    int         `json:"results_loaded"`
	First    string      `json:"first_result"`
	Files    []FileBytes `json:"files"`
	// Keystrokes are the costs of typing the query again, letter by
	// letter, in the same page (its index files now loaded): Call is the
	// search call, Wall from the key to the results shown (see Keystroke).
	Keystrokes []Keystroke `json:"keystrokes"`
}

// FileBytes is one response counted in a FirstResult.
type FileBytes struct {
	Path    string `json:"path"`
	Bytes   int64  `json:"bytes"`
	SizedBy string `json:"sized_by"` // "devtools" or "server"
}

// Keystroke is the cost of one letter typed. For cqp, Call is what the
// search script's own hook reports (cqpSearch.timing.total: the query run
// and the results rendered) and Wall runs from the input event to the
// results in the page; for Pagefind, Call is pagefind.search() and Wall adds
// loading the shown results' data, as its UI does before it shows them.
type Keystroke struct {
	Prefix string  `json:"prefix"`
	Call   float64 `json:"call_ms"`
	Wall   float64 `json:"wall_ms"`
}

// netRecorder keeps the network events of a tab and of its workers.
type netRecorder struct {
	mu       sync.Mutex
	counting bool
	reqs     map[string]*netReq // by session label + request id
	order    []string
}

type netReq struct {
	url      string
	counted  bool
	bytes    float64
	done     bool
	failed   bool
	received bool
}

func newNetRecorder() *netRecorder { return &netRecorder{reqs: map[string]*netReq{}} }

func (r *netRecorder) setCounting(on bool) {
	r.mu.Lock()
	r.counting = on
	r.mu.Unlock()
}

// listener returns the event function of one session (the page, or a
// worker); it must return fast and run no command (chromedp.Listen).
func (r *netRecorder) listener(session string, onWorker func(target.ID)) func(any) {
	return func(ev any) {
		r.mu.Lock()
		defer r.mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			key := session + "/" + string(e.RequestID)
			if q, ok := r.reqs[key]; ok {
				q.url = e.Request.URL // a redirect: same id, new URL
				return
			}
			r.reqs[key] = &netReq{url: e.Request.URL, counted: r.counting}
			r.order = append(r.order, key)
		case *network.EventResponseReceived:
			if q, ok := r.reqs[session+"/"+string(e.RequestID)]; ok {
				q.url = e.Response.URL
				q.received = true
			}
		case *network.EventLoadingFinished:
			if q, ok := r.reqs[session+"/"+string(e.RequestID)]; ok {
				q.bytes, q.done = e.EncodedDataLength, true
			}
		case *network.EventLoadingFailed:
			if q, ok := r.reqs[session+"/"+string(e.RequestID)]; ok {
				q.failed, q.done = true, true
			}
		case *target.EventAttachedToTarget:
			if onWorker != nil && e.TargetInfo != nil && strings.Contains(string(e.TargetInfo.Type), "worker") {
				go onWorker(e.TargetInfo.TargetID)
			}
		}
	}
}

// settle waits until every counted request has finished, or the deadline.
func (r *netRecorder) settle(d time.Duration) {
	end := time.Now().Add(d)
	for time.Now().Before(end) {
		r.mu.Lock()
		pending := 0
		for _, q := range r.reqs {
			if q.counted && !q.done {
				pending++
			}
		}
		r.mu.Unlock()
		if pending == 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// counted returns the requests counted whose path starts with prefix.
func (r *netRecorder) counted(prefix string) []FileBytes {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []FileBytes
	for _, k := range r.order {
		q := r.reqs[k]
		if !q.counted || q.failed || !q.done {
			continue
		}
		u, err := url.Parse(q.url)
		if err != nil || !strings.HasPrefix(u.Path, prefix) {
			continue
		}
		out = append(out, FileBytes{Path: u.RequestURI(), Bytes: int64(q.bytes), SizedBy: "devtools"})
	}
	return out
}

// merge adds to the DevTools count the responses that the server wrote in
// the window and DevTools did not report, sized by the server.
func merge(dev []FileBytes, served []Served, prefix string) []FileBytes {
	seen := map[string]int{}
	for _, f := range dev {
		seen[f.Path]++
	}
	out := append([]FileBytes(nil), dev...)
	for _, s := range served {
		if !strings.HasPrefix(s.Path, prefix) {
			continue
		}
		if seen[s.Path] > 0 {
			seen[s.Path]--
			continue
		}
		out = append(out, FileBytes{Path: s.Path, Bytes: s.Header + s.Body, SizedBy: "server"})
	}
	return out
}

// tab opens a tab in a new browser context with a recorder on it and on
// the workers it starts.
func (b *Browser) tab() (context.Context, *netRecorder, func()) {
	rec := newNetRecorder()
	var ctx context.Context
	var workers sync.WaitGroup
	onWorker := func(id target.ID) {
		workers.Add(1)
		defer workers.Done()
		wctx, _ := chromedp.NewContext(ctx, chromedp.WithTargetID(id),
			chromedp.WithListener(rec.listener("worker:"+string(id), nil)))
		chromedp.Do(wctx) // attaches and enables Network; the tab's end ends it
	}
	// The listener is in place before the tab reads its first message; it
	// reads ctx only once a worker starts, after this function returned.
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext(),
		chromedp.WithListener(rec.listener("page", onWorker)))
	return ctx, rec, func() {
		cancel()
		workers.Wait()
	}
}

// timeout bounds one query's measure: a page that never shows a result
// must fail the run, not hang it.
const queryTimeout = 60 * time.Second

// benchHook records, in the page, the input events and every result set
// that the search script reports through cqpSearch.timing (see
// generator/search/js/ui.js), with the query it was for.
const benchHook = `(() => {
  const b = window.__bench = {lastInput: 0, log: []};
  document.addEventListener('input', () => { b.lastInput = performance.now(); }, true);
  const reg = window.cqpSearch;
  let t = reg.timing;
  Object.defineProperty(reg, 'timing', {
    configurable: true,
    get() { return t; },
    set(v) {
      t = v;
      const q = document.getElementById('q');
      b.log.push({q: q ? q.value : '', total: v.total, query: v.query, results: v.results,
                  wall: performance.now() - b.lastInput});
    },
  });
  return true;
})()`

// CQPQuery opens the home page of a cqp site served by srv, types the
// query into its search box as a visitor does, and waits for the results
// of the whole query.
func (b *Browser) CQPQuery(srv *StaticServer, query string) (FirstResult, error) {
	ctx, rec, closeTab := b.tab()
	defer closeTab()
	ctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()
	res := FirstResult{Query: query}

	mark := srv.Mark()
	rec.setCounting(true)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL)); err != nil {
		return res, fmt.Errorf("opening %s: %w", srv.URL, err)
	}
	if err := waitJS(ctx, `!!(window.cqpSearch && window.cqpSearch.engine && document.getElementById('q'))`, 10*time.Second); err != nil {
		return res, fmt.Errorf("the home page has no working search (no search/search.js, or no input#q): %w", err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](benchHook)); err != nil {
		return res, err
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#q"), query)); err != nil {
		return res, fmt.Errorf("typing %q: %w", query, err)
	}
	done := fmt.Sprintf(`window.__bench.log.some(e => e.q === %q) && !!document.querySelector('#resultats li a')`, query)
	if err := waitJS(ctx, done, 30*time.Second); err != nil {
		return res, fmt.Errorf("no result for %q: %w", query, err)
	}
	stop := time.Now()
	rec.setCounting(false)
	rec.settle(5 * time.Second)
	files := merge(rec.counted("/search/"), servedBefore(srv.Since(mark), stop), "/search/")
	res.setFiles(files)

	type shown struct {
		Results int    `json:"results"`
		Loaded  int    `json:"loaded"`
		First   string `json:"first"`
	}
	s, err := chromedp.Run(ctx, chromedp.Evaluate[shown](fmt.Sprintf(`(() => {
	  const e = window.__bench.log.filter(e => e.q === %q).pop();
	  const a = document.querySelector('#resultats li a');
	  return {results: e.results, loaded: document.querySelectorAll('#resultats li').length, first: a ? a.textContent.trim() : ''};
	})()`, query)))
	if err != nil {
		return res, err
	}
	res.Results, res.Shown, res.First = s.Results, s.Loaded, s.First

	// The keystrokes: clear the box, then type the query again letter by
	// letter, each letter once the previous one's results are shown.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
	  const q = document.getElementById('q'); q.value = ''; q.dispatchEvent(new Event('input', {bubbles: true}));
	  return true; })()`)); err != nil {
		return res, err
	}
	time.Sleep(300 * time.Millisecond)
	for i, r := range []rune(query) {
		prefix := string([]rune(query)[:i+1])
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.__bench.log.length`))
		if err != nil {
			return res, err
		}
		if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#q"), string(r))); err != nil {
			return res, err
		}
		// A letter that the script waits on (a word too short to expand)
		// reports nothing: it is no keystroke to time.
		cond := fmt.Sprintf(`window.__bench.log.length > %d && window.__bench.log[window.__bench.log.length-1].q === %q`, n, prefix)
		if waitJS(ctx, cond, 2*time.Second) != nil {
			continue
		}
		k, err := chromedp.Run(ctx, chromedp.Evaluate[Keystroke](fmt.Sprintf(
			`(() => { const e = window.__bench.log[window.__bench.log.length-1]; return {prefix: %q, call_ms: e.total, wall_ms: e.wall}; })()`, prefix)))
		if err != nil {
			return res, err
		}
		res.Keystrokes = append(res.Keystrokes, k)
	}
	return res, nil
}

// PagefindQuery measures Pagefind as shared/bench/pagefind_query_bytes.cjs
// does: it opens a small page (level/, not counted), then, as Pagefind's UI
// would, imports pagefind.js, runs search(query) and loads the data of the
// first nres results (its default UI shows 5).
func (b *Browser) PagefindQuery(srv *StaticServer, query string, nres int) (FirstResult, error) {
	ctx, rec, closeTab := b.tab()
	defer closeTab()
	ctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()
	res := FirstResult{Query: query}
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"level/")); err != nil {
		return res, fmt.Errorf("opening %slevel/: %w", srv.URL, err)
	}
	time.Sleep(300 * time.Millisecond)

	mark := srv.Mark()
	rec.setCounting(true)
	type out struct {
		Total  int    `json:"total"`
		Loaded int    `json:"loaded"`
		First  string `json:"first"`
	}
	o, err := chromedp.Run(ctx, chromedp.Evaluate[out](fmt.Sprintf(`(async () => {
	  const pagefind = await import(new URL('pagefind/pagefind.js', %q).href);
	  const search = await pagefind.search(%q);
	  const data = await Promise.all(search.results.slice(0, %d).map(r => r.data()));
	  window.__pagefind = pagefind;
	  return {total: search.results.length, loaded: data.length, first: data.length ? (data[0].meta && data[0].meta.title) || data[0].url : ''};
	})()`, srv.URL, query, nres), chromedp.EvalAwaitPromise))
	if err != nil {
		return res, fmt.Errorf("pagefind search %q: %w", query, err)
	}
	stop := time.Now()
	rec.setCounting(false)
	rec.settle(5 * time.Second)
	files := merge(rec.counted("/pagefind/"), servedBefore(srv.Since(mark), stop), "/pagefind/")
	res.setFiles(files)
	res.Results, res.Shown, res.First = o.Total, o.Loaded, o.First

	ks, err := chromedp.Run(ctx, chromedp.Evaluate[[]Keystroke](fmt.Sprintf(`(async () => {
	  const pagefind = window.__pagefind, q = %q, out = [];
	  for (let i = 1; i <= [...q].length; i++) {
	    const prefix = [...q].slice(0, i).join('');
	    const t0 = performance.now();
	    const search = await pagefind.search(prefix);
	    const t1 = performance.now();
	    await Promise.all(search.results.slice(0, %d).map(r => r.data()));
	    out.push({prefix, call_ms: t1 - t0, wall_ms: performance.now() - t0});
	  }
	  return out;
	})()`, query, nres), chromedp.EvalAwaitPromise))
	if err != nil {
		return res, fmt.Errorf("pagefind keystrokes %q: %w", query, err)
	}
	res.Keystrokes = ks
	return res, nil
}

func (r *FirstResult) setFiles(files []FileBytes) {
	r.Files = files
	r.Requests = len(files)
	r.Bytes = 0
	for _, f := range files {
		r.Bytes += f.Bytes
	}
}

// servedBefore keeps the responses whose request arrived before t.
func servedBefore(s []Served, t time.Time) []Served {
	var out []Served
	for _, x := range s {
		if x.Start.Before(t) {
			out = append(out, x)
		}
	}
	return out
}

// waitJS polls a JavaScript condition until it holds.
func waitJS(ctx context.Context, cond string, d time.Duration) error {
	end := time.Now().Add(d)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](cond))
		if err == nil && ok {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if time.Now().After(end) {
			if err != nil {
				return err
			}
			return errors.New("timed out waiting for " + cond)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
