namespace AlignmentBot.Bot.Web;

/// <summary>The dashboard's one stylesheet, embedded in the assembly and served by the bot (no static-asset pipeline).</summary>
public static class SiteStyles
{
    public const string Path = "/dashboard/site.css";

    private static readonly byte[] Css = Load();

    public static IResult Serve(HttpContext context)
    {
        context.Response.Headers.CacheControl = "public, max-age=3600";
        return Results.Bytes(Css, "text/css; charset=utf-8");
    }

    private static byte[] Load()
    {
        using var stream = typeof(SiteStyles).Assembly.GetManifestResourceStream("AlignmentBot.Bot.Web.Assets.site.css")
            ?? throw new InvalidOperationException("The dashboard's stylesheet is missing from the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
