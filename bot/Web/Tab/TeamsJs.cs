namespace AlignmentBot.Bot.Web.Tab;

/// <summary>
/// Microsoft's Teams JavaScript client library (@microsoft/teams-js 2.x), served from the bot's own assembly: npm
/// installs it in bot/Web/Tab/client (scripts/test-clients.sh) and the build embeds its minified bundle, so the tab
/// loads no script from anyone else's host and a deployment copies no extra files.
/// </summary>
public static class TeamsJs
{
    private const string Resource = "AlignmentBot.Bot.Web.Tab.MicrosoftTeams.min.js";
    private const string OurScript = "AlignmentBot.Bot.Web.Tab.tab.js";

    private static readonly Lazy<byte[]?> Library = new(() => Load(Resource));
    private static readonly Lazy<byte[]?> Tab = new(() => Load(OurScript));

    /// <summary>Whether the build found the library (a build without it cannot turn the tab on).</summary>
    public static bool IsEmbedded => typeof(TeamsJs).Assembly.GetManifestResourceInfo(Resource) is not null;

    public static IResult ServeLibrary(HttpContext context) => Serve(context, Library.Value);

    public static IResult ServeTabScript(HttpContext context) => Serve(context, Tab.Value);

    private static IResult Serve(HttpContext context, byte[]? script)
    {
        if (script is null)
        {
            return Results.NotFound();
        }

        context.Response.Headers.CacheControl = "public, max-age=3600";
        return Results.Bytes(script, "text/javascript; charset=utf-8");
    }

    private static byte[]? Load(string name)
    {
        using var stream = typeof(TeamsJs).Assembly.GetManifestResourceStream(name);
        if (stream is null)
        {
            return null;
        }

        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
