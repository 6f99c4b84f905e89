using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Slack;

/// <summary>
/// The first thing every Slack endpoint does: Slack configured (else 404), the body within the limit (413, read
/// whole so a missing Content-Length is no way around it), then the signature over the raw bytes (401, nothing
/// parsed, nothing written). Only then is the body looked at.
/// </summary>
public sealed class SlackRequests(IOptions<SlackOptions> options, TimeProvider time, ILogger<SlackRequests> logger)
{
    /// <summary>The verified raw body, or null when a refusal was written to the response.</summary>
    public async Task<byte[]?> ReadVerifiedAsync(HttpContext http)
    {
        var o = options.Value;
        if (!o.IsEnabled)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return null;
        }

        if (http.Request.ContentLength > o.MaxBodyBytes || await ReadAsync(http.Request, o.MaxBodyBytes, http.RequestAborted) is not { } body)
        {
            http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return null;
        }

        var problem = SlackSignature.Check(o.SigningSecret!, Single(http, SlackSignature.TimestampHeader), Single(http, SlackSignature.SignatureHeader),
            body, time.GetUtcNow(), o.TimestampTolerance);
        if (problem is not null)
        {
            logger.LogWarning("Refused a request to {Path}: {Reason}", http.Request.Path.Value, problem);
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return null;
        }

        return body;
    }

    /// <summary>One header value; a repeated header is as good as a missing one.</summary>
    private static string? Single(HttpContext http, string name) =>
        http.Request.Headers.TryGetValue(name, out var values) && values.Count == 1 ? values[0] : null;

    private static async Task<byte[]?> ReadAsync(HttpRequest request, int max, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > max)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
