using AlignmentBot.Bot.People.Graph;
using AlignmentBot.Tests.Teams.Connector;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Tests.People;

/// <summary>Graph's settings as registered by the bot: off by default; on without the app's credentials is one line naming them.</summary>
public class GraphOptionsTests
{
    [Test]
    public void Enabling_Graph_without_the_bots_app_secret_names_the_settings()
    {
        using var host = ConnectorHost.Local(services => services.AddGraphSync(), new Dictionary<string, string?> { ["Graph:Enabled"] = "true" });

        var failure = Assert.Throws<OptionsValidationException>(() => _ = host.Services.GetRequiredService<IOptions<GraphOptions>>().Value);

        Assert.That(failure!.Failures, Is.EqualTo(new[]
        {
            "Graph:Enabled is true but Teams:AppId and Teams:AppPassword (the bot's Entra app, granted User.Read.All) are not both set.",
        }));
    }

    [Test]
    public void Graph_is_off_by_default_and_a_bad_page_size_is_named()
    {
        using var off = ConnectorHost.Local(services => services.AddGraphSync());
        using var bad = ConnectorHost.Authenticated(services => services.AddGraphSync(),
            new Dictionary<string, string?> { ["Graph:Enabled"] = "true", ["Graph:PageSize"] = "5000" });

        Assert.That(off.Services.GetRequiredService<IOptions<GraphOptions>>().Value.Enabled, Is.False);
        var failure = Assert.Throws<OptionsValidationException>(() => _ = bad.Services.GetRequiredService<IOptions<GraphOptions>>().Value);
        Assert.That(failure!.Failures.Single(), Does.StartWith("Graph:PageSize must be between 1 and 999"));
    }

    [Test]
    public void A_batch_larger_than_graph_takes_and_a_negative_pause_are_named()
    {
        using var bad = ConnectorHost.Authenticated(services => services.AddGraphSync(),
            new Dictionary<string, string?> { ["Graph:Enabled"] = "true", ["Graph:BatchSize"] = "21", ["Graph:BatchPause"] = "-00:00:01" });

        var failure = Assert.Throws<OptionsValidationException>(() => _ = bad.Services.GetRequiredService<IOptions<GraphOptions>>().Value);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(failure!.Failures.Count(), Is.EqualTo(2), "both named, in one start-up failure");
            Assert.That(failure.Failures, Has.Exactly(1).StartWith("Graph:BatchSize must be between 2 and 20, Graph's limit for $batch"));
            Assert.That(failure.Failures, Has.Exactly(1).StartWith("Graph:BatchPause must be between"));
        }
    }
}
