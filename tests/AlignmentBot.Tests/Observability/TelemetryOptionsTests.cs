using AlignmentBot.Bot.Hosting;
using AlignmentBot.Bot.Observability;
using AlignmentBot.Tests.Hosting;
using AlignmentBot.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace AlignmentBot.Tests.Observability;

/// <summary>The telemetry settings: each bad one named in one line; JSON logs when asked for.</summary>
public class TelemetryOptionsTests
{
    private static IReadOnlyList<string> Failures(TelemetryOptions options, Dictionary<string, string?>? configuration = null)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(configuration ?? []).Build();
        var result = new TelemetryOptionsValidator(config, new MainUrls(config["urls"] ?? "")).Validate(null, options);
        return result.Failed ? [.. result.Failures] : [];
    }

    [Test]
    public void The_defaults_are_valid_and_export_nothing()
    {
        var options = new TelemetryOptions();

        Assert.That(Failures(options), Is.Empty);
        Assert.That(options.EndpointUri, Is.Null);
        Assert.That(options.PrometheusPorts, Is.Empty);
    }

    [Test]
    public void A_local_collector_and_a_loopback_scrape_port_are_valid()
    {
        var options = new TelemetryOptions { Endpoint = "http://127.0.0.1:4318", Protocol = "http/protobuf", PrometheusUrls = "http://127.0.0.1:9464;http://[::1]:9465" };

        Assert.That(Failures(options, new() { ["urls"] = "http://127.0.0.1:3978" }), Is.Empty);
        Assert.That(options.PrometheusPorts, Is.EquivalentTo(new[] { 9464, 9465 }));
    }

    [TestCase("Endpoint", "not a url", "OpenTelemetry:Endpoint must be an absolute http(s) URL")]
    [TestCase("Endpoint", "ftp://127.0.0.1:4317", "OpenTelemetry:Endpoint must be an absolute http(s) URL")]
    [TestCase("Protocol", "udp", "OpenTelemetry:Protocol must be grpc")]
    [TestCase("PrometheusUrls", "http://127.0.0.1", "explicit port")]
    [TestCase("PrometheusUrls", "http://127.0.0.1:9464/metrics", "no path")]
    [TestCase("PrometheusUrls", "http://0.0.0.0:9464", "not a loopback address")]
    [TestCase("PrometheusUrls", "http://127.0.0.1:3978", "a port of its own")]
    public void A_bad_setting_is_named_with_what_it_takes(string setting, string value, string expected)
    {
        var options = new TelemetryOptions();
        typeof(TelemetryOptions).GetProperty(setting)!.SetValue(options, value);

        var failures = Failures(options, new() { ["urls"] = "http://127.0.0.1:3978" });

        Assert.That(failures, Has.Count.EqualTo(1));
        Assert.That(failures[0], Does.Contain(expected));
        Assert.That(failures[0], Does.StartWith($"OpenTelemetry:{setting}"));
    }

    [Test]
    public void A_remote_scrape_address_is_allowed_only_when_said_so()
    {
        var options = new TelemetryOptions { PrometheusUrls = "http://10.0.0.5:9464", PrometheusAllowRemote = true };

        Assert.That(Failures(options), Is.Empty);
    }

    [Test]
    public void An_unknown_log_format_is_named()
    {
        var failures = Failures(new TelemetryOptions(), new() { [TelemetryOptionsValidator.FormatterSetting] = "xml" });

        Assert.That(failures, Is.EqualTo(new[] { "Logging:Console:FormatterName must be simple (default), json (structured JSON lines) or systemd; \"xml\" is none of them." }));
    }

    [Test]
    public async Task Start_up_with_a_bad_collector_endpoint_exits_with_one_line_naming_it()
    {
        await using var database = await TestDatabase.CreateAsync(migrated: false);
        await using var bot = BotProcess.Start(new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = database.ConnectionString,
            ["OpenTelemetry__Endpoint"] = "localhost:4317",
        });

        var exitCode = await bot.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.That(exitCode, Is.EqualTo(StartupFailure.BadConfiguration));
        StartupTests.AssertOneLine(bot, "OpenTelemetry:Endpoint must be an absolute http(s) URL of an OTLP collector");
    }

    [Test]
    public async Task With_the_json_format_every_log_line_is_one_json_object()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var bot = BotProcess.Start(new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = database.ConnectionString,
            ["Logging__Console__FormatterName"] = "json",
        });

        await Eventually.ValueAsync(() => Task.FromResult(bot.StandardOutput), output => output.Contains("UNAUTHENTICATED", StringComparison.Ordinal) || bot.HasExited,
            TimeSpan.FromSeconds(60), "the start-up warning");

        var lines = bot.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var warning = lines.Single(l => l.Contains("UNAUTHENTICATED", StringComparison.Ordinal));
        using var json = System.Text.Json.JsonDocument.Parse(warning);
        Assert.That(json.RootElement.GetProperty("LogLevel").GetString(), Is.EqualTo("Warning"));
        Assert.That(json.RootElement.GetProperty("Message").GetString(), Does.Contain("Teams:AppId is not set"));
        Assert.That(lines.Where(l => l.StartsWith('{')).Count(), Is.EqualTo(lines.Length), "no line is plain text:\n" + bot.StandardOutput);
    }
}
