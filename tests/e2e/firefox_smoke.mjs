// Firefox smoke test, run by test_firefox.py: Debian's firefox-esr, headless, driven over
// WebDriver BiDi by puppeteer-core (no browser download), installs the extension folder given
// in EXTENSION as a temporary add-on and opens PAGE_URL. Prints one JSON line with what it saw.
//
// Firefox automation may neither open moz-extension:// pages nor reach the background script,
// so test_firefox.py hands over a copy of the extension whose *defaults* already point at the
// test server and list the fixture site for auto-analyse: the same code path a reader gets
// after setting both in the options page.
import puppeteer from "puppeteer-core";

const { FIREFOX, EXTENSION, PAGE_URL, SCREENSHOT, HIDING_URL } = process.env;
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

  // A page whose CSS sets every Sourcelight highlight transparent !important: the colour of
  // "Sources within the coalition" in a screenshot, decoded by the browser.
  if (HIDING_URL) {
    const hiding = await browser.newPage();
    await hiding.setViewport({ width: 1280, height: 900 });
    await hiding.goto(HIDING_URL);
    await hiding.waitForFunction(() => {
      const h = document.querySelector("[data-sourcelight]");
      return h && h.getAttribute("data-state") === "done";
    }, { timeout: TIMEOUT });
    const box = await hiding.evaluate(() => {
      const h = CSS.highlights.get("sourcelight-source-anonymous");
      const r = [...h].find((x) => x.toString() === "Sources within the coalition");
      r.startContainer.parentElement.scrollIntoView({ block: "center" });
      const b = r.getClientRects()[0];
      // Puppeteer's clip is in page (document) coordinates.
      return { x: b.x + scrollX, y: b.y + scrollY, width: b.width, height: b.height };
    });
    await new Promise((resolve) => setTimeout(resolve, 300)); // painted after the scroll
    const png = await hiding.screenshot({ clip: box, encoding: "base64" });
    out.hidden_page_colour = await hiding.evaluate(async (b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: "image/png" }));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext("2d");
      ctx.drawImage(bitmap, 0, 0);
      const px = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
      const counts = new Map();
      for (let i = 0; i < px.length; i += 4) {
        const key = `${px[i]},${px[i + 1]},${px[i + 2]}`;
        counts.set(key, (counts.get(key) || 0) + 1);
      }
      return [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
    }, png);
    await hiding.close();
  }
} catch (err) {
  out.error = String((err && err.stack) || err);
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));
