/* The resource finder: full-text search over a prebuilt lunr index, with
 * facets (AND across facets, OR within one) and state kept in the URL.
 * Data arrives as globals from <script> tags, so it works from file://. */
(function () {
  "use strict";
  var data = window.LIBRARY_FINDER_DATA;
  var serialized = window.LIBRARY_FINDER_INDEX;
  var app = document.getElementById("lib-finder");
  if (!app || !data || !serialized || !window.lunr) return;

  var index = lunr.Index.load(expand(serialized));
  var docs = data.docs;
  var byId = {};
  docs.forEach(function (d) { byId[d.id] = d; });
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"];
  var TYPE_NAMES = data.facets.type;

  var years = {};
  docs.forEach(function (d) { years[d.year] = d.year; });
  var FACETS = [
    { key: "type", label: "Type", values: data.facets.type },
    { key: "functions", label: "Function", values: data.facets.functions },
    { key: "programmes", label: "Programme", values: data.facets.programmes },
    { key: "topics", label: "Topic", values: data.facets.topics },
    { key: "year", label: "Year", values: sortedYears(years) }
  ];

  var input = document.getElementById("finder-q");
  var sortSelect = document.getElementById("finder-sort");
  var status = document.getElementById("finder-status");
  var list = document.getElementById("finder-results");
  var facetRoot = document.getElementById("finder-facets");
  var PAGE = 50;  // cards rendered at a time: a long list is slow to draw and to read
  var shown = PAGE;
  var lastResults = [];
  var more = document.getElementById("finder-more");
  var countSpans = {};
  var boxes = {};
  var state = readUrl();

  /* Posting lists arrive as arrays of document numbers (search.py's
   * compact); lunr wants {"12": {}, ...} objects. Each is built the first
   * time a query reads it: most terms are never looked up. */
  function expand(packed) {
    var fields = packed.fields;
    var inverted = packed.postings.map(function (row) {
      var posting = { _index: row[1] };
      fields.forEach(function (field, i) {
        var built = null;
        Object.defineProperty(posting, field, {
          enumerable: true,
          get: function () {
            if (built === null) {
              built = {};
              row[2 + i].forEach(function (ref) { built[ref] = {}; });
            }
            return built;
          }
        });
      });
      return [row[0], posting];
    });
    return { version: packed.version, fields: fields, fieldVectors: packed.fieldVectors,
      invertedIndex: inverted, pipeline: packed.pipeline };
  }

  function sortedYears(map) {
    var out = {};
    Object.keys(map).sort().reverse().forEach(function (y) { out[y] = y; });
    return out;
  }

  function valuesOf(doc, key) {
    if (key === "type") return [doc.type];
    if (key === "year") return [doc.year];
    return doc[key] || [];
  }

  /* One lunr query per word; a resource must match every word. The exact
   * term is stemmed (plural finds singular); the prefix term finds words
   * still being typed. */
  function search(text) {
    var words = lunr.tokenizer(text).map(String).filter(function (w) {
      return lunr.stopWordFilter(w) !== undefined && w.replace(/\W/g, "") !== "";
    });
    if (!words.length) return null;
    var scores = null;
    words.forEach(function (word) {
      var clean = word.replace(/[*:^~+\-]/g, "");
      var found = {};
      if (clean) {
        index.query(function (q) {
          q.term(clean, { boost: 10 });
          q.term(clean, { wildcard: lunr.Query.wildcard.TRAILING, usePipeline: false, boost: 1 });
        }).forEach(function (r) { found[r.ref] = r.score; });
      }
      if (scores === null) {
        scores = found;
      } else {
        var both = {};
        Object.keys(scores).forEach(function (ref) {
          if (ref in found) both[ref] = scores[ref] + found[ref];
        });
        scores = both;
      }
    });
    return scores;
  }

  function passes(doc, except) {
    for (var i = 0; i < FACETS.length; i++) {
      var key = FACETS[i].key;
      var chosen = state.facets[key];
      if (key === except || !chosen.length) continue;
      var values = valuesOf(doc, key);
      if (!chosen.some(function (v) { return values.indexOf(v) >= 0; })) return false;
    }
    return true;
  }

  function formatDate(iso) {
    var p = iso.split("-");
    return Number(p[2]) + " " + MONTHS[Number(p[1]) - 1] + " " + p[0];
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function card(doc) {
    var li = el("li", "lib-card lib-card--" + doc.type);
    var h = el("h2", "lib-card__title");
    var a = el("a", "", doc.title);
    a.href = doc.url;
    h.appendChild(a);
    li.appendChild(h);
    var meta = el("p", "lib-card__meta");
    meta.appendChild(el("span", "lib-badge lib-badge--" + doc.type, TYPE_NAMES[doc.type]));
    meta.appendChild(document.createTextNode(" "));
    var time = el("time", "", formatDate(doc.date));
    time.setAttribute("datetime", doc.date);
    meta.appendChild(time);
    li.appendChild(meta);
    li.appendChild(el("p", "lib-card__summary", doc.summary));
    if (doc.programmes.length) {
      var p = el("p", "lib-card__programmes");
      p.appendChild(el("span", "lib-card__label", "Programmes: "));
      p.appendChild(document.createTextNode(doc.programmes.map(function (s) {
        return data.facets.programmes[s];
      }).join("; ")));
      li.appendChild(p);
    }
    return li;
  }

  function buildFacets() {
    FACETS.forEach(function (facet) {
      var fieldset = el("fieldset", "lib-facet");
      fieldset.appendChild(el("legend", "", facet.label));
      var ul = el("ul", "lib-facet__values");
      countSpans[facet.key] = {};
      boxes[facet.key] = {};
      Object.keys(facet.values).forEach(function (value) {
        var li = el("li");
        var id = "facet-" + facet.key + "-" + value;
        var box = el("input");
        box.type = "checkbox";
        box.id = id;
        box.name = facet.key;
        box.value = value;
        box.addEventListener("change", onFacetChange);
        var label = el("label");
        label.htmlFor = id;
        label.appendChild(document.createTextNode(facet.values[value] + " "));
        var count = el("span", "lib-facet__count");
        label.appendChild(count);
        li.appendChild(box);
        li.appendChild(label);
        ul.appendChild(li);
        countSpans[facet.key][value] = count;
        boxes[facet.key][value] = box;
      });
      fieldset.appendChild(ul);
      facetRoot.appendChild(fieldset);
    });
  }

  function render() {
    var scores = search(state.q);
    var base = docs.filter(function (d) { return scores === null || String(d.id) in scores; });
    var results = base.filter(function (d) { return passes(d, null); });
    var sort = state.sort || (scores ? "relevance" : "date");
    results.sort(function (a, b) {
      if (sort === "relevance" && scores) {
        var diff = scores[b.id] - scores[a.id];
        if (diff) return diff;
      }
      return a.date < b.date ? 1 : a.date > b.date ? -1 : a.title.localeCompare(b.title);
    });
    FACETS.forEach(function (facet) {
      var counts = {};
      base.forEach(function (d) {
        if (!passes(d, facet.key)) return;
        valuesOf(d, facet.key).forEach(function (v) { counts[v] = (counts[v] || 0) + 1; });
      });
      Object.keys(countSpans[facet.key]).forEach(function (value) {
        var n = counts[value] || 0;
        countSpans[facet.key][value].textContent = "(" + n + ")";
        boxes[facet.key][value].checked = state.facets[facet.key].indexOf(value) >= 0;
        boxes[facet.key][value].parentNode.classList.toggle("lib-facet--empty", n === 0);
      });
    });
    input.value = state.q;
    sortSelect.value = sort;
    lastResults = results;
    shown = PAGE;
    var fragment = document.createDocumentFragment();
    results.slice(0, shown).forEach(function (d) { fragment.appendChild(card(d)); });
    list.replaceChildren(fragment);
    updateMore();
    var n = results.length;
    status.textContent = n === 0
      ? "No resources match. Try fewer words or clear some filters."
      : n + (n === 1 ? " resource" : " resources") + (state.q ? " match \u201c" + state.q + "\u201d" : "") +
        (n === docs.length ? "" : " (of " + docs.length + ")");
  }

  function updateMore() {
    var left = lastResults.length - shown;
    more.hidden = left <= 0;
    more.textContent = "Show " + Math.min(left, PAGE) + " more of " + left + " remaining";
  }

  function showMore() {
    var first = shown;
    shown += PAGE;
    var fragment = document.createDocumentFragment();
    lastResults.slice(first, shown).forEach(function (d) { fragment.appendChild(card(d)); });
    list.appendChild(fragment);
    updateMore();
    // Keyboard users continue from the first new result.
    var link = list.children[first] && list.children[first].querySelector("a");
    if (link) link.focus();
  }

  function readUrl() {
    var params = new URLSearchParams(window.location.search);
    var facets = {};
    FACETS.forEach(function (f) {
      var raw = params.get(f.key);
      facets[f.key] = raw ? raw.split(",").filter(function (v) { return v in f.values; }) : [];
    });
    var sort = params.get("sort");
    return { q: params.get("text") || "", sort: sort === "date" || sort === "relevance" ? sort : "", facets: facets };
  }

  function writeUrl(push) {
    var params = new URLSearchParams();
    // Not "q": Material's header search claims that parameter.
    if (state.q) params.set("text", state.q);
    FACETS.forEach(function (f) {
      if (state.facets[f.key].length) params.set(f.key, state.facets[f.key].join(","));
    });
    if (state.sort) params.set("sort", state.sort);
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "");
    try {
      if (push) window.history.pushState(null, "", url);
      else window.history.replaceState(null, "", url);
    } catch (e) { /* some file:// contexts refuse history changes; the page still works */ }
  }

  function onFacetChange(event) {
    var box = event.target;
    var chosen = state.facets[box.name];
    var at = chosen.indexOf(box.value);
    if (box.checked && at < 0) chosen.push(box.value);
    if (!box.checked && at >= 0) chosen.splice(at, 1);
    writeUrl(true);
    render();
  }

  var typing = null;
  input.addEventListener("input", function () {
    state.q = input.value.trim();
    render();
    // One history entry per pause in typing, not per key.
    window.clearTimeout(typing);
    typing = window.setTimeout(function () { writeUrl(true); }, 600);
    writeUrl(false);
  });
  sortSelect.addEventListener("change", function () {
    state.sort = sortSelect.value;
    writeUrl(true);
    render();
  });
  document.getElementById("finder-clear").addEventListener("click", function () {
    state = { q: "", sort: "", facets: {} };
    FACETS.forEach(function (f) { state.facets[f.key] = []; });
    writeUrl(true);
    render();
    input.focus();
  });
  more.addEventListener("click", showMore);
  app.querySelector("form").addEventListener("submit", function (event) { event.preventDefault(); });
  window.addEventListener("popstate", function () { state = readUrl(); render(); });

  buildFacets();
  // The A-Z list (the page without JavaScript) may not be parsed yet: hide it by class.
  document.documentElement.classList.add("lib-finder-js");
  app.hidden = false;
  render();
  document.documentElement.setAttribute("data-finder-ready", "true");
})();
