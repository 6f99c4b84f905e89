using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace AlignmentBot.Bot.Hosting;

public static class BotConfiguration
{
    public const string DefaultUrl = "http://127.0.0.1:3978";

    /// <summary>
    /// The root appsettings.json (copied next to the binary) is read first, so that the
    /// environment (<c>Section__Key</c>) and the command line override it; the listening address is
    /// the standard <c>--urls</c> / <c>ASPNETCORE_URLS</c>, loopback port 3978 when neither is given.
    /// </summary>
    public static WebApplicationBuilder UseAlignmentBotConfiguration(this WebApplicationBuilder builder)
    {
        var sources = builder.Configuration.Sources;
        var firstJson = sources.Select((source, index) => (source, index)).FirstOrDefault(s => s.source is JsonConfigurationSource);
        sources.Insert(firstJson.source is null ? 0 : firstJson.index, new JsonConfigurationSource
        {
            FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory),
            Path = "appsettings.json",
            Optional = true,
            ReloadOnChange = false,
        });

        if (string.IsNullOrWhiteSpace(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        // Every registration is checked when the container is built, not on first use.
        builder.Host.UseDefaultServiceProvider(options =>
        {
            options.ValidateOnBuild = true;
            options.ValidateScopes = true;
        });
        return builder;
    }
}
