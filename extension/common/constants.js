/* Sourcelight constants shared by the service worker, content scripts, popup and options.
 * Loaded as a classic script everywhere (importScripts, background.scripts, <script>,
 * scripting.executeScript), so it only defines one frozen global. */
"use strict";

(function defineSourcelightConstants(global) {
  if (global.SourcelightConst) return;

  // Every highlight category: a span `label`, and for sources its `source_type`.
  // `id` names the CSS highlight (`sourcelight-<id>`); priority decides which paint wins.
  const CATEGORIES = [
    { id: "source-named_person", label: "source", sourceType: "named_person", name: "Named person",
      background: "#a8d8ff", decoration: "none", priority: 30 },
    { id: "source-named_organization", label: "source", sourceType: "named_organization", name: "Named organisation",
      background: "#b9c6ff", decoration: "none", priority: 30 },
    { id: "source-named_outlet", label: "source", sourceType: "named_outlet", name: "Named news outlet",
      background: "#9ee8c4", decoration: "none", priority: 30 },
    { id: "source-official", label: "source", sourceType: "official", name: "Official (role or institution)",
      background: "#d2ef9f", decoration: "none", priority: 30 },
    { id: "source-document", label: "source", sourceType: "document", name: "Document or data",
      background: "#e2d1ff", decoration: "none", priority: 30 },
    { id: "source-anonymous", label: "source", sourceType: "anonymous", name: "Anonymous source",
      background: "#ffb3b3", decoration: "underline dotted #b00020 2px", priority: 30 },
    { id: "source-vague", label: "source", sourceType: "vague", name: "Vague source",
      background: "#ffd199", decoration: "underline wavy #b35c00 1px", priority: 30 },
    { id: "source-other", label: "source", sourceType: null, name: "Other source",
      background: "#dddddd", decoration: "none", priority: 30 },
    { id: "cue", label: "cue", name: "Attribution cue (said, according to…)",
      background: "transparent", decoration: "underline solid #444 2px", priority: 20 },
    { id: "quote", label: "quote", name: "Direct quote",
      background: "#c8f1f1", decoration: "none", priority: 10 },
    { id: "partial_quote", label: "partial_quote", name: "Partial or scare quote",
      background: "#e3f6f6", decoration: "underline dotted #0b7a7a 1px", priority: 10 },
    // What a source is reported to have said; off unless switched on (it covers much of an article).
    { id: "content", label: "content", name: "What the source said",
      background: "transparent", decoration: "underline dotted #1a73e8 2px", priority: 5, defaultOn: false },
    { id: "hedge", label: "hedge", name: "Hedge or speculation",
      background: "#fff08a", decoration: "none", priority: 20 },
    { id: "unattributed", label: "unattributed", name: "Unattributed claim",
      background: "#ececec", decoration: "underline dashed #777 1px", priority: 0 },
  ];

  const GRADES = {
    strong: { name: "Strong sourcing", color: "#137333" },
    mixed: { name: "Mixed sourcing", color: "#a05a00" },
    weak: { name: "Weak sourcing", color: "#b00020" },
    insufficient: { name: "Too little text to judge", color: "#5f6368" },
    not_applicable: { name: "Not graded (satire)", color: "#5f6368" },
  };

  // summary.genre.label -> the line the panel shows first. Report and other get no line: the
  // score means what it always means. `fromText` replaces `note` when the genre was read from the
  // article's wording rather than declared by the page.
  const GENRES = {
    opinion: { name: "Opinion piece", note: "the score judges the factual claims it rests on, not its argument." },
    analysis: { name: "Analysis", note: "the score judges the sourcing of the facts it interprets, not the interpretation." },
    satire: { name: "Satire", note: "this page says it is satire; the score does not apply to jokes.",
      fromText: "it may be satire (judged from the wording alone, which often errs); the score treats it as reporting." },
  };

  // summary voices (sources[*].role) -> the small tag in "Who says what".
  const ROLES = {
    subject: { name: "subject of the story", title: "A party the story is about: it has a stake in it." },
    independent: { name: "independent", title: "A voice with no stake in the story." },
  };

  const DEFAULT_SERVER_URL = "http://127.0.0.1:8765";

  global.SourcelightConst = Object.freeze({
    API_VERSION: 1,
    DEFAULT_SERVER_URL,
    // The host permissions cover only these hosts; the options page refuses any other.
    LOCAL_HOSTS: ["127.0.0.1", "localhost"],
    START_COMMAND: "make run",
    START_COMMAND_ALT: "sourcelight serve",
    HEALTH_PATH: "/api/v1/health",
    ANALYZE_PATH: "/api/v1/analyze",
    HEALTH_TIMEOUT_MS: 3000,
    ANALYZE_TIMEOUT_MS: 120000,
    // A connection lost mid-request (the server's worker restarted) is tried once more, after this pause.
    RETRY_PAUSE_MS: 500,
    // 503 busy (the server's queue is full): waited out, as its Retry-After says, for at most this
    // long in all (the server's default time budget for one analysis is 30 s).
    BUSY_WAIT_MS: 40000,
    // The content script waits for the service worker at most the server's deadline plus this
    // (messaging, the retry's pause, a health check): no panel state outlives the timeout.
    WATCHDOG_GRACE_MS: 15000,
    // The page's text changed under the analysis: it is read and analysed again this many times.
    REANALYSE_ON_CHANGE: 1,
    // Below this many words no analysis is attempted: nothing useful can be said.
    MIN_ARTICLE_WORDS: 30,

    // "Analyse selected text": the context-menu item and the keyboard command (manifest "commands").
    SELECTION_MENU_ID: "sourcelight-analyse-selection",
    SELECTION_MENU_TITLE: "Analyse selected text",
    SELECTION_COMMAND: "analyse-selection",
    // The menu is offered on web pages only (the extension cannot run in the browser's own pages).
    SELECTION_MENU_PAGES: ["http://*/*", "https://*/*", "file:///*"],

    MSG: Object.freeze({
      HEALTH: "sourcelight/health",
      ANALYSE_TAB: "sourcelight/analyse-tab",
      ANALYZE_TEXT: "sourcelight/analyze-text",
      INSERT_HIGHLIGHT_CSS: "sourcelight/insert-highlight-css",
      SET_DOCK: "sourcelight/set-dock",
      START: "sourcelight/start",
    }),

    STORAGE_DEFAULTS: Object.freeze({
      serverUrl: DEFAULT_SERVER_URL,
      categories: {}, // category id -> on/off; missing means the category's default
      autoSites: [], // "scheme://host" of sites analysed automatically on load
      lastResult: null, // {grade, score, headline, title, url, at}
      panelView: "badge", // how the panel opens: the reader's last choice of PANEL_VIEWS
    }),

    // Files injected into a tab, in order (Readability first; main.js wires them together).
    CONTENT_FILES: [
      "vendor/Readability.js",
      "common/constants.js",
      "content/story-rules.js",
      "content/extract.js",
      "content/selection.js",
      "content/highlight.js",
      "content/overlay.js",
      "content/main.js",
    ],
    AUTO_START_FILE: "content/auto-start.js",
    AUTO_SCRIPT_ID: "sourcelight-auto",

    // The panel opens as a small badge with the grade (click to expand), expanded (floating over
    // the top right of the page) or docked (a column on the right; the page is given the room).
    PANEL_VIEWS: Object.freeze(["badge", "expanded", "docked"]),
    DOCK_WIDTH_PX: 360,

    HIGHLIGHT_PREFIX: "sourcelight-",
    FOCUS_HIGHLIGHT: "sourcelight-focus",
    FOCUS_STYLE: { background: "#202124", color: "#ffffff", priority: 100 },
    // Alt+Shift+N / Alt+Shift+P: next / previous finding (event.code, so any layout works).
    NEXT_KEY_CODE: "KeyN",
    PREV_KEY_CODE: "KeyP",

    CATEGORIES: Object.freeze(CATEGORIES.map((c) => Object.freeze(c))),
    GRADES: Object.freeze(GRADES),
    GENRES: Object.freeze(GENRES),
    ROLES: Object.freeze(ROLES),
  });
})(globalThis);

// Helpers that depend on the constants (kept beside them so every context gets the same rules).
(function defineSourcelightHelpers(global) {
  if (global.SourcelightUtil) return;
  const C = global.SourcelightConst;
  const byId = new Map(C.CATEGORIES.map((c) => [c.id, c]));

  /** Category id for a server span, or null when its label is unknown. */
  function categoryOf(span) {
    if (span.label === "source") {
      const id = "source-" + span.source_type;
      return byId.has(id) ? id : "source-other";
    }
    return byId.has(span.label) ? span.label : null;
  }

  /** Whether a category is shown, given the stored {id: bool} choices. */
  function isCategoryOn(choices, id) {
    const c = byId.get(id);
    if (choices && typeof choices[id] === "boolean") return choices[id];
    return !c || c.defaultOn !== false;
  }

  /** The ::highlight() colours, generated from CATEGORIES so they live in one place. Inserted as a
   * USER stylesheet: its !important rules outrank every author rule, even the page's !important ones. */
  function highlightCss() {
    const rules = C.CATEGORIES.map((c) =>
      `::highlight(${C.HIGHLIGHT_PREFIX}${c.id}) { background-color: ${c.background} !important; ` +
      `text-decoration: ${c.decoration} !important; }`);
    rules.push(`::highlight(${C.FOCUS_HIGHLIGHT}) { background-color: ${C.FOCUS_STYLE.background} !important; }`);
    return rules.join("\n");
  }

  // Matches every element with the specificity of 8 ids, far above any ordinary page rule.
  const EVERY_ELEMENT_STRONGLY = ":is(*, #sl#sl#sl#sl#sl#sl#sl#sl)";

  /** The author-origin half. Chromium paints a ::highlight() only when an author rule decides its
   * `color`: user-origin colours alone paint nothing (measured in Chromium 156). So this sheet sets
   * the text colour (the page's own, or white on the focused finding) at a specificity no ordinary
   * page rule reaches, while the colours stay in the user sheet. */
  function highlightAuthorCss() {
    const rules = C.CATEGORIES.map((c) =>
      `${EVERY_ELEMENT_STRONGLY}::highlight(${C.HIGHLIGHT_PREFIX}${c.id}) { color: currentcolor !important; }`);
    rules.push(`${EVERY_ELEMENT_STRONGLY}::highlight(${C.FOCUS_HIGHLIGHT}) { color: ${C.FOCUS_STYLE.color} !important; }`);
    return rules.join("\n");
  }

  /** Room for the docked panel (a USER stylesheet, so the page cannot take it back): the page lays
   * itself out in the viewport minus the panel's width. */
  function dockCss() {
    return `html { width: auto !important; margin-right: ${C.DOCK_WIDTH_PX}px !important; }`;
  }

  /** True for a server address the extension may talk to (loopback http only). */
  function isLocalServerUrl(value) {
    let url;
    try {
      url = new URL(value);
    } catch (_) {
      return false;
    }
    return url.protocol === "http:" && C.LOCAL_HOSTS.includes(url.hostname) &&
      (url.pathname === "/" || url.pathname === "") && !url.search && !url.hash &&
      !url.username && !url.password;
  }

  /** "http://127.0.0.1:8765/" -> "http://127.0.0.1:8765" */
  function normaliseServerUrl(value) {
    return new URL(value).origin;
  }

  global.SourcelightUtil = Object.freeze({
    categoryOf,
    categoryById: (id) => byId.get(id),
    isCategoryOn,
    highlightCss,
    highlightAuthorCss,
    dockCss,
    isLocalServerUrl,
    normaliseServerUrl,
  });
})(globalThis);
