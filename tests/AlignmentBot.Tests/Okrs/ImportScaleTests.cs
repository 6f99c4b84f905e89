using AlignmentBot.Scheduler.Okrs.Dependencies;
using AlignmentBot.Scheduler.Okrs.Import;
using AlignmentBot.Tests.Support;

namespace AlignmentBot.Tests.Okrs;

/// <summary>
/// The import's checks at the row cap, on the shapes that make a naive check quadratic (a line of sight and a
/// dependency chain as long as the file): every row still judged, and the loop search's work grows linearly
/// (counted, not timed; scripts/bench/import.sh prints the times).
/// </summary>
public class ImportScaleTests
{
    [Test]
    public void A_file_at_the_row_cap_closed_into_loops_names_every_row_on_them()
    {
        var (plan, problems) = ImportValidator.Check(ImportShapes.Chain(ImportValidator.MaxRows, closed: true), ImportShapes.Directory);

        Assert.That(plan, Is.Null);
        var byKind = problems.GroupBy(p => p.Reason.Contains("form a loop", StringComparison.Ordinal) ? "parents" : p.Reason.Contains("make a loop", StringComparison.Ordinal) ? "named" : "pointed")
            .ToDictionary(g => g.Key, g => g.Count());
        Assert.That(byKind["parents"], Is.EqualTo(ImportValidator.MaxRows), "every objective's line of sight loops");
        Assert.That(byKind["named"], Is.EqualTo(ImportDependencies.MaxNamedLoops), "the first rows spell their loop out");
        Assert.That(byKind["pointed"], Is.EqualTo(ImportValidator.MaxRows - ImportDependencies.MaxNamedLoops));
        Assert.That(problems.First(p => p.Reason.Contains("part of", StringComparison.Ordinal)).Reason, Does.Contain("the loop named on line 2"));
        Assert.That(problems.Max(p => p.Reason.Length), Is.LessThan(400), "a long loop is cut short in its message, not spelled out 10,000 steps long");
    }

    [Test]
    public void A_file_at_the_row_cap_without_loops_is_planned_whole()
    {
        var (plan, problems) = ImportValidator.Check(ImportShapes.Chain(ImportValidator.MaxRows, closed: false), ImportShapes.Directory);

        Assert.That(problems, Is.Empty);
        Assert.That(plan!.KeyResults, Has.Count.EqualTo(ImportValidator.MaxRows));
        Assert.That(plan.Dependencies, Has.Count.EqualTo(ImportValidator.MaxRows - 1));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Finding_every_key_result_on_a_loop_does_work_linear_in_the_chain(bool closed)
    {
        long Work(int n)
        {
            var comparer = new CountingComparer();
            var graph = new DependencyGraph<string>(comparer);
            for (var i = 0; i < n; i++)
            {
                graph.Add($"KR-{i}", i + 1 < n ? $"KR-{i + 1}" : closed ? "KR-0" : $"done-{i}");
            }

            comparer.Calls = 0;
            var onLoops = graph.LoopComponents();
            Assert.That(onLoops, Has.Count.EqualTo(closed ? n : 0));
            return comparer.Calls;
        }

        var (small, large) = (Work(2_000), Work(8_000));

        // Quadratic work would grow 16-fold for 4 times the rows; linear grows 4-fold.
        Assert.That((double)large / small, Is.InRange(3.5, 4.5), $"{small} comparer calls for 2,000, {large} for 8,000");
    }

    private sealed class CountingComparer : IEqualityComparer<string>
    {
        public long Calls { get; set; }

        public bool Equals(string? x, string? y)
        {
            Calls++;
            return string.Equals(x, y, StringComparison.Ordinal);
        }

        public int GetHashCode(string obj)
        {
            Calls++;
            return StringComparer.Ordinal.GetHashCode(obj);
        }
    }
}
