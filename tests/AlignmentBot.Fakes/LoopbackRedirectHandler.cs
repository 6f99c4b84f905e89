namespace AlignmentBot.Tests.Teams.Fakes;

/// <summary>
/// Sends every request to <paramref name="target"/> instead (same path and query): lets code that must call
/// a fixed https host, such as MSAL and login.microsoftonline.com, talk to a fake on a loopback port.
/// </summary>
public sealed class LoopbackRedirectHandler(Uri target) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { } original)
        {
            request.RequestUri = new UriBuilder(original) { Scheme = target.Scheme, Host = target.Host, Port = target.Port }.Uri;
        }

        return base.SendAsync(request, cancellationToken);
    }
}
