using System.Net;
using System.Text.Json;

namespace AlignmentBot.Bot.Slack;

/// <summary>
/// Reads every page of a Slack list method (<c>users.list</c>, <c>conversations.members</c>): the next page by the
/// answer's <c>response_metadata.next_cursor</c> until it is empty. These are rate-limited per method (users.list is
/// tier 2, about 20 calls a minute): a 429 is waited out for its Retry-After on the bot's clock and the same page asked
/// again, at most <see cref="MaxThrottles"/> times in one listing. Any other failure ends the listing with Slack's error.
/// </summary>
public sealed class SlackPages(TimeProvider time, ILogger<SlackPages> logger)
{
    public const int MaxThrottles = 5;

    /// <summary>What to wait when a 429 carries no Retry-After (Slack always sends one; a proxy might not).</summary>
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(30);

    /// <summary>Every item of the <paramref name="items"/> array across all pages, or Slack's error.</summary>
    public async Task<SlackListing> ReadAllAsync(string method, string items, Func<string?, CancellationToken, Task<SlackApiResult>> call, CancellationToken ct)
    {
        var all = new List<JsonElement>();
        string? cursor = null;
        var throttles = 0;
        do
        {
            var page = await call(cursor, ct);
            if (page.StatusCode == HttpStatusCode.TooManyRequests || page.Error == "ratelimited")
            {
                if (++throttles > MaxThrottles)
                {
                    return new SlackListing(all, "ratelimited");
                }

                var wait = page.RetryAfter is { } after && after > TimeSpan.Zero ? after : DefaultRetryAfter;
                logger.LogInformation("Slack {Method} is rate-limited: waiting {Seconds} s as its Retry-After asks, then asking for the same page again",
                    method, wait.TotalSeconds);
                await Task.Delay(wait, time, ct);
                continue;
            }

            if (!page.Ok)
            {
                return new SlackListing(all, page.Error ?? "unknown");
            }

            all.AddRange(SlackJson.Array(page.Body, items));
            cursor = page.GetString("response_metadata", "next_cursor");
        }
        while (!string.IsNullOrEmpty(cursor));

        return new SlackListing(all, null);
    }
}
