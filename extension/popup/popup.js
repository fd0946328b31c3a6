/* Popup: server health, Analyse button, per-site auto-analyse, last result. */
"use strict";

const C = SourcelightConst;
const $ = (id) => document.getElementById(id);

/** The tab the popup belongs to: the active tab of the last focused normal window. */
async function targetTab() {
  const win = await chrome.windows.getLastFocused({ windowTypes: ["normal"], populate: true });
  return (win.tabs || []).find((t) => t.active) || null;
}

/** "https://news.example" for a tab on that site (scheme + host: what auto-analyse is keyed on). */
function siteOf(tab) {
  try {
    const url = new URL(tab.url);
    return url.protocol === "http:" || url.protocol === "https:" ? `${url.protocol}//${url.hostname}` : null;
  } catch (_) {
    return null;
  }
}

async function showHealth() {
  const box = $("server");
  const reply = await chrome.runtime.sendMessage({ type: C.MSG.HEALTH });
  box.replaceChildren();
  if (reply.ok) {
    box.className = "server ok";
    const h = reply.health;
    box.textContent = `Server running at ${reply.serverUrl}` +
      (h.model ? ` (${h.model}${h.version ? ", v" + h.version : ""})` : "") + ".";
    return;
  }
  box.className = "server down";
  if (reply.error.kind === "unreachable" || reply.error.kind === "timeout") {
    box.append(`Server not running at ${reply.serverUrl}. Start it with `);
    const cmd = document.createElement("code");
    cmd.textContent = C.START_COMMAND;
    const alt = document.createElement("code");
    alt.textContent = C.START_COMMAND_ALT;
    box.append(cmd, " or ", alt, ".");
  } else {
    box.textContent = `Server at ${reply.serverUrl} answered with an error` +
      (reply.error.status ? ` (HTTP ${reply.error.status})` : "") + ".";
  }
}

async function showLast() {
  const { lastResult } = await chrome.storage.local.get(C.STORAGE_DEFAULTS);
  if (!lastResult) return;
  const g = C.GRADES[lastResult.grade] || { name: String(lastResult.grade), color: "#5f6368" };
  $("last-grade").textContent = lastResult.grade;
  $("last-grade").style.background = g.color;
  $("last-score").textContent = `${lastResult.score}/100 · ${g.name}`;
  $("last-title").textContent = lastResult.title || lastResult.url;
  $("last").hidden = false;
}

async function setAutoSite(site, on) {
  const { autoSites } = await chrome.storage.local.get(C.STORAGE_DEFAULTS);
  const next = autoSites.filter((s) => s !== site);
  if (on) next.push(site);
  await chrome.storage.local.set({ autoSites: next });
}

async function setup() {
  const tab = await targetTab();
  const site = tab && siteOf(tab);
  const analyse = $("analyse");
  const auto = $("auto");
  if (!site) {
    analyse.disabled = true;
    auto.disabled = true;
    $("page-note").textContent = "Sourcelight works on web pages (http or https).";
    $("page-note").hidden = false;
  } else {
    $("site").textContent = new URL(site).hostname;
    const { autoSites } = await chrome.storage.local.get(C.STORAGE_DEFAULTS);
    auto.checked = autoSites.includes(site);
  }
  analyse.addEventListener("click", async () => {
    analyse.disabled = true;
    const reply = await chrome.runtime.sendMessage({ type: C.MSG.ANALYSE_TAB, tabId: tab.id });
    if (reply && reply.ok) {
      window.close();
      return;
    }
    analyse.disabled = false;
    $("page-note").textContent = "This page cannot be analysed: " + ((reply && reply.error && reply.error.message) || "no reply");
    $("page-note").hidden = false;
  });
  auto.addEventListener("change", async () => {
    const origins = [`${site}/*`];
    if (!auto.checked) {
      await setAutoSite(site, false);
      return;
    }
    // Ask while the click still counts as a user gesture; store the site meanwhile, since
    // Chromium may close the popup when its permission prompt opens.
    const asked = chrome.permissions.request({ origins });
    await setAutoSite(site, true);
    if (!(await asked)) {
      auto.checked = false;
      await setAutoSite(site, false);
    }
  });
  $("open-options").addEventListener("click", (event) => {
    event.preventDefault();
    chrome.runtime.openOptionsPage();
  });
}

setup();
showHealth();
showLast();
