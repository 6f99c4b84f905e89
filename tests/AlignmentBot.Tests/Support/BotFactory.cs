using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentBot.Tests.Support;

/// <summary>The bot hosted in-process against a real test database.</summary>
public sealed class BotFactory(TestDatabase database, IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? time = null,
    Action<IServiceCollection>? configureServices = null) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Postgres", database.ConnectionString);
        // The real-time roster refresh would read the fake connector's rosters in the middle of a test; tests run it themselves.
        builder.UseSetting("People:RosterRefreshInterval", "00:00:00");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter, AdminListenerStandIn>());
        if (time is not null)
        {
            // The app's clock (Quartz keeps its own): tests drive a FakeTimeProvider instead of waiting.
            builder.ConfigureTestServices(services => services.AddSingleton(time));
        }

        if (configureServices is not null)
        {
            builder.ConfigureTestServices(configureServices);
        }
    }
}
