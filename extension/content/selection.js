/* "Analyse selected text": the text of the reader's selection, with the same text -> live DOM map
 * as SourcelightExtract.extractArticle builds for an article, so only the selection is sent and
 * every highlight lands inside it. It reads the live page (not a clone), so rendering decides:
 * elements that are not displayed are skipped, block boxes become "\n\n", <br> "\n", and
 * whitespace collapses unless the element's white-space keeps it. No chrome.* API is used here. */
"use strict";

(function defineSelection(global) {
  if (global.SourcelightSelection) return;
  const X = global.SourcelightExtract;

  const SKIP_TAGS = new Set(["script", "style", "noscript", "template", "textarea", "select", "input", "button"]);
  const COLLAPSIBLE = /[ \t\n\r\f]/;
  const PRESERVED_WHITE_SPACE = /^(pre|pre-wrap|break-spaces)$/;
  const PARAGRAPH_BREAK = "\n\n";
  const LINE_BREAK = "\n";
  const UNMAPPED = -1;

  function safeHref(anchor) {
    try {
      const url = new URL(anchor.getAttribute("href") || "", anchor.baseURI);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (_) {
      return null;
    }
  }

  function elementOf(node) {
    return node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
  }

  /** Text of `ranges` (in order) and the per-UTF-16-unit map to the live text nodes. */
  function textOf(ranges) {
    const parts = [];
    const nodes = [];
    const nodeIdx = [];
    const nodeOff = [];
    const links = [];
    const openLinks = [];
    let length = 0;
    let pendingBreak = "";
    let pendingSpace = null; // {idx, off} of the first collapsed whitespace character

    function push(str, idx, off) {
      parts.push(str);
      for (let k = 0; k < str.length; k++) {
        nodeIdx.push(idx);
        nodeOff.push(idx === UNMAPPED ? UNMAPPED : off + k);
      }
      length += str.length;
    }

    function beforeVisible() {
      if (length > 0 && pendingBreak) push(pendingBreak, UNMAPPED, 0);
      else if (length > 0 && pendingSpace) push(" ", pendingSpace.idx, pendingSpace.off);
      pendingBreak = "";
      pendingSpace = null;
      for (const link of openLinks) if (link.start === null) link.start = length;
    }

    function breakWith(kind) {
      if (pendingBreak.length < kind.length) pendingBreak = kind;
    }

    /** data[from, to) of a live text node. */
    function emit(node, from, to, preserve) {
      const idx = nodes.length;
      nodes.push(node);
      const data = node.data;
      let i = from;
      while (i < to) {
        if (!preserve && COLLAPSIBLE.test(data[i])) {
          if (!pendingSpace && length > 0) pendingSpace = { idx, off: i };
          i++;
          continue;
        }
        let j = i + 1;
        while (j < to && (preserve || !COLLAPSIBLE.test(data[j]))) j++;
        beforeVisible();
        push(data.slice(i, j), idx, i);
        i = j;
      }
    }

    function emitPart(text, range, preserve) {
      const from = text === range.startContainer ? range.startOffset : 0;
      const to = text === range.endContainer ? range.endOffset : text.data.length;
      if (to > from) emit(text, from, to, preserve);
    }

    function openLink(anchor) {
      const href = safeHref(anchor);
      if (!href) return null;
      const link = { start: null, end: null, href };
      openLinks.push(link);
      return link;
    }

    function closeLink(link) {
      openLinks.splice(openLinks.indexOf(link), 1);
      if (link.start !== null && length > link.start) {
        link.end = length;
        links.push(link);
      }
    }

    function walk(node, range, preserve) {
      for (let child = node.firstChild; child; child = child.nextSibling) {
        if (!range.intersectsNode(child)) continue;
        if (child.nodeType === Node.TEXT_NODE) {
          emitPart(child, range, preserve);
          continue;
        }
        if (child.nodeType !== Node.ELEMENT_NODE || SKIP_TAGS.has(child.localName)) continue;
        const style = global.getComputedStyle(child);
        if (style.display === "none") continue;
        if (child.localName === "br") {
          breakWith(LINE_BREAK);
          continue;
        }
        const block = !style.display.startsWith("inline") && style.display !== "contents";
        if (block) breakWith(PARAGRAPH_BREAK);
        const link = child.localName === "a" ? openLink(child) : null;
        walk(child, range, preserve || PRESERVED_WHITE_SPACE.test(style.whiteSpace));
        if (link) closeLink(link);
        if (block) breakWith(PARAGRAPH_BREAK);
      }
    }

    for (const range of ranges) {
      breakWith(PARAGRAPH_BREAK); // between ranges (Firefox allows several)
      const root = range.commonAncestorContainer;
      const parent = elementOf(root);
      if (!parent) continue;
      const preserve = PRESERVED_WHITE_SPACE.test(global.getComputedStyle(parent).whiteSpace);
      // A selection inside a link: the link is open from the start.
      const around = parent.closest("a[href]");
      const link = around ? openLink(around) : null;
      if (root.nodeType === Node.TEXT_NODE) emitPart(root, range, preserve);
      else walk(root, range, preserve);
      if (link) closeLink(link);
    }
    return {
      text: parts.join(""),
      links: links.map(({ start, end, href }) => ({ start, end, href })),
      map: { nodes, nodeIdx: Int32Array.from(nodeIdx), nodeOff: Int32Array.from(nodeOff) },
    };
  }

  /** The reader's selection as copies (live Ranges: they follow later changes to the page). */
  function selectedRanges(doc) {
    const selection = doc.getSelection();
    const ranges = [];
    for (let i = 0; selection && i < selection.rangeCount; i++) {
      const range = selection.getRangeAt(i);
      if (!range.collapsed) ranges.push(range.cloneRange());
    }
    return ranges;
  }

  /** {text, title, url, links, page, words, map} for `ranges`, like extractArticle's. */
  function extractSelection(doc, ranges) {
    const built = textOf(ranges);
    return {
      text: built.text,
      title: (doc.title || "").trim(),
      url: doc.location ? doc.location.href : "",
      links: built.links,
      page: X.pageInfo(doc),
      words: X.countWords(built.text),
      map: built.map,
    };
  }

  global.SourcelightSelection = Object.freeze({ selectedRanges, extractSelection });
})(globalThis);
