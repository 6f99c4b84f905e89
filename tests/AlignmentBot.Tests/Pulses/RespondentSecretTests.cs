using AlignmentBot.Bot.Pulses;
using AlignmentBot.Tests.Support;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Tests.Pulses;

/// <summary>
/// Development never uses a fixed respondent-key secret: each database generates its own once and keeps it; outside
/// Development the configured one is required.
/// </summary>
public class RespondentSecretTests
{
    private static RespondentKeys Keys(TestDatabase database, string environment = "Development", string secret = "") =>
        new(Options.Create(new PrivacyOptions { ResponseKeySecret = secret }), new HostingEnvironment { EnvironmentName = environment },
            database.CreateDataSource(), NullLogger<RespondentKeys>.Instance);

    [Test]
    public async Task Two_fresh_databases_get_different_secrets_and_a_restart_keeps_its_own()
    {
        await using var first = await TestDatabase.CreateAsync();
        await using var second = await TestDatabase.CreateAsync();

        var inFirst = Keys(first).For(1, 1);
        var inSecond = Keys(second).For(1, 1);
        var afterRestart = Keys(first).For(1, 1);

        Assert.That(inSecond, Is.Not.EqualTo(inFirst), "no secret shared between databases");
        Assert.That(afterRestart, Is.EqualTo(inFirst), "the same database keeps its secret, so authors can still edit their answers");
        Assert.That(await first.ScalarAsync<long>("SELECT count(*) FROM app_secrets WHERE octet_length(value) = 32"), Is.EqualTo(1));
    }

    [Test]
    public async Task Instances_starting_at_once_on_a_fresh_database_agree_on_one_secret()
    {
        await using var database = await TestDatabase.CreateAsync();

        var keys = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Keys(database).For(7, 42))));

        Assert.That(keys.Select(Convert.ToBase64String).Distinct().Count(), Is.EqualTo(1));
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM app_secrets"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_configured_secret_is_used_and_nothing_is_generated()
    {
        await using var database = await TestDatabase.CreateAsync();

        var configured = Keys(database, secret: new string('s', 40)).For(1, 1);

        Assert.That(configured, Is.EqualTo(Keys(database, Environments.Production, new string('s', 40)).For(1, 1)));
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM app_secrets"), Is.Zero);
    }

    [Test]
    public void Outside_development_a_missing_secret_fails_start_up_naming_the_setting()
    {
        var validator = new PrivacyOptionsValidator(new HostingEnvironment { EnvironmentName = Environments.Production });

        var missing = validator.Validate(null, new PrivacyOptions());
        var development = new PrivacyOptionsValidator(new HostingEnvironment { EnvironmentName = Environments.Development }).Validate(null, new PrivacyOptions());

        Assert.That(missing.Failed, Is.True);
        Assert.That(missing.FailureMessage, Does.Contain("Privacy:ResponseKeySecret"));
        Assert.That(development.Succeeded, Is.True, "Development generates one per database instead");
    }
}
