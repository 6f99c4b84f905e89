using System.Text.Json;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Admin;

public static class AdminEndpoints
{
    public static IServiceCollection AddAdmin(this IServiceCollection services)
    {
        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AdminOptions>, AdminOptionsValidator>();
        services.AddSingleton<ApiKeyFilter>();
        services.AddProblemDetails();
        return services;
    }

    /// <summary>The <c>/admin</c> route group, behind the API key; features add their endpoints to it.</summary>
    public static RouteGroupBuilder MapAdmin(this IEndpointRouteBuilder app) =>
        app.MapGroup("/admin").AddEndpointFilter<ApiKeyFilter>();

    /// <summary>Reads a JSON body; a malformed one becomes a 400 problem naming where it broke.</summary>
    public static async Task<(T? Value, IResult? Problem)> ReadJsonAsync<T>(HttpRequest request, CancellationToken ct)
    {
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, JsonSerializerOptions.Web, ct);
            return value is null
                ? (default, Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Empty body", detail: "Send a JSON object."))
                : (value, null);
        }
        catch (JsonException ex)
        {
            return (default, Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed JSON",
                detail: $"The body is not valid JSON for this request{(ex.Path is null ? "" : $" (at {ex.Path}, line {ex.LineNumber + 1})")}."));
        }
    }
}
