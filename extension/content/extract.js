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

  function countWords(text) {
    const m = text.match(/\S+/g);
    return m ? m.length : 0;
  }

  /**
   * Extracts the article of `liveDoc`. Returns null when Readability finds no article, else
   * {text, title, url, links, words, map} where map turns text offsets into live Ranges.
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

  global.SourcelightExtract = Object.freeze({ extractArticle, rangeFor, nodesFor, countWords });
})(globalThis);
