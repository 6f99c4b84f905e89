using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AlignmentBot.Bot.Slack;

/// <summary>
/// The few Slack Web API methods the bot calls, over plain HTTP (no Slack SDK is served for .NET). Writes go as
/// JSON with the bot token as a bearer; reads and the OAuth exchange as form posts. Outcomes are values, not
/// exceptions: the caller decides what <c>ratelimited</c> or <c>channel_not_found</c> means. Tokens are never logged.
/// </summary>
public sealed class SlackWebApi(HttpClient http, TimeProvider time)
{
    public const string HttpClientName = "slack-web-api";

    public Task<SlackApiResult> PostMessageAsync(string token, JsonObject message, CancellationToken ct) => PostJsonAsync("chat.postMessage", token, message, ct);

    public Task<SlackApiResult> UpdateAsync(string token, JsonObject message, CancellationToken ct) => PostJsonAsync("chat.update", token, message, ct);

    public Task<SlackApiResult> PostEphemeralAsync(string token, JsonObject message, CancellationToken ct) => PostJsonAsync("chat.postEphemeral", token, message, ct);

    public Task<SlackApiResult> OpenViewAsync(string token, string triggerId, JsonObject view, CancellationToken ct) =>
        PostJsonAsync("views.open", token, new JsonObject { ["trigger_id"] = triggerId, ["view"] = view }, ct);

    public Task<SlackApiResult> AuthTestAsync(string token, CancellationToken ct) => PostFormAsync("auth.test", token, [], ct);

    public Task<SlackApiResult> UsersListAsync(string token, string? cursor, int limit, CancellationToken ct) =>
        PostFormAsync("users.list", token, Page(cursor, limit), ct);

    public Task<SlackApiResult> ConversationMembersAsync(string token, string channel, string? cursor, int limit, CancellationToken ct) =>
        PostFormAsync("conversations.members", token, [.. Page(cursor, limit), new("channel", channel)], ct);

    /// <summary>Exchanges an OAuth code (or, with <c>grant_type=refresh_token</c> in the fields, a refresh token) for tokens.</summary>
    public async Task<SlackApiResult> OAuthAccessAsync(string clientId, string clientSecret, IReadOnlyList<KeyValuePair<string, string>> fields, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "oauth.v2.access") { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{clientSecret}")));
        return await SendAsync(request, ct);
    }

    /// <summary>A slash command's late answer, to its <c>response_url</c> (checked by the caller).</summary>
    public async Task<SlackApiResult> RespondAsync(Uri responseUrl, JsonObject message, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, responseUrl) { Content = Json(message) };
        return await SendAsync(request, ct, expectJson: false);
    }

    private static List<KeyValuePair<string, string>> Page(string? cursor, int limit)
    {
        var fields = new List<KeyValuePair<string, string>> { new("limit", limit.ToString(CultureInfo.InvariantCulture)) };
        if (!string.IsNullOrEmpty(cursor))
        {
            fields.Add(new("cursor", cursor));
        }

        return fields;
    }

    private async Task<SlackApiResult> PostJsonAsync(string method, string token, JsonObject body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, method) { Content = Json(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await SendAsync(request, ct);
    }

    private async Task<SlackApiResult> PostFormAsync(string method, string token, IReadOnlyList<KeyValuePair<string, string>> fields, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, method) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await SendAsync(request, ct);
    }

    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private async Task<SlackApiResult> SendAsync(HttpRequestMessage request, CancellationToken ct, bool expectJson = true)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (HttpRequestException ex)
        {
            return SlackApiResult.NoResponse($"no answer: {ex.HttpRequestError}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return SlackApiResult.NoResponse("no answer: timed out");
        }

        using (response)
        {
            var retryAfter = response.Headers.RetryAfter is { } header
                ? header.Delta ?? (header.Date is { } date ? date - time.GetUtcNow() : null)
                : null;
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return new SlackApiResult { StatusCode = response.StatusCode, Error = "ratelimited", RetryAfter = retryAfter };
            }

            var text = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                return new SlackApiResult { StatusCode = response.StatusCode, Error = $"http {(int)response.StatusCode}" };
            }

            if (!expectJson)
            {
                return new SlackApiResult { StatusCode = response.StatusCode, Ok = true };
            }

            try
            {
                using var document = JsonDocument.Parse(text);
                var root = document.RootElement.Clone();
                var ok = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("ok", out var okValue) && okValue.ValueKind == JsonValueKind.True;
                var error = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
                return new SlackApiResult { StatusCode = response.StatusCode, Ok = ok, Error = ok ? null : error ?? "ok:false without an error", Body = root, RetryAfter = retryAfter };
            }
            catch (JsonException)
            {
                return new SlackApiResult { StatusCode = response.StatusCode, Error = "invalid_response" };
            }
        }
    }
}
