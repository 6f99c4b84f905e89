#!/usr/bin/env node
// Draws Adaptive Cards as Teams shows them: the official renderer (adaptivecards 3.0.6) in headless Debian
// Chromium (playwright-core, no browser download), with Teams' own light and dark host configs and frame styles
// from the Adaptive Cards designer (adaptivecards-designer 2.4.4), in a chat column of --width pixels.
//   node card-gallery.cjs --cards cards.json --out artifacts/cards [--width 400]
// cards.json: [{ "name": "...", "card": { AdaptiveCard } }]. Writes a PNG per card and theme, index.html to browse
// them and report.json: [{ index, name, theme, png, rendered, error, events (parse and validation), overflow,
// clipped, lowContrast (WCAG AA), text }]; prints { report: path, cards: n }. Exit 0 when it ran (whatever the cards did), 2 on bad input.
"use strict";
const fs = require("fs");
const path = require("path");
const { chromium } = require("playwright-core");

const THEMES = {
  // The page colours behind the chat are the designer's Teams container's own.
  light: { page: "#F6F6F6" },
  dark: { page: "#201E1F" },
};

const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run", "--font-render-hinting=none",
  // Nothing but this machine: every other host name fails to resolve (a chart on the internet shows its alt text).
  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
];

function options(argv) {
  const result = {};
  for (let i = 0; i < argv.length; i += 2) result[argv[i].replace(/^--/, "")] = argv[i + 1];
  return result;
}

function slug(text) {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60);
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}

/** The page for one theme: the renderer, the Teams frame styles, and every card in its own chat-column frame. */
function page(theme, width) {
  const designer = path.dirname(require.resolve("adaptivecards-designer/package.json"));
  const css = fs.readFileSync(path.join(designer, "dist", "containers", `teams-container-${theme}.css`), "utf8");
  return `<!doctype html><html><head><meta charset="utf-8"><style>${css}
    body { margin: 0; padding: 16px; background: ${THEMES[theme].page}; font-family: 'Segoe UI', sans-serif; }
    .teams-inner-frame { width: ${width}px; min-width: 0; max-width: none; margin-bottom: 16px; }
  </style></head><body></body></html>`;
}

/** Runs in the page: renders each card into a frame and measures what a reader would stumble on. */
function renderAll({ cards, hostConfig }) {
  const AC = window.AdaptiveCards;
  const config = new AC.HostConfig(hostConfig);
  // Teams renders the markdown subset its documentation lists (bold, italic, links); so does the gallery.
  AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
    const html = text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c])
      .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
      .replace(/(^|\s)_([^_]+)_(?=\s|$|[.,;:])/g, "$1<em>$2</em>")
      .replace(/\[([^\]]+)\]\((https?:[^)\s]+)\)/g, '<a href="$2">$1</a>');
    result.outputHtml = html;
    result.didProcess = true;
  };

  function rgba(text) {
    const m = text.match(/rgba?\(([^)]+)\)/);
    if (!m) return [0, 0, 0, 0];
    const p = m[1].split(",").map((x) => parseFloat(x));
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  }
  function over(top, bottom) {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat(1);
  }
  function background(element) {
    const layers = [];
    for (let e = element; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    let colour = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) colour = over(layers[i], colour);
    return colour;
  }
  function luminance(c) {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }
  function contrast(a, b) {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  }

  return cards.map(({ name, card }, index) => {
    const frame = document.createElement("div");
    frame.className = "teams-inner-frame";
    frame.id = `card-${index}`;
    const host = document.createElement("div");
    host.className = "teams-card";
    frame.appendChild(host);
    document.body.appendChild(frame);
    const result = { index, name, rendered: false, error: null, events: [], overflow: [], clipped: [], lowContrast: [], text: "" };
    try {
      const adaptive = new AC.AdaptiveCard();
      adaptive.hostConfig = config;
      const context = new AC.SerializationContext(AC.Versions.v1_5);
      adaptive.parse(card, context);
      for (let i = 0; i < context.eventCount; i++) result.events.push(context.getEventAt(i).message);
      for (const e of adaptive.validateProperties().validationEvents) result.events.push(e.message);
      const element = adaptive.render();
      if (!element) throw new Error("the renderer returned nothing");
      host.appendChild(element);
      result.rendered = true;
    } catch (error) {
      result.error = String(error && error.message ? error.message : error);
      return result;
    }

    const bounds = host.getBoundingClientRect();
    for (const e of host.querySelectorAll("*")) {
      const r = e.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || getComputedStyle(e).visibility === "hidden") continue;
      const what = (e.innerText || e.getAttribute("alt") || e.tagName).trim().slice(0, 80);
      if (r.right > bounds.right + 1 || r.left < bounds.left - 1) {
        result.overflow.push({ element: e.className || e.tagName, text: what, right: Math.round(r.right - bounds.left) });
      }
      const style = getComputedStyle(e);
      if (e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0 && /hidden|clip|auto|scroll/.test(style.overflowX)) {
        result.clipped.push({ element: e.className || e.tagName, text: what, needs: e.scrollWidth, has: e.clientWidth });
      }
      const ownText = [...e.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join("").trim();
      if (ownText.length > 0 && !/^(INPUT|TEXTAREA|SELECT|OPTION)$/.test(e.tagName)) {
        const ratio = contrast(over(rgba(style.color), background(e)), background(e));
        const large = parseFloat(style.fontSize) >= 24 || (parseFloat(style.fontSize) >= 18.66 && parseInt(style.fontWeight, 10) >= 600);
        // A lone symbol (the renderer's own "*" on required inputs) is a marker, not text.
        const marker = ownText.length === 1 && !/[\p{L}\p{N}]/u.test(ownText);
        // WCAG AA: 4.5:1 for body text, 3:1 for large text and for markers.
        if (ratio < (large || marker ? 3 : 4.5)) {
          result.lowContrast.push({ text: ownText.slice(0, 80), ratio: Math.round(ratio * 100) / 100, color: style.color });
        }
      }
    }
    result.text = host.innerText;
    return result;
  });
}

function indexHtml(cards, reports, width) {
  const rows = cards.map((c, i) => {
    const cell = (theme) => {
      const r = reports.find((x) => x.index === i && x.theme === theme);
      const problems = [r.error, ...r.events, ...r.overflow.map((o) => `overflows: ${o.text}`), ...r.clipped.map((o) => `clipped: ${o.text}`),
        ...r.lowContrast.map((o) => `contrast ${o.ratio}: ${o.text}`)].filter(Boolean);
      return `<td class="${theme}">${r.png ? `<img src="${escapeHtml(r.png)}" alt="${escapeHtml(c.name)} (${theme})" loading="lazy">` : ""}
        ${problems.length ? `<ul class="problems">${problems.map((p) => `<li>${escapeHtml(p)}</li>`).join("")}</ul>` : ""}</td>`;
    };
    return `<tr id="${slug(c.name)}"><th><a href="#${slug(c.name)}">${escapeHtml(c.name)}</a></th>${cell("light")}${cell("dark")}</tr>`;
  });
  return `<!doctype html><html><head><meta charset="utf-8"><title>AlignmentBot cards</title><style>
    body { font-family: system-ui, sans-serif; margin: 16px; } table { border-collapse: collapse; }
    th { text-align: left; vertical-align: top; padding: 8px; width: 180px; font-weight: 600; }
    td { vertical-align: top; padding: 8px; } td.light { background: ${THEMES.light.page}; } td.dark { background: ${THEMES.dark.page}; }
    img { display: block; } .problems { color: #c4314b; background: #fff; max-width: ${width}px; }
  </style></head><body><h1>AlignmentBot cards</h1>
  <p>${cards.length} cards as Microsoft Teams draws them (adaptivecards 3.0.6, Teams' light and dark host configs from
  adaptivecards-designer 2.4.4), in a ${width}-pixel chat column. Generated by <code>scripts/cards.sh</code>.</p>
  <table><tr><th>card</th><th>light</th><th>dark</th></tr>${rows.join("\n")}</table></body></html>\n`;
}

async function main() {
  const args = options(process.argv.slice(2));
  if (!args.cards || !args.out) {
    console.error("usage: card-gallery.cjs --cards cards.json --out dir [--width 400]");
    return 2;
  }
  const width = Number(args.width ?? 400);
  let cards;
  try {
    cards = JSON.parse(fs.readFileSync(args.cards, "utf8").replace(/^\uFEFF/, ""));
    if (!Array.isArray(cards)) throw new Error("expected a JSON array of { name, card }");
  } catch (error) {
    console.error(`card-gallery: ${error.message}`);
    return 2;
  }

  const out = path.resolve(args.out);
  fs.mkdirSync(out, { recursive: true });
  const bundle = require.resolve("adaptivecards/dist/adaptivecards.min.js");
  const configs = path.join(path.dirname(require.resolve("adaptivecards-designer/package.json")), "lib", "hostConfigs");
  const reports = [];
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium", args: CHROMIUM_ARGS });
  try {
    for (const theme of Object.keys(THEMES)) {
      // The page is a file next to the PNGs, so cards may show images from that folder (the sample chart).
      const file = path.join(out, `.render-${theme}.html`);
      fs.writeFileSync(file, page(theme, width));
      const tab = await browser.newPage({ viewport: { width: width + 200, height: 800 } });
      await tab.goto(`file://${file}`);
      await tab.addScriptTag({ path: bundle });
      const hostConfig = JSON.parse(fs.readFileSync(path.join(configs, `microsoft-teams-${theme}.json`), "utf8"));
      const results = await tab.evaluate(renderAll, { cards, hostConfig });
      await tab.waitForLoadState("networkidle");
      for (const result of results) {
        const png = `${String(result.index + 1).padStart(2, "0")}-${slug(result.name)}-${theme}.png`;
        if (result.rendered) {
          await tab.locator(`#card-${result.index}`).screenshot({ path: path.join(out, png), animations: "disabled" });
        }
        reports.push({ ...result, theme, png: result.rendered ? png : null });
      }
      await tab.close();
      fs.rmSync(file);
    }
  } finally {
    await browser.close();
  }
  fs.writeFileSync(path.join(out, "index.html"), indexHtml(cards, reports, width));
  fs.writeFileSync(path.join(out, "report.json"), JSON.stringify(reports, null, 1));
  // The report can be large: it goes to a file (stdout on a pipe is cut short by process.exit).
  process.stdout.write(JSON.stringify({ report: path.join(out, "report.json"), cards: cards.length }) + "\n");
  return 0;
}

main().then((code) => process.exit(code), (error) => { console.error(`card-gallery: ${error.stack || error.message}`); process.exit(1); });
