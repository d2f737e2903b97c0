namespace EvalLoop.Reporting.Html;

/// <summary>
/// Markup that this library produced itself (a sanitized chart, a block built with <see cref="HtmlWriter"/>), and
/// so is written as is. Nothing else becomes a fragment: text from runs, datasets and models is always escaped.
/// </summary>
internal readonly record struct HtmlFragment
{
    private HtmlFragment(string markup) => Markup = markup;

    public string Markup { get; }

    public static HtmlFragment Empty { get; } = new(string.Empty);

    /// <summary>Wraps <paramref name="markup"/>, which must come from this library's own renderers.</summary>
    public static HtmlFragment Trusted(string markup) => new(markup);

    public override string ToString() => Markup;
}
