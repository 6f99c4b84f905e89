using System.Net;
using System.Text.RegularExpressions;

namespace AlignmentBot.Tests.Web;

/// <summary>
/// A signed-in browser's part at the console, without a browser: it opens a page, takes the antiforgery token and the
/// form's handler name the page rendered, and posts the form back as a browser would (multipart when a file goes with it).
/// </summary>
public sealed partial class ConsoleClient(DashboardSite site) : IDisposable
{
    private readonly SignedInClient _client = new(site);

    public SignedInClient Session => _client;

    public async Task<(HttpStatusCode Status, string Html)> OpenAsync(string path)
    {
        using var response = await _client.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Posts form <paramref name="handler"/> of the page at <paramref name="path"/>, with the session's antiforgery token
    /// (from the console's home page: it is the session's, not the page's) unless <paramref name="withToken"/> is false.
    /// </summary>
    public async Task<HttpResponseMessage> PostAsync(string path, string handler, IEnumerable<KeyValuePair<string, string>> fields,
        (string FileName, string Content)? file = null, bool withToken = true)
    {
        var (_, html) = await OpenAsync("/console");
        var all = new List<KeyValuePair<string, string>>(fields) { new("_handler", handler) };
        if (withToken)
        {
            all.Add(new("__RequestVerificationToken", Token().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value)
                : throw new InvalidOperationException($"No antiforgery token on {path}.")));
        }

        HttpContent content;
        if (file is { } upload)
        {
            var multipart = new MultipartFormDataContent();
            foreach (var (name, value) in all)
            {
                multipart.Add(new StringContent(value), name);
            }

            var bytes = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(upload.Content));
            bytes.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
            multipart.Add(bytes, "file", upload.FileName);
            content = multipart;
        }
        else
        {
            content = new FormUrlEncodedContent(all);
        }

        return await _client.SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = content });
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    public void Dispose() => _client.Dispose();
}
