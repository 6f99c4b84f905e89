// The Teams tab's one script (served by the bot: Web/Tab/TeamsJs.cs). Teams SSO with Microsoft's library, the token
// to the bot (POST /tab/session starts the tab's session), then the dashboard page inside the tab; on the channel
// tab's configuration page, the team to show.
"use strict";
(function () {
  const body = document.body;
  const status = document.getElementById("status");
  const say = (text) => { status.textContent = text; };

  async function signIn() {
    await microsoftTeams.app.initialize();
    const token = await microsoftTeams.authentication.getAuthToken();
    const response = await fetch("/tab/session", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ token }),
      credentials: "same-origin",
    });
    if (!response.ok) throw new Error(await response.text());
  }

  async function open() {
    await signIn();
    window.location.replace(body.dataset.next);
  }

  async function configure() {
    await signIn();
    const response = await fetch("/tab/teams.json", { credentials: "same-origin" });
    if (!response.ok) throw new Error(await response.text());
    const teams = await response.json();
    const select = document.getElementById("team");
    for (const team of teams) {
      const option = document.createElement("option");
      option.value = String(team.id);
      option.textContent = team.name;
      select.append(option);
    }
    select.disabled = teams.length === 0;
    say(teams.length === 0 ? "You are in no team AlignmentBot knows yet." : "Pick the team whose dashboard this tab shows, then save.");
    const origin = window.location.origin;
    microsoftTeams.pages.config.registerOnSaveHandler((save) => {
      const option = select.selectedOptions[0];
      microsoftTeams.pages.config.setConfig({
        entityId: "team-" + option.value,
        suggestedDisplayName: option.textContent,
        contentUrl: origin + "/tab/open?to=" + encodeURIComponent("/tab/teams/" + option.value),
        websiteUrl: origin + "/teams/" + option.value,
      }).then(() => save.notifySuccess(), (error) => save.notifyFailure(String(error)));
    });
    const valid = () => microsoftTeams.pages.config.setValidityState(select.value !== "");
    select.addEventListener("change", valid);
    valid();
  }

  (body.dataset.mode === "configure" ? configure() : open())
    .catch((error) => say("Teams could not sign you in: " + (error && error.message ? error.message : error)));
})();
