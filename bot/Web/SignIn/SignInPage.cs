using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Web.SignIn;

/// <summary>
/// The sign-in page when Slack is offered beside Entra (<c>/signin</c>): one link per provider, each starting that
/// provider's OpenID Connect sign-in (<c>/signin/entra</c>, <c>/signin/slack</c>) and coming back to the page asked for.
/// </summary>
public static class SignInPage
{
    public const string Path = "/signin";

    public static WebApplication MapSignIn(this WebApplication app)
    {
        app.MapGet(Path, Page).AllowAnonymous();
        app.MapGet(Path + "/{provider}", ChallengeAsync).AllowAnonymous();
        return app;
    }

    private static IResult Page(string? returnUrl, IOptions<SlackSignInOptions> slack)
    {
        var back = Uri.EscapeDataString(LocalOrHome(returnUrl));
        var html = HtmlEncoder.Default;
        var slackLink = slack.Value.IsConfigured
            ? $"""<li><a class="signin" href="{html.Encode($"{Path}/slack?returnUrl={back}")}">Sign in with Slack</a> if your team works in Slack</li>"""
            : "";
        return Results.Content($"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1" />
            <title>Sign in · AlignmentBot</title>
            <link rel="stylesheet" href="{SiteStyles.Path}" />
            </head>
            <body>
            <main id="main">
            <h1>Sign in to AlignmentBot</h1>
            <p>Use the account your team uses AlignmentBot with.</p>
            <ul>
            <li><a class="signin" href="{html.Encode($"{Path}/entra?returnUrl={back}")}">Sign in with Microsoft</a> if your team works in Microsoft Teams</li>
            {slackLink}
            </ul>
            </main>
            </body>
            </html>
            """, "text/html; charset=utf-8");
    }

    private static IResult ChallengeAsync(string provider, string? returnUrl, IOptions<SlackSignInOptions> slack)
    {
        var scheme = provider switch
        {
            "entra" => EntraSignIn.OpenIdScheme,
            "slack" when slack.Value.IsConfigured => SlackSignIn.OpenIdScheme,
            _ => null,
        };
        return scheme is null ? Results.NotFound() : Results.Challenge(new AuthenticationProperties { RedirectUri = LocalOrHome(returnUrl) }, [scheme]);
    }

    // Back to a page of this site only: never to another host ("//evil", "/\evil", "https://…").
    private static string LocalOrHome(string? url) =>
        url is { Length: > 1 } && url[0] == '/' && url[1] is not ('/' or '\\') ? url : url == "/" ? url : "/teams";
}
