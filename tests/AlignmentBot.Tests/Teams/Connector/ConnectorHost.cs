using System.Collections.Concurrent;
using AlignmentBot.Bot.Teams.Connector;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AlignmentBot.Tests.Teams.Connector;

/// <summary>
/// The connector as the bot registers it (<see cref="TeamsConnectorServiceCollectionExtensions.AddTeamsConnector"/>,
/// configuration bound from settings), without the rest of the bot. Retry delays default to a millisecond.
/// </summary>
internal sealed class ConnectorHost : IDisposable
{
    public const string AppId = "00000000-0000-0000-0000-00000000b07a";
    public const string AppPassword = "app-secret";
    public const string TenantId = "11111111-2222-3333-4444-555555555555";

    private readonly IHost _host;

    private ConnectorHost(IHost host, LogCapture logs)
    {
        _host = host;
        Logs = logs;
    }

    public IServiceProvider Services => _host.Services;

    public LogCapture Logs { get; }

    public BotConnectorClient Client => Services.GetRequiredService<BotConnectorClient>();

    /// <summary>No AppId: local mode, no token.</summary>
    public static ConnectorHost Local(Action<IServiceCollection>? services = null, IDictionary<string, string?>? settings = null) =>
        Create(new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()), services);

    /// <summary>Credentials configured and 127.0.0.1 allowed, so the fake connector may receive the token.</summary>
    public static ConnectorHost Authenticated(Action<IServiceCollection>? services = null, IDictionary<string, string?>? settings = null, bool allowLoopback = true)
    {
        var all = new Dictionary<string, string?>
        {
            ["Teams:AppId"] = AppId,
            ["Teams:AppPassword"] = AppPassword,
            ["Teams:TenantId"] = TenantId,
        };
        if (allowLoopback)
        {
            all["Teams:AllowedServiceUrlHosts:0"] = "127.0.0.1";
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return Create(all, services);
    }

    private static ConnectorHost Create(Dictionary<string, string?> settings, Action<IServiceCollection>? services)
    {
        settings.TryAdd("Teams:Connector:RetryBaseDelay", "00:00:00.001");
        settings.TryAdd("Teams:Connector:MaxRetryDelay", "00:00:00.005");
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(settings);
        var logs = new LogCapture();
        builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace);
        builder.Services.AddTeamsConnector();
        services?.Invoke(builder.Services);
        return new ConnectorHost(builder.Build(), logs);
    }

    public void Dispose() => _host.Dispose();
}

/// <summary>Every log line written, formatted, for assertions about what is (and is never) logged.</summary>
internal sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Message)> _entries = new();

    public IReadOnlyList<(LogLevel Level, string Category, string Message)> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            capture._entries.Enqueue((logLevel, category, formatter(state, exception) + (exception is null ? "" : " " + exception.Message)));
    }
}

/// <summary>A fixed token, counting how often it was asked for.</summary>
internal sealed class StaticTokenProvider(string? token) : IBotTokenProvider
{
    private int _calls;

    public int Calls => _calls;

    public bool HasCredentials => token is not null;

    public ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return ValueTask.FromResult(token);
    }
}
