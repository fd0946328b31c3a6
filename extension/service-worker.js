/* Sourcelight service worker (Chromium) / background script (Firefox).
 * The only part of the extension that uses the network, and only to the local server. */
"use strict";

// Chromium loads just this file as a worker; Firefox lists constants.js first in background.scripts.
if (typeof SourcelightConst === "undefined" && typeof importScripts === "function") {
  importScripts("common/constants.js");
}

const C = SourcelightConst;
const U = SourcelightUtil;

async function settings() {
  return chrome.storage.local.get(C.STORAGE_DEFAULTS);
}

/** fetch with a deadline; rejects with {kind} errors the content script knows how to explain. */
async function callServer(serverUrl, path, init, timeoutMs) {
  if (!U.isLocalServerUrl(serverUrl)) throw { kind: "bad_url", serverUrl };
  const base = U.normaliseServerUrl(serverUrl);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let response;
  try {
    response = await fetch(base + path, { ...init, signal: controller.signal, credentials: "omit", cache: "no-store" });
  } catch (err) {
    throw { kind: controller.signal.aborted ? "timeout" : "unreachable", serverUrl: base, message: String(err) };
  } finally {
    clearTimeout(timer);
  }
  let body = null;
  try {
    body = await response.json();
  } catch (_) {
    body = null;
  }
  if (!response.ok) {
    const e = (body && body.error) || {};
    throw { kind: "http", serverUrl: base, status: response.status,
      code: typeof e.code === "string" ? e.code : "", message: typeof e.message === "string" ? e.message : "",
      field: typeof e.field === "string" ? e.field : "",
      retryAfterS: Number.parseInt(response.headers.get("Retry-After") || "", 10) || 0 };
  }
  if (!body || typeof body !== "object") {
    throw { kind: "bad_response", serverUrl: base, message: `HTTP ${response.status} without a JSON body.` };
  }
  return body;
}

function asError(err) {
  return err && err.kind ? err : { kind: "unknown", message: String(err) };
}

async function health() {
  const { serverUrl } = await settings();
  try {
    const body = await callServer(serverUrl, C.HEALTH_PATH, { method: "GET" }, C.HEALTH_TIMEOUT_MS);
    return { ok: true, health: body, serverUrl };
  } catch (err) {
    return { ok: false, error: asError(err), serverUrl };
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** True when the server answers its health check (it runs, even if a request to it just failed). */
async function serverAnswers(serverUrl) {
  try {
    await callServer(serverUrl, C.HEALTH_PATH, { method: "GET" }, C.HEALTH_TIMEOUT_MS);
    return true;
  } catch (_) {
    return false;
  }
}

/**
 * POST the article. A connection lost mid-request (a worker killed and restarted by the server,
 * a reset) is tried once more within the same deadline; if that fails too, a server that still
 * answers its health check is reported as having failed (`connection_lost`), not as not running.
 */
async function postAnalysis(serverUrl, payload) {
  const deadline = Date.now() + C.ANALYZE_TIMEOUT_MS;
  const post = () => callServer(serverUrl, C.ANALYZE_PATH, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(payload),
  }, Math.max(1, deadline - Date.now()));
  // A full queue (503 busy) says when to come back: wait that long and try again, for as long as
  // one analysis may run on the server (its time budget), not a fixed number of tries: Retry-After
  // is an estimate from recent analyses, and the one holding the queue may be a long one.
  const busyUntil = Math.min(deadline, Date.now() + C.BUSY_WAIT_MS);
  for (;;) {
    try {
      return await post();
    } catch (err) {
      const busy = err && err.kind === "http" && err.status === 503 && err.code === "busy";
      const pauseMs = busy ? Math.max(1, err.retryAfterS) * 1000 : 0;
      if (busy && Date.now() + pauseMs < busyUntil) {
        await sleep(pauseMs);
        continue;
      }
      if (!err || err.kind !== "unreachable") throw err;
      break;
    }
  }
  await sleep(C.RETRY_PAUSE_MS);
  try {
    return await post();
  } catch (err) {
    if (err && err.kind === "unreachable" && await serverAnswers(serverUrl)) throw { ...err, kind: "connection_lost" };
    throw err;
  }
}

async function analyzeText(payload, tab) {
  const { serverUrl } = await settings();
  try {
    const data = await postAnalysis(serverUrl, payload);
    if (data.api_version !== C.API_VERSION || !Array.isArray(data.spans) || !data.summary) {
      throw { kind: "bad_response", serverUrl,
        message: `Expected API version ${C.API_VERSION} with spans and a summary; got version ${data.api_version}.` };
    }
    const s = data.summary;
    await chrome.storage.local.set({ lastResult: {
      grade: s.grade, score: s.score, headline: s.headline || "",
      title: payload.title || (tab && tab.title) || "", url: payload.url || (tab && tab.url) || "", at: Date.now(),
    } });
    return { ok: true, data };
  } catch (err) {
    return { ok: false, error: asError(err) };
  }
}

/**
 * Injects the content scripts once per page (frame), then tells them to analyse: the article, or
 * with `selection` only the text the reader has selected in that frame.
 */
async function analyseTab(tabId, { frameId = 0, selection = false } = {}) {
  const target = { tabId, frameIds: [frameId] };
  const [probe] = await chrome.scripting.executeScript({
    target,
    func: () => typeof globalThis.SourcelightContent !== "undefined",
  });
  if (!probe || !probe.result) {
    await chrome.scripting.executeScript({ target, files: C.CONTENT_FILES });
  }
  await chrome.tabs.sendMessage(tabId, { type: C.MSG.START, selection }, { frameId });
  return { ok: true };
}

/** The frame of `tab` holding a text selection (the top frame when none, or none can be read). */
async function frameWithSelection(tab) {
  try {
    const found = await chrome.scripting.executeScript({
      target: { tabId: tab.id, allFrames: true },
      func: () => String(globalThis.getSelection() || "").trim().length > 0,
    });
    const hit = found.find((r) => r.result === true);
    return hit ? hit.frameId : 0;
  } catch (_) {
    return 0;
  }
}

/** "Analyse selected text" from the context menu: the frame is the one right-clicked. */
async function onMenuClicked(info, tab) {
  if (info.menuItemId !== C.SELECTION_MENU_ID || !tab) return { ok: false };
  return analyseTab(tab.id, { frameId: info.frameId || 0, selection: true }).catch(reportInjectFailure);
}

/** The keyboard command: the frame is the one with a selection. */
async function onCommand(command, tab) {
  if (command !== C.SELECTION_COMMAND || !tab) return { ok: false };
  const frameId = await frameWithSelection(tab);
  return analyseTab(tab.id, { frameId, selection: true }).catch(reportInjectFailure);
}

/** The browser's own pages cannot be scripted; nothing is shown there, so the reason is logged. */
function reportInjectFailure(err) {
  console.warn("Sourcelight could not analyse the selection:", err);
  return { ok: false, error: { kind: "inject", message: String((err && err.message) || err) } };
}

/** (Re)creates the context-menu item; the browser keeps it until the extension is reloaded. */
function createMenu() {
  chrome.contextMenus.removeAll(() => {
    chrome.contextMenus.create({
      id: C.SELECTION_MENU_ID,
      title: C.SELECTION_MENU_TITLE,
      contexts: ["selection"],
      documentUrlPatterns: C.SELECTION_MENU_PAGES,
    }, () => void chrome.runtime.lastError);
  });
}

/**
 * Inserts `css` into the sender's frame with the first of `origins` the browser accepts (the page's
 * DOM is not touched). Removing first keeps re-analysis from stacking copies of the same sheet.
 */
async function insertCss(sender, css, origins) {
  const target = { tabId: sender.tab.id, frameIds: [sender.frameId || 0] };
  let failure = null;
  for (const origin of origins) {
    const injection = { target, css, origin };
    try {
      await chrome.scripting.removeCSS(injection).catch(() => {});
      await chrome.scripting.insertCSS(injection);
      return { ok: true, origin };
    } catch (err) {
      failure = err;
    }
  }
  return { ok: false, error: { kind: "css", message: String(failure) } };
}

/** Removes what insertCss inserted (whichever origin it went in with). */
async function removeCss(sender, css) {
  const target = { tabId: sender.tab.id, frameIds: [sender.frameId || 0] };
  for (const origin of ["USER", "AUTHOR"]) {
    await chrome.scripting.removeCSS({ target, css, origin }).catch(() => {});
  }
  return { ok: true };
}

let dockChanges = Promise.resolve();

/** Room for the docked panel, or the page's full width back. One change at a time, in order: a
 * re-analysis undocks the old panel and docks the new one in quick succession. */
function setDock(sender, on) {
  dockChanges = dockChanges.then(() => (on ? insertCss(sender, U.dockCss(), ["USER", "AUTHOR"])
    : removeCss(sender, U.dockCss())));
  return dockChanges;
}

/**
 * The ::highlight() colours as a USER stylesheet, whose !important rules the page's CSS cannot
 * override (an author sheet where the user origin is refused), plus the author-origin rules
 * Chromium needs before it paints them (see highlightAuthorCss in constants.js).
 */
async function insertHighlightCss(sender) {
  const colours = await insertCss(sender, U.highlightCss(), ["USER", "AUTHOR"]);
  if (!colours.ok) return colours;
  const paint = await insertCss(sender, U.highlightAuthorCss(), ["AUTHOR"]);
  return paint.ok ? colours : paint;
}

/** Keeps one registered content script matching the auto-analyse sites we may access. */
async function syncAutoScripts() {
  const { autoSites } = await settings();
  const matches = [];
  for (const site of autoSites) {
    const pattern = `${site}/*`; // sites are "scheme://host"
    if (await chrome.permissions.contains({ origins: [pattern] })) matches.push(pattern);
  }
  const existing = await chrome.scripting.getRegisteredContentScripts({ ids: [C.AUTO_SCRIPT_ID] });
  if (existing.length) await chrome.scripting.unregisterContentScripts({ ids: [C.AUTO_SCRIPT_ID] });
  if (!matches.length) return;
  await chrome.scripting.registerContentScripts([{
    id: C.AUTO_SCRIPT_ID,
    matches,
    js: [...C.CONTENT_FILES, C.AUTO_START_FILE],
    runAt: "document_idle",
    persistAcrossSessions: false,
  }]);
}

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  // Only our own pages and content scripts talk to us (no externally_connectable).
  if (sender.id !== chrome.runtime.id || !message) return false;
  let work;
  switch (message.type) {
    case C.MSG.HEALTH:
      work = health();
      break;
    case C.MSG.ANALYSE_TAB:
      work = analyseTab(message.tabId).catch((err) => ({ ok: false, error: { kind: "inject", message: String(err && err.message || err) } }));
      break;
    case C.MSG.ANALYZE_TEXT:
      if (!sender.tab) return false;
      work = analyzeText(message.payload, sender.tab);
      break;
    case C.MSG.INSERT_HIGHLIGHT_CSS:
      if (!sender.tab) return false;
      work = insertHighlightCss(sender);
      break;
    case C.MSG.SET_DOCK:
      if (!sender.tab) return false;
      work = setDock(sender, Boolean(message.on));
      break;
    default:
      return false;
  }
  work.then(sendResponse);
  return true; // answer asynchronously
});

chrome.storage.onChanged.addListener((changes, area) => {
  if (area === "local" && changes.autoSites) syncAutoScripts();
});
chrome.permissions.onAdded.addListener(syncAutoScripts);
chrome.permissions.onRemoved.addListener(syncAutoScripts);
chrome.runtime.onInstalled.addListener(syncAutoScripts);
chrome.runtime.onStartup.addListener(syncAutoScripts);
chrome.runtime.onInstalled.addListener(createMenu);
chrome.runtime.onStartup.addListener(createMenu);
chrome.contextMenus.onClicked.addListener(onMenuClicked);
chrome.commands.onCommand.addListener(onCommand);
