using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Web.Tab;

/// <summary>The tab's pages live under <c>/tab</c>: only they may be framed by Teams, and only they use the tab's session.</summary>
public static class TeamsTabPaths
{
    public const string Prefix = "/tab";
    public const string Open = "/tab/open";
    public const string Configure = "/tab/configure";
    public const string Session = "/tab/session";
    public const string TeamsList = "/tab/teams.json";
    public const string Script = "/tab/tab.js";
    public const string TeamsJsScript = "/tab/teams-js.js";

    /// <summary>A tab path while the tab is on.</summary>
    public static bool IsTab(HttpContext context) =>
        context.Request.Path.StartsWithSegments(Prefix, StringComparison.Ordinal)
        && context.RequestServices.GetRequiredService<IOptions<TeamsTabOptions>>().Value.Enabled;

    /// <summary>"/tab" on a tab page, "" elsewhere: links between dashboard pages stay inside the tab.</summary>
    public static string LinkPrefix(HttpContext? context) => context is not null && IsTab(context) ? Prefix : "";

    /// <summary>A path the tab may go on to after signing in: one of the tab's own pages, never another site.</summary>
    public static bool IsSafeNext(string? path) =>
        path is { Length: > 0 } && path.StartsWith(Prefix + "/", StringComparison.Ordinal)
        && !path.Contains("//", StringComparison.Ordinal) && !path.Contains('\\', StringComparison.Ordinal);
}
