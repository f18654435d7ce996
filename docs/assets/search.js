/*
 * Site search in the Material header, over the Pagefind index in pagefind/.
 *
 * The index (hooks/kb/search/) holds one record per report section and per study
 * material, its Chinese text written as overlapping character bigrams
 * (hooks/kb/search/tokens.py). This file turns a query into the same bigrams, asks
 * Pagefind, groups the matching records by page and shows them with readable
 * excerpts (decoded from the bigrams), filters and keyboard navigation.
 * Pagefind is loaded on first use only, from this site (no other host).
 */
(function () {
  "use strict";

  // Keep identical to HAN in hooks/kb/text.py.
  var HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}";
  var RUN = new RegExp("[" + HAN + "]+|[^\\s" + HAN + "]+", "gu");
  var IS_HAN = new RegExp("^[" + HAN + "]", "u");
  var ONLY_PUNCT = /^[\p{P}\p{S}]+$/u;

  var FILTERS = ["学习教育", "指导组", "批次", "报告部分", "材料类别"];
  var FIXED_ORDER = {
    "报告部分": ["亮点做法", "存在的问题", "下步打算", "整改台账"],
    "材料类别": ["原著", "重要讲话", "党内法规", "辅导读本", "专题党课", "典型案例", "警示教育", "其他"],
  };
  var LABELS = ["单位", "学习教育", "指导组", "批次", "类别", "阅读"];
  var EXCERPT_WORDS = 48;
  var BATCH = 8;         // fragments loaded per step (one round of parallel requests)
  var FIRST_GROUPS = 3;  // shown as soon as loaded; the rest of the page follows
  var PAGE_GROUPS = 10;  // results shown per "more" step
  var SECTIONS_PER_GROUP = 3;
  var VERIFY_LIMIT = 200;  // results whose text is checked for every query word

  /* -- query terms ----------------------------------------------------------------- */

  // Keep identical to _FULLWIDTH in hooks/kb/search/tokens.py (２０２３ → 2023, ＧＢ → GB).
  var FULLWIDTH = /[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/g;

  function runs(text) {
    var ascii = text.replace(FULLWIDTH, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
    });
    return (ascii.match(RUN) || []).filter(function (run) {
      return !ONLY_PUNCT.test(run);
    });
  }

  function bigrams(run) {
    var chars = Array.from(run);
    if (chars.length === 1) return chars;
    var out = [];
    for (var i = 0; i < chars.length - 1; i++) out.push(chars[i] + chars[i + 1]);
    return out;
  }

  /** Index words a query must all match: every Han run as bigrams, other words as typed. */
  function queryTerms(text) {
    var terms = [];
    runs(text).forEach(function (run) {
      terms = terms.concat(IS_HAN.test(run) ? bigrams(run) : [run]);
    });
    return terms;
  }

  /**
   * Words of a query for the looser search: Intl.Segmenter's words, where runs of
   * single characters (words its dictionary does not know, such as 信访局) are joined.
   */
  function queryWords(text) {
    if (typeof Intl === "undefined" || !Intl.Segmenter) return runs(text);
    var segmenter = new Intl.Segmenter("zh", { granularity: "word" });
    var words = [];
    runs(text).forEach(function (run) {
      if (!IS_HAN.test(run)) { words.push(run); return; }
      var single = "";
      Array.from(segmenter.segment(run)).forEach(function (s) {
        if (Array.from(s.segment).length === 1) { single += s.segment; return; }
        if (single) { words.push(single); single = ""; }
        words.push(s.segment);
      });
      if (single) words.push(single);
    });
    return words;
  }

  /** Looser terms for a query without exact matches: bigrams within words only. */
  function relaxedTerms(text) {
    var terms = [];
    queryWords(text).forEach(function (word) {
      terms = terms.concat(IS_HAN.test(word) ? bigrams(word) : [word]);
    });
    return terms;
  }

  function queryString(text, terms) {
    var exact = /^\s*["“].+["”]\s*$/.test(text);
    var joined = terms.join(" ");
    return exact && terms.length > 1 ? '"' + joined + '"' : joined;
  }

  /* -- reading bigram text back ---------------------------------------------------- */

  /** [[word, marked]] → [[text, marked]]: the first character of every Han word. */
  function decodeWords(words) {
    var pieces = [];
    var previousHan = true;
    var carry = false;
    var pending = "";
    words.forEach(function (entry) {
      var word = entry[0];
      var marked = entry[1];
      if (!word) return;
      if (IS_HAN.test(word)) {
        var chars = Array.from(word);
        pieces.push([chars[0], marked || carry]);
        var second = chars.length > 1 && IS_HAN.test(chars[1]);
        var blockEnd = chars.length > (second ? 2 : 1);  // Pagefind closes blocks with "."
        carry = marked && second && !blockEnd;
        pending = carry ? chars[1] : "";
        if (blockEnd) pieces.push([" ", false]);
        previousHan = true;
      } else {
        if (!previousHan) pieces.push([" ", false]);
        pieces.push([word, marked]);
        carry = false;
        pending = "";
        previousHan = false;
      }
    });
    if (pending) pieces.push([pending, true]);  // a marked bigram ends the excerpt
    var merged = [];
    pieces.forEach(function (p) {
      var last = merged[merged.length - 1];
      if (last && last[1] === p[1]) last[0] += p[0];
      else merged.push([p[0], p[1]]);
    });
    return merged;
  }

  /** Pagefind excerpt HTML (words, some in <mark>) → [[text, marked]]. */
  function excerptPieces(html) {
    var template = document.createElement("template");
    template.innerHTML = html || "";
    var words = [];
    template.content.childNodes.forEach(function (node) {
      var marked = node.nodeName === "MARK";
      node.textContent.split(/\s+/).forEach(function (w) { if (w) words.push([w, marked]); });
    });
    return decodeWords(words);
  }

  function plainText(tokens) {
    return decodeWords((tokens || "").split(/\s+/).map(function (w) { return [w, false]; }))
      .map(function (p) { return p[0]; }).join("").trim();
  }

  /* -- Pagefind -------------------------------------------------------------------- */

  var root = document.querySelector("[data-kb-search]");
  var bundle = root ? new URL(root.getAttribute("data-pagefind"), location.href) : null;
  var siteBase = bundle ? new URL("../", bundle) : null;
  var pagefindPromise = null;

  /*
   * Pagefind takes the query language from <html lang> when it starts, and for "zh" it
   * splits every query with Intl.Segmenter (整改 → 整 改), which would undo the bigrams.
   * The index is in language "und"; start Pagefind while the page says so. init() reads
   * the attribute synchronously, and it is restored before anything is painted.
   */
  function startPagefind(pf) {
    var html = document.documentElement;
    var lang = html.getAttribute("lang");
    html.setAttribute("lang", "und");
    try {
      return pf.init();
    } finally {
      if (lang === null) html.removeAttribute("lang");
      else html.setAttribute("lang", lang);
    }
  }

  /** A large site has a few indexes (hooks/kb/search/merge.py): merge the others. */
  function mergeShards(pf) {
    return fetch(new URL("kb-shards.json", bundle).href)
      .then(function (response) { return response.ok ? response.json() : { shards: [] }; })
      .then(function (manifest) {
        return Promise.all((manifest.shards || []).map(function (shard) {
          return pf.mergeIndex(new URL(shard, bundle).pathname,
                               { language: "und", excerptLength: EXCERPT_WORDS });
        }));
      });
  }

  function pagefind() {
    if (!pagefindPromise) {
      pagefindPromise = import(new URL("pagefind.js", bundle).href).then(function (pf) {
        return pf.options({ excerptLength: EXCERPT_WORDS, baseUrl: siteBase.pathname })
          .then(function () { return startPagefind(pf); })
          .then(function () { return mergeShards(pf); })
          .then(function () { return pf; });
      });
      pagefindPromise.catch(function () { pagefindPromise = null; });
    }
    return pagefindPromise;
  }

  function siteUrl(url) {
    return new URL(String(url || "").replace(/^\//, ""), siteBase).href;
  }

  /** Sub-result with the most matches before the record's context line (its last words). */
  function bestPart(data) {
    var ctx = data.meta.ctx === undefined ? Infinity : Number(data.meta.ctx);
    var best = null;
    var bestCount = 0;
    (data.sub_results || []).forEach(function (sub) {
      var count = (sub.locations || []).filter(function (l) { return l < ctx; }).length;
      if (count > bestCount) { best = sub; bestCount = count; }
    });
    return { sub: best, hits: bestCount };
  }

  function toEntry(data) {
    var part = bestPart(data);
    var sub = part.sub;
    var heading = "";
    // Sub-results under a heading of the record have URLs "/…#id" (Pagefind adds the "/");
    // the part before the first heading keeps the record URL and the record title.
    if (sub && /^\//.test(sub.url) && sub.url !== "/" + data.meta.url) {
      heading = plainText(sub.title);
    }
    var section = data.meta.section || "";
    var label = section;
    if (heading && heading !== section) label = section ? section + " › " + heading : heading;
    return {
      url: siteUrl(sub ? sub.url : data.meta.url),
      page: data.meta.page || data.meta.url || "",
      title: data.meta.title || "",
      section: label,
      meta: data.meta,
      excerpt: sub ? excerptPieces(sub.excerpt) : [],  // matched through the labels only
      hits: part.hits,
    };
  }

  /** A search whose groups are filled on demand (``fill``). */
  function Search(pf, text, filters) {
    this.pf = pf;
    this.text = text;
    this.filters = filters;
    this.results = [];
    this.loaded = 0;
    this.groups = [];
    this.byPage = {};
    this.relaxed = false;
    this.dropped = 0;  // results found lacking a query word when their fragment loaded
  }

  /** The Han bigrams among ``terms``: index words that must occur exactly. */
  function bigramTerms(terms) {
    return terms.filter(function (t) { return IS_HAN.test(t) && Array.from(t).length === 2; });
  }

  /** ``found`` with no results (filter counts zero), as Pagefind answers a miss. */
  function emptied(found) {
    var counts = {};
    Object.keys(found.filters || {}).forEach(function (name) {
      counts[name] = {};
      Object.keys(found.filters[name]).forEach(function (v) { counts[name][v] = 0; });
    });
    return { results: [], filters: counts, totalFilters: found.totalFilters };
  }

  /**
   * The query as one phrase (Pagefind's exact search: its index words in a row), when it
   * was typed as one piece of two or more index words; null otherwise.
   */
  function phraseOf(text, terms) {
    if (terms.length < 2 || /\s/.test(text.trim())) return null;
    return '"' + terms.join(" ") + '"';
  }

  /**
   * How far apart a result's matched words stand: the narrowest span of its word
   * locations that could hold every distinct query word (0: side by side).
   */
  function spread(result, distinct) {
    var locations = (result.words || []).slice().sort(function (a, b) { return a - b; });
    var k = Math.min(distinct, locations.length);
    if (k < 2) return locations.length ? 0 : Infinity;
    var best = Infinity;
    for (var i = 0; i + k - 1 < locations.length; i++) {
      best = Math.min(best, locations[i + k - 1] - locations[i] - (k - 1));
    }
    return best;
  }

  /**
   * Results that hold the query verbatim (``verbatim``: ids from the phrase search) first,
   * then the others by how close their words stand, each by Pagefind's score. The verbatim
   * ones hold every word of the query: they need no check.
   */
  function byRelevance(results, verbatim, distinct) {
    var keyed = results.map(function (r, i) {
      var exact = !!verbatim[r.id];
      if (exact) r.kbChecked = true;
      return { r: r, exact: exact, spread: exact ? 0 : spread(r, distinct), i: i };
    });
    keyed.sort(function (a, b) {
      return (b.exact - a.exact) || (a.spread - b.spread) || (b.r.score - a.r.score) || (a.i - b.i);
    });
    return keyed.map(function (k) { return k.r; });
  }

  /**
   * Pagefind's results for ``query``; for a query typed as one piece (``phrase``), those
   * holding it verbatim first, then by how close its words stand. Words the reader
   * typed apart keep Pagefind's order (its weights: a report before a table listing it).
   */
  function ranked(pf, query, phrase, terms, options) {
    return pf.search(query, options).then(function (found) {
      found.results.forEach(function (r) { r.kbChecked = false; });
      if (!phrase || !found.results.length) return found;
      // The phrase search reads the index chunks the first one loaded: no further requests.
      return pf.search(phrase, options).then(function (verbatim) {
        var ids = {};
        verbatim.results.forEach(function (r) { ids[r.id] = true; });
        var distinct = Object.keys(terms.reduce(function (seen, t) {
          seen[t] = true; return seen;
        }, {})).length;
        found.results = byRelevance(found.results, ids, distinct);
        return found;
      });
    });
  }

  /** Whether a result's text holds every bigram of ``needed``. */
  function holdsAll(data, needed) {
    var content = data.content || "";
    return needed.every(function (t) { return content.indexOf(t) >= 0; });
  }

  /**
   * Pagefind drops or shortens a query word it cannot match exactly (火星殖民 is
   * searched as 星; 访局 also finds records with 访 only), so its results may lack
   * words of the query. Results are checked in steps of BATCH until one holds every
   * bigram of ``terms`` (at most VERIFY_LIMIT: none qualifying means no result); the
   * others carry the bigrams (``kbNeeds``) and are checked as their fragments load for
   * display (:meth:`Search.fill` drops those lacking one), so the first results never
   * wait for hundreds of fragments. ``exact`` tells whether every result was checked
   * (the count is then exact).
   */
  function verified(pf, query, terms, options, phrase) {
    return ranked(pf, query, phrase || null, terms, options).then(function (found) {
      var needed = bigramTerms(terms);
      found.results.forEach(function (r) { r.kbNeeds = null; });  // a result of no earlier query
      if (!found.results.length || !needed.length) return found;
      var limit = Math.min(VERIFY_LIMIT, found.results.length);
      var checked = 0;
      var kept = [];
      function step() {
        if (kept.length || checked >= limit) {
          if (!kept.length) return emptied(found);
          var rest = found.results.slice(checked);
          rest.forEach(function (r) { r.kbNeeds = r.kbChecked ? null : [needed]; });  // fill() checks
          var unchecked = rest.some(function (r) { return r.kbNeeds; });
          return { results: kept.concat(rest), filters: found.filters,
                   totalFilters: found.totalFilters, exact: !unchecked };
        }
        var chunk = found.results.slice(checked, checked + BATCH);
        checked += chunk.length;
        return Promise.all(chunk.map(function (r) { return r.data(); })).then(function (all) {
          chunk.forEach(function (r, i) { if (holdsAll(all[i], needed)) kept.push(r); });
          return step();
        });
      }
      return step();
    });
  }

  /**
   * Every term must match (Pagefind's rule). Without results, a query typed as one
   * string (信访局枫桥经验) is retried without the bigrams that span two words, then as
   * any of its words, records with more of the words first.
   */
  Search.prototype.run = function () {
    var self = this;
    var terms = queryTerms(self.text);
    var options = { filters: self.filters };
    var query = terms.length ? queryString(self.text, terms) : null;
    if (!query && !Object.keys(self.filters).length) return Promise.resolve(self);
    var pf = self.pf;
    var phrase = query ? phraseOf(self.text, terms) : null;
    return verified(pf, query, terms, options, phrase).then(function (found) {
      if (found.results.length || !query) return found;
      var loose = relaxedTerms(self.text);
      var next = loose.length && loose.join(" ") !== terms.join(" ")
        ? verified(pf, loose.join(" "), loose, options) : Promise.resolve(found);
      return next.then(function (second) {
        if (second.results.length) {
          self.relaxed = second !== found;
          return second;
        }
        // A lone Han character among the words (区块|链) would match nearly anything.
        var words = queryWords(self.text).filter(function (w) {
          return !IS_HAN.test(w) || Array.from(w).length > 1;
        });
        if (words.length < 2 && queryTerms(words.join("")).length < 2) return found;
        // A word not found as a whole (信访局枫桥: Intl.Segmenter knows none of it) counts
        // by each of its bigrams that is found.
        return Promise.all(words.map(function (word) {
          var wordTerms = queryTerms(word);
          return verified(pf, wordTerms.join(" "), wordTerms, options).then(function (one) {
            if (one.results.length || wordTerms.length < 2) return [one];
            return Promise.all(wordTerms.map(function (t) { return verified(pf, t, [t], options); }));
          });
        })).then(function (nested) {
          var each = [].concat.apply([], nested);
          var merged = anyOf(each, found);
          self.relaxed = merged.results.length > 0;
          return merged.results.length ? merged : found;
        });
      });
    }).then(function (found) {
      self.found = found;
      self.results = found.results;
      return self;
    });
  };

  /** Results of several searches as one list: most searches matched first, then score. */
  function anyOf(searches, empty) {
    var byId = {};
    searches.forEach(function (found) {
      found.results.forEach(function (r) {
        var seen = byId[r.id] || (byId[r.id] = { result: r, count: 0, score: 0, needs: [] });
        seen.count += 1;
        seen.score += r.score;
        seen.needs = seen.needs && r.kbNeeds ? seen.needs.concat(r.kbNeeds) : null;  // null: checked
      });
    });
    var merged = Object.keys(byId).map(function (id) { return byId[id]; });
    merged.sort(function (a, b) { return b.count - a.count || b.score - a.score; });
    var first = searches.length ? searches[0] : empty;
    return {
      results: merged.map(function (m) { m.result.kbNeeds = m.needs; return m.result; }),
      filters: first.filters, totalFilters: first.totalFilters,
      exact: merged.every(function (m) { return !m.needs; }),
    };
  }

  /** Load fragments until ``target`` groups exist (or results run out); the first ``target``. */
  Search.prototype.fill = function (target) {
    var self = this;
    function step() {
      if (self.groups.length >= target || self.loaded >= self.results.length) {
        return Promise.resolve(self.groups.slice(0, target));
      }
      var chunk = self.results.slice(self.loaded, self.loaded + BATCH);
      self.loaded += chunk.length;
      return Promise.all(chunk.map(function (r) { return r.data(); })).then(function (all) {
        all.forEach(function (data, i) {
          var needs = chunk[i].kbNeeds;  // unchecked: keep it if it holds one search's words
          if (needs && !needs.some(function (n) { return holdsAll(data, n); })) {
            self.dropped += 1;
            return;
          }
          var entry = toEntry(data);
          var group = self.byPage[entry.page];
          if (!group) {
            group = { page: entry.page, title: entry.title, meta: entry.meta, entries: [] };
            self.byPage[entry.page] = group;
            self.groups.push(group);
          }
          group.entries.push(entry);
        });
        return step();
      });
    }
    return step();
  };

  /** Matches known so far: every result minus those dropped when checked. */
  Search.prototype.count = function () {
    return this.results.length - this.dropped;
  };

  /** Whether every result not yet dropped was checked for every query word. */
  Search.prototype.checked = function () {
    return !this.unchecked();
  };

  /** Results not yet checked (each is checked when its fragment loads for display). */
  Search.prototype.unchecked = function () {
    return this.results.slice(this.loaded).filter(function (r) { return r.kbNeeds; }).length;
  };

  Search.prototype.complete = function () {
    return this.loaded >= this.results.length;
  };

  /** For tests and scripts: grouped results of a query, best first. */
  function search(text, filters, count) {
    return pagefind().then(function (pf) {
      return new Search(pf, text || "", filters || {}).run();
    }).then(function (s) {
      return s.fill(count || PAGE_GROUPS).then(function (groups) {
        return {
          relaxed: s.relaxed,
          total: s.count(),
          exact: s.checked(),
          groups: groups.map(function (g) {
            return {
              page: g.page,
              title: g.title,
              url: g.entries[0].url,
              entries: g.entries.map(function (e) {
                return {
                  url: e.url,
                  section: e.section,
                  hits: e.hits,
                  excerpt: e.excerpt.map(function (p) { return p[0]; }).join(""),
                  marked: e.excerpt.filter(function (p) { return p[1]; })
                    .map(function (p) { return p[0]; }),
                };
              }),
            };
          }),
        };
      });
    });
  }

  window.kbSearch = {
    queryTerms: queryTerms,
    relaxedTerms: relaxedTerms,
    queryWords: queryWords,
    decodeWords: decodeWords,
    search: search,
  };

  if (!root) return;

  /* -- user interface -------------------------------------------------------------- */

  var toggle = document.getElementById("__search");
  var form = root.querySelector("form");
  var input = root.querySelector("[data-kb-search-input]");
  var status = root.querySelector("[data-kb-search-status]");
  var list = root.querySelector("[data-kb-search-results]");
  var moreButton = root.querySelector("[data-kb-search-more]");
  var filterBox = root.querySelector("[data-kb-search-filters]");
  var filtersOpen = root.querySelector("[data-kb-search-filters-open]");
  var selects = {};
  var current = null;
  var sequence = 0;
  var timer = 0;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function setOpen(open) {
    if (toggle && toggle.checked !== open) {
      toggle.checked = open;
      toggle.dispatchEvent(new Event("change"));
    }
  }

  function chineseNumber(text) {
    var digits = "一二三四五六七八九";
    var m = /([一二三四五六七八九十]+)/.exec(text);
    if (!m) return Infinity;
    var s = m[1];
    var tens = s.indexOf("十");
    if (tens < 0) return digits.indexOf(s) + 1;
    var high = tens === 0 ? 1 : digits.indexOf(s[0]) + 1;
    var low = tens === s.length - 1 ? 0 : digits.indexOf(s[s.length - 1]) + 1;
    return high * 10 + low;
  }

  function orderValues(name, values) {
    var fixed = FIXED_ORDER[name];
    return values.sort(function (a, b) {
      if (fixed) {
        var ia = fixed.indexOf(a), ib = fixed.indexOf(b);
        return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b, "zh");
      }
      return chineseNumber(a) - chineseNumber(b) || a.localeCompare(b, "zh");
    });
  }

  function buildFilters(all) {
    filterBox.textContent = "";
    FILTERS.forEach(function (name) {
      var values = Object.keys(all[name] || {});
      if (!values.length) return;
      var label = el("label", "kb-search__filter");
      label.appendChild(el("span", "kb-search__filter-name", name));
      var select = el("select");
      select.name = name;
      select.setAttribute("data-kb-filter", name);
      var any = el("option", "", "全部");
      any.value = "";
      select.appendChild(any);
      orderValues(name, values).forEach(function (value) {
        var option = el("option", "", value);
        option.value = value;
        option.setAttribute("data-label", value);
        select.appendChild(option);
      });
      select.addEventListener("change", function () { schedule(0); });
      label.appendChild(select);
      filterBox.appendChild(label);
      selects[name] = select;
    });
  }

  function updateCounts(counts) {
    Object.keys(selects).forEach(function (name) {
      var select = selects[name];
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.value) return;
        var n = counts && counts[name] ? counts[name][option.value] || 0 : null;
        var label = option.getAttribute("data-label");
        option.textContent = n === null ? label : label + "（" + n + "）";
        option.disabled = n === 0 && !option.selected;
      });
    });
  }

  function chosenFilters() {
    var filters = {};
    Object.keys(selects).forEach(function (name) {
      if (selects[name].value) filters[name] = selects[name].value;
    });
    return filters;
  }

  /** Excerpt pieces without a leading ``prefix`` (the page title repeated by its h1). */
  function withoutPrefix(pieces, prefix) {
    var text = pieces.map(function (p) { return p[0]; }).join("");
    if (!prefix || text.indexOf(prefix) !== 0 || text.trim() === prefix) return pieces;
    var cut = prefix.length;
    var out = [];
    pieces.forEach(function (p) {
      if (cut >= p[0].length) { cut -= p[0].length; return; }
      out.push([p[0].slice(cut), p[1]]);
      cut = 0;
    });
    if (out.length) out[0][0] = out[0][0].replace(/^\s+/, "");
    return out;
  }

  function renderPieces(parent, pieces) {
    pieces.forEach(function (p) {
      if (p[1]) parent.appendChild(el("mark", "", p[0]));
      else parent.appendChild(document.createTextNode(p[0]));
    });
  }

  function labelsOf(meta) {
    return LABELS.map(function (k) { return meta[k]; }).filter(Boolean);
  }

  function renderGroup(group) {
    var item = el("li", "md-search-result__item kb-search__item");
    item.setAttribute("data-page", group.page);
    var first = group.entries[0];
    var link = el("a", "md-search-result__link");
    link.href = first.url;
    link.tabIndex = -1;
    var article = el("article", "md-search-result__article md-search-result__article--document md-typeset");
    article.appendChild(el("div", "md-search-result__icon md-icon"));
    article.appendChild(el("h1", "", group.title || first.section || "（无标题）"));
    var labels = labelsOf(group.meta);
    if (labels.length) {
      var line = el("p", "kb-search__labels");
      labels.forEach(function (text) { line.appendChild(el("span", "kb-search__label", text)); });
      article.appendChild(line);
    }
    link.appendChild(article);
    item.appendChild(link);
    group.entries.slice(0, SECTIONS_PER_GROUP).forEach(function (entry, i) {
      if (i > 0 && !entry.hits) return;  // matched only through the page title or labels
      var target = i === 0 ? link : el("a", "md-search-result__link");
      if (i > 0) {
        target.href = entry.url;
        target.tabIndex = -1;
        item.appendChild(target);
      }
      var part = i === 0 ? article : el("article", "md-search-result__article md-typeset");
      if (entry.section) part.appendChild(el("h2", "kb-search__section", entry.section));
      var excerpt = withoutPrefix(entry.excerpt, group.title);
      if (excerpt.length) {
        var p = el("p", "kb-search__excerpt");
        renderPieces(p, excerpt);
        part.appendChild(p);
      }
      if (i > 0) target.appendChild(part);
    });
    return item;
  }

  function setStatus(text) { status.textContent = text; }

  /**
   * The count above the results: exact once every result was checked for every query
   * word, otherwise an upper bound that says so (unchecked results may still drop out).
   */
  function countText(search) {
    var n = search.count();
    return (search.relaxed ? "没有完全匹配的结果，以下为部分匹配；" : "")
      + (search.checked() ? "共 " + n + " 处匹配"
        : "约 " + n + " 处匹配（尚有 " + search.unchecked() + " 处未逐条核对，实际可能更少）");
  }

  function showCount(search) {
    if (search.results.length) setStatus(countText(search));
  }

  function render(search, groups, append) {
    if (!append) list.textContent = "";
    groups.forEach(function (g) { list.appendChild(renderGroup(g)); });
    moreButton.hidden = search.complete() && list.children.length >= search.groups.length;
    showCount(search);  // results checked as they loaded may have dropped out
  }

  function runSearch(seq) {
    var text = input.value.trim();
    var filters = chosenFilters();
    if (!text && !Object.keys(filters).length) {
      list.textContent = "";
      moreButton.hidden = true;
      setStatus("输入关键词搜索报告和学习材料");
      updateCounts(null);
      return Promise.resolve();
    }
    setStatus(pagefindPromise ? "正在搜索…" : "正在加载搜索索引…");
    return pagefind().then(function (pf) {
      return new Search(pf, text, filters).run();
    }).then(function (search) {
      if (seq !== sequence) return;
      current = search;
      updateCounts(search.found ? search.found.filters : null);
      if (!search.results.length) {
        list.textContent = "";
        moreButton.hidden = true;
        setStatus("没有找到相关结果，可减少关键词或更换筛选条件");
        root.setAttribute("data-kb-search-done", String(seq));
        return;
      }
      showCount(search);
      // The first results are shown at once, the rest of the first page when loaded.
      return search.fill(FIRST_GROUPS).then(function (groups) {
        if (seq !== sequence) return;
        render(search, groups, false);
        return search.fill(PAGE_GROUPS);
      }).then(function (groups) {
        if (seq !== sequence || !groups) return;
        render(search, groups, false);
      }).then(function () {
        if (seq === sequence) root.setAttribute("data-kb-search-done", String(seq));
      });
    }).catch(function (err) {
      if (seq !== sequence) return;
      setStatus("搜索索引加载失败，请刷新页面重试");
      if (window.console) console.error(err);
    });
  }

  function schedule(delay) {
    window.clearTimeout(timer);
    var seq = ++sequence;
    timer = window.setTimeout(function () { runSearch(seq); }, delay);
  }

  /**
   * The filter menus (values and counts over the whole index), built once, when the
   * reader asks for them: their data (every record's values) grows with the site and
   * would cost a query more than its index and results (issue 19).
   */
  var filtersPromise = null;
  function loadFilters() {
    if (!filtersPromise) {
      filtersPromise = pagefind().then(function (pf) { return pf.filters(); })
        .then(function (all) { buildFilters(all); });
      filtersPromise.catch(function () { filtersPromise = null; });
    }
    return filtersPromise;
  }

  function openFilters() {
    filtersOpen.disabled = true;
    filtersOpen.textContent = "正在加载筛选条件…";
    loadFilters().then(function () {
      var first = filterBox.querySelector("select");
      if (first) first.focus();
      if (input.value.trim()) schedule(0);  // the counts of the current results
    }).catch(function () {
      filtersOpen.disabled = false;
      filtersOpen.textContent = "筛选条件加载失败，点击重试";
    });
  }

  /* Opening the box loads Pagefind (its scripts and the index's metadata). */
  function prepare() {
    pagefind().catch(function () { /* reported on search */ });
  }

  function focusResult(step) {
    var links = Array.prototype.slice.call(list.querySelectorAll("a.md-search-result__link"));
    if (!links.length) return;
    var index = links.indexOf(document.activeElement);
    var next = index < 0 ? (step > 0 ? 0 : links.length - 1) : index + step;
    if (next < 0) { input.focus(); return; }
    links[Math.min(next, links.length - 1)].focus();
  }

  input.addEventListener("focus", function () { setOpen(true); prepare(); });
  // With a Chinese input method, the box holds pinyin until the characters are chosen.
  input.addEventListener("input", function (ev) { if (!ev.isComposing) schedule(120); });
  input.addEventListener("compositionend", function () { schedule(60); });
  form.addEventListener("submit", function (ev) { ev.preventDefault(); });
  if (filtersOpen) filtersOpen.addEventListener("click", openFilters);
  form.addEventListener("reset", function () {
    window.setTimeout(function () { schedule(0); input.focus(); }, 0);
  });
  moreButton.addEventListener("click", function () {
    if (!current) return;
    var seq = sequence;
    var shown = list.children.length;
    current.fill(shown + PAGE_GROUPS).then(function (groups) {
      if (seq !== sequence) return;
      render(current, groups.slice(shown), true);
    });
  });
  if (toggle) {
    toggle.addEventListener("change", function () {
      if (toggle.checked) {
        prepare();
        if (document.activeElement !== input) input.focus();
      } else if (document.activeElement === input) {
        input.blur();
      }
    });
  }

  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var open = toggle && toggle.checked;
    var target = ev.target;
    var typing = target && (target.isContentEditable
      || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (!open) {
      if (!typing && (ev.key === "/" || ev.key === "s" || ev.key === "f")) {
        ev.preventDefault();
        setOpen(true);
        input.focus();
      }
      return;
    }
    if (!root.contains(target) && target !== document.body && target !== toggle) return;
    if (ev.key === "Escape") {
      ev.preventDefault();
      setOpen(false);
    } else if (ev.key === "ArrowDown" && target.tagName !== "SELECT") {
      ev.preventDefault();
      focusResult(1);
    } else if (ev.key === "ArrowUp" && target.tagName !== "SELECT") {
      ev.preventDefault();
      focusResult(-1);
    } else if (ev.key === "Enter" && target === input) {
      ev.preventDefault();
      var first = list.querySelector("a.md-search-result__link");
      if (first) first.click();
    }
  });
  // Tab past the search's last control closes the overlay: the keyboard never moves
  // through a page the overlay still covers.
  root.addEventListener("focusout", function (ev) {
    var to = ev.relatedTarget;
    if (toggle && toggle.checked && to && !root.contains(to) && to !== toggle) setOpen(false);
  });
  list.addEventListener("click", function (ev) {
    var link = ev.target.closest && ev.target.closest("a");
    if (link) setOpen(false);  // same-page anchors: close the overlay to show the section
  });
})();
