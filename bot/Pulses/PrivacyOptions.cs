using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Pulses;

/// <summary>The secret behind respondent keys: without it no response can be joined back to a person.</summary>
public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    /// <summary>At least 32 characters; required outside Development. Changing it stops authors editing earlier answers.</summary>
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

/// <summary>
/// HMAC-SHA256(secret, run, person): the same for an author within a run (so they can edit), different across
/// runs (so runs cannot be linked), and meaningless without the secret.
/// </summary>
public sealed class RespondentKeys(IOptions<PrivacyOptions> options, IHostEnvironment environment, ILogger<RespondentKeys> logger)
{
    private readonly byte[] _secret = Secret(options.Value, environment, logger);

    public byte[] For(long runId, long personId) =>
        HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes(FormattableString.Invariant($"run:{runId}:person:{personId}")));

    private static byte[] Secret(PrivacyOptions options, IHostEnvironment environment, ILogger logger)
    {
        if (options.ResponseKeySecret.Length > 0)
        {
            return Encoding.UTF8.GetBytes(options.ResponseKeySecret);
        }

        logger.LogWarning("{Setting} is not set: using a development-only secret. Set it before real people answer pulses.",
            $"{PrivacyOptions.Section}:{nameof(PrivacyOptions.ResponseKeySecret)}");
        return Encoding.UTF8.GetBytes($"development-only:{environment.ApplicationName}");
    }
}
