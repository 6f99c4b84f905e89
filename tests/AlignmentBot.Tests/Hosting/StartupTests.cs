using AlignmentBot.Bot.Hosting;
using AlignmentBot.Tests.Support;

namespace AlignmentBot.Tests.Hosting;

/// <summary>A setting that is missing or wrong stops the real process with one line that names it.</summary>
public class StartupTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    [Test]
    public async Task Start_up_without_the_connection_string_exits_with_one_line_naming_it()
    {
        await using var bot = BotProcess.Start(new Dictionary<string, string> { ["ConnectionStrings__Postgres"] = "" });

        var exitCode = await bot.WaitForExitAsync(ExitTimeout);

        Assert.That(exitCode, Is.EqualTo(StartupFailure.BadConfiguration));
        AssertOneLine(bot, "ConnectionStrings:Postgres is not set");
    }

    [Test]
    public async Task Start_up_with_a_setting_of_the_wrong_type_names_it()
    {
        await using var bot = BotProcess.Start(new Dictionary<string, string> { ["Scheduler__CheckinInterval"] = "often" });

        var exitCode = await bot.WaitForExitAsync(ExitTimeout);

        Assert.That(exitCode, Is.EqualTo(StartupFailure.BadConfiguration));
        AssertOneLine(bot, "Scheduler:CheckinInterval");
    }

    [Test]
    public async Task Start_up_with_an_out_of_range_setting_names_it_and_the_allowed_range()
    {
        await using var database = await TestDatabase.CreateAsync(migrated: false);
        await using var bot = BotProcess.Start(new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = database.ConnectionString,
            ["Scheduler__MaxConcurrency"] = "0",
        });

        var exitCode = await bot.WaitForExitAsync(ExitTimeout);

        Assert.That(exitCode, Is.EqualTo(StartupFailure.BadConfiguration));
        AssertOneLine(bot, "Scheduler:MaxConcurrency is 0: use a number from 1 to 64.");
        Assert.That(await database.ScalarAsync<bool>("SELECT to_regclass('public.schemaversions') IS NOT NULL"), Is.False,
            "settings are checked before anything touches the database");
    }

    [Test]
    public async Task Start_up_with_an_unreachable_database_exits_with_one_line_and_no_password()
    {
        await using var bot = BotProcess.Start(new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = "Host=127.0.0.1;Port=1;Username=postgres;Password=hunter2;Database=nowhere;Timeout=3",
        });

        var exitCode = await bot.WaitForExitAsync(ExitTimeout);

        Assert.That(exitCode, Is.EqualTo(StartupFailure.DatabaseUnavailable));
        AssertOneLine(bot, "Cannot reach PostgreSQL at 127.0.0.1:1/nowhere");
        Assert.That(bot.StandardError + bot.StandardOutput, Does.Not.Contain("hunter2"));
    }

    [Test]
    public async Task Outside_development_a_missing_teams_app_id_stops_start_up()
    {
        await using var bot = BotProcess.Start(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Teams__AppId"] = "",
            ["Privacy__ResponseKeySecret"] = "a-production-secret-of-at-least-32-characters",
            ["Charts__PublicBaseUrl"] = "https://bot.example.com",
        });

        var exitCode = await bot.WaitForExitAsync(ExitTimeout);

        Assert.That(exitCode, Is.EqualTo(StartupFailure.BadConfiguration));
        AssertOneLine(bot, "Teams:AppId is not set: outside Development");
    }

    [Test]
    public async Task Several_missing_settings_get_one_line_each_and_no_stack_trace()
    {
        await using var bot = BotProcess.Start(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Teams__AppId"] = "",
            ["Privacy__ResponseKeySecret"] = "",
            ["Charts__PublicBaseUrl"] = "https://bot.example.com",
        });

        var exitCode = await bot.WaitForExitAsync(ExitTimeout);

        var lines = bot.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.That(exitCode, Is.EqualTo(StartupFailure.BadConfiguration));
        Assert.That(lines, Has.Length.EqualTo(2), $"stderr was:\n{bot.StandardError}");
        Assert.That(lines, Has.Some.StartsWith("Teams:AppId is not set"));
        Assert.That(lines, Has.Some.StartsWith("Privacy:ResponseKeySecret must be set"));
    }

    [Test]
    public async Task In_development_without_an_app_id_the_bot_warns_that_it_accepts_unauthenticated_requests()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var bot = BotProcess.Start(new Dictionary<string, string> { ["ConnectionStrings__Postgres"] = database.ConnectionString });

        await Eventually.ValueAsync(() => Task.FromResult(bot.StandardOutput), output => output.Contains("UNAUTHENTICATED", StringComparison.Ordinal) || bot.HasExited,
            ExitTimeout, "the start-up warning");

        Assert.That(bot.StandardOutput, Does.Contain("Teams:AppId is not set: /api/messages accepts UNAUTHENTICATED requests"));
    }

    /// <summary>Exactly one line on stderr, containing <paramref name="expected"/>, and no stack trace anywhere.</summary>
    internal static void AssertOneLine(BotProcess bot, string expected)
    {
        var lines = bot.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.Length.EqualTo(1), $"stderr was:\n{bot.StandardError}");
            Assert.That(lines.FirstOrDefault(), Does.Contain(expected));
            Assert.That(bot.StandardOutput, Does.Not.Contain("   at "), "no stack trace");
        });
    }
}
