using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AlignmentBot.Bot.Web.Console;

/// <summary>
/// What an admin API handler answered, for a page: success, or its problem details (title, detail, the validation
/// errors by field, the failed lines of an import) with the very texts the API sends.
/// </summary>
public sealed record ConsoleOutcome(int Status, string? Title, string? Detail, IReadOnlyDictionary<string, string[]> Errors, IReadOnlyList<ConsoleOutcome.Line> Lines, object? Value)
{
    /// <summary>One refused line of an uploaded file.</summary>
    public sealed record Line(string Where, int Number, string Reason);

    public bool Succeeded => Status is >= 200 and < 300;

    /// <summary>The problems for one field (keys as the API's validation problems name them, e.g. <c>questions[0].prompt</c>).</summary>
    public IReadOnlyList<string> For(string field) => Errors.TryGetValue(field, out var problems) ? problems : [];

    public static ConsoleOutcome Of(IResult result)
    {
        var status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status200OK;
        var value = result is IValueHttpResult valued ? valued.Value : null;
        if (result is not ProblemHttpResult { ProblemDetails: var problem })
        {
            return new ConsoleOutcome(status, null, null, new Dictionary<string, string[]>(), [], value);
        }

        IReadOnlyDictionary<string, string[]> errors = problem is HttpValidationProblemDetails validation ? validation.Errors.AsReadOnly() : new Dictionary<string, string[]>();
        return new ConsoleOutcome(problem.Status ?? status, problem.Title, problem.Detail, errors, LinesOf(problem), null);
    }

    // The imports put their refused rows in an extension as anonymous objects; their JSON is the contract the API keeps.
    private static Line[] LinesOf(ProblemDetails problem)
    {
        if (!problem.Extensions.TryGetValue("rows", out var rows) || rows is null)
        {
            return [];
        }

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(rows));
        return [.. json.RootElement.EnumerateArray().Select(r => new Line(
            r.GetProperty("where").GetString() ?? "", r.GetProperty("line").GetInt32(), r.GetProperty("reason").GetString() ?? ""))];
    }
}
