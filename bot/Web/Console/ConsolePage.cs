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

    private ConsoleAdmin? _admin;
    private bool _loaded;

    /// <summary>The admin, once the page's data is loaded; null when refused (and while loading: a render then is never sent).</summary>
    protected ConsoleAdmin? Admin => _loaded ? _admin : null;

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

        // Blazor renders at the first await of this method too; the page's markup must not see a half-loaded page.
        _admin = verdict.Admin;
        await LoadAsync(_admin);
        _loaded = true;
    }

    /// <summary>The page's data, for an admin.</summary>
    protected virtual Task LoadAsync(ConsoleAdmin admin) => Task.CompletedTask;
}
