using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AlignmentBot.Bot.Health;

/// <summary>
/// <c>GET /healthz</c>: <c>{"status":"ok","database":"ok","scheduler":"ok"}</c>, one property per
/// part (each feature registers its own check), plus whatever figures a check reports (e.g. queue depth).
/// 200 while every part works or is warming up; 503 naming the failing parts otherwise.
/// </summary>
public static class HealthEndpoint
{
    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddHealthChecks();
        return services;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
            ResponseWriter = WriteAsync,
        });
        return endpoints;
    }

    private static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        // Written to memory first: the serializer flushes synchronously, which the server forbids.
        var buffer = new ArrayBufferWriter<byte>();
        await using var json = new Utf8JsonWriter(buffer);
        json.WriteStartObject();
        json.WriteString("status", report.Status switch
        {
            HealthStatus.Healthy => "ok",
            HealthStatus.Degraded => "degraded",
            _ => "failing",
        });

        foreach (var (name, entry) in report.Entries)
        {
            json.WriteString(name, entry.Description ?? entry.Status.ToString().ToLowerInvariant());
            foreach (var (key, value) in entry.Data)
            {
                json.WritePropertyName(JsonNamingPolicy.CamelCase.ConvertName(key));
                JsonSerializer.Serialize(json, value);
            }
        }

        var failing = report.Entries.Where(e => e.Value.Status == HealthStatus.Unhealthy).Select(e => e.Key).ToList();
        if (failing.Count > 0)
        {
            json.WriteStartArray("failing");
            failing.ForEach(json.WriteStringValue);
            json.WriteEndArray();
        }

        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }
}
