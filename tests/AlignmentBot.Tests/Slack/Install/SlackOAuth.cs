using System.Net;
using AlignmentBot.Bot.Slack.Install;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;

namespace AlignmentBot.Tests.Slack.Install;

/// <summary>
/// The browser's side of "Add to Slack" against the in-process bot (the harness's, or <paramref name="bot"/>) and the
/// fake Slack: settings for OAuth mode, and the two hops.
/// </summary>
public sealed class SlackOAuth(SlackHarness harness, WebApplicationFactory<Program>? bot = null)
{
    public const string RedirectUri = "http://localhost/slack/oauth/callback";

    public static Dictionary<string, string?> Settings() => new()
    {
        ["Slack:BotToken"] = "", // no single-workspace token: workspaces install by OAuth
        ["Slack:ClientId"] = "1111.2222",
        ["Slack:ClientSecret"] = "fake-client-secret",
        ["Slack:RedirectUri"] = RedirectUri,
    };

    /// <summary>A client that does not follow redirects (the authorize page is Slack's, not ours).</summary>
    public HttpClient Browser { get; } = (bot ?? harness.Bot).CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>GET /slack/install: the state from the authorize address it redirects to.</summary>
    public async Task<string> StartAsync()
    {
        using var response = await Browser.GetAsync(SlackInstallEndpoints.InstallPath);
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location is not { } location)
        {
            throw new InvalidOperationException($"/slack/install answered {(int)response.StatusCode}, not a redirect");
        }

        return QueryHelpers.ParseQuery(location.Query)["state"].ToString();
    }

    /// <summary>Slack's redirect back with <paramref name="query"/> (e.g. code and state).</summary>
    public Task<HttpResponseMessage> CallbackAsync(params (string Name, string Value)[] query) =>
        Browser.GetAsync(SlackInstallEndpoints.CallbackPath + "?" + SlackHarness.Form(query));

    /// <summary>The whole install: Slack hands out <paramref name="code"/>, the browser comes back with it.</summary>
    public async Task<HttpResponseMessage> InstallAsync(string code = "code-1")
    {
        var state = await StartAsync();
        harness.Slack.OAuthCode = code;
        return await CallbackAsync(("code", code), ("state", state));
    }

    public static Task<SlackHarness> StartHarnessAsync(IReadOnlyDictionary<string, string?>? more = null)
    {
        var settings = Settings();
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return SlackHarness.StartAsync(settings);
    }
}
