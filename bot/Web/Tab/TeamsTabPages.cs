using System.Text.Encodings.Web;

namespace AlignmentBot.Bot.Web.Tab;

/// <summary>
/// The two pages Teams opens before the dashboard: the tab's start (Teams SSO, then on to the page asked for) and the
/// channel tab's configuration (pick the team). Plain HTML with our script and Microsoft's library, nothing inline.
/// </summary>
public static class TeamsTabPages
{
    /// <summary><c>GET /tab/open?to=/tab/teams/5</c>: the personal tab goes to /tab/teams, a channel tab to its team.</summary>
    public static IResult Open(string? to) =>
        Page("open", TeamsTabPaths.IsSafeNext(to) ? to! : "/tab/teams", "Opening AlignmentBot", "Signing you in with Teams…", "");

    /// <summary><c>GET /tab/configure</c>: the channel tab's configuration page.</summary>
    public static IResult Configure() =>
        Page("configure", "", "Add a team dashboard", "Signing you in with Teams…", """
                <p><label for="team">Team</label>
                <select id="team" disabled><option value="">Choose a team</option></select></p>
                <p>The tab shows that team's dashboard to everyone in the channel who may see it: members see the member view, managers and leaders theirs.</p>
            """);

    private static IResult Page(string mode, string next, string title, string status, string extra)
    {
        var html = HtmlEncoder.Default;
        return Results.Content($"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1" />
            <title>{html.Encode(title)} · AlignmentBot</title>
            <link rel="stylesheet" href="{SiteStyles.Path}" />
            <script src="{TeamsTabPaths.TeamsJsScript}" defer></script>
            <script src="{TeamsTabPaths.Script}" defer></script>
            </head>
            <body data-mode="{mode}" data-next="{html.Encode(next)}">
            <main id="main">
            <h1>{html.Encode(title)}</h1>
            <p id="status" role="status">{html.Encode(status)}</p>
            {extra}
            </main>
            </body>
            </html>
            """, "text/html; charset=utf-8");
    }
}
