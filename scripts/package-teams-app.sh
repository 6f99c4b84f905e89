#!/usr/bin/env bash
# Builds the Teams app package (manifest.json + icons, zipped) with the bot's app id filled in.
#   Teams__AppId=<app id> scripts/package-teams-app.sh [--version 1.2.3]
# The app id comes from the environment (Teams__AppId) or else appsettings.json (Teams:AppId). The Teams tab's host
# (Dashboard:Tab:Host, or Dashboard__Tab__Host) fills in the tabs, valid domains and the SSO resource
# api://<host>/botid-<app id>; without it the package has the bot only.
# Writes manifests/teams/build/alignmentbot-teams.zip and prints its path.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source_dir="$root/manifests/teams"
out_dir="$source_dir/build"
version=""
while [ $# -gt 0 ]; do
  case "$1" in
    --version) version="${2:?--version needs a value like 1.2.3}"; shift 2 ;;
    *) echo "usage: scripts/package-teams-app.sh [--version X.Y.Z]" >&2; exit 2 ;;
  esac
done

app_id="${Teams__AppId:-$(node -e 'const s=require(process.argv[1]); process.stdout.write((s.Teams && s.Teams.AppId) || "")' "$root/appsettings.json")}"
tab_host="${Dashboard__Tab__Host:-$(node -e 'const s=require(process.argv[1]); process.stdout.write((s.Dashboard && s.Dashboard.Tab && s.Dashboard.Tab.Host) || "")' "$root/appsettings.json")}"
if [ -n "$tab_host" ] && ! [[ "$tab_host" =~ ^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$ ]]; then
  echo "Dashboard:Tab:Host must be a host name such as bot.contoso.com (no scheme, port or path)." >&2
  exit 2
fi
if ! [[ "$app_id" =~ ^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$ ]]; then
  echo "Teams:AppId is not set to an app id (a GUID): set Teams__AppId to the Azure Bot's Microsoft App ID." >&2
  exit 2
fi
if [ -n "$version" ] && ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "--version must look like 1.2.3" >&2
  exit 2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
node - "$source_dir/manifest.json" "$work/manifest.json" "$app_id" "$version" "$tab_host" <<'JS'
const fs = require("fs");
const [source, target, appId, version, tabHost] = process.argv.slice(2);
const placeholder = "tab.alignmentbot.example";
let manifest = JSON.parse(fs.readFileSync(source, "utf8"));
if (tabHost) {
  manifest = JSON.parse(JSON.stringify(manifest).split(placeholder).join(tabHost));
  manifest.webApplicationInfo.id = appId;
  manifest.webApplicationInfo.resource = `api://${tabHost}/botid-${appId}`;
} else {
  delete manifest.staticTabs;
  delete manifest.configurableTabs;
  delete manifest.webApplicationInfo;
  manifest.validDomains = (manifest.validDomains || []).filter((domain) => domain !== placeholder);
}
manifest.id = appId;
for (const bot of manifest.bots || []) bot.botId = appId;
if (version) manifest.version = version;
fs.writeFileSync(target, JSON.stringify(manifest, null, 2) + "\n");
JS
cp "$source_dir/color.png" "$source_dir/outline.png" "$work/"

if [ -d "$root/tests/clients/node_modules/@microsoft/app-manifest" ]; then
  (cd "$root/tests/clients" && node validate-manifest.cjs "$work/manifest.json" >/dev/null) || {
    echo "The filled-in manifest does not validate:" >&2
    (cd "$root/tests/clients" && node validate-manifest.cjs "$work/manifest.json") >&2 || true
    exit 1
  }
fi

mkdir -p "$out_dir"
rm -f "$out_dir/alignmentbot-teams.zip"
if command -v zip >/dev/null 2>&1; then
  (cd "$work" && zip -q -X "$out_dir/alignmentbot-teams.zip" manifest.json color.png outline.png)
else
  python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED); [z.write(f"{sys.argv[2]}/{n}", n) for n in ("manifest.json", "color.png", "outline.png")]; z.close()' \
    "$out_dir/alignmentbot-teams.zip" "$work"
fi
echo "$out_dir/alignmentbot-teams.zip"
