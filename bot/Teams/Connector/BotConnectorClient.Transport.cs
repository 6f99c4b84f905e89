using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AlignmentBot.Bot.Teams.Protocol;
using MsalException = Microsoft.Identity.Client.MsalException;

namespace AlignmentBot.Bot.Teams.Connector;

public sealed partial class BotConnectorClient
{
    public const string CorrelatingOperationIdHeader = "X-Correlating-OperationId";
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "utf-8" };

    private async Task<ConnectorResult<T>> CallAsync<T>(
        string operation, string target, string serviceUrl, HttpMethod method, string path, object? body, Func<string, T?>? read, CancellationToken cancellationToken)
    {
        // The allow-list is checked before a token is even fetched: a forged serviceUrl must never see it.
        var withToken = tokens.HasCredentials;
        if (!allowList.TryGetBase(serviceUrl, withToken, out var baseUri, out var reason))
        {
            LogRefused(operation, target, serviceUrl, reason);
            return new() { Failure = ConnectorFailure.ServiceUrlNotAllowed, ErrorMessage = $"serviceUrl refused: {reason}" };
        }

        string? token;
        try
        {
            token = await tokens.GetTokenAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is MsalException or HttpRequestException)
        {
            var error = ex is MsalException msal ? msal.ErrorCode : ex.Message;
            LogTokenFailed(ex, operation, target, error);
            return new() { Failure = ConnectorFailure.TokenUnavailable, ErrorMessage = $"no token from Entra ID: {error}" };
        }

        using var request = new HttpRequestMessage(method, new Uri(baseUri, path));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            // Buffered, so it has a Content-Length and is sent again unchanged on a retry.
            request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), ProtocolJson.Options));
            request.Content.Headers.ContentType = JsonMediaType;
        }

        HttpResponseMessage response;
        string text;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
            text = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException ||
                                   (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var why = ex is OperationCanceledException ? $"no answer within {http.Timeout}" : ex.Message;
            LogNoResponse(ex, operation, target, why);
            return new() { Failure = ConnectorFailure.NoResponse, ErrorMessage = why };
        }

        using (response)
        {
            var correlating = response.Headers.TryGetValues(CorrelatingOperationIdHeader, out var values) ? string.Join(",", values) : null;
            var retryAfter = RetryAfter(response.Headers.RetryAfter, time);
            var status = response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                T? value;
                try
                {
                    value = read is null ? default : read(text);
                }
                catch (JsonException ex)
                {
                    LogInvalidResponse(ex, operation, target, (int)status, correlating);
                    return new() { StatusCode = status, Failure = ConnectorFailure.InvalidResponse, ErrorMessage = ex.Message, CorrelatingOperationId = correlating };
                }

                LogAnswered(operation, target, (int)status, correlating);
                return new() { StatusCode = status, Value = value, RetryAfter = retryAfter, CorrelatingOperationId = correlating };
            }

            var (code, message) = ReadError(text);
            if (status == HttpStatusCode.TooManyRequests)
            {
                LogThrottled(operation, target, retryAfter, correlating);
            }
            else
            {
                LogFailed(operation, target, (int)status, code, message, correlating);
            }

            return new()
            {
                StatusCode = status,
                RetryAfter = retryAfter,
                ErrorCode = code,
                ErrorMessage = message,
                CorrelatingOperationId = correlating,
            };
        }
    }

    /// <summary>Retry-After as a wait from now: delta-seconds as given, an HTTP date relative to <paramref name="time"/>.</summary>
    internal static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, TimeProvider time)
    {
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    /// <summary>Teams' error body: <c>{"error":{"code":"MessageWritesBlocked","message":"..."}}</c>.</summary>
    private static (string? Code, string? Message) ReadError(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return default;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object &&
                document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                return (String(error, "code"), String(error, "message"));
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page, say): the status says enough.
        }

        return default;

        static string? String(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    [LoggerMessage(1, LogLevel.Debug, "Bot Connector {Operation} {Target}: {Status}; X-Correlating-OperationId {CorrelatingOperationId}")]
    private partial void LogAnswered(string operation, string target, int status, string? correlatingOperationId);

    [LoggerMessage(2, LogLevel.Information, "Bot Connector {Operation} {Target}: 429 throttled, Retry-After {RetryAfter}; X-Correlating-OperationId {CorrelatingOperationId}")]
    private partial void LogThrottled(string operation, string target, TimeSpan? retryAfter, string? correlatingOperationId);

    [LoggerMessage(3, LogLevel.Warning, "Bot Connector {Operation} {Target} failed: {Status} {ErrorCode} {ErrorMessage}; X-Correlating-OperationId {CorrelatingOperationId}")]
    private partial void LogFailed(string operation, string target, int status, string? errorCode, string? errorMessage, string? correlatingOperationId);

    [LoggerMessage(4, LogLevel.Warning, "Bot Connector {Operation} {Target} refused, nothing sent: serviceUrl {ServiceUrl} is not allowed because {Reason}")]
    private partial void LogRefused(string operation, string target, string? serviceUrl, string reason);

    [LoggerMessage(5, LogLevel.Error, "Bot Connector {Operation} {Target} not sent: no token from Entra ID ({MsalError}); check Teams:AppId, Teams:AppPassword and Teams:TenantId")]
    private partial void LogTokenFailed(Exception exception, string operation, string target, string msalError);

    [LoggerMessage(6, LogLevel.Warning, "Bot Connector {Operation} {Target} got no answer: {Reason}")]
    private partial void LogNoResponse(Exception exception, string operation, string target, string reason);

    [LoggerMessage(7, LogLevel.Warning, "Bot Connector {Operation} {Target}: {Status} with an unreadable body; X-Correlating-OperationId {CorrelatingOperationId}")]
    private partial void LogInvalidResponse(Exception exception, string operation, string target, int status, string? correlatingOperationId);
}
