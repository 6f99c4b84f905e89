#!/usr/bin/env node
// In the Agents Playground UI (headless Debian Chromium): types a message, waits for the bot's card that
// contains --expect, answers it like a person (the --choice-th option of every expanded choice set, --pick in
// every drop-down, --comment in every text box), screenshots it, presses --button and waits for a card with --done.
//   node answer-card.cjs --endpoint URL --text pulse --expect "Alignment pulse" --choice 4 --pick 9
//        --comment "More focus" --button Submit --done "Thanks" --out card.png [--port 56153] [--timeout 60]
// Prints {"screenshot", "doneText"}; exit 0 when the --done card appeared.
"use strict";
const fs = require("fs");
const path = require("path");
const { chromium } = require("playwright-core");
const { start } = require("./playground.cjs");

const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run",
  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
];

function options(argv) {
  const result = {};
  for (let i = 0; i < argv.length; i += 2) result[argv[i].replace(/^--/, "")] = argv[i + 1];
  return result;
}

async function main() {
  const args = options(process.argv.slice(2));
  if (!args.endpoint || !args.out || !args.expect || !args.done) {
    console.error("usage: answer-card.cjs --endpoint URL --text T --expect E --done D --out file.png [--choice N] [--pick V] [--comment C] [--button B]");
    return 2;
  }
  const timeout = Number(args.timeout ?? 60) * 1000;
  const { child, base } = await start({ endpoint: args.endpoint, port: Number(args.port ?? 56153), logs: "ignore" });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium", args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
    await page.goto(base, { timeout });
    const compose = page.locator('div[data-lexical-editor="true"][role="textbox"]');
    await compose.waitFor({ timeout });
    await compose.click();
    await page.keyboard.type(args.text ?? "pulse");
    await page.keyboard.press("Enter");
    const card = page.locator(".ac-adaptiveCard", { hasText: args.expect }).last();
    await card.waitFor({ timeout });

    const choice = Number(args.choice ?? 4) - 1;
    for (const group of await card.getByRole("radiogroup").all()) {
      await group.getByRole("radio").nth(choice).click({ force: true });
    }
    // Compact choice sets are comboboxes in the playground's renderer: open, then pick the option.
    for (const combo of await card.getByRole("combobox").all()) {
      await combo.click();
      await page.getByRole("option", { name: args.pick ?? "8", exact: true }).click();
    }
    if (args.comment) {
      for (const box of await card.locator("textarea").all()) await box.fill(args.comment);
    }
    await card.scrollIntoViewIfNeeded();
    fs.mkdirSync(path.dirname(path.resolve(args.out)), { recursive: true });
    await page.screenshot({ path: args.out, fullPage: false });

    await card.getByRole("button", { name: args.button ?? "Submit" }).click();
    const done = page.locator(".ac-adaptiveCard", { hasText: args.done }).last();
    await done.waitFor({ timeout });
    process.stdout.write(JSON.stringify({ screenshot: path.resolve(args.out), doneText: (await done.innerText()).slice(0, 2000) }) + "\n");
    return 0;
  } finally {
    await browser.close();
    child.kill();
  }
}

main().then((code) => process.exit(code), (error) => { console.error(`answer-card: ${error.message}`); process.exit(1); });
