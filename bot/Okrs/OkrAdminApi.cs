using System.Text;
using System.Text.Json;
using AlignmentBot.Bot.Admin;
using AlignmentBot.Scheduler.Okrs;
using AlignmentBot.Scheduler.Okrs.Import;
using AlignmentBot.Scheduler.Tenants;

namespace AlignmentBot.Bot.Okrs;

/// <summary>
/// <c>POST /admin/tenants/{platform}/{tenant}/okrs</c>: import objectives and key results as CSV (<c>text/csv</c>) or JSON, all or
/// nothing; <c>GET/PUT /admin/tenants/{platform}/{tenant}/rhythm</c>: the tenant's check-in rhythm (grace, ladder, cap, hours).
/// </summary>
public static class OkrAdminApi
{
    /// <summary>A plan of a few thousand key results is well under this; a bigger body is a mistake, not a plan.</summary>
    public const int MaxImportBytes = 5 * 1024 * 1024;

    public static RouteGroupBuilder MapOkrAdmin(this RouteGroupBuilder admin)
    {
        admin.MapPost($"{TenantAddress.Route}/okrs", async (string platform, string tenant, HttpRequest request, OkrImporter importer, CancellationToken ct) =>
        {
            var (rows, unreadable) = await ReadRowsAsync(request.Body, request.ContentType, request.ContentLength, ct);
            return unreadable ?? await ImportAsync(new TenantAddress(platform, tenant), rows!, importer, ct);
        }).WithBodyLimit(MaxImportBytes);

        admin.MapGet($"{TenantAddress.Route}/rhythm", async (string platform, string tenant, RhythmStore store, CancellationToken ct) =>
            await store.GetAsync(new TenantAddress(platform, tenant), ct) is { } settings ? Results.Ok(settings) : NoTenant(new TenantAddress(platform, tenant)));

        admin.MapPut($"{TenantAddress.Route}/rhythm", async (string platform, string tenant, HttpRequest request, RhythmStore store, CancellationToken ct) =>
        {
            var (settings, malformed) = await AdminEndpoints.ReadJsonAsync<RhythmSettings>(request, ct);
            if (malformed is not null)
            {
                return malformed;
            }

            var problems = settings!.Problems();
            if (problems.Count > 0)
            {
                return Results.ValidationProblem(problems, title: "The rhythm settings have problems");
            }

            var address = new TenantAddress(platform, tenant);
            return await store.SaveAsync(address, settings, ct) ? Results.Ok(settings) : NoTenant(address);
        });

        return admin;
    }

    /// <summary>Imports the plan, all or nothing; a refused file is a 422 naming each line and why. The admin console calls this too.</summary>
    public static async Task<IResult> ImportAsync(TenantAddress tenant, IReadOnlyList<ImportRow> rows, OkrImporter importer, CancellationToken ct)
    {
        if (rows.Count > ImportValidator.MaxRows)
        {
            return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Too many rows; nothing was written",
                detail: $"The file has {rows.Count} rows; an import takes at most {ImportValidator.MaxRows}. Split it by team or cycle and send the parts one after another.");
        }

        try
        {
            return Results.Ok(await importer.ImportAsync(tenant, rows, ct));
        }
        catch (OkrImporter.RefusedException refused)
        {
            return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Import refused; nothing was written",
                detail: $"{refused.Problems.Count} row{(refused.Problems.Count == 1 ? " has a problem" : "s have problems")}. Fix them and send the whole file again.",
                extensions: new Dictionary<string, object?> { ["rows"] = refused.Problems.Select(p => new { where = p.Where, line = p.Line, reason = p.Reason }).ToArray() });
        }
        catch (KeyNotFoundException missing)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such tenant", detail: missing.Message);
        }
    }

    /// <summary>The plan as rows (CSV or JSON by its media type), or the problem that it cannot be read. The admin console calls this too.</summary>
    public static async Task<(IReadOnlyList<ImportRow>? Rows, IResult? Problem)> ReadRowsAsync(Stream body, string? contentType, long? length, CancellationToken ct)
    {
        if (length > MaxImportBytes)
        {
            return (null, Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "File too large", detail: $"Send at most {MaxImportBytes / 1024 / 1024} MB."));
        }

        var mediaType = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        try
        {
            if (mediaType is "text/csv" or "application/csv")
            {
                using var reader = new StreamReader(body, Encoding.UTF8);
                return (CsvImportReader.Read(await reader.ReadToEndAsync(ct)), null);
            }

            if (mediaType is "application/json" or null)
            {
                using var document = await JsonDocument.ParseAsync(body, cancellationToken: ct);
                return (JsonImportReader.Read(document.RootElement), null);
            }

            return (null, Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported file type",
                detail: $"Send the plan as text/csv or application/json, not {mediaType}."));
        }
        catch (JsonException ex)
        {
            return (null, Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed JSON",
                detail: $"The body is not valid JSON (line {ex.LineNumber + 1}, position {ex.BytePositionInLine + 1})."));
        }
        catch (ImportFormatException ex)
        {
            return (null, Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The file cannot be read", detail: ex.Message));
        }
    }

    private static IResult NoTenant(TenantAddress tenant) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such tenant", detail: $"No {tenant} is known (the app must be installed there first).");
}
