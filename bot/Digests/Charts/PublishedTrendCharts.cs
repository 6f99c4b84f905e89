using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Digests.Charts;

/// <summary>Renders a digest's chart, stores it under a fresh token and returns its URL at the bot's public address.</summary>
internal sealed class PublishedTrendCharts(ChartStore store, ChartAddress address, IOptions<ChartOptions> options, TimeProvider time) : ITrendCharts
{
    public async Task<Uri> PublishAsync(long tenantId, TrendChartData data, CancellationToken ct)
    {
        var png = TrendChartRenderer.Render(data);
        var token = ChartToken.New();
        var now = time.GetUtcNow();
        await store.SaveAsync(tenantId, ChartToken.Hash(token), png, now, now + options.Value.Expiry, ct);
        return address.ChartUrl(token);
    }
}
