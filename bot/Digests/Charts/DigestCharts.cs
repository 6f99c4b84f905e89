using System.Globalization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Digests.Charts;

/// <summary>
/// Digest charts: <see cref="ITrendCharts"/> publishes them, and <c>GET /charts/{token}.png</c> serves them to
/// whoever holds the URL until it expires.
/// </summary>
public static class DigestCharts
{
    public static IServiceCollection AddDigestCharts(this IServiceCollection services)
    {
        services.AddOptions<ChartOptions>().BindConfiguration(ChartOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ChartOptions>>(sp => new ChartOptionsValidator(sp.GetRequiredService<IHostEnvironment>().IsDevelopment()));
        services.AddSingleton<ChartAddress>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ChartStore>();
        services.AddSingleton<ITrendCharts, PublishedTrendCharts>();
        return services;
    }

    /// <summary>
    /// Anonymous, because Teams fetches a card's images without our credentials: the unguessable, expiring URL is
    /// the access control. Every refusal is the same bare 404, so a caller learns nothing about which tokens exist.
    /// </summary>
    public static IEndpointRouteBuilder MapDigestCharts(this IEndpointRouteBuilder app)
    {
        app.MapGet("/charts/{token}.png", GetAsync).AllowAnonymous();
        return app;
    }

    private static async Task<IResult> GetAsync(string token, ChartStore store, TimeProvider time, HttpResponse response, CancellationToken ct)
    {
        if (!ChartToken.TryHash(token, out var hash))
        {
            return Results.NotFound();
        }

        var now = time.GetUtcNow();
        var chart = await store.FindAsync(hash, now, ct);
        if (chart is null)
        {
            return Results.NotFound();
        }

        // The image behind a URL never changes; caches (Teams' image proxy among them) may keep it until it expires.
        var secondsLeft = (long)(chart.ExpiresAt - now).TotalSeconds;
        response.Headers.CacheControl = string.Create(CultureInfo.InvariantCulture, $"public, max-age={secondsLeft}, immutable");
        response.Headers.XContentTypeOptions = "nosniff";
        return Results.File(chart.Png, "image/png");
    }
}
