// ui.js: the page script. It enhances what the theme renders on the home
// page and on recherche/ (docs/search.md, "Hooks"): the form.search with
// its input#q, div#facettes, p#statut and, on recherche/, ol#resultats
// with one li[data-id] per CQP. Without JavaScript those hooks already
// work: the form sends ?q= to recherche/, which lists every CQP. With it,
// results come as the visitor types, with facets and their counts, and
// the URL keeps the search.
//
// It runs after core.js in one file. It loads the index with <script>
// elements (fetch() of a local file is refused from file://), builds every
// node with DOM methods (never innerHTML of data), sets no style attribute
// (a strict Content-Security-Policy forbids them; the theme styles the
// classes below) and resolves every URL against its own: the site's root
// is where search/search.js sits, whatever the sub-path or the scheme.
(function (core) {
  'use strict';
  if (typeof document === 'undefined' || !document.currentScript || !document.currentScript.src) return;

  var PAGE = 20;         // results shown, and added by "more"
  var FACET_SHOWN = 8;   // values of a long facet shown before "show all"
  var ANNOUNCE_MS = 500; // the status waits for typing to pause
  var URL_MS = 250;      // so does the address bar while typing

  var scriptURL = new URL(document.currentScript.src);
  var base = new URL('./', scriptURL).href;
  var root = new URL('../', scriptURL).href;
  var overHTTP = scriptURL.protocol === 'http:' || scriptURL.protocol === 'https:';

  // ---------------------------------------------------------- loading

  var registry = window.cqpSearch = window.cqpSearch || {};
  var pending = new Map();
  var stamp = '';

  // Each data file calls cqpSearch.load(kind, key, data) when it runs.
  registry.load = function (kind, key, data) {
    var id = kind + ':' + key;
    var p = pending.get(id);
    if (p) {
      pending.delete(id);
      p.resolve(data);
    }
  };

  function loadFile(kind, key) {
    return new Promise(function (resolve, reject) {
      var id = kind + ':' + key;
      var path = kind === 'meta' ? 'meta.js' : kind + '/' + key + '.js';
      var s = document.createElement('script');
      // Over http(s) the build's stamp keeps a browser from mixing files of
      // two builds from its cache; a file:// URL needs none.
      s.src = base + path + (overHTTP && stamp ? '?v=' + stamp : '');
      s.async = true;
      pending.set(id, {resolve: resolve});
      s.onload = function () {
        s.remove();
        if (pending.has(id)) {
          pending.delete(id);
          reject(new Error(path + ' : fichier d\u2019index illisible'));
        }
      };
      s.onerror = function () {
        s.remove();
        pending.delete(id);
        reject(new Error(path + ' : fichier d\u2019index introuvable'));
      };
      document.head.appendChild(s);
    });
  }

  var engine = new core.Engine(loadFile);
  registry.engine = engine;

  // ------------------------------------------------------------- DOM

  function el(tag, className) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    return e;
  }

  function text(s) {
    return document.createTextNode(s);
  }

  function plural(n, one, many) {
    return n + '\u00a0' + (n > 1 ? many : one);
  }

  var form;
  var input;
  var facetsBox;
  var status;
  var list;
  var more;
  var searchPage;
  var original;
  var facetRefs = [];
  var expanded = {};
  var state = {q: '', filters: {}};
  var current = null;
  var currentQuery = '';
  var shown = PAGE;
  var seq = 0;
  var announceTimer = 0;
  var urlTimer = 0;
  var activated = null;
  var waitingFor = ''; // a word being typed that needs another letter
  var heading = null;   // the heading of recherche/'s list, and its text
  var headingNodes = null;

  function start() {
    form = document.querySelector('form.search');
    input = document.getElementById('q');
    if (!form || !input) return;
    facetsBox = document.getElementById('facettes');
    status = document.getElementById('statut');
    list = document.getElementById('resultats');
    searchPage = !!list;
    if (searchPage) {
      original = Array.prototype.slice.call(list.childNodes);
      // The list's heading says what it holds: "every CQP" until a search
      // replaces it.
      heading = list.getAttribute('aria-labelledby') ? document.getElementById(list.getAttribute('aria-labelledby')) : null;
      if (heading) headingNodes = Array.prototype.slice.call(heading.childNodes);
    } else {
      // The home page has no list: results go into one made for them,
      // after the status line (or the form).
      list = el('ol', 'search-results');
      list.id = 'resultats';
      list.setAttribute('aria-label', 'Résultats de la recherche');
      list.hidden = true;
      var after = status && status.parentNode ? status : form;
      after.parentNode.insertBefore(list, after.nextSibling);
    }
    more = el('button', 'search-more');
    more.type = 'button';
    more.hidden = true;
    list.parentNode.insertBefore(more, list.nextSibling);

    form.addEventListener('submit', onSubmit);
    input.addEventListener('input', onInput);
    input.addEventListener('keydown', onInputKey);
    list.addEventListener('keydown', onListKey);
    more.addEventListener('click', onMore);
    window.addEventListener('popstate', onPopState);

    var params = new URLSearchParams(location.search);
    var hasState = false;
    params.forEach(function (v) {
      hasState = hasState || v !== '';
    });
    if (params.get('q') && input.value !== params.get('q')) input.value = params.get('q');
    if (searchPage || hasState) {
      activate().then(function () {
        return restore(location.search);
      }).catch(ignore);
    } else {
      // The home page loads the index when the visitor comes to the form.
      input.addEventListener('focus', function () {
        activate().catch(ignore);
      }, {once: true});
      form.addEventListener('pointerenter', function () {
        activate().catch(ignore);
      }, {once: true});
    }
  }

  function activate() {
    if (!activated) {
      activated = engine.init().then(function (meta) {
        stamp = meta.stamp || '';
        buildFacets(meta);
        updateFacets(engine.run({words: [], waiting: []}, state.filters));
        return meta;
      }, function (err) {
        failed(err);
        throw err;
      });
    }
    return activated;
  }

  // failed tells the visitor that the search is out of order; the page
  // keeps what works without it (the form, recherche/'s full list).
  function failed(err) {
    say('La recherche n\u2019a pas pu se charger (' + (err && err.message || err) + ').' +
      (searchPage ? ' La liste complète des CQP reste ci-dessous.' : ''), true);
  }

  function ignore() {
    // failed has told the visitor already.
  }

  // ---------------------------------------------------------- facets

  function buildFacets(meta) {
    if (!facetsBox) return;
    facetsBox.textContent = '';
    meta.facets.forEach(function (f, fi) {
      var fs = el('fieldset', 'facet');
      fs.setAttribute('data-facet', f.key);
      var legend = el('legend');
      legend.textContent = f.label;
      fs.appendChild(legend);
      var ul = el('ul', 'facet-values');
      var refs = [];
      f.values.forEach(function (v, k) {
        var li = el('li');
        var id = 'facette-' + f.key + '-' + k;
        var cb = el('input');
        cb.type = 'checkbox';
        cb.id = id;
        cb.name = f.key;
        cb.value = v[0];
        var label = el('label');
        label.htmlFor = id;
        label.appendChild(text(v[1] + ' '));
        var count = el('span', 'facet-count');
        label.appendChild(count);
        li.appendChild(cb);
        li.appendChild(label);
        ul.appendChild(li);
        refs.push({li: li, cb: cb, count: count});
      });
      fs.appendChild(ul);
      var toggle = null;
      if (f.values.length > FACET_SHOWN) {
        toggle = el('button', 'facet-toggle');
        toggle.type = 'button';
        toggle.setAttribute('aria-expanded', 'false');
        toggle.addEventListener('click', function () {
          expanded[f.key] = !expanded[f.key];
          toggle.setAttribute('aria-expanded', String(!!expanded[f.key]));
          if (current) updateFacets(current);
        });
        fs.appendChild(toggle);
      }
      facetRefs[fi] = {facet: f, values: refs, toggle: toggle};
      facetsBox.appendChild(fs);
    });
    facetsBox.addEventListener('change', onFacetChange);
  }

  // updateFacets writes the counts of a result and hides the values no
  // CQP would match (unless checked); a long facet shows its first values
  // until the visitor asks for all.
  function updateFacets(res) {
    facetRefs.forEach(function (ref, fi) {
      var visible = 0;
      var hidden = 0;
      ref.values.forEach(function (v, k) {
        var n = res.counts[fi][k];
        // Only what changed is written: a keystroke touches few nodes.
        var label = '(' + n + ')';
        if (v.count.textContent !== label) v.count.textContent = label;
        var want = n > 0 || v.cb.checked;
        var fits = expanded[ref.facet.key] || visible < FACET_SHOWN || v.cb.checked;
        if (v.li.hidden !== !(want && fits)) v.li.hidden = !(want && fits);
        if (want && fits) visible++;
        else if (want) hidden++;
      });
      if (ref.toggle) {
        ref.toggle.hidden = hidden === 0 && !expanded[ref.facet.key];
        ref.toggle.textContent = expanded[ref.facet.key] ? 'Afficher moins' : 'Afficher les ' + (visible + hidden) + ' choix';
      }
    });
  }

  function readFacets() {
    var filters = {};
    facetRefs.forEach(function (ref) {
      ref.values.forEach(function (v) {
        if (v.cb.checked) (filters[ref.facet.key] = filters[ref.facet.key] || []).push(v.cb.value);
      });
    });
    return filters;
  }

  function writeFacets(filters) {
    facetRefs.forEach(function (ref) {
      var want = filters[ref.facet.key] || [];
      ref.values.forEach(function (v) {
        v.cb.checked = want.indexOf(v.cb.value) >= 0;
      });
    });
  }

  // ------------------------------------------------------ URL state

  function writeURL(push) {
    clearTimeout(urlTimer);
    var qs = core.formatState(state, engine.meta ? engine.meta.facets : []);
    if (qs === location.search || (qs === '' && location.search === '')) return;
    try {
      history[push ? 'pushState' : 'replaceState'](null, '', (qs || location.pathname) + location.hash);
    } catch (e) {
      // Some browsers refuse history changes on file:// pages; the search
      // still works, only the address bar stays behind.
    }
  }

  function restore(search) {
    var s = core.parseState(search, engine.meta.facets.map(function (f) {
      return f.key;
    }));
    state = s;
    if (input.value !== s.q) input.value = s.q;
    writeFacets(s.filters);
    return search_();
  }

  function onPopState() {
    if (!engine.meta) return;
    restore(location.search).then(sayNow, ignore);
  }

  // -------------------------------------------------------- events

  function onInput() {
    activate().then(function () {
      state.q = input.value;
      clearTimeout(urlTimer);
      urlTimer = setTimeout(function () {
        writeURL(false);
      }, URL_MS);
      return search_();
    }).catch(ignore);
  }

  function onFacetChange() {
    state.filters = readFacets();
    state.q = input.value;
    writeURL(true);
    search_().then(sayNow, ignore);
  }

  function onSubmit(ev) {
    ev.preventDefault();
    activate().then(function () {
      state.q = input.value;
      state.filters = readFacets();
      return search_();
    }).then(function () {
      // A code that names one CQP (or one of its blocks) goes straight to
      // its page, as an advisor's RNCP number should.
      if (current && current.direct >= 0) {
        return engine.doc(current.direct).then(function (d) {
          return engine.block(current.direct, current.words).then(function (b) {
            location.href = cqpURL(d, b);
          });
        });
      }
      if (!searchPage) {
        // The home page hands over to the full search page.
        location.href = new URL(form.getAttribute('action') || root + 'recherche/index.html', location.href).href.split('?')[0] +
          core.formatState(state, engine.meta.facets);
        return;
      }
      writeURL(true);
      sayNow();
    }).catch(function () {
      // The index did not load: let the form do what it does without
      // JavaScript.
      form.removeEventListener('submit', onSubmit);
      form.submit();
    });
  }

  function resultLinks() {
    return Array.prototype.slice.call(list.querySelectorAll('li > a:first-of-type'));
  }

  function onInputKey(ev) {
    if (ev.key === 'ArrowDown' && !list.hidden) {
      var links = resultLinks();
      if (links.length) {
        ev.preventDefault();
        links[0].focus();
      }
    } else if (ev.key === 'Escape' && input.value !== '') {
      ev.preventDefault();
      input.value = '';
      onInput();
    }
  }

  function onListKey(ev) {
    if (ev.key !== 'ArrowDown' && ev.key !== 'ArrowUp' && ev.key !== 'Escape') return;
    var links = resultLinks();
    var i = links.indexOf(document.activeElement);
    if (i < 0) return;
    ev.preventDefault();
    if (ev.key === 'Escape' || (ev.key === 'ArrowUp' && i === 0)) input.focus();
    else if (ev.key === 'ArrowDown' && i + 1 < links.length) links[i + 1].focus();
    else if (ev.key === 'ArrowUp') links[i - 1].focus();
  }

  function onMore() {
    if (!current) return;
    var from = shown;
    shown += PAGE;
    var my = seq;
    items(current, from, shown).then(function (its) {
      if (my !== seq) return;
      its.forEach(function (it) {
        list.appendChild(renderItem(it, current));
      });
      more.hidden = current.total <= shown;
      setMoreLabel();
      var links = resultLinks();
      if (links[from]) links[from].focus();
    }, failed);
  }

  // --------------------------------------------------------- search

  function hasFilters(filters) {
    for (var k in filters) if (filters[k].length) return true;
    return false;
  }

  // search_ runs the current state and renders it; a newer search makes
  // an older one drop its results on arrival.
  function search_() {
    var my = ++seq;
    var q = state.q;
    var filters = state.filters;
    if (q.trim() === '' && !hasFilters(filters)) {
      current = engine.run({words: [], waiting: []}, filters);
      current.blank = true;
      currentQuery = q;
      waitingFor = '';
      updateFacets(current);
      showBlank();
      say('');
      return Promise.resolve();
    }
    return engine.prepare(q).then(function (plan) {
      if (my !== seq) return;
      var t0 = performance.now();
      var res = engine.run(plan, filters);
      var t1 = performance.now();
      if (!res.query && res.waiting.length && !hasFilters(filters) && current && !current.blank) {
        // A word too short to expand: the results of the last letter stay
        // until the next one.
        waitingFor = res.waiting[0].text;
        registry.timing = {q: q, query: t1 - t0, render: 0, total: t1 - t0, results: -1};
        sayLater();
        return;
      }
      waitingFor = '';
      shown = PAGE;
      return items(res, 0, shown).then(function (its) {
        if (my !== seq) return;
        var t2 = performance.now();
        current = res;
        currentQuery = q;
        updateFacets(res);
        render(res, its);
        var t3 = performance.now();
        // What a keystroke costs once the files it needs are there: the
        // browser tests read it (docs/search.md).
        registry.timing = {q: q, query: t1 - t0, render: t3 - t2, total: (t1 - t0) + (t3 - t2), results: its.length ? res.total : 0};
        sayLater();
      });
    }).catch(function (err) {
      if (my === seq) failed(err);
    });
  }

  // items loads what the results from..to show: each CQP's file and, for
  // a query with a code, the block it names.
  function items(res, from, to) {
    var ords = res.query || hasFilters(state.filters) ? res.ords.slice(from, to) : [];
    return Promise.all(ords.map(function (o) {
      return Promise.all([engine.doc(o), engine.block(o, res.words)]).then(function (r) {
        return {ord: o, doc: r[0], block: r[1]};
      });
    }));
  }

  function showBlank() {
    more.hidden = true;
    if (searchPage) {
      list.textContent = '';
      original.forEach(function (n) {
        list.appendChild(n);
      });
      if (heading) {
        heading.textContent = '';
        headingNodes.forEach(function (n) {
          heading.appendChild(n);
        });
      }
    } else {
      list.textContent = '';
      list.hidden = true;
    }
  }

  function render(res, its) {
    list.textContent = '';
    if (heading) {
      heading.textContent = 'Résultats ';
      var count = el('span', 'count');
      count.textContent = '(' + res.total + ')';
      heading.appendChild(count);
    }
    its.forEach(function (it) {
      list.appendChild(renderItem(it, res));
    });
    list.hidden = its.length === 0 && !searchPage;
    more.hidden = its.length === 0 || res.total <= shown;
    setMoreLabel();
  }

  function setMoreLabel() {
    if (!current || more.hidden) return;
    var rest = current.total - shown;
    more.textContent = 'Afficher ' + plural(Math.min(PAGE, rest), 'résultat de plus', 'résultats de plus') +
      ' (sur ' + current.total + ')';
  }

  function cqpURL(d, block) {
    return root + 'cqp/' + encodeURIComponent(d.id) + '/index.html' + (block ? '#' + block.a : '');
  }

  function renderItem(it, res) {
    var d = it.doc;
    var li = el('li', 'search-result');
    li.setAttribute('data-id', d.id);
    var a = el('a', 'search-result-title');
    a.href = cqpURL(d, it.block);
    highlight(a, d.t, res);
    li.appendChild(a);
    var info = el('p', 'search-result-meta');
    info.textContent = describe(it.ord, d);
    li.appendChild(info);
    if (it.block) {
      var b = el('p', 'search-result-block');
      b.appendChild(text('Bloc '));
      highlight(b, it.block.c, res);
      b.appendChild(text('\u00a0: '));
      highlight(b, it.block.t, res);
      li.appendChild(b);
    }
    if (d.s) {
      var p = el('p', 'search-result-summary');
      highlight(p, d.s, res);
      li.appendChild(p);
    }
    return li;
  }

  // describe is the line under a result's title: kind, branches,
  // registration, archived.
  function describe(ord, d) {
    var m = engine.meta;
    var parts = [];
    function vals(key) {
      var fi = engine.facetIndex[key];
      if (fi === undefined) return [];
      return engine.values[fi][ord].map(function (k) {
        return m.facets[fi].values[k];
      });
    }
    var kind = vals('type');
    if (kind.length) parts.push(kind[0][0] === 'cqpi' ? 'CQPI' : 'CQP');
    var branches = vals('branche').map(function (v) {
      return v[1];
    });
    if (branches.length) parts.push(branches.join(', '));
    var reg = d.n || '';
    var level = vals('niveau');
    if (level.length) reg += (reg ? ', ' : '') + level[0][1].toLowerCase();
    if (!reg) {
      var r = vals('repertoire');
      if (r.length) reg = r[0][1];
    }
    if (reg) parts.push(reg);
    if (d.c) parts.push('code ' + d.c);
    if (vals('archives').length) parts.push('archivé');
    return parts.join(' · ');
  }

  // highlight appends s to parent with the words the query matched in
  // <mark>: built with text nodes, so that nothing in the data is ever
  // read as HTML.
  function highlight(parent, s, res) {
    var prefixes = res.words.filter(function (w) {
      return w.prefix;
    });
    var last = 0;
    var i = 0;
    while (i < s.length) {
      if (!core.isWordUnit(s.charCodeAt(i))) {
        i++;
        continue;
      }
      var j = i;
      while (j < s.length && core.isWordUnit(s.charCodeAt(j))) j++;
      var w = core.fold(s.slice(i, j));
      var hit = res.matched.has(w) || prefixes.some(function (p) {
        return w.slice(0, p.text.length) === p.text;
      }) || res.words.some(function (x) {
        return x.block && x.block === w;
      });
      if (hit) {
        if (i > last) parent.appendChild(text(s.slice(last, i)));
        var mark = el('mark');
        mark.textContent = s.slice(i, j);
        parent.appendChild(mark);
        last = j;
      }
      i = j;
    }
    if (last < s.length) parent.appendChild(text(s.slice(last)));
  }

  // ---------------------------------------------------------- status

  function say(msg, now) {
    clearTimeout(announceTimer);
    if (status && (now || msg === '')) status.textContent = msg;
    else if (status) {
      announceTimer = setTimeout(function () {
        status.textContent = msg;
      }, ANNOUNCE_MS);
    }
  }

  function message() {
    var res = current;
    if (waitingFor) return 'Tapez une lettre de plus : « ' + waitingFor + ' » commence trop de mots.';
    if (!res || res.blank) return '';
    var q = currentQuery.trim();
    var filtered = hasFilters(state.filters);
    if (!res.query) {
      if (res.waiting.length) return 'Tapez une lettre de plus : « ' + res.waiting[0].text + ' » commence trop de mots.';
      if (q !== '') return 'Tapez au moins un mot de deux lettres : les mots très courants (de, la, pour…) ne sont pas cherchés.';
      return plural(res.total, 'CQP correspond', 'CQP correspondent') + ' aux filtres choisis.';
    }
    var msg;
    if (res.total === 0) {
      msg = 'Aucun résultat pour « ' + q + ' »' + (filtered ? ' avec ces filtres' : '') +
        '. Vérifiez l\u2019orthographe, essayez un autre mot' + (filtered ? ' ou retirez des filtres.' : '.');
    } else {
      msg = plural(res.total, 'résultat', 'résultats') + ' pour « ' + q + ' »' + (filtered ? ' avec les filtres choisis' : '') + '.';
      if (res.partial) msg += ' Aucun CQP ne contient tous les mots : voici ceux qui en contiennent le plus.';
    }
    if (res.archived > 0) {
      msg += ' ' + plural(res.archived, 'CQP archivé correspond aussi', 'CQP archivés correspondent aussi') +
        ' : cochez « Inclure les CQP archivés » pour ' + (res.archived > 1 ? 'les' : 'le') + ' voir.';
    }
    return msg;
  }

  // The live region speaks when typing pauses, not at every letter;
  // after a deliberate action (a filter, Enter, back) it speaks at once.
  function sayLater() {
    say(message());
  }

  function sayNow() {
    say(message(), true);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})(cqpCore);
