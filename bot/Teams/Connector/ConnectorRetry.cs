using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace AlignmentBot.Bot.Teams.Connector;

/// <summary>
/// The connector's resilience pipeline: retry 412, 502, 503 and 504 (Teams' "retry these") with
/// exponential backoff and jitter, a few times. Never 400/401/403/404, and not 429: a throttled call goes
/// back to the caller with its Retry-After, because pacing the tenant is the delivery engine's job.
/// </summary>
internal static partial class ConnectorRetry
{
    public const string PipelineName = "teams-connector";

    private static readonly AsyncLocal<bool> Suppressed = new();

    /// <summary>
    /// Calls made inside the returned scope are tried once: their caller retries itself (the delivery engine,
    /// whose pacer counts one request per call and must not have a retry slip in unseen).
    /// </summary>
    public static IDisposable WithoutRetries()
    {
        var before = Suppressed.Value;
        Suppressed.Value = true;
        return new Restore(before);
    }

    private sealed class Restore(bool before) : IDisposable
    {
        public void Dispose() => Suppressed.Value = before;
    }

    public static bool IsRetried(HttpStatusCode status) => status is
        HttpStatusCode.PreconditionFailed or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, ResilienceHandlerContext context)
    {
        var services = context.ServiceProvider;
        var options = services.GetRequiredService<IOptions<TeamsConnectorOptions>>().Value;
        var time = services.GetRequiredService<TimeProvider>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger<BotConnectorClient>();

        // Backoff waits on the app's TimeProvider, so tests can drive them with a FakeTimeProvider.
        builder.TimeProvider = time;
        if (options.MaxRetries == 0)
        {
            return;
        }

        builder.AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = options.MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.RetryBaseDelay,
            MaxDelay = options.MaxRetryDelay,
            ShouldHandle = args => ValueTask.FromResult(!Suppressed.Value && args.Outcome.Result is { } response && IsRetried(response.StatusCode)),
            // A Retry-After on a 503 is honoured, but capped: a long wait is the caller's decision.
            ShouldRetryAfterHeader = false,
            DelayGenerator = args =>
            {
                var wait = BotConnectorClient.RetryAfter(args.Outcome.Result?.Headers.RetryAfter, time);
                return ValueTask.FromResult(wait is { } w && w > options.MaxRetryDelay ? options.MaxRetryDelay : wait);
            },
            OnRetry = args =>
            {
                var request = args.Context.GetRequestMessage();
                var response = args.Outcome.Result;
                LogRetrying(logger, request?.Method.Method, request?.RequestUri?.AbsolutePath,
                    response is null ? null : (int)response.StatusCode, args.RetryDelay, args.AttemptNumber + 1,
                    response?.Headers.TryGetValues(BotConnectorClient.CorrelatingOperationIdHeader, out var ids) == true ? string.Join(",", ids) : null);
                return default;
            },
        });
    }

    [LoggerMessage(10, LogLevel.Warning, "Bot Connector {Method} {Path} answered {Status}; retry {Retry} in {Delay}; X-Correlating-OperationId {CorrelatingOperationId}")]
    private static partial void LogRetrying(ILogger logger, string? method, string? path, int? status, TimeSpan delay, int retry, string? correlatingOperationId);
}
