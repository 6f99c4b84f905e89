#!/usr/bin/env node
// Asks Slack's official Bolt for JavaScript (@slack/bolt 5.1.0) whether each request is genuine, with
// isValidSlackRequest — fed exactly as Bolt's own HTTP receiver feeds it: the body as text (the raw bytes
// decoded as UTF-8), the timestamp header as a Number, and "now" given per request (nowMilliseconds).
// A missing header is refused, as the receiver's getHeader does. Input: a JSON file
// {"secret": ..., "cases": [{"timestamp": string|null, "signature": string|null, "body": base64, "nowMs": n}]}.
// Output: a JSON array of booleans, one per case. Exit 0, or 2 on bad input.
"use strict";
const fs = require("fs");
// The module @slack/bolt's index re-exports isValidSlackRequest from; loaded directly because the index also loads
// Socket Mode, whose peer dependency (undici) the tests do not need.
const { isValidSlackRequest } = require("@slack/bolt/dist/receivers/verify-request");

function main() {
  const file = process.argv[2];
  if (!file) throw new Error("usage: slack-verify.cjs <cases.json>");
  const { secret, cases } = JSON.parse(fs.readFileSync(file, "utf8"));
  const verdicts = cases.map((c) => {
    if (c.timestamp === null || c.signature === null) return false;
    return isValidSlackRequest({
      signingSecret: secret,
      body: Buffer.from(c.body, "base64").toString(),
      headers: { "x-slack-signature": c.signature, "x-slack-request-timestamp": Number(c.timestamp) },
      nowMilliseconds: c.nowMs,
    });
  });
  process.stdout.write(JSON.stringify(verdicts) + "\n");
  return 0;
}

try {
  process.exit(main());
} catch (error) {
  console.error(`slack-verify: ${error.message}`);
  process.exit(2);
}
