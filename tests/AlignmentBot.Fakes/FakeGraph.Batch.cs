using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AlignmentBot.Tests.Teams.Fakes;

/// <summary>
/// JSON batching as Graph documents it: <c>{"requests": [{"id", "method", "url"}]}</c> with urls relative to the version,
/// at most 20, answered <c>{"responses": [{"id", "status", "headers", "body"}]}</c> in any order (here: reversed, so a
/// client that matches by position fails). A throttled request inside a batch is a 429 item with its own Retry-After
/// header while the batch itself is a 200.
/// </summary>
public sealed partial class FakeGraph
{
    private readonly List<FakeGraphBatch> _batches = [];
    private int _batchThrottles;
    private int _itemThrottles;

    /// <summary>How many whole <c>POST /$batch</c> requests get a 429 (Retry-After: <see cref="RetryAfterSeconds"/>) before one is answered.</summary>
    public int ThrottleBatches { get; set; }

    /// <summary>How many single requests inside batches get a 429 item (Retry-After: <see cref="BatchItemRetryAfterSeconds"/>) before they are answered.</summary>
    public int ThrottleBatchItems { get; set; }

    /// <summary>The Retry-After of a throttled request inside a batch, in seconds.</summary>
    public int BatchItemRetryAfterSeconds { get; set; } = 3;

    /// <summary>Every batch answered 200, in order.</summary>
    public IReadOnlyList<FakeGraphBatch> Batches { get { lock (_lock) { return [.. _batches]; } } }

    private async Task<Reply> BatchAsync(HttpContext context)
    {
        if (Take(ref _batchThrottles, ThrottleBatches))
        {
            return Throttled();
        }

        JsonElement requests;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body);
            requests = document.RootElement.GetProperty("requests").Clone();
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return Error(400, "BadRequest", "Invalid batch payload format.");
        }

        if (requests.GetArrayLength() > 20)
        {
            return Error(400, "BadRequest", "Number of requests in a batch exceeds the limit of 20.");
        }

        var answered = new List<(string Id, string Url, int Status)>();
        var responses = new List<object>();
        foreach (var request in requests.EnumerateArray())
        {
            var id = request.GetProperty("id").GetString()!;
            var url = request.GetProperty("url").GetString()!;
            var split = url.IndexOf('?', StringComparison.Ordinal);
            var reply = Take(ref _itemThrottles, ThrottleBatchItems)
                ? Error(429, "TooManyRequests", "Too many requests.") with { RetryAfter = BatchItemRetryAfterSeconds }
                : Answer(request.GetProperty("method").GetString()!, "/v1.0/" + (split < 0 ? url : url[..split]).TrimStart('/'), split < 0 ? "" : url[split..]);
            var headers = new Dictionary<string, string> { ["Content-Type"] = "application/json" };
            if (reply.RetryAfter is { } seconds)
            {
                headers["Retry-After"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            answered.Add((id, url, reply.Status));
            responses.Add(new { id, status = reply.Status, headers, body = reply.Body });
        }

        lock (_lock)
        {
            _batches.Add(new FakeGraphBatch(Now, answered));
        }

        responses.Reverse();
        return new Reply(200, new { responses });
    }
}
