using System.Collections.Concurrent;
using System.Text.Json;
using AlignmentBot.Scheduler.Digests;
using AlignmentBot.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace AlignmentBot.Tests.Digests;

/// <summary>Team digests asked for at once are built in one pass; each caller still gets its own team's digest, or none.</summary>
public class TeamDigestBatchesTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    private static TeamDigest Digest(long team, DateTimeOffset at) => new(team, $"Team {team}", "UTC", at, [], [], []);

    /// <summary>A build that records the teams of each pass and holds each tenant's passes until the test opens its gate.</summary>
    private sealed class Passes
    {
        private readonly ConcurrentDictionary<long, TaskCompletionSource> _gates = new();

        public ConcurrentQueue<long[]> Teams { get; } = new();

        public TaskCompletionSource Gate(long tenant) => _gates.GetOrAdd(tenant, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

        public async Task<IReadOnlyList<TeamDigest>> BuildAsync(long tenant, IReadOnlyList<long> teams, DateTimeOffset at, CancellationToken ct)
        {
            Teams.Enqueue([.. teams]);
            await Gate(tenant).Task;
            // Team 99 is not the tenant's: the builder leaves it out, as DigestBuilder does.
            return [.. teams.Where(t => t != 99).Select(t => Digest(t, at))];
        }

        /// <summary>Polls, with a deadline, until this many passes have begun.</summary>
        public async Task StartedAsync(int passes)
        {
            var started = TimeProvider.System.GetTimestamp();
            while (Teams.Count < passes)
            {
                Assert.That(TimeProvider.System.GetElapsedTime(started), Is.LessThan(TimeSpan.FromSeconds(10)), $"pass {passes} never began");
                await Task.Yield();
            }
        }
    }

    [Test]
    public async Task Digests_asked_for_while_a_pass_runs_are_built_together_in_the_next_pass()
    {
        var passes = new Passes();
        var batches = new TeamDigestBatches(passes.BuildAsync, new FakeTimeProvider(At));

        var first = batches.BuildAsync(1, 10, CancellationToken.None);
        await passes.StartedAsync(1);
        var waiting = new[] { 11L, 12, 13, 99 }.Select(team => batches.BuildAsync(1, team, CancellationToken.None)).ToList();
        passes.Gate(1).SetResult();

        Assert.That((await first)!.TeamId, Is.EqualTo(10));
        var digests = await Task.WhenAll(waiting);
        Assert.That(digests.Select(d => d?.TeamId), Is.EqualTo(new long?[] { 11, 12, 13, null }), "each caller gets its own team; a team not the tenant's gets none");
        Assert.That(passes.Teams, Is.EqualTo(new[] { new long[] { 10 }, [11, 12, 13, 99] }), "one pass for the four that waited, not four");
        Assert.That(digests[0]!.At, Is.EqualTo(At), "built as of the clock's now");
    }

    [Test]
    public async Task Each_tenant_has_its_own_passes()
    {
        var passes = new Passes();
        var batches = new TeamDigestBatches(passes.BuildAsync, new FakeTimeProvider(At));

        var one = batches.BuildAsync(1, 10, CancellationToken.None);
        await passes.StartedAsync(1);
        var two = batches.BuildAsync(2, 20, CancellationToken.None);
        passes.Gate(2).SetResult();

        Assert.That((await two)!.TeamId, Is.EqualTo(20), "the other tenant's pass ran while the first tenant's still waits");
        Assert.That(one.IsCompleted, Is.False);
        passes.Gate(1).SetResult();
        Assert.That((await one)!.TeamId, Is.EqualTo(10));
    }

    [Test]
    public async Task A_failed_pass_fails_its_own_callers_and_the_next_pass_still_runs()
    {
        var calls = 0;
        var batches = new TeamDigestBatches((tenant, teams, at, ct) => Interlocked.Increment(ref calls) == 1
            ? Task.FromException<IReadOnlyList<TeamDigest>>(new InvalidOperationException("the database went away"))
            : Task.FromResult<IReadOnlyList<TeamDigest>>([.. teams.Select(t => Digest(t, at))]), new FakeTimeProvider(At));

        await Assert.ThrowsAsync<InvalidOperationException>(() => batches.BuildAsync(1, 10, CancellationToken.None));
        Assert.That((await batches.BuildAsync(1, 11, CancellationToken.None))!.TeamId, Is.EqualTo(11));
    }

    [Test]
    public async Task A_caller_that_gives_up_stops_waiting_without_stopping_the_pass_for_the_others()
    {
        var passes = new Passes();
        var batches = new TeamDigestBatches(passes.BuildAsync, new FakeTimeProvider(At));
        using var giveUp = new CancellationTokenSource();

        var first = batches.BuildAsync(1, 10, giveUp.Token);
        await passes.StartedAsync(1);
        var other = batches.BuildAsync(1, 11, CancellationToken.None);
        await giveUp.CancelAsync();

        await Assert.CatchAsync<OperationCanceledException>(() => first);
        passes.Gate(1).SetResult();
        Assert.That((await other)!.TeamId, Is.EqualTo(11));
        Assert.That(passes.Teams, Is.EqualTo(new[] { new long[] { 10 }, [11] }));
    }

    [Test]
    public async Task Digests_built_together_are_the_ones_built_one_team_at_a_time()
    {
        await using var database = await TestDatabase.CreateAsync();
        var fixture = await new DigestFixture(database).CreateAsync();
        var builder = new DigestBuilder(database.CreateDataSource());
        var batches = new TeamDigestBatches(builder, new FakeTimeProvider(DigestFixture.At));
        long[] teams = [fixture.Platform, fixture.Sales, fixture.Payments];

        var together = await Task.WhenAll(teams.Select(team => batches.BuildAsync(fixture.TenantId, team, CancellationToken.None)));
        var alone = new List<TeamDigest>();
        foreach (var team in teams)
        {
            alone.Add((await builder.BuildAsync(fixture.TenantId, [team], DigestFixture.At, CancellationToken.None)).Single());
        }

        Assert.That(together.Select(d => JsonSerializer.Serialize(d)), Is.EqualTo(alone.Select(d => JsonSerializer.Serialize(d))),
            "the same key results, runs (thresholds per team), objectives and dependencies");
        Assert.That(together.Count(d => d!.Runs.Any(r => r.HiddenBecause is not null)), Is.GreaterThan(0), "a team under the threshold is among them");
    }
}
