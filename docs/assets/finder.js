/* The resource finder: the site's one search.
 *
 * Words are matched against a prebuilt index (search.py): the reader's
 * words become index terms as lunr.py made them at build time (lunr.js's
 * stop-word filter and stemmer are the same), and each resource is scored
 * with lunr's BM25, weighted by field. Words (or synonym groups, from
 * vocabulary/synonyms.yml) are not all required: resources that have every
 * one come first, then those that have most of them, each group by score,
 * so an extra word never empties the list (issue 21); the last word also
 * matches words it begins, as the reader is still typing it. Facets: AND
 * across facets, OR within one. State lives in the URL. Body text comes
 * in shards, loaded only for the words searched for, after the first
 * answer. Data arrives as globals from <script> tags, so all of it works
 * from file://.
 *
 * The search box's value is the reader's: nothing here writes to it while
 * they type (only Back, Clear all and a link to other words change it). */
(function () {
  "use strict";
  var data = window.LIBRARY_FINDER_DATA;
  var packed = window.LIBRARY_FINDER_INDEX;
  var app = document.getElementById("lib--finder");
  if (!app || !data || !packed || !window.lunr) return;

  /* ------------------------------------------------------------------ *
   * The engine
   * ------------------------------------------------------------------ */
  var engine = (function (ix) {
    var N = ix.count, K1 = 1.2, B = 0.75;
    var PREFIX_WEIGHT = 0.5;   // a word still being typed counts for less
    var MAX_PREFIX_TERMS = 60;
    // Punctuation that ends a phrase (analysis.py's PHRASE_BREAKS).
    var PHRASE_BREAKS = ".,;:!?()[]{}\"\u201c\u201d/|";
    var terms = ix.terms;
    var averages = ix.averages;
    var bodyAverage = ix.body.average;
    var primaryCache = Object.create(null);
    var bodyCache = Object.create(null);
    var cached = 0, MAX_CACHED = 400;  // score arrays kept for the next key
    var shards = [];        // number -> {terms, postings}, once loaded
    var shardState = [];    // number -> "loading" | "ready" | "failed"
    var onShard = null;
    var EMPTY = new Float64Array(N);
    /* Words into terms exactly as analysis.py (lunr.py) makes them: its
     * separators, its Unicode-aware trimmer, then lunr's English stop
     * words and stemmer, which lunr.js and lunr.py share. */
    var SEPARATOR = /[ \t\n\r\f\v\u00a0\-]+/;
    var TRIM = /^[^\p{L}\p{N}_]*?([\p{L}\p{N}_]+)[^\p{L}\p{N}_]*?$/u;
    var phrases = Object.create(null);       // first term -> [{terms, key}], longest first; maps have no prototype, so a word such as "constructor" or "__proto__" is only a word
    Object.keys(ix.synonyms).forEach(function (key) {
      ix.synonyms[key].forEach(function (phrase) {
        (phrases[phrase[0]] = phrases[phrase[0]] || []).push({ terms: phrase, key: key });
      });
    });
    Object.keys(phrases).forEach(function (first) {
      phrases[first].sort(function (a, b) { return b.terms.length - a.terms.length; });
    });

    /* Where `term` is in a sorted list, or where it would go. */
    function lowerBound(list, term) {
      var lo = 0, hi = list.length;
      while (lo < hi) {
        var mid = (lo + hi) >> 1;
        if (list[mid] < term) lo = mid + 1; else hi = mid;
      }
      return lo;
    }

    function position(list, term) {
      var at = lowerBound(list, term);
      return at < list.length && list[at] === term ? at : -1;
    }

    function idf(documentsWithTerm) {
      return Math.log(1 + Math.abs((N - documentsWithTerm + 0.5) / (documentsWithTerm + 0.5)));
    }

    function bm25(frequency, length, averageLength) {
      var norm = 1 - B + B * (length / (averageLength || 1));
      return (frequency * (K1 + 1)) / (frequency + K1 * norm);
    }

    /* A term's posting lists, one per field that has it (search.py's
     * `flatten`): [[field, start, end], ...] into the flat list. */
    function fieldsOf(flat) {
      var out = [];
      for (var i = 0; i < flat.length; i += 2 + flat[i + 1]) out.push([flat[i], i + 2, i + 2 + flat[i + 1]]);
      return out;
    }

    /* search.py's `pack`, read back over flat[start:end]. */
    function each(flat, start, end, visit) {
      var doc = -1;
      for (var i = start; i < end; i++) {
        var gap = flat[i], frequency = 1;
        if (gap < 0) { gap = -gap; frequency = flat[++i]; }
        doc += gap;
        visit(doc, frequency);
      }
    }

    /* Scores for a term of the first index (titles, summaries, headings,
     * topics, programmes, type, speakers): one number a resource, 0 where
     * the term is absent. */
    function primary(at) {
      if (primaryCache[at]) return primaryCache[at];
      if (++cached > MAX_CACHED) { primaryCache = Object.create(null); bodyCache = Object.create(null); cached = 0; }
      var flat = ix.postings[at], parts = fieldsOf(flat);
      var weight = idf(ix.df[at]);
      var scores = new Float64Array(N);
      parts.forEach(function (p) {
        var field = p[0], boost = ix.boosts[field] * weight, lengths = ix.lengths[field], avg = averages[field];
        each(flat, p[1], p[2], function (doc, frequency) {
          scores[doc] += boost * bm25(frequency, lengths[doc], avg);
        });
      });
      return (primaryCache[at] = scores);
    }

    function shardOf(term) {
      return Math.max(0, lowerBound(ix.body.shards, term + "\u0000") - 1);
    }

    /* Scores for a term in body text; null while its shard loads. */
    function body(term) {
      if (!ix.body.files.length) return EMPTY;
      var number = shardOf(term);
      if (shardState[number] !== "ready") {
        load(number);
        return shardState[number] === "failed" ? EMPTY : null;
      }
      if (bodyCache[term]) return bodyCache[term];
      var shard = shards[number], at = position(shard.terms, term);
      if (at < 0) return EMPTY;
      var list = shard.postings[at], scores = new Float64Array(N), count = 0;
      each(list, 0, list.length, function () { count++; });
      var weight = ix.body.boost * idf(count);
      each(list, 0, list.length, function (doc, frequency) {
        scores[doc] = weight * bm25(frequency, ix.body.lengths[doc], bodyAverage);
      });
      return (bodyCache[term] = scores);
    }

    function load(number) {
      if (shardState[number]) return;
      shardState[number] = "loading";
      var script = document.createElement("script");
      script.src = ix.body.files[number];
      script.onload = function () {
        var loaded = window.LIBRARY_FINDER_BODY && window.LIBRARY_FINDER_BODY[number];
        shardState[number] = loaded ? "ready" : "failed";
        shards[number] = loaded;
        if (onShard) onShard();
      };
      script.onerror = function () {
        shardState[number] = "failed";
        if (onShard) onShard();
      };
      document.head.appendChild(script);
    }

    function trimmed(word) {
      var match = TRIM.exec(word);
      return match ? match[1] : word;
    }

    function termOf(word) {
      var token = new lunr.Token(trimmed(word));
      if (!token.toString() || lunr.stopWordFilter(token) === undefined) return "";
      /* Longer words are indexed as typed (analysis.MAX_STEMMED_WORD). */
      if (word.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, "_").length > 40) return token.toString();
      return String(lunr.stemmer(token));
    }

    /* The words as typed, split where lunr splits them. */
    function tokens(text) {
      return text.split(SEPARATOR).filter(Boolean);
    }

    /* The reader's words as concepts: a synonym group where the words
     * spell one of its phrases, otherwise one word each. */
    function concepts(text) {
      var stretch = 0, typedWords = tokens(text);
      var words = typedWords.map(function (typed, at) {
        var raw = typed.toLowerCase();
        stretch += PHRASE_BREAKS.indexOf(raw.charAt(0)) >= 0 ? 1 : 0;
        var word = { raw: trimmed(raw), term: termOf(raw), stretch: stretch, at: at };
        stretch += PHRASE_BREAKS.indexOf(raw.charAt(raw.length - 1)) >= 0 ? 1 : 0;
        return word;
      }).filter(function (w) { return w.term; });
      var typing = words.length && !/[\s\-]$/.test(text);
      var out = [];
      for (var i = 0; i < words.length;) {
        var found = null;
        (phrases[words[i].term] || []).some(function (p) {
          for (var k = 0; k < p.terms.length; k++) {
            var w = words[i + k];
            if (!w || w.term !== p.terms[k] || w.stretch !== words[i].stretch) return false;
          }
          found = p;
          return true;
        });
        var length = found ? found.terms.length : 1;
        var part = words.slice(i, i + length);
        var last = i + length === words.length;
        var from = part[0].at, to = part[part.length - 1].at;
        out.push({
          text: part.map(function (w) { return w.raw; }).join(" "),
          // As the reader wrote it, small words and all, for "Not found: IJB";
          // from and to: where in tokens(text).
          shown: typedWords.slice(from, to + 1).map(trimmed).join(" "),
          from: from,
          to: to,
          term: found ? found.key : words[i].term,
          // A synonym group is matched whole; one word may be unfinished.
          partial: !found && last && typing ? words[i].raw : ""
        });
        i += length;
      }
      // One letter still being typed narrows nothing yet.
      return out.filter(function (c) { return !(c.partial && c.partial.length < 2 && position(terms, c.term) < 0); });
    }

    /* Terms the unfinished word may become: those it begins, and those it
     * already extends by a suffix the stemmer would remove ("planni" for
     * "plan"). */
    function prefixTerms(word) {
      var found = [];
      for (var at = lowerBound(terms, word); at < terms.length && found.length < MAX_PREFIX_TERMS; at++) {
        if (terms[at].lastIndexOf(word, 0) !== 0) break;
        found.push(at);
      }
      for (var k = Math.max(3, word.length - 3); k < word.length; k++) {
        var shorter = position(terms, word.slice(0, k));
        if (shorter >= 0) found.push(shorter);
      }
      return found;
    }

    /* Scores for one concept, and whether body text is still to come. */
    function conceptScores(concept) {
      var scores = new Float64Array(N), pending = false, i;
      var at = position(terms, concept.term);
      if (at >= 0) {
        var found = primary(at);
        for (i = 0; i < N; i++) scores[i] = found[i];
      }
      var inBody = body(concept.term);
      if (inBody === null) pending = true;
      else for (i = 0; i < N; i++) scores[i] += inBody[i];
      if (concept.partial) {
        // The best of the words it may become, at a lower weight.
        prefixTerms(concept.partial).forEach(function (p) {
          if (p === at) return;
          var maybe = primary(p);
          for (var j = 0; j < N; j++) {
            var s = maybe[j] * PREFIX_WEIGHT;
            if (s > scores[j]) scores[j] = s;
          }
        });
      }
      return { scores: scores, pending: pending };
    }

    /* The query's answer: {scores: one number a resource, 0 for no match,
     * or null when there are no words; matched: how many of the concepts
     * each resource has; every: how many resources have them all;
     * pending: body text still loading; concepts: the words as understood,
     * each with its own count and scores}. One pass a concept, as when
     * every word was required: the work per key does not grow. */
    function search(text) {
      var list = concepts(text);
      if (!list.length) return { scores: null, matched: null, every: 0, pending: false, concepts: [] };
      var scores = new Float64Array(N), matched = new Uint16Array(N), pending = false, every = 0, i;
      list.forEach(function (concept) {
        var found = conceptScores(concept), own = found.scores, count = 0;
        for (i = 0; i < N; i++) {
          if (own[i] > 0) { count++; matched[i]++; scores[i] += own[i]; }
        }
        concept.count = count;
        concept.scores = own;  // which words a result lacks
        pending = pending || found.pending;
      });
      for (i = 0; i < N; i++) if (matched[i] === list.length) every++;
      return { scores: scores, matched: matched, every: every, pending: pending, concepts: list };
    }

    /* Restricted Damerau-Levenshtein distance, giving up beyond `limit`. */
    function distance(a, b, limit) {
      if (Math.abs(a.length - b.length) > limit) return limit + 1;
      var prev2 = null, prev = [], row, i, j;
      for (j = 0; j <= b.length; j++) prev[j] = j;
      for (i = 1; i <= a.length; i++) {
        row = [i];
        var best = i;
        for (j = 1; j <= b.length; j++) {
          var cost = a[i - 1] === b[j - 1] ? 0 : 1;
          var v = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
          if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
          row[j] = v;
          if (v < best) best = v;
        }
        if (best > limit) return limit + 1;
        prev2 = prev;
        prev = row;
      }
      return prev[b.length];
    }

    /* Words from the index close to one the index does not have, as the
     * library writes them, most used first. */
    function closest(concept, count) {
      // Compared as written, not as stems: stems of unrelated words can be
      // close ("winter", "integr").
      var word = concept.text;  // lowercased, as the index keeps words
      var limit = word.length < 8 ? 1 : 2, found = [];
      for (var at = 0; at < terms.length; at++) {
        var t = terms[at];
        if (t.charAt(0) === "~") continue;
        var shown = ix.words[at] || t;
        var d = distance(word, shown, limit);
        if (d <= limit) {
          var uses = ix.postings[at].length;
          found.push({ word: shown, distance: d, uses: uses });
        }
      }
      found.sort(function (a, b) { return a.distance - b.distance || b.uses - a.uses || (a.word < b.word ? -1 : 1); });
      var out = [];
      found.forEach(function (f) { if (out.length < count && out.indexOf(f.word) < 0) out.push(f.word); });
      return out;
    }

    return {
      search: search,
      tokens: tokens,
      closest: closest,
      onShard: function (callback) { onShard = callback; }
    };
  })(packed);

  /* ------------------------------------------------------------------ *
   * The page
   * ------------------------------------------------------------------ */
  /* One row a resource (search.py's DATA_COLUMNS), numbered newest first;
   * an object with named fields is made only for the cards drawn. */
  var rows = data.docs;
  var N = rows.length;
  var C = Object.create(null);
  data.columns.forEach(function (column, i) { C[column] = i; });
  var views = Object.create(null);
  function doc(i) {
    if (views[i]) return views[i];
    var row = rows[i], d = { id: i };
    data.columns.forEach(function (column, k) { d[column] = row[k]; });
    d.type = data.facets.type[d.type][0];
    d.programmes = d.programmes.map(function (n) { return data.facets.programmes[n][1]; });
    d.url = data.url.replace("TYPE", d.type).replace("SLUG", d.slug);
    return (views[i] = d);
  }
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"];
  var FEED_FOLDERS = { type: "types", functions: "functions", programmes: "programmes", topics: "topics" };
  var PAGE = 50;  // cards drawn at a time: a long list is slow to draw and to read
  var TYPING_PAUSE = 180;  // ms after the last key before the results change
  var HISTORY_PAUSE = 1000;  // a pause this long ends one entry in the history
  // The live region speaks this long after the last key, once: a count
  // read out at every key, jumping as words are half typed, is noise.
  var ANNOUNCE_PAUSE = 1000;

  var FACETS = [
    { key: "type", label: "Type" },
    { key: "functions", label: "Function" },
    { key: "programmes", label: "Programme" },
    { key: "topics", label: "Topic" },
    { key: "year", label: "Year published" }
  ];
  var TYPE_NAMES = Object.create(null);
  data.facets.type.forEach(function (p) { TYPE_NAMES[p[0]] = p[1]; });
  /* Rows give each facet's values as positions in its list (search.py's
   * finder_data): one number for type and year, a list for the others. */
  FACETS.forEach(function (facet) {
    facet.pairs = data.facets[facet.key];
    facet.column = C[facet.key];
    facet.single = facet.key === "type" || facet.key === "year";
    facet.values = Object.create(null);
    facet.number = Object.create(null);
    facet.pairs.forEach(function (p, n) { facet.values[p[0]] = p[1]; facet.number[p[0]] = n; });
  });
  var form = app.querySelector("form");
  var input = document.getElementById("finder-q");
  var sortSelect = document.getElementById("finder-sort");
  var heading = document.getElementById("finder-results-heading");
  var live = document.getElementById("finder-live");
  var list = document.getElementById("finder-results");
  var facetRoot = document.getElementById("finder-facets");
  var toggle = document.getElementById("finder-filter-toggle");
  var toggleCount = document.getElementById("finder-filter-count");
  var chips = document.getElementById("finder-chips");
  var feed = document.getElementById("finder-feed");
  var suggest = document.getElementById("finder-suggest");
  var empty = document.getElementById("finder-empty");
  var emptyWords = document.getElementById("finder-empty-words");
  var upcoming = document.getElementById("finder-upcoming");
  var upcomingList = document.getElementById("finder-upcoming-list");
  var newestHeading = document.getElementById("finder-newest-heading");
  var more = document.getElementById("finder-more");
  var showResults = null;
  var countSpans = Object.create(null);
  var boxes = Object.create(null);
  var shown = PAGE;
  var lastResults = [];
  var lastAnswer = null;
  var state = readUrl();

  /* For each facet, which resources its chosen values let through. */
  function facetMasks() {
    return FACETS.map(function (facet) {
      var chosen = state.facets[facet.key];
      if (!chosen.length) return null;
      var wanted = new Uint8Array(facet.pairs.length);
      chosen.forEach(function (v) { wanted[facet.number[v]] = 1; });
      var mask = new Uint8Array(N), column = facet.column, i, k;
      for (i = 0; i < N; i++) {
        var v = rows[i][column];
        if (facet.single) { mask[i] = wanted[v]; continue; }
        for (k = 0; k < v.length; k++) if (wanted[v[k]]) { mask[i] = 1; break; }
      }
      return mask;
    });
  }

  function passes(masks, i, except) {
    for (var f = 0; f < masks.length; f++) {
      if (f !== except && masks[f] && !masks[f][i]) return false;
    }
    return true;
  }

  var NOW = Date.now();
  function isUpcoming(i) {
    var ends = rows[i][C.ends];
    return !!ends && Date.parse(ends) > NOW;
  }

  function formatDate(iso) {
    var p = iso.slice(0, 10).split("-");
    return Number(p[2]) + " " + MONTHS[Number(p[1]) - 1] + " " + p[0];
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function dated(label, iso) {
    var span = el("span", "lib-card__date");
    span.appendChild(document.createTextNode(label + " "));
    var time = el("time", "", formatDate(iso));
    time.setAttribute("datetime", iso);
    span.appendChild(time);
    return span;
  }

  function card(doc, level) {
    var li = el("li", "lib-card lib-card--" + doc.type);
    var missing = missingWords(doc.id);
    var h = el("h" + level, "lib-card__title");
    var a = el("a", "", doc.title);
    a.href = doc.url;
    h.appendChild(a);
    li.appendChild(h);
    var meta = el("p", "lib-card__meta");
    meta.appendChild(el("span", "lib-badge lib-badge--" + doc.type, TYPE_NAMES[doc.type]));
    meta.appendChild(document.createTextNode(" "));
    if (doc.starts) {
      meta.appendChild(dated(isUpcoming(doc.id) ? "Takes place" : "Took place", doc.starts));
      meta.appendChild(document.createTextNode(" \u00b7 "));
    }
    meta.appendChild(dated("Published", doc.published));
    li.appendChild(meta);
    li.appendChild(el("p", "lib-card__summary", doc.summary));
    if (doc.programmes.length) {
      var p = el("p", "lib-card__programmes");
      p.appendChild(el("span", "lib-card__label", "Programmes: "));
      p.appendChild(document.createTextNode(doc.programmes.join("; ")));
      li.appendChild(p);
    }
    // As search engines do: the reader sees why a result is lower down.
    if (missing.length) li.appendChild(el("p", "lib-card__missing", "Not found: " + missing.join(", ")));
    return li;
  }

  /* The reader's words that resource i does not have, as they wrote them. */
  function missingWords(i) {
    var answer = lastAnswer;
    if (!answer || !answer.matched || answer.matched[i] === answer.concepts.length) return [];
    return answer.concepts.filter(function (c) { return !(c.scores[i] > 0); }).map(function (c) { return c.shown; });
  }

  function buildFacets() {
    FACETS.forEach(function (facet) {
      var fieldset = el("fieldset", "lib-facet");
      fieldset.appendChild(el("legend", "", facet.label));
      var ul = el("ul", "lib-facet__values");
      countSpans[facet.key] = Object.create(null);
      boxes[facet.key] = Object.create(null);
      facet.pairs.forEach(function (pair) {
        var value = pair[0];
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
    // On a phone the filters cover the results: this closes them again.
    showResults = el("button", "md-button md-button--primary lib-finder__show-results");
    showResults.type = "button";
    showResults.addEventListener("click", function () {
      setFiltersOpen(false);
      heading.focus();
    });
    facetRoot.appendChild(showResults);
  }

  function applied() {
    var out = [];
    FACETS.forEach(function (facet) {
      state.facets[facet.key].forEach(function (value) {
        out.push({ facet: facet, value: value, name: facet.values[value] });
      });
    });
    return out;
  }

  function describeFilters(chosen) {
    var parts = [];
    FACETS.forEach(function (facet) {
      var names = chosen.filter(function (c) { return c.facet === facet; }).map(function (c) { return c.name; });
      if (names.length) parts.push(facet.label + ": " + names.join(" or "));
    });
    return parts.join("; ");
  }

  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  function quoted(text) {
    return "\u201c" + text + "\u201d";
  }

  /* The reader's words with some concepts' words replaced ({position in
   * concepts: word}), the rest as written: "community of practise" becomes
   * "community of practice", not "community practice". */
  function replaced(text, concepts, words) {
    var out = engine.tokens(text);
    Object.keys(words).forEach(function (i) {
      var c = concepts[i];
      out[c.from] = words[i];
      for (var w = c.from + 1; w <= c.to; w++) out[w] = "";
    });
    return out.filter(Boolean).join(" ");
  }

  /* A link that searches for `text`; `exact`: as written, never corrected. */
  function queryLink(text, exact) {
    var a = el("a", "", text);
    a.href = "?text=" + encodeURIComponent(text) + (exact ? "&exact=1" : "");
    a.addEventListener("click", function (event) {
      event.preventDefault();
      // The reader chose these words: they go in the box.
      input.value = text;
      state.q = text;
      state.exact = !!exact;
      writeUrl(true);
      render();
      input.focus();
    });
    return a;
  }

  /* The answer to the words, or to their correction: when a word is
   * nowhere in the library and a correction (the closest word in the index
   * for each such word that has one) has a resource with every word the
   * library knows, the correction's results are shown at once, as search
   * engines do, unless the reader asked for their words as typed
   * (state.exact). The answer says what it corrected: `typed`, `corrected`
   * (or ""), and `meant`, the first correction; `unknown` (positions in
   * concepts) and `fixes` (close words for each) are for "did you mean". */
  function answerFor(text) {
    var answer = engine.search(text);
    var unknown = [];
    answer.concepts.forEach(function (c, i) {
      if (c.count === 0 && !answer.pending) unknown.push(i);
    });
    var fixes = unknown.map(function (i) { return engine.closest(answer.concepts[i], 3); });
    answer.unknown = unknown;
    answer.fixes = fixes;
    answer.typed = text;
    answer.corrected = "";
    answer.meant = "";
    if (!fixes.some(function (f) { return f.length; })) return answer;
    var tried = [];
    for (var k = 0; k < 3; k++) {
      var fixed = {};
      unknown.forEach(function (i, u) {
        if (fixes[u].length) fixed[i] = fixes[u][Math.min(k, fixes[u].length - 1)];
      });
      var candidate = replaced(text, answer.concepts, fixed);
      if (tried.indexOf(candidate) >= 0) continue;
      tried.push(candidate);
      if (!answer.meant) answer.meant = candidate;
      if (state.exact) break;
      var better = engine.search(candidate);
      // Not known yet: the body text it needs is on its way, and the
      // answer comes again when it arrives.
      if (better.pending) { answer.pending = true; break; }
      if (hasEveryKnownWord(better)) {
        better.unknown = [];
        better.fixes = [];
        better.typed = text;
        better.corrected = better.meant = candidate;
        return better;
      }
    }
    return answer;
  }

  /* Whether a resource has every word of the answer that is in the library. */
  function hasEveryKnownWord(answer) {
    var known = answer.concepts.filter(function (c) { return c.count > 0; }).length;
    for (var i = 0; known && i < N; i++) if (answer.matched[i] === known) return true;
    return false;
  }

  function renderSuggestions(answer, n) {
    suggest.replaceChildren();
    suggest.hidden = true;
    var unknown = answer.unknown || [], fixes = answer.fixes || [];
    var meant = answer.meant;
    if (answer.corrected) {
      // "Showing results for needs assessment. Search instead for needs assesment."
      var shownFor = el("p");
      shownFor.appendChild(document.createTextNode("Showing results for "));
      shownFor.appendChild(el("strong", "", answer.corrected));
      shownFor.appendChild(document.createTextNode(". Search instead for "));
      shownFor.appendChild(queryLink(answer.typed.trim(), true));
      shownFor.appendChild(document.createTextNode("."));
      suggest.appendChild(shownFor);
      suggest.hidden = false;
    } else if (meant && !answer.pending) {
      var p = el("p");
      p.appendChild(document.createTextNode("Did you mean "));
      p.appendChild(queryLink(meant));
      p.appendChild(document.createTextNode("?"));
      suggest.appendChild(p);
      suggest.hidden = false;
    }
    if (n > 0 || answer.pending) {
      empty.hidden = true;
      return;
    }
    emptyWords.replaceChildren();
    if (answer.concepts.length) {
      var words = [];
      unknown.forEach(function (i, k) {
        fixes[k].forEach(function (w) {
          var one = {};
          one[i] = w;
          var query = replaced(state.q, answer.concepts, one);
          if (query !== meant) words.push(query);
        });
      });
      if (words.length) {
        emptyWords.appendChild(document.createTextNode("Other close words in the library: "));
        words.slice(0, 5).forEach(function (w, i) {
          if (i) emptyWords.appendChild(document.createTextNode(", "));
          emptyWords.appendChild(queryLink(w));
        });
        emptyWords.appendChild(document.createTextNode("."));
      }
    }
    emptyWords.hidden = !emptyWords.childNodes.length;
    empty.hidden = false;
  }

  function renderChips(chosen) {
    chips.replaceChildren();
    chosen.forEach(function (c) {
      var li = el("li");
      var button = el("button", "lib-chip");
      button.type = "button";
      button.appendChild(el("span", "lib-visually-hidden", "Remove filter: "));
      button.appendChild(document.createTextNode(c.name));
      var cross = el("span", "lib-chip__cross", "\u00d7");
      cross.setAttribute("aria-hidden", "true");
      button.appendChild(cross);
      button.addEventListener("click", function () { removeFilter(c, button); });
      li.appendChild(button);
      chips.appendChild(li);
    });
    chips.hidden = !chosen.length;
    toggleCount.textContent = chosen.length ? " (" + chosen.length + " applied)" : "";
  }

  function removeFilter(c, button) {
    var buttons = Array.prototype.slice.call(chips.querySelectorAll("button"));
    var at = buttons.indexOf(button);
    var chosen = state.facets[c.facet.key];
    chosen.splice(chosen.indexOf(c.value), 1);
    writeUrl(true);
    render();
    // Focus stays in the same place: the next chip, or the one before, or
    // the results.
    var left = chips.querySelectorAll("button");
    var next = left[Math.min(at, left.length - 1)];
    (next || heading).focus();
  }

  function renderFeed(chosen) {
    feed.replaceChildren();
    var one = chosen.length === 1 && !state.q.trim() && FEED_FOLDERS[chosen[0].facet.key];
    if (one) {
      var a = el("a", "", "Get updates for this list (Atom feed)");
      a.href = "../feeds/" + FEED_FOLDERS[chosen[0].facet.key] + "/" + chosen[0].value + ".xml";
      a.type = "application/atom+xml";
      feed.appendChild(a);
    }
    feed.hidden = !one;
  }

  function render() {
    var answer = answerFor(state.q);
    lastAnswer = answer;
    var scores = answer.scores, matched = answer.matched, all = answer.concepts.length;
    var masks = facetMasks();
    var filtered = masks.some(function (m) { return m; });
    var base = [], results = [], i;
    for (i = 0; i < N; i++) {
      if (matched && !matched[i]) continue;
      base.push(i);
      if (!filtered || passes(masks, i, -1)) results.push(i);
    }
    var sort = state.sort || (scores ? "relevance" : "date");
    var soon = [];
    // Resources with more of the words first, whatever the order; within
    // that, by score or date. Resources are numbered newest first: the
    // number breaks every tie.
    var fewer = matched ? function (a, b) { return matched[b] - matched[a]; } : function () { return 0; };
    if (sort === "relevance" && scores) {
      results.sort(function (a, b) { return fewer(a, b) || scores[b] - scores[a] || a - b; });
    } else {
      // Newest by publication; webinars still to come have their own place.
      soon = results.filter(isUpcoming).sort(function (a, b) {
        var x = rows[a][C.starts], y = rows[b][C.starts];
        return fewer(a, b) || (x < y ? -1 : x > y ? 1 : a - b);
      });
      if (soon.length) results = results.filter(function (i) { return !isUpcoming(i); });
      if (matched) results.sort(function (a, b) { return fewer(a, b) || a - b; });
    }
    FACETS.forEach(function (facet, f) {
      var counts = new Int32Array(facet.pairs.length);
      var column = facet.column, single = facet.single;
      for (var b = 0; b < base.length; b++) {
        var i = base[b];
        if (filtered && !passes(masks, i, f)) continue;
        var v = rows[i][column];
        if (single) counts[v]++;
        else for (var k = 0; k < v.length; k++) counts[v[k]]++;
      }
      facet.pairs.forEach(function (pair, n) {
        var value = pair[0];
        countSpans[facet.key][value].textContent = "(" + counts[n] + ")";
        boxes[facet.key][value].checked = state.facets[facet.key].indexOf(value) >= 0;
        boxes[facet.key][value].parentNode.classList.toggle("lib-facet--empty", counts[n] === 0);
      });
    });
    sortSelect.value = sort;
    var level = soon.length ? 4 : 3;
    upcomingList.replaceChildren.apply(upcomingList, soon.map(function (i) { return card(doc(i), 4); }));
    upcoming.hidden = !soon.length;
    newestHeading.hidden = !soon.length || !results.length;
    lastResults = results;
    shown = PAGE;
    var fragment = document.createDocumentFragment();
    results.slice(0, shown).forEach(function (i) { fragment.appendChild(card(doc(i), level)); });
    list.replaceChildren(fragment);
    list.dataset.level = level;
    updateMore();

    var chosen = applied();
    var n = results.length + soon.length;
    // The words the results are for: the correction's, when one is shown.
    var words = (answer.corrected || state.q).trim();
    var full = n;
    if (matched) {
      full = 0;
      results.forEach(function (i) { if (matched[i] === all) full++; });
      soon.forEach(function (i) { if (matched[i] === all) full++; });
    }
    var text;
    if (n === 0) text = (answer.pending ? "Searching the full text" : N ? "No resources match" : "No resources yet")
      + (words ? " " + quoted(words) : "");
    else if (!words) text = plural(n, "resource");
    else if (full === n) text = plural(n, "resource") + " match" + (n === 1 ? "es " : " ") + quoted(words);
    else if (full) text = plural(full, "resource") + " match" + (full === 1 ? "es " : " ") + quoted(words) + ", and "
      + (n - full) + " more match" + (n - full === 1 ? "es" : "") + " some of the words";
    else text = "No resources match all of " + quoted(words) + ": " + plural(n, "resource") + " match"
      + (n === 1 ? "es" : "") + " some of the words";
    if (chosen.length) text += (n || words ? ", " : " ") + "filtered by " + describeFilters(chosen);
    if (answer.pending) text += "\u2026";
    heading.textContent = text;
    showResults.textContent = "Show " + plural(n, "result");
    renderChips(chosen);
    renderFeed(chosen);
    renderSuggestions(answer, n);
    announce((answer.corrected ? "Showing results for " + answer.corrected + ". " : "") + text, answer.pending);
  }

  /* The live region says the answer once: ANNOUNCE_PAUSE after the last
   * key, when body text has arrived. Other changes (a filter, the sort)
   * are said almost at once. The heading shows every answer; only the
   * live region waits. */
  var announceTimer = null, lastKey = 0;
  function announce(text, pending) {
    window.clearTimeout(announceTimer);
    if (pending) return;  // the answer comes again when the body text arrives
    var wait = Math.max(100, lastKey + ANNOUNCE_PAUSE - Date.now());
    announceTimer = window.setTimeout(function () {
      if (live.textContent !== text) live.textContent = text;
    }, wait);
  }

  function updateMore() {
    var left = lastResults.length - shown;
    more.hidden = left <= 0;
    more.textContent = "Show " + Math.min(left, PAGE) + " more of " + left + " remaining";
  }

  function showMore() {
    var first = shown;
    shown += PAGE;
    var level = Number(list.dataset.level) || 3;
    var fragment = document.createDocumentFragment();
    lastResults.slice(first, shown).forEach(function (i) { fragment.appendChild(card(doc(i), level)); });
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
    return { q: params.get("text") || params.get("q") || "", exact: params.get("exact") === "1",
      sort: sort === "date" || sort === "relevance" ? sort : "", facets: facets };
  }

  function writeUrl(push) {
    var params = new URLSearchParams();
    if (state.q.trim()) params.set("text", state.q.trim());
    if (state.q.trim() && state.exact) params.set("exact", "1");
    FACETS.forEach(function (f) {
      if (state.facets[f.key].length) params.set(f.key, state.facets[f.key].join(","));
    });
    if (state.sort) params.set("sort", state.sort);
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "");
    if (url === window.location.pathname + window.location.search) return;
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

  function setFiltersOpen(open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    app.classList.toggle("lib-finder--filters-open", open);
  }

  /* Typing: the results follow once the reader pauses; the first change
   * after a longer pause starts a new entry in the history, so Back
   * returns to the words before. */
  var typingTimer = null, burstTimer = null, inBurst = false;
  function typed() {
    window.clearTimeout(typingTimer);
    typingTimer = null;
    state.q = input.value;
    state.exact = false;  // new words: corrected again if need be
    writeUrl(!inBurst);
    inBurst = true;
    window.clearTimeout(burstTimer);
    burstTimer = window.setTimeout(function () { inBurst = false; }, HISTORY_PAUSE);
    render();
  }
  input.addEventListener("input", function () {
    lastKey = Date.now();
    window.clearTimeout(announceTimer);
    window.clearTimeout(typingTimer);
    typingTimer = window.setTimeout(typed, TYPING_PAUSE);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    // Enter: the answer now, and the reader taken to it.
    if (typingTimer !== null) typed();
    heading.focus();
  });
  sortSelect.addEventListener("change", function () {
    state.sort = sortSelect.value;
    writeUrl(true);
    render();
  });
  toggle.addEventListener("click", function () {
    setFiltersOpen(toggle.getAttribute("aria-expanded") !== "true");
  });
  document.getElementById("finder-clear").addEventListener("click", function () {
    state = { q: "", exact: false, sort: "", facets: {} };
    FACETS.forEach(function (f) { state.facets[f.key] = []; });
    input.value = "";
    writeUrl(true);
    render();
    input.focus();
  });
  more.addEventListener("click", showMore);
  window.addEventListener("popstate", function () {
    state = readUrl();
    input.value = state.q;
    render();
  });
  engine.onShard(function () {
    // Body text arrived: answer again, without touching the box or focus.
    if (typingTimer === null) render();
  });

  buildFacets();
  input.value = state.q;
  // A reader who arrived with words (the header's box) came for results: on
  // a phone the head shrinks so that several are in sight (library.css).
  if (state.q.trim()) document.documentElement.classList.add("lib-finder-arrived");
  // The ways to browse (the page without JavaScript) may not be parsed yet: hide them by class.
  document.documentElement.classList.add("lib-finder-js");
  app.hidden = false;
  render();
  document.documentElement.setAttribute("data-finder-ready", "true");
})();
