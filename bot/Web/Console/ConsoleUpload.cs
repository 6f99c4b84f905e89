namespace AlignmentBot.Bot.Web.Console;

/// <summary>An uploaded file as the admin API would have received it as a body: its media type by name, its length and its bytes.</summary>
public static class ConsoleUpload
{
    /// <summary>The file in the form field <paramref name="field"/>, or null when none was chosen.</summary>
    public static IFormFile? Find(HttpContext http, string field) =>
        http.Request.HasFormContentType && http.Request.Form.Files.GetFile(field) is { Length: > 0 } file ? file : null;

    /// <summary>
    /// ".csv" is CSV and ".json" JSON whatever the browser claims (browsers disagree on CSV's type); otherwise the
    /// browser's type, which the API's readers refuse by name when they do not read it.
    /// </summary>
    public static string? MediaType(IFormFile file) => System.IO.Path.GetExtension(file.FileName).ToLowerInvariant() switch
    {
        ".csv" => "text/csv",
        ".json" => "application/json",
        _ => file.ContentType,
    };
}
