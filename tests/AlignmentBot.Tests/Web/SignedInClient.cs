using System.Net;
using AlignmentBot.Tests.Teams.Fakes;

namespace AlignmentBot.Tests.Web;

/// <summary>
/// A browser's part in the sign-in, without a browser: it follows the redirects between the in-process bot and the
/// fake Entra ID and keeps the bot's cookies. Cookies are kept by name, whatever their expiry says, because the bot's
/// clock is a fake one (a real cookie jar would judge them by the machine's date).
/// </summary>
public sealed class SignedInClient : IDisposable
{
    private readonly HttpClient _bot;
    private readonly HttpClient _entra = new(new HttpClientHandler { AllowAutoRedirect = false });
    private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

    public SignedInClient(DashboardSite site)
    {
        _bot = site.Bot.CreateDefaultClient();
        Entra = site.Entra;
    }

    public FakeEntraId Entra { get; }

    public IReadOnlyDictionary<string, string> Cookies => _cookies;

    /// <summary>Signs <paramref name="user"/> in by opening <paramref name="path"/>; returns the page it lands on.</summary>
    public async Task<HttpResponseMessage> SignInAsync(FakeEntraId.SignedInUser user, string path = "/teams")
    {
        Entra.User = user;
        return await GetAsync(path);
    }

    /// <summary>GET on the bot, following redirects through Entra and back (at most 8).</summary>
    public async Task<HttpResponseMessage> GetAsync(string path)
    {
        var next = new Uri(path, UriKind.Relative);
        for (var hop = 0; hop < 8; hop++)
        {
            var response = next.IsAbsoluteUri && next.Port == Entra.BaseAddress.Port
                ? await _entra.GetAsync(next)
                : await SendAsync(new HttpRequestMessage(HttpMethod.Get, next.IsAbsoluteUri ? next.PathAndQuery : next.ToString()));
            if (response.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther) || response.Headers.Location is null)
            {
                return response;
            }

            next = response.Headers.Location;
            response.Dispose();
        }

        throw new InvalidOperationException($"More than 8 redirects from {path}.");
    }

    /// <summary>One request to the bot with the cookies kept so far; no redirect followed.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        if (_cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
        }

        var response = await _bot.SendAsync(request);
        foreach (var header in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
        {
            var pair = header.Split(';')[0];
            var name = pair[..pair.IndexOf('=', StringComparison.Ordinal)];
            var value = pair[(name.Length + 1)..];
            if (value.Length == 0 || header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
            {
                _cookies.Remove(name);
            }
            else
            {
                _cookies[name] = value;
            }
        }

        return response;
    }

    public void Dispose()
    {
        _bot.Dispose();
        _entra.Dispose();
    }
}
