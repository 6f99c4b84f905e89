using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Pulses;

/// <summary>The secret behind respondent keys: without it no response can be joined back to a person.</summary>
public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    /// <summary>
    /// At least 32 characters; required outside Development. Changing it stops authors editing earlier answers.
    /// Unset in Development: each database generates its own (see <see cref="RespondentKeys"/>).
    /// </summary>
    public string ResponseKeySecret { get; set; } = "";
}

internal sealed class PrivacyOptionsValidator(IHostEnvironment environment) : IValidateOptions<PrivacyOptions>
{
    public ValidateOptionsResult Validate(string? name, PrivacyOptions options)
    {
        if (options.ResponseKeySecret.Length == 0 && environment.IsDevelopment())
        {
            return ValidateOptionsResult.Success;
        }

        return options.ResponseKeySecret.Length < 32
            ? ValidateOptionsResult.Fail($"{PrivacyOptions.Section}:{nameof(PrivacyOptions.ResponseKeySecret)} must be set to a secret of at least 32 characters (e.g. `openssl rand -base64 48`); it keeps pulse answers anonymous.")
            : ValidateOptionsResult.Success;
    }
}
