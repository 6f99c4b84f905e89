#!/usr/bin/env node
// Drives the Microsoft 365 Agents Playground 0.2.28 (offline, telemetry off) against a bot.
//   node playground.cjs serve --endpoint URL [--port 56150]             start it for a person
//   node playground.cjs say --endpoint URL --text help [--timeout 20]   send one message in the
//        personal chat; prints the bot's replies as JSON lines; exit 0 if any arrived, 1 if none.
// The playground listens on its port; its mock Bot Connector is http://localhost:PORT/_connector.
"use strict";
const { spawn, spawnSync } = require("child_process");
const path = require("path");


function options(argv) {
  const result = { command: argv[0] };
  for (let i = 1; i < argv.length; i += 2) result[argv[i].replace(/^--/, "")] = argv[i + 1];
  return result;
}

/** Starts the playground; resolves once /_debug/ping answers. */
async function start({ endpoint, port = 56150, logs = "inherit" }) {
  const cli = require.resolve("@microsoft/m365agentsplayground/cli.js");
  const child = spawn(process.execPath, [cli, "start", "--app-endpoint", endpoint, "--channel-id", "msteams",
    "--port", String(port), "--disable-telemetry"], {
    cwd: __dirname,
    env: { ...process.env, TEAMSAPPTESTER_BROWSER: "none" },
    stdio: ["ignore", logs, logs],
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the playground exited with ${child.exitCode}`);
    try {
      if ((await (await fetch(`${base}/_debug/ping`)).text()).includes("pong")) return { child, base };
    } catch { /* not listening yet */ }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill();
  throw new Error("the playground did not answer /_debug/ping within 30 s");
}

/** Sends text as the current user in the personal chat and collects the bot's replies. */
async function say(base, text, timeoutMs) {
  const config = (await (await fetch(`${base}/_internal/v1/config`)).json()).config;
  const chat = config.personalChat.id;
  const replies = [];
  const socket = new WebSocket(`${base.replace("http", "ws")}/_ws_conversation/v1/conversations/stream`);
  socket.onmessage = (message) => {
    const event = JSON.parse(String(message.data));
    if (event.action === "createMessage" && event.message?.from?.id === config.bot.id) replies.push(event.message);
  };
  await new Promise((resolve, reject) => { socket.onopen = resolve; socket.onerror = reject; });
  const sent = await fetch(`${base}/_conversation/v1/conversations/${chat}/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ from: { id: config.currentUser.id }, text, textFormat: "plain" }),
  });
  if (!sent.ok) throw new Error(`the playground refused the message: ${sent.status}`);
  // The bot answers within the turn; wait for the first reply, then briefly for more.
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && replies.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
  if (replies.length > 0) await new Promise((resolve) => setTimeout(resolve, 500));
  socket.close();
  return replies;
}

async function main() {
  const args = options(process.argv.slice(2));
  if (!args.endpoint || !["say", "serve"].includes(args.command)) {
    console.error("usage: playground.cjs serve|say --endpoint http://127.0.0.1:3978/api/messages [--port 56150] [--text help] [--timeout 20]");
    return 2;
  }
  const port = Number(args.port ?? 56150);
  if (args.command === "serve") {
    const { child } = await start({ endpoint: args.endpoint, port });
    console.log(`Agents Playground on http://127.0.0.1:${port} (bot: ${args.endpoint}); Ctrl+C stops it.`);
    await new Promise((resolve) => child.on("exit", resolve));
    return child.exitCode ?? 0;
  }
  const { child, base } = await start({ endpoint: args.endpoint, port, logs: "ignore" });
  try {
    const replies = await say(base, args.text ?? "help", Number(args.timeout ?? 20) * 1000);
    for (const reply of replies) process.stdout.write(JSON.stringify(reply) + "\n");
    return replies.length > 0 ? 0 : 1;
  } finally {
    child.kill();
  }
}

module.exports = { start, say };
if (require.main === module && typeof WebSocket === "undefined" && !process.execArgv.includes("--experimental-websocket")) {
  // Node 20 has WebSocket behind a flag (Node 22+ has it by default).
  const run = spawnSync(process.execPath, ["--experimental-websocket", __filename, ...process.argv.slice(2)], { stdio: "inherit" });
  process.exit(run.status ?? 1);
} else if (require.main === module) {
  main().then((code) => process.exit(code), (error) => { console.error(`playground: ${error.message}`); process.exit(2); });
}
