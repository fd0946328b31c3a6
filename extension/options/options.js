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
  for (const site of sites) {
    const li = document.createElement("li");
    const name = document.createElement("span");
    name.textContent = site;
    const remove = document.createElement("button");
    remove.type = "button";
    remove.textContent = "Remove";
    remove.addEventListener("click", async () => {
      const { autoSites } = await chrome.storage.local.get(C.STORAGE_DEFAULTS);
      await chrome.storage.local.set({ autoSites: autoSites.filter((s) => s !== site) });
    });
    li.append(name, remove);
    list.append(li);
  }
}

/** Fills the form from storage. */
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
$("site-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const message = $("site-message");
  let site;
  try {
    const url = new URL($("site-url").value.trim());
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("not a web address");
    site = `${url.protocol}//${url.hostname}`;
  } catch (_) {
    message.textContent = "Enter a web address such as https://news.example.";
    return;
  }
  // Called before any await so the click still counts as the user's gesture.
  const granted = await chrome.permissions.request({ origins: [`${site}/*`] });
  if (!granted) {
    message.textContent = `Sourcelight was not allowed to read pages on ${site}.`;
    return;
  }
  const { autoSites } = await chrome.storage.local.get(C.STORAGE_DEFAULTS);
  if (!autoSites.includes(site)) await chrome.storage.local.set({ autoSites: [...autoSites, site] });
  message.textContent = `Pages on ${site} will be analysed when they load.`;
  $("site-url").value = "";
});
chrome.storage.onChanged.addListener((changes, area) => {
  if (area !== "local") return;
  if (changes.autoSites) renderSites(changes.autoSites.newValue || []);
  if (changes.serverUrl) $("server-url").value = changes.serverUrl.newValue;
});
load().then(check);
