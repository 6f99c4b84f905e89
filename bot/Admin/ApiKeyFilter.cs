using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Admin;

/// <summary>
/// Lets a request through only with the configured <c>X-Api-Key</c>. Compared in constant time over
/// fixed-length hashes, so neither the content nor the length of the key leaks through timing.
/// </summary>
public sealed class ApiKeyFilter(IOptions<AdminOptions> options) : IEndpointFilter
{
    public const string Header = "X-Api-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!options.Value.Enabled)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "The admin API is off",
                detail: $"Set {AdminOptions.Section}:{nameof(AdminOptions.ApiKey)} to turn it on.");
        }

        var given = context.HttpContext.Request.Headers[Header].ToString();
        if (given.Length == 0 || !Matches(given, options.Value.ApiKey))
        {
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                detail: $"Send the admin API key in the {Header} header.");
        }

        return await next(context);
    }

    private static bool Matches(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
