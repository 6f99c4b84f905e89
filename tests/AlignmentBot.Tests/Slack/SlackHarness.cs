using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using AlignmentBot.Bot.Slack;
using AlignmentBot.Tests.Slack.Fakes;
using AlignmentBot.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Tests.Slack;

/// <summary>The bot hosted in-process with Slack on, a real database, and the fake Slack Web API; requests signed as Slack signs them.</summary>
public sealed class SlackHarness : IAsyncDisposable
{
    public const string SigningSecret = "8f742231b10e8888abcd99yyyzzz85a5";

    private SlackHarness(TestDatabase database, FakeSlackWebApi slack, FakeTimeProvider clock, BotFactory bot)
    {
        Database = database;
        Slack = slack;
        Clock = clock;
        Bot = bot;
        Client = bot.CreateClient();
    }

    public TestDatabase Database { get; }
    public FakeSlackWebApi Slack { get; }
    public FakeTimeProvider Clock { get; }
    public BotFactory Bot { get; }
    public HttpClient Client { get; }

    public static async Task<SlackHarness> StartAsync(IReadOnlyDictionary<string, string?>? extra = null, DateTimeOffset? start = null)
    {
        var database = await TestDatabase.CreateAsync();
        var clock = new FakeTimeProvider(start ?? new DateTimeOffset(2026, 11, 6, 14, 30, 0, TimeSpan.Zero));
        var slack = await FakeSlackWebApi.StartAsync(clock);
        var settings = new Dictionary<string, string?>
        {
            ["Slack:SigningSecret"] = SigningSecret,
            ["Slack:BotToken"] = slack.BotToken,
            ["Slack:ApiBaseUrl"] = slack.BaseAddress.ToString(),
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return new SlackHarness(database, slack, clock, new BotFactory(database, settings, clock));
    }

    public string Now => Clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>Posts <paramref name="body"/> signed with the app's secret at <paramref name="timestamp"/> (now when null).</summary>
    public Task<HttpResponseMessage> PostSignedAsync(string path, string body, string contentType = "application/json", string? timestamp = null, string? secret = null,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        timestamp ??= Now;
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation(SlackSignature.TimestampHeader, timestamp);
        request.Headers.TryAddWithoutValidation(SlackSignature.SignatureHeader, SlackSignature.Sign(secret ?? SigningSecret, timestamp, bytes));
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> PostEventAsync(JsonObject @event, string eventId, IReadOnlyDictionary<string, string>? headers = null) =>
        PostSignedAsync(SlackEventsEndpoint.Path, Envelope(@event, eventId).ToJsonString(), headers: headers);

    public JsonObject Envelope(JsonObject @event, string eventId) => new()
    {
        ["token"] = "deprecated-verification-token",
        ["team_id"] = Slack.TeamId,
        ["api_app_id"] = "A0FAKE",
        ["event"] = @event,
        ["type"] = "event_callback",
        ["event_id"] = eventId,
        ["event_time"] = Clock.GetUtcNow().ToUnixTimeSeconds(),
        ["authorizations"] = new JsonArray(new JsonObject { ["team_id"] = Slack.TeamId, ["user_id"] = Slack.BotUserId, ["is_bot"] = true }),
    };

    public static JsonObject DirectMessage(string user, string text) => new()
    {
        ["type"] = "message", ["channel"] = "D" + user[1..], ["user"] = user, ["text"] = text, ["ts"] = "1762439400.000200", ["channel_type"] = "im",
    };

    public static string Form(params (string Name, string Value)[] fields) =>
        string.Join('&', fields.Select(f => $"{Uri.EscapeDataString(f.Name)}={Uri.EscapeDataString(f.Value)}"));

    /// <summary>Waits until everything Slack was answered before has been done.</summary>
    public Task IdleAsync() => Bot.Services.GetRequiredService<SlackBackground>().WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(60));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Bot.DisposeAsync();
        await Slack.DisposeAsync();
        await Database.DisposeAsync();
    }
}
