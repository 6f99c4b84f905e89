using System.Text;
using System.Text.Encodings.Web;

namespace AlignmentBot.Bot.Slack.Install;

/// <summary>The small HTML pages a person sees at the end of an install, each with its status code; every value is HTML-encoded.</summary>
public static class SlackInstallPages
{
    public static IResult Page(int status, string title, string message, bool startAgain = false)
    {
        var html = new StringBuilder()
            .Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">")
            .Append("<title>").Append(HtmlEncoder.Default.Encode(title)).Append(" — AlignmentBot</title></head>")
            .Append("<body style=\"font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem\">")
            .Append("<h1>").Append(HtmlEncoder.Default.Encode(title)).Append("</h1>")
            .Append("<p>").Append(HtmlEncoder.Default.Encode(message)).Append("</p>");
        if (startAgain)
        {
            html.Append("<p><a href=\"").Append(SlackInstallEndpoints.InstallPath).Append("\">Start the install again</a></p>");
        }

        html.Append("</body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }
}
