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

  /** clone node -> live node (text nodes and elements), by walking both trees in lockstep (same shape). */
  function pairNodes(liveDoc, cloneDoc) {
    const pairs = new WeakMap();
    const live = liveDoc.createTreeWalker(liveDoc.documentElement, NodeFilter.SHOW_ALL);
    const clone = cloneDoc.createTreeWalker(cloneDoc.documentElement, NodeFilter.SHOW_ALL);
    let l = live.currentNode;
    let c = clone.currentNode;
    while (l && c) {
      if (l.nodeType === c.nodeType && (l.nodeType === Node.TEXT_NODE || l.nodeType === Node.ELEMENT_NODE)) pairs.set(c, l);
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

  // ---- Story only: what is not the story is found before Readability and dropped from what it
  // returns (rules and vocabulary: story-rules.js; docs/extension.md) ----

  const RULES = global.SourcelightStoryRules;
  // Set on the clone only (never the live page): why an element is not the story.
  const STORY_TAG = "data-sourcelight-story";
  const LINE_TAGS = new Set(["p", "li", "dd", "dt"]);
  const BOX_CONTAINER_TAGS = new Set(["div", "section", "ul", "ol", "table", "dl", "article", "aside"]);
  const HEADING_TAGS = new Set(["h1", "h2", "h3", "h4", "h5", "h6"]);
  const MEDIA_TAGS = new Set(["img", "picture", "video", "canvas", "svg", "iframe"]);
  const MEDIA_BOX_TAGS = new Set(["div", "span", "section", "a"]);
  const CAPTION_LIMITS = Object.freeze({ items: 50, chars: 500 });

  /** A vocabulary as whole words: "most-read" matches the words "most read" or the word "mostread". */
  function vocabulary(entries) {
    const single = new Set();
    const multi = [];
    for (const entry of entries) {
      if (entry.includes("-")) multi.push(`-${entry}-`);
      single.add(entry.replace(/-/g, ""));
    }
    const long = Array.from(single).filter((w) => w.length >= RULES.substringMin);
    const inside = long.length ? new RegExp(long.join("|")) : null;
    return { single, multi, inside, seen: new Map() };
  }
  const VOCAB = RULES && {
    box: vocabulary(RULES.boxWords),
    caption: vocabulary(RULES.captionWords),
    credit: vocabulary(RULES.creditWords),
    meta: vocabulary(RULES.metaWords),
    pull: vocabulary(RULES.pullQuoteWords),
    label: vocabulary(RULES.boxLabelWords),
  };

  /** "EmailOptin most-read_box" -> ["email", "optin", "most", "read", "box"]. A name that states
   * what an element has or lacks ("has-caption", "no_caption", "with-share") says nothing of what it is. */
  const nameWordsSeen = new Map();
  function nameWords(value) {
    const key = String(value || "");
    if (!nameWordsSeen.has(key)) nameWordsSeen.set(key, splitName(key));
    return nameWordsSeen.get(key);
  }

  function splitName(value) {
    return value.split(/\s+/).filter((name) => !/^(has|no|with|without|is|show|hide)[-_]/i.test(name))
      .join(" ").replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  }

  function hits(words, vocab) {
    if (!words.length) return false;
    const joined = `-${words.join("-")}-`;
    let hit = vocab.seen.get(joined); // pages repeat the same class names many times
    if (hit === undefined) {
      hit = words.some((w) => vocab.single.has(w) || (vocab.inside && w.length > RULES.substringMin && vocab.inside.test(w) &&
        !RULES.substringNot.some((not) => w.includes(not)))) ||
        vocab.multi.some((m) => joined.includes(m));
      vocab.seen.set(joined, hit);
    }
    return hit;
  }

  /** Characters (not whitespace) in every element: all, inside links, number of links, embeds. */
  function measure(root, isEmbed) {
    const stats = new Map();
    function visit(el) {
      const st = { chars: 0, linkChars: 0, links: 0, embed: false, media: MEDIA_TAGS.has(el.localName), quote: false };
      const isLink = el.localName === "a" && el.hasAttribute("href");
      if (isLink) st.links = 1;
      if (isEmbed(el)) st.embed = true;
      for (let child = el.firstChild; child; child = child.nextSibling) {
        if (child.nodeType === Node.TEXT_NODE) {
          const n = child.data.replace(/\s+/g, "").length;
          st.chars += n;
          if (isLink) st.linkChars += n;
        } else if (child.nodeType === Node.ELEMENT_NODE && MEDIA_TAGS.has(child.localName)) {
          st.media = true;
        } else if (child.nodeType === Node.ELEMENT_NODE && !SKIP_TAGS.has(child.localName)) {
          const c = visit(child);
          st.chars += c.chars;
          st.linkChars += isLink ? c.chars : c.linkChars;
          st.links += c.links;
          st.embed = st.embed || c.embed;
          st.media = st.media || c.media;
          st.quote = st.quote || c.quote || child.localName === "blockquote";
        }
      }
      stats.set(el, st);
      return st;
    }
    visit(root);
    return stats;
  }

  /** Whether the live element is not rendered: display:none, visibility:hidden, opacity 0,
   * aria-hidden, zero size with its overflow clipped, or placed far off-screen. When an ancestor
   * that had to stay (the page hides itself while its scripts load) is hidden, only the element's
   * own hiding counts. */
  function notRendered(live, underHidden, small) {
    if (live.getAttribute("aria-hidden") === "true") return true;
    const view = live.ownerDocument.defaultView;
    if (!underHidden && typeof live.checkVisibility === "function") {
      if (!live.checkVisibility({ visibilityProperty: true, opacityProperty: true }) &&
          view.getComputedStyle(live).display !== "contents") return true;
    } else if (!live.getClientRects().length && view.getComputedStyle(live).display !== "contents") {
      return true;
    }
    // Zero size and off-screen: checked for short texts only (screen-reader labels, off-screen
    // copies); a long hidden text would be collapsed story, which stays anyway.
    if (!small) return false;
    const box = live.getBoundingClientRect();
    if (box.width < 2 || box.height < 2) {
      const style = view.getComputedStyle(live);
      if (/hidden|clip/.test(style.overflowX + style.overflowY)) return true;
    }
    return box.right + view.scrollX < -100 || box.bottom + view.scrollY < -100;
  }

  function firstText(el) {
    const walker = el.ownerDocument.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const t = squashText(n.data);
      if (t) return t;
    }
    return "";
  }

  function hasBlockChild(el) {
    for (let c = el.firstElementChild; c; c = c.nextElementSibling) if (BLOCK_TAGS.has(c.localName)) return true;
    return false;
  }

  /** Why `el` (of the clone, not yet cleared) is not the story, or "" when it may be. */
  function reasonFor(el, st, inQuote, inParagraph) {
    const tag = el.localName;
    const quoteLike = st.quote;
    const words = nameWords(`${el.getAttribute("class") || ""} ${el.id || ""}`);
    // Captions and photo credits (a figure's caption under a quote is the quote's source: story).
    const captionLike = tag === "figcaption" ? !el.parentElement.querySelector("blockquote")
      : hits(words, VOCAB.caption) && st.chars <= 600 && !el.querySelector("h1, h2, h3, h4, h5, h6");
    if (!inQuote && captionLike) {
      return hits(words, VOCAB.credit) ? "credit" : "caption";
    }
    if (hits(words, VOCAB.pull)) return "pull";
    // Inside a paragraph only a caption's class counts: a link's class ("keywords"), a link wrapped
    // in a span or a link around an icon says nothing about the story.
    if (inParagraph) return "";
    if (!inQuote && st.chars <= 600 && isMediaCaption(el, st)) return "caption";
    if (!st.embed && !inQuote && !quoteLike) {
      if (RULES.boxTags.includes(tag)) return "box";
      const role = (el.getAttribute("role") || "").toLowerCase();
      if (role && RULES.boxRoles.includes(role)) return "box";
      if (hits(nameWords(el.getAttribute("aria-label")), VOCAB.label)) return "box";
      if (hits(words, VOCAB.box)) return "box";
    }
    const text = st.chars <= 400 ? squashText(el.textContent) : null;
    if (tag === "header" || tag === "h1") return "meta";
    if (text !== null && hits(words, VOCAB.meta) && countWords(text) <= RULES.metaMaxWords) return "meta";
    if (!st.embed && BOX_CONTAINER_TAGS.has(tag) && hasBlockChild(el)) {
      const lead = firstText(el);
      if (lead.length < st.chars && RULES.adLabel.test(lead)) return "box";
    }
    if (st.embed || !st.chars || HEADING_TAGS.has(tag) || tag === "blockquote") return "";
    const linkShare = st.linkChars / st.chars;
    const line = LINE_TAGS.has(tag) || (tag === "div" && !hasBlockChild(el));
    if (line && linkShare >= RULES.lineLinkShare) return "links";
    if (BOX_CONTAINER_TAGS.has(tag) && linkShare >= RULES.boxLinkShare && st.links >= RULES.boxMinLinks) return "links";
    if (text !== null && line) {
      if (tag === "p" && st.links && /^\[.*\]$/.test(text)) return "links"; // "[Read: …]" promos
      if (RULES.boilerplate.some((re) => re.test(text))) return "box";
    }
    return "";
  }

  /** A picture's caption without a figure: a box holding a picture and a short text with no
   * paragraph, list or heading of its own, or a one-item list right after a figure. */
  function isMediaCaption(el, st) {
    const tag = el.localName;
    if ((tag === "ul" || tag === "ol") && el.children.length === 1) {
      const prev = el.previousElementSibling;
      return Boolean(prev && (prev.localName === "figure" || (MEDIA_TAGS.has(prev.localName))));
    }
    return MEDIA_BOX_TAGS.has(tag) && st.media && !el.querySelector("p, li, h1, h2, h3, h4, h5, h6, blockquote, table") &&
      countWords(el.textContent) <= RULES.mediaCaptionMaxWords;
  }

  /** A short line ending in ":" or a heading right before a removed box is that box's label. */
  function tagLabelBefore(el) {
    const prev = el.previousElementSibling;
    if (!prev || prev.hasAttribute(STORY_TAG)) return;
    const text = squashText(prev.textContent);
    if (text && countWords(text) <= RULES.labelMaxWords && (text.endsWith(":") || HEADING_TAGS.has(prev.localName))) {
      prev.setAttribute(STORY_TAG, "label");
    }
  }

  /**
   * Before Readability, on the clone: removes what the reader cannot see and tags (STORY_TAG) what
   * is not the story, so that keepStory() can drop it from the article Readability finds. An element
   * holding guardShare of the page's text outside links is never removed or tagged.
   * Returns {embeds, tagged, pulled, nextOf}: the embedded posts found, the verdicts by live text
   * node, the live text of pull quotes, and where each block sat.
   */
  function markNonStory(cloneDoc, pairs) {
    const body = cloneDoc.body;
    if (!RULES || !body) return { embeds: [], tagged: new Map(), pulled: new Set(), nextOf: new WeakMap() };
    nameWordsSeen.clear(); // the caches hold one page's class names at a time
    for (const vocab of Object.values(VOCAB)) vocab.seen.clear();
    const isEmbed = (el) => el.matches(RULES.embedQuotes);
    const stats = measure(body, isEmbed);
    const bodyStats = stats.get(body);
    const guard = RULES.guardShare * (bodyStats.chars - bodyStats.linkChars);
    const embeds = [];
    const kept = (st) => st.chars - st.linkChars >= guard;

    function visit(parent, underHidden, inQuote, inParagraph) {
      for (let el = parent.firstElementChild, next; el; el = next) {
        next = el.nextElementSibling;
        const st = stats.get(el);
        if (!st || (!st.chars && !st.embed)) continue;
        let hidden = underHidden;
        const live = pairs.get(el);
        const plain = st.chars - st.linkChars;
        if (live && notRendered(live, underHidden, plain < RULES.hiddenProseChars)) {
          if (!kept(st) && plain < RULES.hiddenProseChars) {
            el.remove();
            continue;
          }
          hidden = true; // collapsed story or a page hidden while it loads: its text stays
        }
        if (isEmbed(el)) {
          embeds.push({ el, anchor: null, first: null }); // anchor, first: live text nodes
          continue;
        }
        const why = kept(st) ? "" : reasonFor(el, st, inQuote, inParagraph);
        if (why) {
          el.setAttribute(STORY_TAG, why);
          if (why === "box" || why === "links") tagLabelBefore(el);
        }
        // Inside a tagged element too: Readability may pick the story from within it.
        visit(el, hidden, inQuote || el.localName === "blockquote", inParagraph || el.localName === "p");
      }
    }
    visit(body, false, false, false);
    // Readability moves text nodes but may replace the elements around them (a div holding one
    // paragraph becomes that paragraph), so the verdicts are also kept per text node: the nearest
    // tagged element for each, and the text of pull quotes apart.
    // Keyed by the live twin: Readability's retry re-parses the page and makes new text nodes.
    const tagged = new Map();
    const pulled = new Set();
    for (const el of body.querySelectorAll(`[${STORY_TAG}]`)) { // outer before inner: inner wins
      const pull = el.getAttribute(STORY_TAG) === "pull";
      const walker = cloneDoc.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const live = pairs.get(n);
        if (!live) continue;
        if (pull) pulled.add(live);
        else tagged.set(live, el);
      }
    }
    // Where each block sat: Readability moves the blocks it keeps, so this still tells which short
    // lines it left out between two of them (restoreGaps).
    const nextOf = new WeakMap();
    for (const el of body.querySelectorAll("p, blockquote, div, ul, ol, h2, h3, h4, h5, h6, figure, hr, table")) {
      if (el.nextElementSibling) nextOf.set(el, el.nextElementSibling);
    }
    // The text just before each embedded post: the post belongs to the story when that text does.
    const walker = cloneDoc.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    for (const embed of embeds) {
      walker.currentNode = embed.el;
      for (let n = walker.previousNode(); n; n = walker.previousNode()) {
        if (n.data.trim()) {
          embed.anchor = pairs.get(n);
          break;
        }
      }
      const inside = cloneDoc.createTreeWalker(embed.el, NodeFilter.SHOW_TEXT);
      for (let n = inside.nextNode(); n && !embed.first; n = inside.nextNode()) if (n.data.trim()) embed.first = pairs.get(n);
      // Readability trims what it keeps (a post's short paragraph, its links): a copy made now,
      // its text nodes paired with the same live nodes, is what goes back.
      embed.copy = embed.el.cloneNode(true);
      const from = cloneDoc.createTreeWalker(embed.el, NodeFilter.SHOW_ALL);
      const to = cloneDoc.createTreeWalker(embed.copy, NodeFilter.SHOW_ALL);
      for (let a = from.currentNode, b = to.currentNode; a && b; a = from.nextNode(), b = to.nextNode()) {
        if (pairs.has(a)) pairs.set(b, pairs.get(a));
      }
    }
    return { embeds, tagged, pulled, nextOf };
  }

  function wordKey(text) {
    return (String(text).toLowerCase().match(/[\p{L}\p{N}]+/gu) || []).join(" ");
  }

  function closestBlock(node, root) {
    let el = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    while (el && el !== root && !BLOCK_TAGS.has(el.localName)) el = el.parentElement;
    return el;
  }

  /** Quotes sent once: a pull quote, blockquote or aside whose words appear in another block goes
   * (it may trim the sentence it repeats: a run of 80% of its words is enough). */
  function dropDuplicates(root, pulled) {
    const blocks = [];
    const seen = new Set();
    const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const block = closestBlock(n, root);
      if (!n.data.trim() || !block || block === root || seen.has(block)) continue;
      seen.add(block);
      blocks.push(block);
    }
    const keys = blocks.map((b) => wordKey(b.textContent));
    const quote = blocks.map((b) => Boolean(b.closest(`blockquote, aside, [${STORY_TAG}="pull"]`)) ||
      Array.from(b.childNodes).some((n) => pulled.has(n) || (n.firstChild && pulled.has(n.firstChild))));
    const starts = [];
    let all = "\n";
    for (const key of keys) {
      starts.push(all.length);
      all += key + "\n";
    }
    const drop = new Set();
    // Index of another block (not i, not around it, not dropped) whose words contain `words`.
    function elsewhere(i, words) {
      for (let at = all.indexOf(words); at >= 0; at = all.indexOf(words, at + 1)) {
        if (!/[ \n]/.test(all[at - 1]) || !/[ \n]/.test(all[at + words.length])) continue; // whole words only
        let j = 0;
        while (j + 1 < starts.length && starts[j + 1] <= at) j++;
        if (j !== i && !drop.has(j) && !blocks[j].contains(blocks[i]) && !blocks[i].contains(blocks[j])) return j;
      }
      return -1;
    }
    blocks.forEach((block, i) => {
      // Only a quote box goes: a paragraph may repeat a line the story quoted before, and a story
      // may repeat a paragraph on purpose.
      const words = keys[i].split(" ");
      if (!quote[i] || HEADING_TAGS.has(block.localName) || words.length < RULES.duplicateMinWords) return;
      const j = elsewhere(i, keys[i]);
      if (j >= 0 && (!quote[j] || keys[j].length > keys[i].length || j < i)) {
        drop.add(i);
        return;
      }
      const slack = Math.floor(words.length / 5);
      for (let cut = 1; cut <= slack; cut++) {
        for (let head = 0; head <= cut; head++) {
          const k = elsewhere(i, words.slice(head, words.length - (cut - head)).join(" "));
          if (k >= 0 && !quote[k]) {
            drop.add(i);
            return;
          }
        }
      }
    });
    for (const i of drop) blocks[i].remove();
  }

  /** Embedded posts whole, as the page shows them: one Readability trimmed is put back as it was,
   * one it dropped goes back after its preceding text when it kept that text. `rootOf`: live text
   * node -> its node in the article. */
  function restoreEmbeds(root, embeds, rootOf) {
    const lastAfter = new Map();
    for (const { el, copy, anchor, first } of embeds) {
      for (const tagged of copy.querySelectorAll(`[${STORY_TAG}]`)) tagged.removeAttribute(STORY_TAG);
      if (root.contains(el)) {
        el.replaceWith(copy);
        continue;
      }
      const kept = first && rootOf.get(first);
      const at = anchor && rootOf.get(anchor);
      if ((kept && root.contains(kept)) || !at || !root.contains(at)) continue;
      const block = closestBlock(at, root);
      if (!block || block === root) continue;
      (lastAfter.get(block) || block).after(copy);
      lastAfter.set(block, copy);
    }
  }

  /** Readability keeps a short sibling paragraph only when it ends a sentence, so a line like
   * "Let's start by parsing that tweet:" or a quoted fragment between two kept paragraphs is lost.
   * Untagged paragraphs and quotes that sat between two blocks it kept go back in. */
  function restoreGaps(root, nextOf) {
    for (const kept of Array.from(root.querySelectorAll("p, blockquote, div, ul, ol, h2, h3, h4, h5, h6, figure, hr, table"))) {
      const gap = [];
      let next = nextOf.get(kept);
      for (let steps = 0; next && !root.contains(next) && steps < RULES.gapMaxSteps; steps++, next = nextOf.get(next)) {
        const text = squashText(next.textContent);
        if (!text || next.localName === "hr" || next.hasAttribute(STORY_TAG) || next.querySelector(`[${STORY_TAG}]`)) continue;
        if (!/^(p|blockquote)$/.test(next.localName) || countWords(text) > RULES.gapMaxWords) {
          gap.length = 0;
          break;
        }
        gap.push(next);
      }
      if (next && root.contains(next) && gap.length) kept.after(...gap);
    }
  }

  /** Notes at the end (an author's tagline, "This article originally appeared on…", a promo):
   * trailing paragraphs whose words outside links are all in italics or bold, with a link. */
  function dropTrailingNotes(root) {
    const blocks = Array.from(root.querySelectorAll("p, div")).filter((b) => !b.querySelector("p, div") && squashText(b.textContent));
    for (let i = blocks.length - 1; i >= 0; i--) {
      const b = blocks[i];
      const walker = root.ownerDocument.createTreeWalker(b, NodeFilter.SHOW_TEXT);
      let plain = false;
      for (let n = walker.nextNode(); n && !plain; n = walker.nextNode()) {
        const up = n.parentElement;
        plain = /[\p{L}\p{N}]/u.test(n.data) && !(up !== b && up.closest("a, em, i, b, strong, small") && b.contains(up.closest("a, em, i, b, strong, small")));
      }
      if (plain || !b.querySelector("a[href]") || countWords(b.textContent) > RULES.noteMaxWords) return;
      b.remove();
    }
  }

  const DECLARED_BODY = '[itemprop~="articleBody" i], [property~="articleBody" i]';

  /** When the page marks its story (schema.org articleBody) and the marked part holds most of the
   * article, what lies outside it (headline area, author box, print edition notes) is not the story. */
  function keepDeclaredBody(root, rootChars) {
    if (root.closest(DECLARED_BODY)) return;
    const bodies = Array.from(root.querySelectorAll(DECLARED_BODY)).filter((b, _, all) => !all.some((o) => o !== b && o.contains(b)));
    const chars = bodies.reduce((n, b) => n + squashText(b.textContent).length, 0);
    if (!bodies.length || chars < rootChars / 2) return;
    (function prune(node) {
      for (const child of Array.from(node.childNodes)) {
        if (bodies.includes(child)) continue;
        if (bodies.some((b) => child.contains(b))) prune(child);
        else child.remove();
      }
    })(root);
  }

  /**
   * After Readability, on the article element: takes out captions and credits (returned as
   * {kind, text}), drops what markNonStory tagged, figures' labels, the headline, duplicates;
   * puts back quoted embeds. Returns {captions, linkItems}: headings that are wholly a link (a
   * home page's teasers), for notAnArticle.
   */
  function keepStory(root, marked, toLive) {
    const captions = [];
    let linkItems = 0;
    if (!RULES) return { captions, linkItems };
    const rootChars = squashText(root.textContent).length;
    // What markNonStory tagged, by the live twin of each text node (then by attribute).
    const groups = new Map();
    const rootOf = new Map();
    const pulled = new Set();
    const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let last = null;
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const live = toLive(n, last);
      if (!live) continue;
      last = live;
      rootOf.set(live, n);
      if (marked.pulled.has(live)) pulled.add(n);
      const el = marked.tagged.get(live);
      if (el) groups.has(el) ? groups.get(el).push(n) : groups.set(el, [n]);
    }
    for (const el of root.querySelectorAll(`[${STORY_TAG}]:not([${STORY_TAG}="pull"])`)) {
      if (root.contains(el) && !groups.has(el)) groups.set(el, [el]);
    }
    for (const [el, nodes] of groups) {
      const text = squashText(nodes.map((n) => n.textContent).join(" "));
      if (!text || text.length > rootChars / 2) continue; // never the bulk of the article
      const why = el.getAttribute(STORY_TAG);
      if ((why === "caption" || why === "credit") && captions.length < CAPTION_LIMITS.items &&
          !captions.some((c) => c.text === text)) {
        captions.push({ kind: why, text: bounded(text, CAPTION_LIMITS.chars) });
      }
      for (const n of nodes) n.remove();
    }
    restoreGaps(root, marked.nextOf);
    keepDeclaredBody(root, rootChars);
    // Teasers: headings that are wholly a link, outside the boxes just dropped.
    for (const h of root.querySelectorAll("h1, h2, h3, h4, h5, h6")) {
      const t = squashText(h.textContent);
      const linked = Array.from(h.querySelectorAll("a[href]")).reduce((n, a) => n + squashText(a.textContent).length, 0);
      if (countWords(t) >= 2 && linked >= 0.9 * t.length) linkItems++;
    }
    // What is left in a figure is a label ("Image", "Photo"), unless the figure holds a quote,
    // a table or code.
    for (const fig of root.querySelectorAll("figure")) {
      if (!fig.querySelector("blockquote, table, pre, code")) fig.remove();
    }
    dropTrailingNotes(root);
    restoreEmbeds(root, marked.embeds, rootOf);
    dropDuplicates(root, pulled);
    return { captions, linkItems };
  }

  /** A reason when the page is a list of links (a home or section page), not an article. */
  function notAnArticle(story, words) {
    if (!RULES || story.linkItems < RULES.listMinItems || words >= story.linkItems * RULES.listWordsPerItem) return "";
    return `It is a list of links to other articles (${story.linkItems} linked headlines with ${words} words of text between them). ` +
      "Open one of the articles and analyse that.";
  }

  // Scripts written without spaces between words: their words are counted with Intl.Segmenter.
  const UNSPACED = /[\u0E00-\u0EFF\u1000-\u109F\u1780-\u17FF\u3040-\u30FF\u31F0-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFF66-\uFF9F]/;
  const UNSPACED_ALL = new RegExp(UNSPACED.source, "g");
  const segmenter = typeof Intl === "object" && typeof Intl.Segmenter === "function"
    ? new Intl.Segmenter(undefined, { granularity: "word" }) : null;

  /** Words: space-separated tokens; a token in a script without spaces (Japanese, Chinese, Thai…)
   * counts its word-like segments (without Intl.Segmenter: its characters). */
  function countWords(text) {
    let n = 0;
    for (const token of String(text).match(/\S+/g) || []) {
      if (!UNSPACED.test(token)) n++;
      else if (segmenter) {
        for (const seg of segmenter.segment(token)) if (seg.isWordLike) n++;
      } else n += token.match(UNSPACED_ALL).length;
    }
    return n;
  }

  /**
   * Extracts the article of `liveDoc`. Returns null when Readability finds no article, else
   * {text, title, url, links, page, words, captions, map} where map turns text offsets into live
   * Ranges, page is what the page declares about itself (pageInfo) and captions are the figure
   * captions and photo credits kept out of `text` ({kind: "caption"|"credit", text}); with
   * `notArticle` (a sentence) when the page is a list of links rather than an article.
   */
  function extractArticle(liveDoc) {
    const cloneDoc = liveDoc.cloneNode(true);
    const pairs = pairNodes(liveDoc, cloneDoc);
    const fallback = makeFallbackFinder(liveDoc);
    const toLive = (cloneNode, lastLive) => pairs.get(cloneNode) || fallback(cloneNode, lastLive);
    // The story rules never cost the article: if they fail on a strange page, Readability's
    // article is sent as it is.
    let marked = { embeds: [], tagged: new Map(), pulled: new Set(), nextOf: new WeakMap() };
    try {
      marked = markNonStory(cloneDoc, pairs);
    } catch (_) { /* keep the empty verdicts */ }
    // The serializer hands back the article element itself: its text nodes are still the
    // clone's nodes, so the pairs above lead back to the live page.
    const article = new global.Readability(cloneDoc, { serializer: (el) => el }).parse();
    if (!article || !article.content) return null;
    let story = { captions: [], linkItems: 0 };
    try {
      story = keepStory(article.content, marked, toLive);
    } catch (_) { /* what was dropped before the failure stays dropped */ }
    const built = buildText(article.content, toLive, liveDoc.baseURI);
    const words = countWords(built.text);
    const result = {
      text: built.text,
      title: (article.title || liveDoc.title || "").trim(),
      url: liveDoc.location ? liveDoc.location.href : "",
      links: built.links,
      page: pageInfo(liveDoc),
      words,
      captions: story.captions,
      map: { nodes: built.nodes, nodeIdx: built.nodeIdx, nodeOff: built.nodeOff },
    };
    const notArticle = notAnArticle(story, words);
    if (notArticle) result.notArticle = notArticle;
    return result;
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
