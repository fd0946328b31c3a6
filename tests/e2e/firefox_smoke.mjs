// Firefox smoke test, run by test_firefox.py: Debian's firefox-esr, headless, driven over
// WebDriver BiDi by puppeteer-core (no browser download), installs the extension folder given
// in EXTENSION as a temporary add-on and opens PAGE_URL. Prints one JSON line with what it saw.
//
// Firefox automation may neither open moz-extension:// pages nor reach the background script,
// so test_firefox.py hands over a copy of the extension whose *defaults* already point at the
// test server and list the fixture site for auto-analyse: the same code path a reader gets
// after setting both in the options page.
import puppeteer from "puppeteer-core";

const { FIREFOX, EXTENSION, PAGE_URL, SCREENSHOT } = process.env;
const TIMEOUT = 60_000;

const browser = await puppeteer.launch({
  browser: "firefox",
  executablePath: FIREFOX,
  headless: true,
  extraPrefsFirefox: {
    "browser.shell.checkDefaultBrowser": false,
    "app.update.enabled": false,
    "network.captive-portal-service.enabled": false,
  },
});
const out = { firefox: await browser.version() };
try {
  out.installed = await browser.installExtension(EXTENSION);
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  const started = Date.now();
  await page.goto(PAGE_URL);
  await page.waitForFunction(() => {
    const h = document.querySelector("[data-sourcelight]");
    return h && ["done", "error"].includes(h.getAttribute("data-state"));
  }, { timeout: TIMEOUT });
  out.seconds_to_result = (Date.now() - started) / 1000;
  out.state = await page.$eval("[data-sourcelight]", (h) => h.getAttribute("data-state"));
  out.shadow_root_visible_to_page = await page.$eval("[data-sourcelight]", (h) => h.shadowRoot !== null);
  out.highlights = await page.evaluate(() => {
    const found = [];
    for (const [name, h] of CSS.highlights) for (const r of h) found.push([name, r.toString()]);
    return found;
  });
  if (SCREENSHOT) await page.screenshot({ path: SCREENSHOT });

  // "Analyse selected text": Firefox routes neither synthesized keys to extension shortcuts nor
  // automation to its context menu or background script, so only the selection's text and map
  // are checked here, by the extension's own selection.js in a page of its own (main world).
  const probe = await browser.newPage();
  await probe.goto(PAGE_URL.replace(/\?.*$/, "") + "?selection-probe");
  await probe.addScriptTag({ path: `${EXTENSION}/common/constants.js` });
  const files = await probe.evaluate(() => SourcelightConst.CONTENT_FILES);
  for (const file of files.slice(0, files.indexOf("content/selection.js") + 1)) {
    await probe.addScriptTag({ path: `${EXTENSION}/${file}` });
  }
  out.selection = await probe.evaluate(() => {
    const ps = [...document.querySelectorAll("article p")];
    const first = ps.find((e) => e.textContent.startsWith("This report comes"));
    const last = ps.find((e) => e.textContent.startsWith("Prior to the December"));
    const range = document.createRange();
    range.setStart(first.firstChild, 0);
    range.setEnd(last, last.childNodes.length);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    const ranges = SourcelightSelection.selectedRanges(document);
    const a = SourcelightSelection.extractSelection(document, ranges);
    const squash = (t) => t.replace(/\s+/g, " ").trim();
    const i = a.text.indexOf("Sources within the coalition");
    const r = SourcelightExtract.rangeFor(a.map, i, i + "Sources within the coalition".length);
    return { paragraphs: a.text.split("\n\n").length, same_text: squash(a.text) === squash(String(getSelection())),
      range_text: r.toString(), range_inside: first.contains(r.commonAncestorContainer) };
  });
  await probe.close();
} catch (err) {
  out.error = String((err && err.stack) || err);
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));
