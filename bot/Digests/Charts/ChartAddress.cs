using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Digests.Charts;

/// <summary>
/// Where chart URLs point: <c>Charts:PublicBaseUrl</c>, or in Development when it is empty, the address the bot
/// actually listens on (asked of the server once it has bound, so <c>--urls</c> and port 0 are followed), not a
/// fixed one that would leave the card with a broken image.
/// </summary>
internal sealed class ChartAddress(IOptions<ChartOptions> options, IServer? server = null)
{
    public Uri ChartUrl(string token) => ChartOptions.ChartUrl(BaseUrl(), token);

    private string BaseUrl()
    {
        if (!string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl))
        {
            return options.Value.PublicBaseUrl;
        }

        var addresses = server?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var listening = addresses.Select(a => Uri.TryCreate(Loopback(a), UriKind.Absolute, out var uri) ? uri : null).OfType<Uri>().ToList();
        // Plain http first: a browser on this machine fetches it without a development certificate.
        var best = listening.FirstOrDefault(u => u.Scheme == Uri.UriSchemeHttp) ?? listening.FirstOrDefault();
        // A server that reports no address (the in-process test host) has none to give; the default is the best guess.
        return best?.GetLeftPart(UriPartial.Authority) ?? Hosting.BotConfiguration.DefaultUrl;
    }

    /// <summary>A wildcard binding ("http://+:80", "http://[::]:5000") is reached on this machine at its loopback address.</summary>
    private static string Loopback(string address) =>
        System.Text.RegularExpressions.Regex.Replace(address, @"^(https?://)(\+|\*|0\.0\.0\.0|\[::\])(?=[:/]|$)", "${1}127.0.0.1");
}
