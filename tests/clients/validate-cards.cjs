#!/usr/bin/env node
// Parses Adaptive Cards with the official renderer (adaptivecards 3.0.6) at target version 1.5 and
// reports every parse and validation event. Input: a JSON array of cards (file path argument, or
// stdin). Output: one JSON array [{ index, events: [{phase, event, message}], bytes }].
// Exit 0 when it ran (events or not), 2 on bad input.
"use strict";
const fs = require("fs");
const AC = require("adaptivecards/dist/adaptivecards.min.js");

function eventsOf(json) {
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  const events = [];
  card.parse(json, context);
  for (let i = 0; i < context.eventCount; i++) {
    const e = context.getEventAt(i);
    events.push({ phase: AC.ValidationPhase[e.phase], event: AC.ValidationEvent[e.event], message: e.message });
  }
  for (const e of card.validateProperties().validationEvents) {
    events.push({ phase: AC.ValidationPhase[e.phase], event: AC.ValidationEvent[e.event], message: e.message });
  }
  return events;
}

let cards;
try {
  const text = process.argv[2] ? fs.readFileSync(process.argv[2], "utf8") : fs.readFileSync(0, "utf8");
  cards = JSON.parse(text.replace(/^\uFEFF/, ""));
  if (!Array.isArray(cards)) throw new Error("expected a JSON array of cards");
} catch (error) {
  console.error(`validate-cards: ${error.message}`);
  process.exit(2);
}

const reports = cards.map((json, index) => ({
  index,
  events: eventsOf(json),
  bytes: Buffer.byteLength(JSON.stringify(json), "utf8"),
}));
process.stdout.write(JSON.stringify(reports) + "\n");
