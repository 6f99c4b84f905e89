#!/usr/bin/env node
// Opens the Agents Playground UI in headless Debian Chromium (playwright-core; no browser download),
// types a message in the personal chat, waits for the bot's Adaptive Card and saves a screenshot.
//   node screenshot.cjs --endpoint http://127.0.0.1:3978/api/messages --text help --out card.png
//        [--expect "AlignmentBot"] [--port 56152] [--timeout 30]
// Exit 0 when a card containing --expect appeared and the screenshot was written.
"use strict";
const fs = require("fs");
const path = require("path");
const { chromium } = require("playwright-core");
const { start } = require("./playground.cjs");

function options(argv) {
  const result = {};
  for (let i = 0; i < argv.length; i += 2) result[argv[i].replace(/^--/, "")] = argv[i + 1];
  return result;
}

const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run",
  // Nothing but this machine: every other host name fails to resolve.
  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
];

async function main() {
  const args = options(process.argv.slice(2));
  if (!args.endpoint || !args.out) {
    console.error("usage: screenshot.cjs --endpoint URL --out file.png [--text help] [--expect AlignmentBot] [--port 56152] [--timeout 30]");
    return 2;
  }
  const timeout = Number(args.timeout ?? 30) * 1000;
  const expect = args.expect ?? "AlignmentBot";
  const { child, base } = await start({ endpoint: args.endpoint, port: Number(args.port ?? 56152), logs: "ignore" });
  // playwright gives the browser a fresh, temporary profile of its own.
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium", args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(base, { timeout });
    const compose = page.locator('div[data-lexical-editor="true"][role="textbox"]');
    await compose.waitFor({ timeout });
    await compose.click();
    await page.keyboard.type(args.text ?? "help");
    await page.keyboard.press("Enter");
    const card = page.locator(".ac-adaptiveCard", { hasText: expect }).last();
    await card.waitFor({ timeout });
    await card.scrollIntoViewIfNeeded();
    fs.mkdirSync(path.dirname(path.resolve(args.out)), { recursive: true });
    await page.screenshot({ path: args.out, fullPage: false });
    process.stdout.write(JSON.stringify({ screenshot: path.resolve(args.out), cardText: (await card.innerText()).slice(0, 2000) }) + "\n");
    return 0;
  } finally {
    await browser.close();
    child.kill();
  }
}

main().then((code) => process.exit(code), (error) => { console.error(`screenshot: ${error.message}`); process.exit(1); });
