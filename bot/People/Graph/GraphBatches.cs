using System.Net;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;

namespace AlignmentBot.Bot.People.Graph;

/// <summary>
/// Per-user reads sent as Graph JSON batches (<c>POST /$batch</c>, at most <c>Graph:BatchSize</c> requests each), one
/// batch in flight at a time with <c>Graph:BatchPause</c> between batches. A 429/503 for the whole batch is waited out by
/// the SDK's retry handler (it honours Retry-After); a 429/503 for single requests inside a batch answered 200 is not
/// seen by any handler, so only those requests go again, in a new batch, after the longest Retry-After they named.
/// </summary>
internal sealed class GraphBatches(GraphServiceClient client, GraphOptions options, TimeProvider time)
{
    // A Retry-After longer than this is someone's mistake, not a reason to hold the nightly job for hours.
    private static readonly TimeSpan LongestWait = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan WaitWithoutRetryAfter = TimeSpan.FromSeconds(2);

    private bool _sentOne;

    /// <summary>How many requests were still throttled after every retry (their answers are missing from the result).</summary>
    public int GaveUp { get; private set; }

    /// <summary>
    /// Sends one request per key and returns each key's answer: the parsed body for 2xx, and for every other status
    /// that is not throttling, the status alone (a 404 or 403 for one user is theirs, not the batch's).
    /// </summary>
    public async Task<Dictionary<string, (HttpStatusCode Status, T? Body)>> GetAsync<T>(IReadOnlyList<string> keys, Func<string, RequestInformation> request,
        CancellationToken ct) where T : IParsable, new()
    {
        var answers = new Dictionary<string, (HttpStatusCode, T?)>(StringComparer.Ordinal);
        foreach (var chunk in keys.Chunk(options.BatchSize))
        {
            IReadOnlyList<string> pending = chunk;
            for (var attempt = 0; pending.Count > 0; attempt++)
            {
                if (attempt > options.ThrottledRetries)
                {
                    GaveUp += pending.Count;
                    break;
                }

                pending = await SendAsync(pending, request, answers, ct);
            }
        }

        return answers;
    }

    /// <summary>One batch; returns the keys Graph throttled, after waiting as long as they asked.</summary>
    private async Task<IReadOnlyList<string>> SendAsync<T>(IReadOnlyList<string> keys, Func<string, RequestInformation> request,
        Dictionary<string, (HttpStatusCode, T?)> answers, CancellationToken ct) where T : IParsable, new()
    {
        if (_sentOne && options.BatchPause > TimeSpan.Zero)
        {
            await Task.Delay(options.BatchPause, time, ct);
        }

        _sentOne = true;
        var batch = new BatchRequestContentCollection(client, options.BatchSize);
        foreach (var key in keys)
        {
            await batch.AddBatchRequestStepAsync(request(key), key);
        }

        var responses = await client.Batch.PostAsync(batch, ct);
        var throttled = new List<string>();
        var wait = TimeSpan.Zero;
        foreach (var (key, status) in await responses.GetResponsesStatusCodesAsync())
        {
            if (status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
            {
                throttled.Add(key);
                using var response = await responses.GetResponseByIdAsync(key);
                var asked = response.Headers.RetryAfter?.Delta ?? WaitWithoutRetryAfter;
                wait = asked > wait ? asked : wait;
            }
            else if ((int)status is >= 200 and < 300)
            {
                answers[key] = (status, await responses.GetResponseByIdAsync<T>(key));
            }
            else
            {
                answers[key] = (status, default);
            }
        }

        if (throttled.Count > 0)
        {
            await Task.Delay(wait < LongestWait ? wait : LongestWait, time, ct);
        }

        return throttled;
    }
}
