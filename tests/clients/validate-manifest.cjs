#!/usr/bin/env node
// Validates a Teams app manifest with Microsoft's @microsoft/app-manifest 1.1.2 against the JSON
// schema its $schema names — loaded from the package, never from the network (a schema version
// the package does not ship is refused). Output: {"schema": ..., "errors": [...]}.
// Exit 0 when valid, 1 with errors, 2 on bad input.
"use strict";
const fs = require("fs");
const path = require("path");
const { AppManifestUtils } = require("@microsoft/app-manifest");

async function main() {
  const file = process.argv[2];
  if (!file) throw new Error("usage: validate-manifest.cjs <manifest.json>");
  const manifest = JSON.parse(fs.readFileSync(file, "utf8").replace(/^\uFEFF/, ""));
  const suffix = manifest.$schema && AppManifestUtils.getLocalSchemaSuffix(manifest.$schema);
  const local = suffix && AppManifestUtils.getLocalSchemaCandidates(suffix).find((candidate) => fs.existsSync(candidate));
  if (!local) throw new Error(`the package ships no local copy of ${manifest.$schema}; use a schema version it ships`);
  const schema = JSON.parse(fs.readFileSync(local, "utf8").replace(/\\a/g, "\\u0007").replace(/\\v/g, "\\u000b"));
  const errors = await AppManifestUtils.validateAgainstSchema(manifest, schema);
  process.stdout.write(JSON.stringify({ schema: path.relative(process.cwd(), local), errors }) + "\n");
  return errors.length === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (error) => {
  console.error(`validate-manifest: ${error.message}`);
  process.exit(2);
});
