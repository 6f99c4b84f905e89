#!/usr/bin/env bash
# The card gallery: draws every card the bot can send (the samples in tests/AlignmentBot.Tests/Cards/CardSamples.cs,
# built by the real card builders) with the official adaptivecards renderer in headless Debian Chromium, in Teams'
# light and dark themes, into artifacts/cards/ (index.html and a PNG per card and theme). It is the
# CardGalleryTests test, so it fails when a card cannot be drawn, overflows a Teams chat column, has text cut off
# or too faint to read. Needs no database. Extra arguments go to `dotnet test`.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

scripts/test-clients.sh
dotnet test tests/AlignmentBot.Tests/AlignmentBot.Tests.csproj --nologo \
  --filter "FullyQualifiedName~AlignmentBot.Tests.Cards.CardGalleryTests.Every_card" "$@"
echo "Open $root/artifacts/cards/index.html in a browser."
