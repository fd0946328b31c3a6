/* Options: server address, default highlight categories, auto-analyse sites. */
"use strict";

const C = SourcelightConst;
const U = SourcelightUtil;
const $ = (id) => document.getElementById(id);

function say(text, kind) {
  const p = $("server-message");
  p.textContent = text;
  p.className = "note " + (kind || "");
}

async function check() {
  const reply = await chrome.runtime.sendMessage({ type: C.MSG.HEALTH });
  if (reply.ok) say(`Server running at ${reply.serverUrl} (${reply.health.model || "unknown model"}).`, "ok");
  else if (reply.error.kind === "unreachable" || reply.error.kind === "timeout") {
    say(`Nothing answers at ${reply.serverUrl}. Start the server with "${C.START_COMMAND}" or "${C.START_COMMAND_ALT}".`, "error");
  } else say(`The server at ${reply.serverUrl} answered with an error (${reply.error.status || reply.error.kind}).`, "error");
}

function renderCategories(categories) {
  const list = $("categories");
  list.replaceChildren();
  for (const c of C.CATEGORIES) {
    const box = document.createElement("input");
    box.type = "checkbox";
    box.checked = U.isCategoryOn(categories, c.id);
    box.dataset.category = c.id;
    box.addEventListener("change", async () => {
      const current = (await chrome.storage.local.get(C.STORAGE_DEFAULTS)).categories;
      await chrome.storage.local.set({ categories: { ...current, [c.id]: box.checked } });
    });
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = c.background === "transparent" ? "#fff" : c.background;
    const name = document.createElement("span");
    name.textContent = c.name;
    const label = document.createElement("label");
    label.append(box, swatch, name);
    const li = document.createElement("li");
    li.append(label);
    list.append(li);
  }
}

function renderSites(sites) {
  const list = $("sites");
  list.replaceChildren();
  $("no-sites").hidden = sites.length > 0;
  for (const host of sites) {
    const li = document.createElement("li");
    const name = document.createElement("span");
    name.textContent = host;
    const remove = document.createElement("button");
    remove.type = "button";
    remove.textContent = "Remove";
    remove.addEventListener("click", async () => {
      const { autoSites } = await chrome.storage.local.get(C.STORAGE_DEFAULTS);
      await chrome.storage.local.set({ autoSites: autoSites.filter((h) => h !== host) });
    });
    li.append(name, remove);
    list.append(li);
  }
}

async function load() {
  const s = await chrome.storage.local.get(C.STORAGE_DEFAULTS);
  $("server-url").value = s.serverUrl;
  renderCategories(s.categories);
  renderSites(s.autoSites);
}

$("server-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const value = $("server-url").value.trim();
  if (!U.isLocalServerUrl(value)) {
    say("Use http://127.0.0.1:PORT or http://localhost:PORT (no path): the extension may only reach this computer.", "error");
    return;
  }
  await chrome.storage.local.set({ serverUrl: U.normaliseServerUrl(value) });
  say("Saved.", "ok");
  check();
});
$("check").addEventListener("click", check);
chrome.storage.onChanged.addListener((changes, area) => {
  if (area !== "local") return;
  if (changes.autoSites) renderSites(changes.autoSites.newValue || []);
  if (changes.serverUrl) $("server-url").value = changes.serverUrl.newValue;
});
load();
