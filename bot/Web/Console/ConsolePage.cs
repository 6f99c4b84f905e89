using Microsoft.AspNetCore.Components;

namespace AlignmentBot.Bot.Web.Console;

/// <summary>
/// Every console page: it admits only a signed-in admin (anyone else gets the 403 page saying why) and loads its own
/// data only then. A form handler runs after this, so it finds <see cref="Admin"/> set or the page already refused.
/// </summary>
public abstract class ConsolePage : ComponentBase
{
    [Inject]
    protected ConsoleGate Gate { get; set; } = null!;

    [CascadingParameter]
    protected HttpContext HttpContext { get; set; } = null!;

    /// <summary>The admin; null when refused.</summary>
    protected ConsoleAdmin? Admin { get; private set; }

    /// <summary>Why the console was refused.</summary>
    protected string Refusal { get; private set; } = "";

    protected CancellationToken Aborted => HttpContext.RequestAborted;

    protected sealed override async Task OnInitializedAsync()
    {
        var verdict = await Gate.AdmitAsync(HttpContext.User, Aborted);
        if (verdict.Admin is null)
        {
            Refusal = verdict.Why;
            HttpContext.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        Admin = verdict.Admin;
        await LoadAsync();
    }

    /// <summary>The page's data, for an admin.</summary>
    protected virtual Task LoadAsync() => Task.CompletedTask;
}
