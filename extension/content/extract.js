/* Article extraction and the text <-> live DOM map.
 *
 * Readability runs on a clone of the document (it rewrites the tree it is given). The article
 * it returns is walked in document order to build the text sent to the server, and for every
 * UTF-16 code unit of that text we record which live text node and offset it came from, so a
 * server span [start, end) becomes an exact live DOM Range. No chrome.* API is used here. */
"use strict";

(function defineExtract(global) {
  if (global.SourcelightExtract) return;

  // Elements that start and end a block of text (a paragraph break in the sent text).
  const BLOCK_TAGS = new Set([
    "address", "article", "aside", "blockquote", "caption", "dd", "details", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "ul",
  ]);
  const SKIP_TAGS = new Set(["script", "style", "noscript", "template", "svg", "math", "iframe",
    "object", "canvas", "video", "audio", "select", "textarea", "button"]);
  const PRESERVE_WS_TAGS = new Set(["pre", "textarea", "listing", "plaintext"]);
  // CSS collapses these (not U+00A0 and other Unicode spaces, which stay in the text).
  const COLLAPSIBLE = /[ \t\n\r\f]/;
  const PARAGRAPH_BREAK = "\n\n";
  const LINE_BREAK = "\n";
  const UNMAPPED = -1;

  // What the page says about itself, sent as the request's `page` (docs/api.md). The server's
  // limits are applied here: a longer string is cut, a longer list shortened, empty fields left out.
  const PAGE_LIMITS = Object.freeze({ lang: 35, section: 200, siteName: 200, type: 100, types: 20, label: 100, labels: 10 });
  // Genre labels ("kickers") are looked for in the article's header area only: from the headline's
  // <header> (or the element around the headline) up to the first long paragraph of the body.
  // An element counts when its class or id contains one of LABEL_CLASS_HINTS and its text is short,
  // or when its whole text is one of LABEL_WORDS (case-insensitive; a trailing ":" "|" "·" is ignored).
  const LABEL_CLASS_HINTS = Object.freeze(["kicker", "eyebrow", "label", "flag", "rubric", "genre",
    "opinion-label", "article-type"]);
  const LABEL_WORDS = Object.freeze(["opinion", "analysis", "editorial", "commentary", "column", "letters",
    "satire", "review", "news analysis", "explainer"]);
  const LABEL_MAX_CHARS = 60; // a label is short; longer text is a headline, standfirst or byline
  const HEADER_END_PARAGRAPH_CHARS = 160; // the first <p> this long starts the body: stop looking
  const HEADER_MAX_ELEMENTS = 400; // never walk more than this many elements for labels
  // Never labels: navigation menus, sidebars, forms, and the headline itself.
  const LABEL_SKIP_TAGS = new Set(["nav", "aside", "footer", "form", "menu", "script", "style", "noscript",
    "template", "svg", "h1", "select", "button"]);
  const JSONLD_MAX_CHARS = 500000; // a JSON-LD block longer than this is not parsed
  const JSONLD_MAX_NODES = 5000; // objects and arrays visited per page

  /** clone text node -> live text node, by walking both trees in lockstep (same shape). */
  function pairTextNodes(liveDoc, cloneDoc) {
    const pairs = new WeakMap();
    const live = liveDoc.createTreeWalker(liveDoc.documentElement, NodeFilter.SHOW_ALL);
    const clone = cloneDoc.createTreeWalker(cloneDoc.documentElement, NodeFilter.SHOW_ALL);
    let l = live.currentNode;
    let c = clone.currentNode;
    while (l && c) {
      if (l.nodeType === Node.TEXT_NODE && c.nodeType === Node.TEXT_NODE) pairs.set(c, l);
      l = live.nextNode();
      c = clone.nextNode();
    }
    return pairs;
  }

  /** Live text nodes of the body in document order, for text nodes Readability re-created. */
  function liveTextNodes(liveDoc) {
    const list = [];
    const walker = liveDoc.createTreeWalker(liveDoc.body || liveDoc.documentElement, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) list.push(n);
    return list;
  }

  /** Finds the live twin of a clone text node that lost its identity (Readability retries
   * re-create the tree from HTML): the next live node with the same data, after the last match. */
  function makeFallbackFinder(liveDoc) {
    let list = null;
    let position = null;
    return function find(cloneNode, lastLive) {
      if (!list) {
        list = liveTextNodes(liveDoc);
        position = new Map(list.map((n, i) => [n, i]));
      }
      const from = lastLive && position.has(lastLive) ? position.get(lastLive) + 1 : 0;
      for (let i = from; i < list.length; i++) if (list[i].data === cloneNode.data) return list[i];
      for (let i = 0; i < from; i++) if (list[i].data === cloneNode.data) return list[i];
      return null;
    };
  }

  function safeHref(anchor, baseURI) {
    const raw = anchor.getAttribute("href");
    if (!raw) return null;
    try {
      const url = new URL(raw, baseURI);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (_) {
      return null;
    }
  }

  /**
   * Builds the article text from `root` (a node of the clone), mapping each UTF-16 unit back to
   * a live text node. Whitespace collapses the way CSS renders it; blocks become "\n\n", <br> "\n".
   */
  function buildText(root, toLive, baseURI) {
    const parts = [];
    let length = 0;
    const nodes = []; // live text nodes, in the order first used
    const nodeIdx = []; // per code unit: index into nodes, or UNMAPPED for inserted breaks
    const nodeOff = []; // per code unit: offset inside that live node's data
    const links = [];
    const openLinks = [];
    let pendingBreak = "";
    let pendingSpace = null; // {idx, off} of the first collapsed whitespace char
    let lastLive = null;

    function push(str, idx, off) {
      parts.push(str);
      for (let k = 0; k < str.length; k++) {
        nodeIdx.push(idx);
        nodeOff.push(idx === UNMAPPED ? UNMAPPED : off + k);
      }
      length += str.length;
    }

    function beforeVisible() {
      if (length > 0 && pendingBreak) {
        push(pendingBreak, UNMAPPED, 0);
        pendingSpace = null;
      } else if (length > 0 && pendingSpace) {
        push(" ", pendingSpace.idx, pendingSpace.off);
      }
      pendingBreak = "";
      pendingSpace = null;
      for (const link of openLinks) if (link.start === null) link.start = length;
    }

    function emitText(cloneNode, preserve) {
      const live = toLive(cloneNode, lastLive);
      const data = cloneNode.data;
      let idx = UNMAPPED;
      if (live) {
        lastLive = live;
        idx = nodes.length;
        nodes.push(live);
      }
      let i = 0;
      while (i < data.length) {
        const ch = data[i];
        if (!preserve && COLLAPSIBLE.test(ch)) {
          if (!pendingSpace && length > 0) pendingSpace = { idx, off: i };
          i++;
          continue;
        }
        // A run of visible characters is pushed at once.
        let j = i + 1;
        while (j < data.length && (preserve || !COLLAPSIBLE.test(data[j]))) j++;
        beforeVisible();
        push(data.slice(i, j), idx, i);
        i = j;
      }
    }

    function breakWith(kind) {
      if (pendingBreak.length < kind.length) pendingBreak = kind;
    }

    function walk(node, preserve) {
      for (let child = node.firstChild; child; child = child.nextSibling) {
        if (child.nodeType === Node.TEXT_NODE) {
          emitText(child, preserve);
          continue;
        }
        if (child.nodeType !== Node.ELEMENT_NODE) continue;
        const tag = child.localName;
        if (SKIP_TAGS.has(tag) || child.hidden) continue;
        if (tag === "br") {
          breakWith(LINE_BREAK);
          continue;
        }
        const block = BLOCK_TAGS.has(tag);
        if (block) breakWith(PARAGRAPH_BREAK);
        let link = null;
        if (tag === "a") {
          const href = safeHref(child, baseURI);
          if (href) {
            link = { start: null, end: null, href };
            openLinks.push(link);
          }
        }
        walk(child, preserve || PRESERVE_WS_TAGS.has(tag));
        if (link) {
          openLinks.splice(openLinks.indexOf(link), 1);
          if (link.start !== null && length > link.start) {
            link.end = length;
            links.push(link);
          }
        }
        if (block) breakWith(PARAGRAPH_BREAK);
      }
    }

    walk(root, false);
    return {
      text: parts.join(""),
      nodes,
      nodeIdx: Int32Array.from(nodeIdx),
      nodeOff: Int32Array.from(nodeOff),
      links: links.map(({ start, end, href }) => ({ start, end, href })),
    };
  }

  function squashText(text) {
    return String(text || "").replace(/\s+/g, " ").trim();
  }

  /** A short string for `page`: whitespace squashed, cut to `limit` code units (not mid-pair). */
  function bounded(value, limit) {
    let t = squashText(value);
    if (t.length > limit) {
      t = t.slice(0, limit);
      if (/[\ud800-\udbff]$/.test(t)) t = t.slice(0, -1);
    }
    return t;
  }

  function metaContent(doc, selector) {
    const node = doc.querySelector(selector);
    return node ? squashText(node.getAttribute("content")) : "";
  }

  /** Every @type (and the first articleSection) in the page's JSON-LD blocks; malformed blocks are skipped. */
  function jsonLd(doc) {
    const types = [];
    let section = "";
    let visited = 0;
    const addType = (t) => {
      if (typeof t === "string" && t.trim()) types.push(t.trim());
    };
    for (const script of doc.querySelectorAll("script[type]")) {
      if (script.type.trim().toLowerCase() !== "application/ld+json") continue;
      const raw = script.textContent || "";
      if (raw.length > JSONLD_MAX_CHARS) continue;
      let data;
      try {
        data = JSON.parse(raw);
      } catch (_) {
        continue; // malformed JSON-LD is common; it says nothing
      }
      // Breadth first, so the page's own types come before those of its author, publisher, image.
      const queue = [data];
      while (queue.length && visited < JSONLD_MAX_NODES) {
        const node = queue.shift();
        if (!node || typeof node !== "object") continue;
        visited++;
        if (Array.isArray(node)) {
          queue.push(...node);
          continue;
        }
        const t = node["@type"];
        if (Array.isArray(t)) t.forEach(addType);
        else addType(t);
        if (!section) {
          const s = Array.isArray(node.articleSection) ? node.articleSection[0] : node.articleSection;
          if (typeof s === "string") section = squashText(s);
        }
        for (const [key, value] of Object.entries(node)) {
          if (key !== "@type" && value && typeof value === "object") queue.push(value);
        }
      }
    }
    return { types, section };
  }

  // "Opinion:", "Analysis |", "Review ·" -> the word alone.
  const LABEL_TRAILING = /[\s:|\u00b7\u2022\u2014\u2013-]+$/;

  function isLabelWord(text) {
    return LABEL_WORDS.includes(text.replace(LABEL_TRAILING, "").toLowerCase());
  }

  function hintedByName(element) {
    const name = `${typeof element.className === "string" ? element.className : ""} ${element.id || ""}`.toLowerCase();
    return LABEL_CLASS_HINTS.some((hint) => name.includes(hint));
  }

  /** Short genre labels in the article's header area (see LABEL_* above). */
  function headerLabels(doc) {
    const h1 = doc.querySelector("article h1, main h1, [role=main] h1") || doc.querySelector("h1");
    let root = null;
    if (h1) {
      root = h1.closest("header") || h1.parentElement;
      // A wrapper around only the headline: the kicker is usually its sibling one level up.
      if (root && !root.closest("article, main") && root.parentElement && root.parentElement !== doc.body &&
          root.childElementCount <= 2) root = root.parentElement;
    } else {
      root = doc.querySelector("article, main, [role=main]");
    }
    if (!root || root === doc.documentElement) return [];
    const labels = [];
    const seen = new Set();
    const walker = doc.createTreeWalker(root, NodeFilter.SHOW_ELEMENT, {
      acceptNode: (n) => (LABEL_SKIP_TAGS.has(n.localName) || n.hidden ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    let steps = 0;
    for (let node = walker.nextNode(); node && steps < HEADER_MAX_ELEMENTS; node = walker.nextNode(), steps++) {
      const text = squashText(node.textContent);
      if (node.localName === "p" && text.length >= HEADER_END_PARAGRAPH_CHARS) break; // the body starts
      if (!text || text.length > LABEL_MAX_CHARS || (h1 && node.contains(h1))) continue;
      if (!isLabelWord(text) && !hintedByName(node)) continue;
      const label = bounded(text.replace(LABEL_TRAILING, "") || text, PAGE_LIMITS.label);
      if (seen.has(label.toLowerCase())) continue;
      seen.add(label.toLowerCase());
      labels.push(label);
      if (labels.length >= PAGE_LIMITS.labels) break;
    }
    return labels;
  }

  /**
   * What the page declares about itself: {lang, types, section, labels, site_name}, each only
   * when not empty, within the server's limits. Never throws (a page that breaks it sends none).
   */
  function pageInfo(doc) {
    const page = {};
    try {
      const html = doc.documentElement;
      const lang = squashText(html && html.getAttribute("lang")) ||
        metaContent(doc, 'meta[http-equiv="content-language" i]');
      if (lang && lang.length <= PAGE_LIMITS.lang) page.lang = lang; // a longer one is not a language tag
      const ld = jsonLd(doc);
      const ogType = metaContent(doc, 'meta[property="og:type"], meta[name="og:type"]');
      const types = [];
      for (const t of [...ld.types, ogType]) {
        if (t && t.length <= PAGE_LIMITS.type && !types.includes(t)) types.push(t);
      }
      if (types.length) page.types = types.slice(0, PAGE_LIMITS.types);
      const section = metaContent(doc, 'meta[property="article:section"]') || ld.section;
      if (section) page.section = bounded(section, PAGE_LIMITS.section);
      const labels = headerLabels(doc);
      if (labels.length) page.labels = labels;
      const site = metaContent(doc, 'meta[property="og:site_name"]');
      if (site) page.site_name = bounded(site, PAGE_LIMITS.siteName);
    } catch (_) {
      // Only what was collected before the failure is sent.
    }
    return page;
  }

  function countWords(text) {
    const m = text.match(/\S+/g);
    return m ? m.length : 0;
  }

  /**
   * Extracts the article of `liveDoc`. Returns null when Readability finds no article, else
   * {text, title, url, links, page, words, map} where map turns text offsets into live Ranges
   * and page is what the page declares about itself (pageInfo).
   */
  function extractArticle(liveDoc) {
    const cloneDoc = liveDoc.cloneNode(true);
    const pairs = pairTextNodes(liveDoc, cloneDoc);
    const fallback = makeFallbackFinder(liveDoc);
    const toLive = (cloneNode, lastLive) => pairs.get(cloneNode) || fallback(cloneNode, lastLive);
    // The serializer hands back the article element itself: its text nodes are still the
    // clone's nodes, so the pairs above lead back to the live page.
    const article = new global.Readability(cloneDoc, { serializer: (el) => el }).parse();
    if (!article || !article.content) return null;
    const built = buildText(article.content, toLive, liveDoc.baseURI);
    return {
      text: built.text,
      title: (article.title || liveDoc.title || "").trim(),
      url: liveDoc.location ? liveDoc.location.href : "",
      links: built.links,
      page: pageInfo(liveDoc),
      words: countWords(built.text),
      map: { nodes: built.nodes, nodeIdx: built.nodeIdx, nodeOff: built.nodeOff },
    };
  }

  /** The live Range for text[start, end), trimmed to mapped characters; null if none are. */
  function rangeFor(map, start, end) {
    const n = map.nodeIdx.length;
    let s = Math.max(0, start);
    let e = Math.min(n, end) - 1;
    while (s <= e && map.nodeIdx[s] === UNMAPPED) s++;
    while (e >= s && map.nodeIdx[e] === UNMAPPED) e--;
    if (s > e) return null;
    const range = new Range();
    range.setStart(map.nodes[map.nodeIdx[s]], map.nodeOff[s]);
    range.setEnd(map.nodes[map.nodeIdx[e]], map.nodeOff[e] + 1);
    return range;
  }

  /** Indexes of the live nodes a text slice touches (for hover hit-testing). */
  function nodesFor(map, start, end) {
    const found = [];
    let last = UNMAPPED;
    for (let i = Math.max(0, start); i < Math.min(map.nodeIdx.length, end); i++) {
      const idx = map.nodeIdx[i];
      if (idx !== UNMAPPED && idx !== last) {
        found.push(map.nodes[idx]);
        last = idx;
      }
    }
    return found;
  }

  global.SourcelightExtract = Object.freeze({ extractArticle, pageInfo, rangeFor, nodesFor, countWords });
})(globalThis);
