using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Admin;

/// <summary>The admin HTTP API under <c>/admin</c>: on only when a key is configured.</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>Callers send it as <c>X-Api-Key</c>. Empty: the admin API is off (its routes answer 404).</summary>
    public string ApiKey { get; set; } = "";

    public bool Enabled => ApiKey.Length > 0;
}

internal sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminOptions options) =>
        options.ApiKey.Length is > 0 and < 24
            ? ValidateOptionsResult.Fail($"{AdminOptions.Section}:{nameof(AdminOptions.ApiKey)} must be at least 24 characters (e.g. `openssl rand -base64 32`), or empty to turn the admin API off.")
            : ValidateOptionsResult.Success;
}
