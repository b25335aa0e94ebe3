// cqp serve: live reload and the error overlay. The dev server adds this
// script to every HTML page it serves (never to what `cqp build` writes).
// It listens to /_cqp/events (server-sent events) and
//   - reloads the page when the page itself, or a script it loaded, was
//     rebuilt; swaps the stylesheets when only stylesheets it uses changed;
//   - shows every diagnostic of the content (the text of `cqp check`) in an
//     overlay while the content has errors, over the last good pages, and
//     takes it away when the files are fixed.
// No inline script or style, and text only ever set as text (never parsed
// as HTML): a strict Content-Security-Policy holds, and a message can
// never become markup.
(function () {
  "use strict";
  if (window.__cqpLive) {
    return;
  }
  window.__cqpLive = true;

  var script = document.currentScript;
  var build = script ? Number(script.getAttribute("data-cqp-build")) || 0 : 0;
  var source = null;
  var retryTimer = 0;
  var dismissed = ""; // the status the reader closed, until it changes
  var overlay = null; // { host, box, title, intro, problem, list, alert }
  var pill = null;

  // sitePath turns a URL path into the path of the file the server serves:
  // "/cqp/x/" is "cqp/x/index.html".
  function sitePath(pathname) {
    var p = pathname;
    try {
      p = decodeURIComponent(pathname);
    } catch (e) {
      // keep it as it is
    }
    p = p.replace(/^\/+/, "");
    if (p === "" || p.charAt(p.length - 1) === "/") {
      p += "index.html";
    }
    return p;
  }

  // loaded lists what this page has fetched from this server: its
  // stylesheets, its scripts, and what they loaded (the search index).
  function loaded() {
    var set = {};
    var entries = performance.getEntriesByType ? performance.getEntriesByType("resource") : [];
    for (var i = 0; i < entries.length; i++) {
      try {
        var u = new URL(entries[i].name);
        if (u.origin === location.origin) {
          set[sitePath(u.pathname)] = true;
        }
      } catch (e) {
        // not a URL we serve
      }
    }
    var links = document.querySelectorAll("link[rel~='stylesheet'][href], script[src]");
    for (var j = 0; j < links.length; j++) {
      var el = links[j];
      var href = el.href || el.src;
      try {
        var v = new URL(href, location.href);
        if (v.origin === location.origin) {
          set[sitePath(v.pathname)] = true;
        }
      } catch (e) {
        // ignore
      }
    }
    return set;
  }

  function reload() {
    location.reload();
  }

  // refreshStyles loads the changed stylesheets again, with a query that
  // no cache holds, and swaps each when the new one is ready, so that the
  // page never shows unstyled.
  function refreshStyles(paths) {
    var want = {};
    for (var i = 0; i < paths.length; i++) {
      want[paths[i]] = true;
    }
    var links = document.querySelectorAll("link[rel~='stylesheet'][href]");
    for (var j = 0; j < links.length; j++) {
      var link = links[j];
      var u = new URL(link.href, location.href);
      if (u.origin !== location.origin || !want[sitePath(u.pathname)]) {
        continue;
      }
      u.searchParams.set("cqp-reload", String(Date.now()));
      var next = link.cloneNode(false);
      next.href = u.href;
      next.addEventListener("load", remover(link));
      next.addEventListener("error", remover(link));
      link.parentNode.insertBefore(next, link.nextSibling);
    }
  }

  function remover(old) {
    return function () {
      if (old.parentNode) {
        old.parentNode.removeChild(old);
      }
    };
  }

  function el(name, attrs, text) {
    var e = document.createElement(name);
    for (var k in attrs) {
      if (Object.prototype.hasOwnProperty.call(attrs, k)) {
        e.setAttribute(k, attrs[k]);
      }
    }
    if (text) {
      e.textContent = text;
    }
    return e;
  }

  function plural(n, one, many) {
    return n + " " + (n > 1 ? many : one);
  }

  function buildOverlay() {
    var host = document.createElement("cqp-dev-overlay");
    var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
    var o = { host: host, key: "", ready: false, said: "" };
    // Hidden until its stylesheet is there (or failed to come), so that it
    // never shows unstyled.
    var css = el("link", { rel: "stylesheet", href: "/_cqp/live.css" });
    var show = function () {
      o.ready = true;
      o.box.hidden = false;
      o.alert.hidden = false;
      o.alert.textContent = o.said;
    };
    css.addEventListener("load", show);
    css.addEventListener("error", show);
    root.appendChild(css);
    var box = el("section", { class: "overlay", role: "dialog", "aria-modal": "false", "aria-labelledby": "cqp-titre", "aria-describedby": "cqp-intro" });
    box.hidden = true;
    var head = el("div", { class: "head" });
    var title = el("h2", { id: "cqp-titre", tabindex: "-1" });
    var close = el("button", { type: "button", class: "close" }, "Masquer");
    close.setAttribute("aria-label", "Masquer les erreurs (elles restent affichées dans le terminal)");
    close.addEventListener("click", function () {
      dismissed = overlay.key;
      hideOverlay();
    });
    head.appendChild(title);
    head.appendChild(close);
    var intro = el("p", { id: "cqp-intro", class: "intro" });
    var problem = el("pre", { class: "problem" });
    var list = el("ol", { class: "list" });
    var alert = el("p", { class: "visually-hidden", role: "alert" });
    alert.hidden = true;
    box.appendChild(head);
    box.appendChild(intro);
    box.appendChild(problem);
    box.appendChild(list);
    box.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        dismissed = overlay.key;
        hideOverlay();
      }
    });
    root.appendChild(alert);
    root.appendChild(box);
    o.box = box;
    o.title = title;
    o.intro = intro;
    o.problem = problem;
    o.list = list;
    o.alert = alert;
    return o;
  }

  function hideOverlay() {
    if (overlay && overlay.host.parentNode) {
      overlay.host.parentNode.removeChild(overlay.host);
    }
    document.documentElement.removeAttribute("data-cqp-errors");
  }

  // showStatus shows the overlay while the content has errors or the
  // theme cannot be applied, and removes it otherwise.
  function showStatus(m) {
    var diags = m.diagnostics || [];
    var errors = m.errors || 0;
    if (!errors && !m.problem) {
      dismissed = "";
      hideOverlay();
      return;
    }
    var key = JSON.stringify([diags, m.problem || ""]);
    if (key === dismissed) {
      return;
    }
    if (!overlay) {
      overlay = buildOverlay();
    }
    var o = overlay;
    var changed = o.key !== key;
    o.key = key;
    if (errors) {
      o.title.textContent = "Le contenu a " + plural(errors, "erreur", "erreurs");
    } else {
      o.title.textContent = "Le site ne peut pas être construit";
    }
    o.intro.textContent = (m.built ? "Les pages affichées sont celles de la dernière construction réussie. " : "Le site n'a pas encore pu être construit. ") +
      "Corrigez " + (errors > 1 ? "les fichiers" : "le fichier") + " : ce message disparaîtra de lui-même.";
    o.problem.textContent = m.problem || "";
    o.problem.hidden = !m.problem;
    while (o.list.firstChild) {
      o.list.removeChild(o.list.firstChild);
    }
    for (var i = 0; i < diags.length; i++) {
      var d = diags[i];
      var li = el("li", { class: d.severity === "error" ? "error" : "warning" });
      li.appendChild(el("code", {}, d.text));
      o.list.appendChild(li);
    }
    o.list.hidden = diags.length === 0;
    if (!o.host.parentNode) {
      (document.body || document.documentElement).insertBefore(o.host, (document.body || document.documentElement).firstChild);
    }
    document.documentElement.setAttribute("data-cqp-errors", String(errors));
    if (changed) {
      // Said by screen readers once the overlay shows.
      o.said = o.title.textContent + ".";
      if (o.ready) {
        o.alert.textContent = o.said;
      }
    }
  }

  function showPill(text) {
    if (!text) {
      if (pill && pill.parentNode) {
        pill.parentNode.removeChild(pill);
      }
      return;
    }
    if (!pill) {
      pill = document.createElement("cqp-dev-status");
      var root = pill.attachShadow ? pill.attachShadow({ mode: "open" }) : pill;
      root.appendChild(el("link", { rel: "stylesheet", href: "/_cqp/live.css" }));
      root.appendChild(el("p", { class: "pill", role: "status" }));
    }
    var root2 = pill.shadowRoot || pill;
    root2.querySelector(".pill").textContent = text;
    if (!pill.parentNode) {
      (document.body || document.documentElement).appendChild(pill);
    }
  }

  function onMessage(event) {
    var m;
    try {
      m = JSON.parse(event.data);
    } catch (e) {
      return;
    }
    showPill("");
    document.documentElement.setAttribute("data-cqp-live", String(m.build));
    if (m.type === "hello") {
      showStatus(m);
      // A build happened between this page's request and now: what it
      // shows may be stale.
      if (m.build !== build && m.built) {
        reload();
      }
      return;
    }
    if (m.type === "status") {
      showStatus(m);
      return;
    }
    if (m.type === "build") {
      showStatus(m);
      var was = build;
      build = m.build;
      if (!m.built) {
        return;
      }
      if (m.all || was === 0) {
        reload();
        return;
      }
      var own = sitePath(location.pathname);
      var changed = m.changed || [];
      var mine = loaded();
      var hits = [];
      for (var i = 0; i < changed.length; i++) {
        var c = changed[i];
        if (c === own) {
          reload();
          return;
        }
        if (c.charAt(c.length - 1) === "/") {
          // A folder: every file under it (the search index).
          for (var p in mine) {
            if (p.indexOf(c) === 0) {
              hits.push(p);
            }
          }
        } else if (mine[c]) {
          hits.push(c);
        }
      }
      if (hits.length === 0) {
        return;
      }
      for (var j = 0; j < hits.length; j++) {
        if (!/\.css$/.test(hits[j])) {
          reload();
          return;
        }
      }
      refreshStyles(hits);
    }
  }

  function connect() {
    if (source || document.visibilityState === "hidden" || typeof EventSource === "undefined") {
      return;
    }
    source = new EventSource("/_cqp/events?page=" + encodeURIComponent(location.pathname));
    source.onmessage = onMessage;
    source.onerror = function () {
      document.documentElement.removeAttribute("data-cqp-live");
      // EventSource reconnects by itself; say so when it takes a while.
      clearTimeout(retryTimer);
      retryTimer = setTimeout(function () {
        if (source && source.readyState !== 1) {
          showPill("cqp serve ne répond plus : reconnexion…");
        }
      }, 2000);
    };
  }

  function disconnect() {
    if (source) {
      source.close();
      source = null;
    }
  }

  // A hidden tab lets its connection go: browsers allow six connections
  // to a server, and an editor may keep many tabs open. Back in view, the
  // tab connects again and the hello message says whether it missed a
  // build.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      disconnect();
    } else {
      connect();
    }
  });
  window.addEventListener("pagehide", disconnect);
  window.addEventListener("pageshow", connect);
  connect();
})();
